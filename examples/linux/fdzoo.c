/*
 * fdzoo: opens one descriptor of each kind jhtrace's /proc listing knows, prints one line per descriptor
 * ("KIND FD NAME [EXTRA...]", NAME being what /proc/self/fd/FD shows, EXTRA addresses), prints "ready" and waits
 * for stdin to close. NAME holds spaces only for the kinds file, dir and memfd, which have no EXTRA.
 * Kinds that need privileges or IPv6 print "skipped KIND" instead.
 * Used by the ProcFdReader tests and as a demo target:  gcc -g -O0 -o fdzoo fdzoo.c && ./fdzoo /tmp/somefile
 *
 * Usage: fdzoo FILE DIR   (FILE is created/truncated, DIR must exist)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/fanotify.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

/* Prints "KIND FD LINK EXTRA" where LINK is the /proc/self/fd symlink target, the ground truth tests compare to. */
static void report(const char *kind, int fd, const char *extra) {
    char path[64], link[4096];
    if (fd < 0) die(kind);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, link, sizeof link - 1);
    if (n < 0) die("readlink");
    link[n] = 0;
    printf("%s %d %s%s%s\n", kind, fd, link, extra ? " " : "", extra ? extra : "");
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: fdzoo FILE DIR\n");
        return 2;
    }
    char extra[256];

    report("file", open(argv[1], O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600), NULL);
    report("dir", open(argv[2], O_RDONLY | O_DIRECTORY), NULL);

    int tcp = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof addr;
    if (tcp < 0 || bind(tcp, (struct sockaddr *) &addr, sizeof addr) || listen(tcp, 4) ||
        getsockname(tcp, (struct sockaddr *) &addr, &len)) die("tcp");
    snprintf(extra, sizeof extra, "127.0.0.1:%d", ntohs(addr.sin_port));
    report("tcp", tcp, extra);

    int client = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in caddr;
    len = sizeof caddr;
    if (client < 0 || connect(client, (struct sockaddr *) &addr, sizeof addr) ||
        getsockname(client, (struct sockaddr *) &caddr, &len)) die("tcp client");
    snprintf(extra, sizeof extra, "127.0.0.1:%d 127.0.0.1:%d", ntohs(caddr.sin_port), ntohs(addr.sin_port));
    report("tcp-client", client, extra);

    /* IPv6 may be switched off on the machine: then say so instead of failing. */
    int tcp6 = socket(AF_INET6, SOCK_STREAM, 0);
    struct sockaddr_in6 addr6 = {.sin6_family = AF_INET6, .sin6_port = 0, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    len = sizeof addr6;
    if (tcp6 >= 0 && bind(tcp6, (struct sockaddr *) &addr6, sizeof addr6) == 0 && listen(tcp6, 4) == 0 &&
        getsockname(tcp6, (struct sockaddr *) &addr6, &len) == 0) {
        snprintf(extra, sizeof extra, "[::1]:%d", ntohs(addr6.sin6_port));
        report("tcp6", tcp6, extra);
    } else {
        puts("skipped tcp6");
    }

    int udp = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in uaddr = {.sin_family = AF_INET, .sin_port = 0, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    len = sizeof uaddr;
    if (udp < 0 || bind(udp, (struct sockaddr *) &uaddr, sizeof uaddr) ||
        getsockname(udp, (struct sockaddr *) &uaddr, &len)) die("udp");
    snprintf(extra, sizeof extra, "127.0.0.1:%d", ntohs(uaddr.sin_port));
    report("udp", udp, extra);

    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair)) die("socketpair");
    report("unix", pair[0], NULL);
    report("unix", pair[1], NULL);

    /* bound (the kernel picks the port id, our pid), since /proc/net/netlink lists only bound sockets */
    int nl = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
    struct sockaddr_nl nladdr = {.nl_family = AF_NETLINK};
    len = sizeof nladdr;
    if (nl < 0 || bind(nl, (struct sockaddr *) &nladdr, sizeof nladdr) ||
        getsockname(nl, (struct sockaddr *) &nladdr, &len)) die("netlink");
    snprintf(extra, sizeof extra, "portid:%u", nladdr.nl_pid);
    report("netlink", nl, extra);

    int pipefd[2];
    if (pipe2(pipefd, O_NONBLOCK)) die("pipe");
    report("pipe-read", pipefd[0], NULL);
    report("pipe-write", pipefd[1], NULL);

    report("eventfd", eventfd(7, EFD_CLOEXEC), NULL);

    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = pipefd[0]};
    if (ep < 0 || epoll_ctl(ep, EPOLL_CTL_ADD, pipefd[0], &ev)) die("epoll");
    report("epoll", ep, NULL);

    report("timerfd", timerfd_create(CLOCK_MONOTONIC, 0), NULL);

    sigset_t mask;
    sigemptyset(&mask);
    sigaddset(&mask, SIGUSR1);
    report("signalfd", signalfd(-1, &mask, 0), NULL);

    int in = inotify_init1(0);
    if (in < 0 || inotify_add_watch(in, argv[2], IN_CREATE) < 0) die("inotify");
    report("inotify", in, NULL);

    report("memfd", memfd_create("fdzoo-memfd", 0), NULL);

    report("pidfd", (int) syscall(SYS_pidfd_open, getpid(), 0), NULL);

    /* fanotify needs CAP_SYS_ADMIN. */
    int fan = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
    if (fan >= 0) report("fanotify", fan, NULL);
    else puts("skipped fanotify");

    report("devnull", open("/dev/null", O_WRONLY | O_APPEND), NULL);

    puts("ready");
    fflush(stdout);
    /* Wait until the parent closes our stdin (or dies), then exit. */
    char buf[64];
    while (read(0, buf, sizeof buf) > 0) {
    }
    return 0;
}
