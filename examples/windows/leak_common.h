/* Shared by the leaky examples: argument parsing and the hold before exit.
 * Usage of every example: <name>.exe [count] [hold-ms]
 *   count    handles to leak (default 25)
 *   hold-ms  how long to keep running with the leaked handles open before exiting (default 2000),
 *            so that a tracer reading the handle trace periodically sees every operation. */
#ifndef LEAK_COMMON_H
#define LEAK_COMMON_H

#include <windows.h>
#include <stdio.h>
#include <stdlib.h>

static int leak_arg(int argc, char **argv, int index, int fallback)
{
    if (argc <= index) return fallback;
    char *end = NULL;
    long v = strtol(argv[index], &end, 10);
    if (end == argv[index] || *end != '\0' || v < 0 || v > 1000000) {
        fprintf(stderr, "usage: %s [count] [hold-ms]\n", argv[0]);
        exit(2);
    }
    return (int)v;
}

static void leak_hold(int hold_ms, int leaked)
{
    printf("leaked %d handles; process %lu holds them for %d ms\n", leaked, GetCurrentProcessId(), hold_ms);
    fflush(stdout);
    Sleep((DWORD)hold_ms);
}

#endif
