/* Writes the descriptors it holds (but the listing's own) to the file OUT, one a line, and exits holding them. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    int fds[4096];
    int n = 0;
    DIR *dir = opendir("/proc/self/fd");
    if (!dir) return 2;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < 4096) {
        if (e->d_name[0] == '.') continue;
        int fd = atoi(e->d_name);
        if (fd != dirfd(dir)) fds[n++] = fd;
    }
    closedir(dir);
    FILE *out = fopen(argv[1], "w");
    if (!out) return 2;
    for (int i = 0; i < n; i++) fprintf(out, "%d\n", fds[i]);
    fclose(out);
    return 0;
}
