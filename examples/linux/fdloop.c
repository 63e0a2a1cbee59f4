/*
 * fdloop: opens and closes /dev/null N times (2 traced syscalls per iteration) and prints the time
 * it took. Used by benchmarks/engine-overhead.sh to compare native, perf, gdb and strace -k runs.
 *
 *   fdloop N [--wait]    with --wait it first prints "ready PID" and waits for a line on stdin
 *                        (so a tracer can attach before the loop starts)
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int open_and_close(void) {
    int fd = open("/dev/null", O_RDONLY);
    return close(fd);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000;
    if (argc > 2 && strcmp(argv[2], "--wait") == 0) {
        char line[16];
        printf("ready %d\n", getpid());
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin)) return 1;
    }
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    for (long i = 0; i < n; i++) open_and_close();
    clock_gettime(CLOCK_MONOTONIC, &b);
    double s = (b.tv_sec - a.tv_sec) + (b.tv_nsec - a.tv_nsec) / 1e9;
    printf("loop %ld iterations %.3f s\n", n, s);
    return 0;
}
