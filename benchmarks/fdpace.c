/*
 * fdpace: opens and closes /dev/null at a steady rate, for benchmarks/decoder-throughput.sh: RATE traced events per
 * second (each iteration is an open and a close: 2 events) for SECONDS, paced per millisecond (it sleeps between
 * batches, leaving the CPU to the tracer), then prints the rate it achieved.
 *
 *   fdpace RATE SECONDS
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int open_and_close(void) {
    int fd = open("/dev/null", O_RDONLY);
    return close(fd);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: fdpace RATE SECONDS\n");
        return 2;
    }
    long rate = atol(argv[1]);
    double seconds = atof(argv[2]);
    long total = (long) (rate * seconds / 2); /* iterations */
    double start = now();
    long done = 0;
    for (long ms = 1; done < total; ms++) {
        long due = (long) (rate / 2.0 * ms / 1000.0); /* iterations due by the end of this millisecond */
        if (due > total) due = total;
        for (; done < due; done++) open_and_close();
        struct timespec until;
        double t = start + ms / 1000.0;
        until.tv_sec = (time_t) t;
        until.tv_nsec = (long) ((t - (double) until.tv_sec) * 1e9);
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
    }
    double s = now() - start;
    printf("paced %ld events in %.3f s: %.0f events/s\n", 2 * done, s, 2 * done / s);
    return 0;
}
