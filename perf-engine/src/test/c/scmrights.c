/*
 * Receives descriptors sent over a socketpair with SCM_RIGHTS and leaks them:
 *   receive_fds     3 in one recvmsg, its msghdr and control buffer on its stack (leaked)
 *   receive_many    2 messages of 1 each in one recvmmsg, on its stack (leaked)
 *   receive_on_heap 1 in one recvmsg whose msghdr and control buffer are on the heap (leaked, not seen)
 * then closes the socketpair and exits.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "send_fds.h"

static __attribute__((noinline)) int receive_fds(int sock) {
    char data;
    struct iovec iov = {&data, 1};
    union { char buf[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } u;
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = sizeof u.buf;
    if (recvmsg(sock, &msg, 0) < 0) { perror("recvmsg"); exit(2); }
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    return c ? (int) ((c->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
}

static __attribute__((noinline)) int receive_many(int sock) {
    char data[2];
    struct iovec iov[2] = {{&data[0], 1}, {&data[1], 1}};
    union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u[2];
    struct mmsghdr msgs[2];
    memset(msgs, 0, sizeof msgs);
    for (int i = 0; i < 2; i++) {
        msgs[i].msg_hdr.msg_iov = &iov[i];
        msgs[i].msg_hdr.msg_iovlen = 1;
        msgs[i].msg_hdr.msg_control = u[i].buf;
        msgs[i].msg_hdr.msg_controllen = sizeof u[i].buf;
    }
    int n = recvmmsg(sock, msgs, 2, MSG_WAITFORONE, NULL);
    if (n != 2) { fprintf(stderr, "recvmmsg: %d\n", n); exit(2); }
    return n;
}

static __attribute__((noinline)) int receive_on_heap(int sock) {
    char *data = malloc(1);
    struct iovec *iov = malloc(sizeof *iov);
    iov->iov_base = data;
    iov->iov_len = 1;
    size_t space = CMSG_SPACE(sizeof(int) * 8);
    struct msghdr *msg = calloc(1, sizeof *msg);
    msg->msg_iov = iov;
    msg->msg_iovlen = 1;
    msg->msg_control = calloc(1, space);
    msg->msg_controllen = space;
    if (recvmsg(sock, msg, 0) < 0) { perror("recvmsg"); exit(2); }
    return 1;
}

int main(void) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) return 2;
    send_fds(sv[0], 3);
    if (receive_fds(sv[1]) != 3) return 3;
    send_fds(sv[0], 1);
    send_fds(sv[0], 1);
    receive_many(sv[1]);
    send_fds(sv[0], 1);
    receive_on_heap(sv[1]);
    close(sv[0]);
    close(sv[1]);
    return 0;
}
