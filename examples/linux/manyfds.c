/*
 * manyfds: opens N descriptors (dups of /dev/null) after raising RLIMIT_NOFILE's soft limit to the hard limit,
 * prints "ready FIRST LAST" and waits until stdin closes. With "churn" it keeps opening and closing one extra
 * descriptor in a second thread, so listings race with descriptors that vanish.
 * Used by the ProcFdReader tests and benchmarks/handles-vs-lsof.sh:  gcc -g -O0 -pthread -o manyfds manyfds.c
 *
 * Usage: manyfds N [churn]
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static void *churn(void *unused) {
    (void) unused;
    for (;;) {
        int fd = open("/dev/zero", O_RDONLY);
        if (fd >= 0) close(fd);
    }
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: manyfds N [churn]\n");
        return 2;
    }
    long n = strtol(argv[1], NULL, 10);
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl)) perror("setrlimit");
    }
    int base = open("/dev/null", O_RDONLY);
    if (base < 0) {
        perror("/dev/null");
        return 1;
    }
    int first = base, last = base;
    for (long i = 1; i < n; i++) {
        last = dup(base);
        if (last < 0) {
            fprintf(stderr, "dup failed after %ld descriptors (RLIMIT_NOFILE %ld): ", i, (long) rl.rlim_cur);
            perror("");
            return 1;
        }
    }
    if (argc > 2 && strcmp(argv[2], "churn") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, churn, NULL)) {
            perror("pthread_create");
            return 1;
        }
    }
    printf("ready %d %d\n", first, last);
    fflush(stdout);
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
    }
    return 0;
}
