/* Access tokens opened to check a privilege and never closed, as in the w3wp !htrace walkthrough. */
#include "leak_common.h"

static BOOL has_privilege(const wchar_t *name)
{
    HANDLE token = NULL;
    if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &token)) return FALSE;   /* <- leaks */
    LUID luid;
    if (!LookupPrivilegeValueW(NULL, name, &luid)) return FALSE;
    PRIVILEGE_SET set;
    set.PrivilegeCount = 1;
    set.Control = PRIVILEGE_SET_ALL_NECESSARY;
    set.Privilege[0].Luid = luid;
    set.Privilege[0].Attributes = SE_PRIVILEGE_ENABLED;
    BOOL result = FALSE;
    PrivilegeCheck(token, &set, &result);
    return result;
}

int main(int argc, char **argv)
{
    int count = leak_arg(argc, argv, 1, 25);
    int hold = leak_arg(argc, argv, 2, 2000);
    int granted = 0;
    for (int i = 0; i < count; i++) {
        granted += has_privilege(L"SeChangeNotifyPrivilege") ? 1 : 0;
        HANDLE balanced = NULL;
        if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &balanced)) CloseHandle(balanced);
    }
    printf("privilege granted %d times\n", granted);
    leak_hold(hold, count);
    return 0;
}
