/* drv_fnmatch.c — the C side of tests/oracle/fnmatch.py. */
#include <batteries/glob.h>

#include <stdio.h>
#include <string.h>

#include "drv_common.h"

static void run_case(const char *group, arg *args, size_t nargs)
{
    if (strcmp(group, "fnmatch") != 0 || nargs != 2) {
        printf("unknown case %s with %zu args\n", group, nargs);
        return;
    }
    /* Decoded in place: terminate each argument (the hex was longer). */
    args[0].p[args[0].n] = '\0';
    args[1].p[args[1].n] = '\0';
    printf("%d\n", bt_fnmatch_fnmatchcase(args[0].p, args[1].p) ? 1 : 0);
}

int main(void)
{
    return drv_main(run_case);
}
