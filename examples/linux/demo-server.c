/*
 * demo-server: a pretend request loop with two descriptor leaks, for `jhtrace demo`.
 *
 *   load_template()   opens a template file on every 3rd request and forgets to close it
 *   connect_backend() opens a socket on every 5th request and leaks it on its error path
 *   read_config()     opens and closes a file on every request (correct: must not be reported)
 *   make_pipe()       creates and closes a pipe on every request (correct: must not be reported)
 *
 * Usage: demo-server [seconds=3] [requests-per-second=50]
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int read_config(void) {
    char buf[64];
    int fd = open("/etc/hostname", O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, sizeof buf);
    close(fd);
    return (int) n;
}

static int load_template(int request) {
    int fd = open("/etc/passwd", O_RDONLY);
    if (fd < 0) return -1;
    if (request % 3 == 0) return fd;     /* the leak: the early return skips close() */
    close(fd);
    return 0;
}

static int connect_backend(int request) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0) return -1;
    if (request % 5 == 0) return -1;     /* the leak: "connection failed" path forgets the socket */
    close(s);
    return 0;
}

static void make_pipe(void) {
    int p[2];
    if (pipe(p) == 0) {
        close(p[0]);
        close(p[1]);
    }
}

static void handle_request(int request) {
    read_config();
    load_template(request);
    connect_backend(request);
    make_pipe();
}

int main(int argc, char **argv) {
    double seconds = argc > 1 ? atof(argv[1]) : 3.0;
    int rate = argc > 2 ? atoi(argv[2]) : 50;
    int requests = (int) (seconds * rate);
    struct timespec pause = {0, 1000000000L / (rate > 0 ? rate : 1)};
    for (int i = 1; i <= requests; i++) {
        handle_request(i);
        nanosleep(&pause, NULL);
    }
    printf("demo-server: handled %d requests\n", requests);
    return 0;
}
