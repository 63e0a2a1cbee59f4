/* Registry keys opened and never closed (RegCloseKey forgotten on the success path). */
#include "leak_common.h"

static DWORD read_setting(void)
{
    HKEY key = NULL;
    DWORD value = 0, size = sizeof(value);
    if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software\\Microsoft\\Windows\\CurrentVersion\\Explorer",   /* <- leaks */
                      0, KEY_READ, &key) != ERROR_SUCCESS) {
        return 0;
    }
    if (RegQueryValueExW(key, L"ShellState", NULL, NULL, (BYTE *)&value, &size) != ERROR_SUCCESS) {
        RegCloseKey(key);   /* closed on the error path only */
        return 0;
    }
    return value;
}

int main(int argc, char **argv)
{
    int count = leak_arg(argc, argv, 1, 25);
    int hold = leak_arg(argc, argv, 2, 2000);
    for (int i = 0; i < count; i++) {
        read_setting();
        HKEY balanced = NULL;
        if (RegOpenKeyExW(HKEY_CURRENT_USER, L"Software", 0, KEY_READ, &balanced) == ERROR_SUCCESS) RegCloseKey(balanced);
    }
    leak_hold(hold, count);
    return 0;
}
