/*
 * steady-leaker: a server that leaks one descriptor at a steady pace, for `jhtrace capture` tests.
 *
 *   remember_session()  opens /dev/null every period and never closes it (the leak)
 *   read_status()       opens and closes /proc/self/status every 100 ms or period (correct churn: not a leak)
 *
 * Usage: steady-leaker [period-ms=500] [seconds=60]
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int sessions[100000];
static int nsessions;

static void remember_session(void) {
    int fd = open("/dev/null", O_RDONLY);
    if (fd >= 0 && nsessions < 100000) sessions[nsessions++] = fd;   /* kept forever: the leak */
}

static void read_status(void) {
    char buf[256];
    int fd = open("/proc/self/status", O_RDONLY);
    if (fd < 0) return;
    if (read(fd, buf, sizeof buf) < 0) buf[0] = 0;
    close(fd);
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
    long period = argc > 1 ? atol(argv[1]) : 500;
    long seconds = argc > 2 ? atol(argv[2]) : 60;
    long start = now_ms(), next_leak = start;
    /* a tick of 100 ms, shorter when the leak is faster */
    long tick_ms = period > 0 && period < 100 ? period : 100;
    struct timespec tick = {0, tick_ms * 1000000L};
    while (now_ms() - start < seconds * 1000L) {
        if (now_ms() >= next_leak) {
            remember_session();
            next_leak += period;
        }
        read_status();
        nanosleep(&tick, NULL);
    }
    return 0;
}
