/*
 * Receives descriptors sent with SCM_RIGHTS by a forked child, each message into a msghdr and control buffer of its
 * own from malloc (where no recvmsg sample's stack copy reaches), as a server handed connections by another process:
 *   keep_some     one message of 4: 2 kept, 2 closed after the note
 *   close_all     one message of 3: all closed after the note
 *   receive_twice two messages of 1, one after the other, both kept
 * After each, note() opens and closes a log file, as a worker does: a call that takes the lowest free number (what
 * lets the perf engine infer whose the received descriptors are).
 * With "flood N" first: N datagrams without control data into a malloc'd msghdr (a busy receiver), then
 * leak_after() keeps two files open.
 * With "pipe": one message of 1 into the heap (receive_one, kept), then a pipe (make_pipe, kept), then note(): the
 * replay numbers the pipe as if nothing had been received, so the number note() shows open is the pipe's.
 * With "fork": receive_twice, then a forked child calls note() and exits, then the receiver calls note(): the two
 * received descriptors turn up open in both, the child's inherited.
 * With "driven": answers lines on stdin, as DrivenProcess expects; "receive N keep K" sends itself N descriptors,
 * receives them into the heap in receive_and_keep and closes all but the first K, then makes no other call.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "send_fds.h"

/* One message into the heap; its descriptors into fds, their count the value. A macro, not an inlined function: the
   caller is the receiver (an inlined function is a frame of its own in a stack, as a debugger shows it). */
#define receive_on_heap(sock, fds) ({                                                   \
    struct msghdr *msg_ = calloc(1, sizeof *msg_);                                      \
    struct iovec *iov_ = malloc(sizeof *iov_);                                          \
    iov_->iov_base = malloc(64);                                                        \
    iov_->iov_len = 64;                                                                 \
    size_t space_ = CMSG_SPACE(sizeof(int) * 8);                                        \
    msg_->msg_iov = iov_;                                                               \
    msg_->msg_iovlen = 1;                                                               \
    msg_->msg_control = calloc(1, space_);                                              \
    msg_->msg_controllen = space_;                                                      \
    if (recvmsg((sock), msg_, 0) < 0) { perror("recvmsg"); exit(2); }                   \
    int n_ = 0;                                                                         \
    for (struct cmsghdr *c_ = CMSG_FIRSTHDR(msg_); c_; c_ = CMSG_NXTHDR(msg_, c_)) {    \
        if (c_->cmsg_level != SOL_SOCKET || c_->cmsg_type != SCM_RIGHTS) continue;      \
        int k_ = (int) ((c_->cmsg_len - CMSG_LEN(0)) / sizeof(int));                    \
        memcpy((fds) + n_, CMSG_DATA(c_), sizeof(int) * k_);                            \
        n_ += k_;                                                                       \
    }                                                                                   \
    free(msg_->msg_control);                                                            \
    free(iov_->iov_base);                                                               \
    free(iov_);                                                                         \
    free(msg_);                                                                         \
    n_;                                                                                 \
})

static __attribute__((noinline)) void keep_some(int sock, int *fds) {
    if (receive_on_heap(sock, fds) != 4) exit(3);
}

static __attribute__((noinline)) void close_all(int sock, int *fds) {
    if (receive_on_heap(sock, fds) != 3) exit(3);
}

static __attribute__((noinline)) void receive_twice(int sock) {
    int fds[8];
    if (receive_on_heap(sock, fds) != 1) exit(3);
    if (receive_on_heap(sock, fds) != 1) exit(3);
}

static __attribute__((noinline)) void note(void) {
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0) exit(4);
    close(fd);
}

static __attribute__((noinline)) void leak_after(void) {
    open("/dev/null", O_RDONLY);
    open("/dev/null", O_RDONLY);
}

static __attribute__((noinline)) int receive_and_keep(int sock, int keep) {
    int fds[8];
    int n = receive_on_heap(sock, fds);
    for (int i = keep; i < n; i++) close(fds[i]);
    return n;
}

static __attribute__((noinline)) int receive_one(int sock) {
    int fds[8];
    if (receive_on_heap(sock, fds) != 1) exit(3);
    return fds[0];
}

static __attribute__((noinline)) void make_pipe(void) {
    int p[2];
    if (pipe(p) != 0) exit(4);
}

static int driven(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) return 2;
    printf("ready\n");
    fflush(stdout);
    char line[128];
    while (fgets(line, sizeof line, stdin)) {
        int n, keep;
        if (sscanf(line, "receive %d keep %d", &n, &keep) == 2 && n > 0 && n <= 8) {
            send_fds(sv[0], n);
            printf("ok %d\n", receive_and_keep(sv[1], keep));
        } else {
            printf("error %s", line);
        }
        fflush(stdout);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "driven") == 0) return driven();
    int pipe_after = argc > 1 && strcmp(argv[1], "pipe") == 0;
    int fork_after = argc > 1 && strcmp(argv[1], "fork") == 0;
    long flood = argc > 2 && strcmp(argv[1], "flood") == 0 ? atol(argv[2]) : 0;
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv) != 0) return 2;
    pid_t child = fork();
    if (child < 0) return 2;
    if (child == 0) {
        close(sv[1]);
        char data = 'x';
        for (long i = 0; i < flood; i++) {
            if (send(sv[0], &data, 1, 0) != 1) { perror("send"); _exit(2); }
        }
        if (pipe_after) {
            send_fds(sv[0], 1);
        } else if (fork_after) {
            send_fds(sv[0], 1);
            send_fds(sv[0], 1);
        } else if (!flood) {
            send_fds(sv[0], 4);
            send_fds(sv[0], 3);
            send_fds(sv[0], 1);
            send_fds(sv[0], 1);
        }
        _exit(0);
    }
    close(sv[0]);
    if (flood) {
        int fds[8];
        for (long i = 0; i < flood; i++) {
            if (receive_on_heap(sv[1], fds) != 0) return 3;
        }
        leak_after();
    } else if (fork_after) {
        receive_twice(sv[1]);
        pid_t noter = fork();
        if (noter < 0) return 2;
        if (noter == 0) {
            note();
            _exit(0);
        }
        int noted;
        if (waitpid(noter, &noted, 0) != noter) return 5;
        note();
    } else if (pipe_after) {
        receive_one(sv[1]);
        make_pipe();
        note();
    } else {
        int fds[8];
        keep_some(sv[1], fds);
        note();
        close(fds[1]);
        close(fds[3]);
        close_all(sv[1], fds);
        note();
        for (int i = 0; i < 3; i++) close(fds[i]);
        receive_twice(sv[1]);
        note();
    }
    close(sv[1]);
    int status;
    if (waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return 5;
    return 0;
}
