/*
 * warmup-flat: a server that opens descriptors while it warms up, then holds a steady number, for
 * `jhtrace capture` tests: its handle count grows and then levels off, which is not a leak.
 *
 *   fill_cache()   opens one file per step during the warm-up and keeps it (a cache, bounded)
 *   serve()        opens and closes a file every 100 ms afterwards (correct churn)
 *
 * Usage: warmup-flat [cache-size=30] [warmup-ms=1500] [seconds=60]
 */
#include <fcntl.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

static int cache[4096];
static int cached;

static void fill_cache(void) {
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd >= 0 && cached < 4096) cache[cached++] = fd;
}

static void serve(void) {
    char buf[64];
    int fd = open("/etc/hostname", O_RDONLY);
    if (fd < 0) return;
    if (read(fd, buf, sizeof buf) < 0) buf[0] = 0;
    close(fd);
}

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
    int size = argc > 1 ? atoi(argv[1]) : 30;
    long warmup = argc > 2 ? atol(argv[2]) : 1500;
    long seconds = argc > 3 ? atol(argv[3]) : 60;
    if (size > 4096) size = 4096;
    long start = now_ms();
    struct timespec tick = {0, 100 * 1000000L};
    while (now_ms() - start < seconds * 1000L) {
        long elapsed = now_ms() - start;
        while (cached < size && (warmup <= 0 || cached < size * elapsed / warmup + 1)) fill_cache();
        serve();
        nanosleep(&tick, NULL);
    }
    return 0;
}
