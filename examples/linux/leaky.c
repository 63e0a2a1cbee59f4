/*
 * leaky: a descriptor-leaking program driven line by line from stdin, so tests are deterministic.
 * Every command prints one line starting with "ok" (or "err") when it is done. Each leak site is its
 * own function, so a leak report must name exactly these functions.
 *
 *   pre N        open N descriptors in open_before_snapshot() (opened before a snapshot: not leaks)
 *   file N       leak N files         in leak_config_file()
 *   sock N       leak N sockets       in leak_socket()
 *   pipe N       leak N pipes (2N fd) in leak_pipe()
 *   transient N  open and close N descriptors of many kinds in use_transient()  (never leaks)
 *   dup N        leak N dup()s        in leak_dup()
 *   dup2         dup2() over a descriptor opened by "pre": replaces it, in replace_with_dup2()
 *   thread N     a new thread leaks N eventfds in leak_in_thread() and exits
 *   event N      leak N eventfd/timerfd/epoll/memfd/inotify/signalfd descriptors in leak_misc()
 *   closerange   closes every descriptor opened by "pre" and "file" with close_range()
 *   cloexec N    open N O_CLOEXEC files in open_cloexec() (exec closes them)
 *   scm N        pass N descriptors to itself over a unix socket (SCM_RIGHTS); receive_fd() leaks them
 *   exec         re-exec this program (/proc/self/exe); descriptors survive unless O_CLOEXEC
 *   count        print the number of open descriptors
 *   quit         exit
 *
 * Build: gcc -g -O0 -pthread -o leaky leaky.c   (see Makefile)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>

#define MAX_KEPT 4096
static int kept[MAX_KEPT];
static int nkept;

static void keep(int fd) {
    if (fd >= 0 && nkept < MAX_KEPT) kept[nkept++] = fd;
}

static int open_before_snapshot(void) {
    return open("/etc/hostname", O_RDONLY);
}

static int leak_config_file(void) {
    return open("/etc/passwd", O_RDONLY);
}

static int leak_socket(void) {
    return socket(AF_INET, SOCK_STREAM, 0);
}

static int leak_pipe(void) {
    int p[2];
    return pipe2(p, 0);
}

static int leak_dup(int fd) {
    return dup(fd);
}

static int leak_misc(int i) {
    sigset_t mask;
    switch (i % 6) {
    case 0: return eventfd(0, 0);
    case 1: return timerfd_create(CLOCK_MONOTONIC, 0);
    case 2: return epoll_create1(0);
    case 3: return memfd_create("jhtrace-leaky", 0);
    case 4: return inotify_init1(0);
    default:
        sigemptyset(&mask);
        sigaddset(&mask, SIGUSR2);
        return signalfd(-1, &mask, 0);
    }
}

static void use_transient(int n) {
    for (int i = 0; i < n; i++) {
        int p[2], s[2];
        int fd = open("/etc/hostname", O_RDONLY);
        int d = fcntl(fd, F_DUPFD_CLOEXEC, 100);
        close(d);
        close(fd);
        if (pipe(p) == 0) { close(p[0]); close(p[1]); }
        if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) == 0) { close(s[0]); close(s[1]); }
        int e = eventfd(0, 0);
        close(e);
        close(open("/nonexistent/jhtrace", O_RDONLY)); /* fails: records nothing */
    }
}

static int replace_with_dup2(int target) {
    int src = open("/etc/passwd", O_RDONLY);
    int r = dup2(src, target);
    close(src);
    return r;
}

static int open_cloexec(void) {
    return open("/etc/hostname", O_RDONLY | O_CLOEXEC);
}

static void send_fd(int sock, int fd) {
    char byte = 'x';
    struct iovec iov = {&byte, 1};
    union { struct cmsghdr h; char c[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr msg = {0};
    memset(&u, 0, sizeof u);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.c;
    msg.msg_controllen = sizeof u.c;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &fd, sizeof fd);
    sendmsg(sock, &msg, 0);
}

static int receive_fd(int sock) {
    char byte;
    struct iovec iov = {&byte, 1};
    union { struct cmsghdr h; char c[CMSG_SPACE(sizeof(int))]; } u;
    struct msghdr msg = {0};
    int fd = -1;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = u.c;
    msg.msg_controllen = sizeof u.c;
    if (recvmsg(sock, &msg, 0) < 0) return -1;
    struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
    if (c && c->cmsg_type == SCM_RIGHTS) memcpy(&fd, CMSG_DATA(c), sizeof fd);
    return fd;
}

static void *leak_in_thread(void *arg) {
    long n = (long) arg;
    for (long i = 0; i < n; i++) eventfd(0, 0);
    return NULL;
}

static int count_fds(void) {
    int n = 0;
    DIR *d = opendir("/proc/self/fd");
    if (!d) return -1;
    while (readdir(d)) n++;
    closedir(d);
    return n - 3; /* ".", ".." and the directory's own descriptor */
}

int main(int argc, char **argv) {
    char line[256];
    int pre[MAX_KEPT], npre = 0;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready %d%s\n", getpid(), argc > 1 && strcmp(argv[1], "--after-exec") == 0 ? " after-exec" : "");
    while (fgets(line, sizeof line, stdin)) {
        char cmd[64] = "";
        long n = 0;
        sscanf(line, "%63s %ld", cmd, &n);
        if (strcmp(cmd, "pre") == 0) {
            for (long i = 0; i < n && npre < MAX_KEPT; i++) pre[npre++] = open_before_snapshot();
        } else if (strcmp(cmd, "file") == 0) {
            for (long i = 0; i < n; i++) keep(leak_config_file());
        } else if (strcmp(cmd, "sock") == 0) {
            for (long i = 0; i < n; i++) leak_socket();
        } else if (strcmp(cmd, "pipe") == 0) {
            for (long i = 0; i < n; i++) leak_pipe();
        } else if (strcmp(cmd, "transient") == 0) {
            use_transient((int) n);
        } else if (strcmp(cmd, "dup") == 0) {
            for (long i = 0; i < n; i++) leak_dup(0);
        } else if (strcmp(cmd, "dup2") == 0) {
            if (npre == 0) { printf("err no pre descriptor\n"); continue; }
            replace_with_dup2(pre[0]);
        } else if (strcmp(cmd, "thread") == 0) {
            pthread_t t;
            pthread_create(&t, NULL, leak_in_thread, (void *) n);
            pthread_join(t, NULL);
        } else if (strcmp(cmd, "event") == 0) {
            for (long i = 0; i < n; i++) leak_misc((int) i);
        } else if (strcmp(cmd, "closerange") == 0) {
            int lo = -1, hi = -1;
            for (int i = 0; i < npre; i++) { if (lo < 0 || pre[i] < lo) lo = pre[i]; if (pre[i] > hi) hi = pre[i]; }
            for (int i = 0; i < nkept; i++) { if (lo < 0 || kept[i] < lo) lo = kept[i]; if (kept[i] > hi) hi = kept[i]; }
            if (lo >= 0) syscall(SYS_close_range, (unsigned) lo, (unsigned) hi, 0u);
            npre = 0;
            nkept = 0;
        } else if (strcmp(cmd, "scm") == 0) {
            int s[2];
            if (socketpair(AF_UNIX, SOCK_STREAM, 0, s) != 0) { printf("err socketpair\n"); continue; }
            for (long i = 0; i < n; i++) {
                int fd = open("/etc/hostname", O_RDONLY);
                send_fd(s[0], fd);
                close(fd);
                receive_fd(s[1]);
            }
            close(s[0]);
            close(s[1]);
        } else if (strcmp(cmd, "cloexec") == 0) {
            for (long i = 0; i < n; i++) open_cloexec();
        } else if (strcmp(cmd, "exec") == 0) {
            printf("ok exec\n");
            execl("/proc/self/exe", argv[0], "--after-exec", (char *) NULL);
            printf("err exec failed\n");
            continue;
        } else if (strcmp(cmd, "count") == 0) {
            printf("ok %d\n", count_fds());
            continue;
        } else if (strcmp(cmd, "quit") == 0) {
            printf("ok bye\n");
            return 0;
        } else {
            printf("err unknown command '%s'\n", cmd);
            continue;
        }
        printf("ok %s\n", cmd);
    }
    return 0;
}
