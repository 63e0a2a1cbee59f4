/*
 * perfzoo: the perf engine's test target, driven line by line from stdin; every command answers "ok ..." when done.
 * Each leak site is its own function, so a report must name exactly these.
 *
 *   threads N   N threads each leak one file in thread_leak(), all alive at once, then exit
 *   fork N      a child leaks N files in child_leak() and exits; the parent leaks one in parent_leak()
 *   spawn N     a child leaks N files in child_leak() and keeps running (killed with its parent); answers its pid
 *   signals     SIGUSR1 now leaks one file in handler_leak() (the handler is async-signal-safe: open only)
 *   handled     prints how many SIGUSR1 the handler has run
 *   raw N       leak N files through raw syscall instructions in raw_leak() (no libc wrapper)
 *   quit        exit
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static pthread_barrier_t barrier;
static volatile sig_atomic_t handled;

static int thread_leak(void) { return open("/etc/hostname", O_RDONLY); }

static void *thread_main(void *arg) {
    (void) arg;
    thread_leak();
    pthread_barrier_wait(&barrier); /* all N alive together */
    return NULL;
}

static int child_leak(void) { return open("/etc/hostname", O_RDONLY); }
static int parent_leak(void) { return open("/etc/passwd", O_RDONLY); }

static void handler_leak(int sig) {
    (void) sig;
    open("/etc/hostname", O_RDONLY);
    handled++;
}

static long raw_leak(void) {
    long ret;
    const char *path = "/etc/hostname";
    __asm__ volatile("syscall" : "=a"(ret) : "a"(SYS_openat), "D"(AT_FDCWD), "S"(path), "d"(O_RDONLY) : "rcx", "r11", "memory");
    return ret;
}

int main(void) {
    char line[128];
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready %d\n", getpid());
    while (fgets(line, sizeof line, stdin)) {
        char cmd[32];
        int n = 0;
        if (sscanf(line, "%31s %d", cmd, &n) < 1) continue;
        if (strcmp(cmd, "threads") == 0) {
            pthread_t *t = calloc(n, sizeof *t);
            pthread_barrier_init(&barrier, NULL, n);
            for (int i = 0; i < n; i++) pthread_create(&t[i], NULL, thread_main, NULL);
            for (int i = 0; i < n; i++) pthread_join(t[i], NULL);
            pthread_barrier_destroy(&barrier);
            free(t);
            printf("ok threads\n");
        } else if (strcmp(cmd, "fork") == 0) {
            pid_t child = fork();
            if (child == 0) {
                for (int i = 0; i < n; i++) child_leak();
                _exit(0);
            }
            waitpid(child, NULL, 0);
            parent_leak();
            printf("ok fork %d\n", child);
        } else if (strcmp(cmd, "spawn") == 0) {
            int ready[2];
            if (pipe(ready) != 0) return 1;
            pid_t child = fork();
            if (child == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                close(ready[0]);
                for (int i = 0; i < n; i++) child_leak();
                close(ready[1]); /* the parent answers once the leaks are made */
                for (;;) pause();
            }
            close(ready[1]);
            char c;
            while (read(ready[0], &c, 1) > 0) {
            }
            close(ready[0]);
            printf("ok spawn %d\n", child);
        } else if (strcmp(cmd, "signals") == 0) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = handler_leak;
            sa.sa_flags = SA_RESTART;
            sigaction(SIGUSR1, &sa, NULL);
            printf("ok signals\n");
        } else if (strcmp(cmd, "handled") == 0) {
            printf("ok %d\n", (int) handled);
        } else if (strcmp(cmd, "raw") == 0) {
            for (int i = 0; i < n; i++) raw_leak();
            printf("ok raw\n");
        } else if (strcmp(cmd, "quit") == 0) {
            printf("ok bye\n");
            return 0;
        }
    }
    return 0;
}
