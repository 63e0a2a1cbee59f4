/*
 * forker: a parent that forks children which leak, for the engines that follow children.
 *
 *   forker N K [FILE]   N children, each leaks K files in child_leak() and exits; the parent leaks one in
 *                       parent_leak(), prints "child PID" per child (to FILE when given), waits for them and exits
 *
 * Try:  jhtrace leaks -- ./forker 2 3
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int child_leak(void) { return open("/etc/hostname", O_RDONLY); }
static int parent_leak(void) { return open("/etc/passwd", O_RDONLY); }

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 2;
    int k = argc > 2 ? atoi(argv[2]) : 3;
    FILE *out = argc > 3 ? fopen(argv[3], "w") : stdout;
    if (out == NULL) return 2;
    setvbuf(out, NULL, _IOLBF, 0);
    for (int i = 0; i < n; i++) {
        pid_t child = fork();
        if (child == 0) {
            for (int j = 0; j < k; j++) child_leak();
            _exit(0);
        }
        fprintf(out, "child %d\n", (int) child);
    }
    while (wait(NULL) > 0) {
    }
    if (out != stdout) fclose(out);
    parent_leak();
    return 0;
}
