/*
 * Opens and closes descriptors through io_uring, which no syscall tracepoint sees (the ring's worker makes them), beside
 * plain calls that are seen. Driven on stdin, as DrivenProcess expects:
 *   "round N": N times, open_leaked() opens /etc/hostname through the ring and keeps it, churn() opens one through the
 *              ring and closes it through the ring, then read_plain() opens and closes one with plain calls. The kernel
 *              gives each ring open the lowest free number, the one the plain close before it had just freed.
 */
#include <fcntl.h>
#include <liburing.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct io_uring ring;

static int ring_open(void) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    struct io_uring_cqe *cqe;
    io_uring_prep_openat(sqe, AT_FDCWD, "/etc/hostname", O_RDONLY, 0);
    io_uring_submit(&ring);
    if (io_uring_wait_cqe(&ring, &cqe) != 0) return -1;
    int fd = cqe->res;
    io_uring_cqe_seen(&ring, cqe);
    return fd;
}

static void ring_close(int fd) {
    struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
    struct io_uring_cqe *cqe;
    io_uring_prep_close(sqe, fd);
    io_uring_submit(&ring);
    if (io_uring_wait_cqe(&ring, &cqe) == 0) io_uring_cqe_seen(&ring, cqe);
}

static int kept[4096];
static int nkept;

static void open_leaked(void) {
    int fd = ring_open();
    if (fd >= 0 && nkept < 4096) kept[nkept++] = fd;
}

static void churn(void) {
    int fd = ring_open();
    if (fd >= 0) ring_close(fd);
}

static void read_plain(void) {
    char buf[64];
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0) return;
    if (read(fd, buf, sizeof buf) < 0) buf[0] = 0;
    close(fd);
}

int main(void) {
    char line[128];
    int n;
    if (io_uring_queue_init(8, &ring, 0) != 0) {
        printf("no io_uring\n");
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("ready\n");
    while (fgets(line, sizeof line, stdin)) {
        if (sscanf(line, "round %d", &n) == 1) {
            int before = nkept;
            for (int i = 0; i < n; i++) {
                open_leaked();
                churn();
                read_plain();
            }
            printf("ok %d\n", nkept - before);
        } else {
            printf("unknown: %s", line);
        }
    }
    return 0;
}
