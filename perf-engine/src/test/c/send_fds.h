/* Sends COUNT descriptors (each a fresh /dev/null) in one SCM_RIGHTS message, then closes its own copies. */
#ifndef SEND_FDS_H
#define SEND_FDS_H
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void send_fds(int sock, int count) {
    int fds[8];
    for (int i = 0; i < count; i++) fds[i] = open("/dev/null", O_RDONLY);
    char data = 'x';
    struct iovec iov = {&data, 1};
    union { char buf[CMSG_SPACE(sizeof(int) * 8)]; struct cmsghdr align; } u;
    memset(&u, 0, sizeof u);
    struct msghdr msg = {0};
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.buf;
    msg.msg_controllen = CMSG_SPACE(sizeof(int) * count);
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    if (sendmsg(sock, &msg, 0) != 1) { perror("sendmsg"); exit(2); }
    for (int i = 0; i < count; i++) close(fds[i]);
}

#endif
