/* Files opened and never closed: the classic leak from the handle-leak blog posts.
 * Each call creates %TEMP%\jhtrace-leak-<pid>-<i>.txt and forgets the handle; one file per run
 * is closed properly, so the report shows only the leaking call site. */
#include "leak_common.h"

static HANDLE open_report_file(const wchar_t *dir, int i)
{
    wchar_t path[MAX_PATH];
    _snwprintf(path, MAX_PATH, L"%sjhtrace-leak-%lu-%d.txt", dir, GetCurrentProcessId(), i);
    path[MAX_PATH - 1] = L'\0';
    return CreateFileW(path, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS,
                       FILE_ATTRIBUTE_TEMPORARY | FILE_FLAG_DELETE_ON_CLOSE, NULL);
}

static int write_report(const wchar_t *dir, int i)
{
    HANDLE file = open_report_file(dir, i);          /* <- leaks: no CloseHandle below */
    if (file == INVALID_HANDLE_VALUE) return 0;
    DWORD written = 0;
    WriteFile(file, "report\r\n", 8, &written, NULL);
    return 1;
}

static void write_and_close(const wchar_t *dir)
{
    HANDLE file = open_report_file(dir, -1);
    if (file != INVALID_HANDLE_VALUE) CloseHandle(file);   /* balanced: not a leak */
}

int main(int argc, char **argv)
{
    int count = leak_arg(argc, argv, 1, 25);
    int hold = leak_arg(argc, argv, 2, 2000);
    wchar_t dir[MAX_PATH];
    if (GetTempPathW(MAX_PATH, dir) == 0) return 1;
    int leaked = 0;
    for (int i = 0; i < count; i++) {
        leaked += write_report(dir, i);
        write_and_close(dir);
    }
    leak_hold(hold, leaked);
    return 0;   /* FILE_FLAG_DELETE_ON_CLOSE removes the files when the process exits */
}
