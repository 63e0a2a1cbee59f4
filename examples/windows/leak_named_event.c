/* The same named event "created" in a loop. After the first call CreateEventW opens the existing
 * event (GetLastError() == ERROR_ALREADY_EXISTS) and returns a NEW handle every time: one object,
 * many handles, none closed. Task Manager shows the handle count climbing; !htrace shows one stack. */
#include "leak_common.h"

static HANDLE get_shutdown_event(void)
{
    return CreateEventW(NULL, TRUE, FALSE, L"Local\\jhtrace-example-shutdown");   /* <- leaks */
}

static int is_shutting_down(void)
{
    HANDLE event = get_shutdown_event();
    return event != NULL && WaitForSingleObject(event, 0) == WAIT_OBJECT_0;
}

int main(int argc, char **argv)
{
    int count = leak_arg(argc, argv, 1, 25);
    int hold = leak_arg(argc, argv, 2, 2000);
    int checks = 0;
    for (int i = 0; i < count; i++) {
        if (is_shutting_down()) break;
        checks++;
        HANDLE scratch = CreateEventW(NULL, FALSE, FALSE, NULL);   /* balanced: not a leak */
        if (scratch != NULL) CloseHandle(scratch);
    }
    leak_hold(hold, checks);
    return 0;
}
