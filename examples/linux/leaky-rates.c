/*
 * leaky-rates: a "service" that runs until killed (or for SECONDS), for trying jhtrace by hand.
 * Three worker threads, each with its own leak site and rate, plus constant transient traffic:
 *   handle_request()  leaks a socket every 100 ms
 *   reload_config()   leaks a file   every 250 ms
 *   poll_events()     leaks an eventfd every 1000 ms
 *   serve()           opens and closes files all the time (never a leak)
 *
 *   leaky-rates [SECONDS]     (default: forever)
 *
 * Try:  jhtrace leaks --engine gdb --pid $(pgrep leaky-rates) --wait 5s
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

static void handle_request(void) { socket(AF_INET, SOCK_DGRAM, 0); }
static void reload_config(void) { open("/etc/passwd", O_RDONLY); }
static void poll_events(void) { eventfd(0, 0); }

static void serve(void) {
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd >= 0) close(fd);
}

static void *every(void *arg) {
    long ms = (long) arg;
    for (;;) {
        if (ms == 100) handle_request();
        else if (ms == 250) reload_config();
        else if (ms == 1000) poll_events();
        else serve();
        usleep(ms * 1000);
    }
    return NULL;
}

int main(int argc, char **argv) {
    long seconds = argc > 1 ? atol(argv[1]) : 0;
    long rates[] = {100, 250, 1000, 10};
    pthread_t t;
    printf("leaky-rates pid %d\n", getpid());
    fflush(stdout);
    for (int i = 0; i < 4; i++) pthread_create(&t, NULL, every, (void *) rates[i]);
    if (seconds > 0) sleep((unsigned) seconds);
    else for (;;) pause();
    return 0;
}
