/* version.c — the library's version at run time. */
#include <batteries/core.h>

const char *bt_version(void)
{
    return BT_VERSION_STRING;
}

int bt_version_number(void)
{
    return BT_VERSION_NUMBER;
}
