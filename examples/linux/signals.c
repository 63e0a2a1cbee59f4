/* A program that gets signals while it leaks, as servers do: SIGUSR1 handled (counted), SIGPIPE ignored
 * (writes to a pipe whose reader is gone), SIGSEGV handled (a fault it recovers from with siglongjmp),
 * SIGTERM left to its default action (it dies). Prints its pid, then reads commands from stdin:
 *   leak N     N rounds of: leak one /etc/hostname in leak_file(), a write that raises SIGPIPE, a handled
 *              SIGSEGV; then prints "leaked N"
 *   usr1       prints how many SIGUSR1 it has handled so far
 *   tstp on    handles SIGTSTP from now on (counted), instead of stopping; prints "tstp on"
 *   tstp       prints how many SIGTSTP it has handled so far
 *   swap FD    closes FD and opens /etc/passwd, which takes the lowest free number; prints "swapped N"
 *   quit       exits */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t usr1_count;
static volatile sig_atomic_t tstp_count;
static sigjmp_buf recover;

static void on_usr1(int sig) { (void) sig; usr1_count++; }
static void on_tstp(int sig) { (void) sig; tstp_count++; }
static void on_segv(int sig) { (void) sig; siglongjmp(recover, 1); }

__attribute__((noinline)) static void leak_file(void) { open("/etc/hostname", O_RDONLY); }

__attribute__((noinline)) static void broken_pipe(void) {
    int p[2];
    if (pipe(p) != 0) return;
    close(p[0]);
    (void) write(p[1], "x", 1); /* SIGPIPE, ignored: EPIPE */
    close(p[1]);
}

__attribute__((noinline)) static void fault(void) {
    if (sigsetjmp(recover, 1) == 0) *(volatile int *) 8 = 1; /* SIGSEGV, handled */
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    printf("%d\n", (int) getpid());
    fflush(stdout);
    char line[64];
    for (;;) {
        if (!fgets(line, sizeof line, stdin)) {
            if (ferror(stdin) && errno == EINTR) { clearerr(stdin); continue; } /* a handled signal interrupted the read */
            break;
        }
        if (strncmp(line, "leak ", 5) == 0) {
            int n = atoi(line + 5);
            for (int i = 0; i < n; i++) {
                leak_file();
                broken_pipe();
                fault();
            }
            printf("leaked %d\n", n);
        } else if (strncmp(line, "usr1", 4) == 0) {
            printf("usr1 %d\n", (int) usr1_count);
        } else if (strncmp(line, "tstp on", 7) == 0) {
            struct sigaction ts;
            memset(&ts, 0, sizeof ts);
            ts.sa_handler = on_tstp;
            sigaction(SIGTSTP, &ts, NULL);
            printf("tstp on\n");
        } else if (strncmp(line, "swap ", 5) == 0) {
            close(atoi(line + 5));
            printf("swapped %d\n", open("/etc/passwd", O_RDONLY));
        } else if (strncmp(line, "tstp", 4) == 0) {
            printf("tstp %d\n", (int) tstp_count);
        } else if (strncmp(line, "quit", 4) == 0) {
            return 0;
        }
        fflush(stdout);
    }
    return 0;
}
