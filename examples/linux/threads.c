/* 200 threads (or argv[2]): each opens and closes /etc/passwd in worker_ok and, every argv[3]th
 * round, leaks /etc/hostname in worker_leak, a round every 10 ms. It stops leaking after MAX_LEAKS, so
 * it never runs into the descriptor limit (then every open would fail). Prints its pid; at the end,
 * "leaked N" to stderr.
 * usage: threads SECONDS [THREADS] [LEAK_EVERY] */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#define MAX_LEAKS 10000
static int leak_every = 50;
static atomic_int leaked;

__attribute__((noinline)) static void worker_ok(void) {
    int fd = open("/etc/passwd", O_RDONLY);
    if (fd >= 0) close(fd);
}

__attribute__((noinline)) static void worker_leak(void) {
    if (atomic_load(&leaked) >= MAX_LEAKS) return;
    if (open("/etc/hostname", O_RDONLY) >= 0) atomic_fetch_add(&leaked, 1);
}

static void *worker(void *arg) {
    (void) arg;
    for (long round = 1;; round++) {
        worker_ok();
        if (round % leak_every == 0) worker_leak();
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int seconds = argc > 1 ? atoi(argv[1]) : 30;
    int threads = argc > 2 ? atoi(argv[2]) : 200;
    if (argc > 3) leak_every = atoi(argv[3]);
    printf("%d\n", (int) getpid());
    fflush(stdout);
    for (int i = 0; i < threads; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, NULL);
    }
    sleep(seconds);
    fprintf(stderr, "leaked %d\n", atomic_load(&leaked));
    return 0;
}
