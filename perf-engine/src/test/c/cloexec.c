/*
 * Opens descriptors some close-on-exec, some not, by every way there is to set or clear the flag, then execs
 * listfds, which writes the descriptors that survived the exec (the kernel's answer) to a file and exits holding them.
 *   cloexec LISTFDS OUT          this process opens and execs
 *   cloexec LISTFDS OUT fork     a forked child opens and execs; this process waits for it
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/close_range.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int null(int flags) {
    int fd = open("/dev/null", O_RDONLY | flags);
    if (fd < 0) { perror("open"); exit(2); }
    return fd;
}

/* 9 descriptors survive the exec (plain), 13 are closed by it (close-on-exec) */
static void open_some(void) {
    int plain = null(0);                                  /* survives */
    null(O_CLOEXEC);                                      /* closed */
    socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);       /* closed */
    socket(AF_UNIX, SOCK_DGRAM, 0);                       /* survives */
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) exit(2);                /* closed, both */
    if (pipe(p) != 0) exit(2);                            /* survive, both */
    fcntl(plain, F_DUPFD_CLOEXEC, 20);                    /* closed */
    fcntl(plain, F_DUPFD, 30);                            /* survives */
    int set = null(0);
    fcntl(set, F_SETFD, FD_CLOEXEC);                      /* closed */
    int cleared = null(O_CLOEXEC);
    fcntl(cleared, F_SETFD, 0);                           /* survives */
    int ioctl_set = null(0);
    ioctl(ioctl_set, FIOCLEX);                            /* closed */
    int ioctl_cleared = null(O_CLOEXEC);
    ioctl(ioctl_cleared, FIONCLEX);                       /* survives */
    dup2(plain, 40);
    dup2(plain, 41);
    syscall(SYS_close_range, 40, 41, CLOSE_RANGE_CLOEXEC); /* closed, both */
    dup3(plain, 50, O_CLOEXEC);                           /* closed */
    dup3(plain, 51, 0);                                   /* survives */
    eventfd(0, EFD_CLOEXEC);                              /* closed */
    epoll_create1(EPOLL_CLOEXEC);                         /* closed */
    memfd_create("cloexec", MFD_CLOEXEC);                 /* closed */
    accept4(-1, NULL, NULL, SOCK_CLOEXEC);                /* fails: nothing */
    eventfd(0, 0);                                        /* survives */
}

int main(int argc, char **argv) {
    if (argc < 3) return 2;
    char *args[] = {argv[1], argv[2], NULL};
    if (argc > 3) {
        pid_t child = fork();
        if (child == 0) {
            open_some();
            execv(argv[1], args);
            _exit(3);
        }
        int status;
        waitpid(child, &status, 0);
        return WIFEXITED(status) ? WEXITSTATUS(status) : 4;
    }
    open_some();
    execv(argv[1], args);
    return 3;
}
