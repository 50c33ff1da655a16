/*
 * convert_date — the notes' lab: turn an epoch timestamp into something
 * human readable, in UTC and in local time.
 *
 *   $ ./convert_date 1700000000
 *   1700000000 is Tuesday 14 November 2023, 22:13:20 UTC
 *     in local time (CET): Tuesday 14 November 2023, 23:13:20
 */
#include <stdio.h>
#include <stdlib.h>

#include <batteries/time.h>

static int show(const char *arg)
{
    char *end;
    double secs = strtod(arg, &end);
    bt_err err = BT_ERR_INIT;
    if (end == arg || *end) {
        fprintf(stderr, "convert_date: not a timestamp: '%s'\n", arg);
        return 1;
    }
    bt_time_struct_time utc, local;
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    const char *fmt = "%A %d %B %Y, %H:%M:%S";
    int rc = bt_time_gmtime(secs, &utc, &err);
    if (rc == 0)
        rc = bt_time_localtime(secs, &local, &err);
    if (rc == 0)
        rc = bt_time_strftime(&a, fmt, &utc, &err);
    if (rc == 0)
        rc = bt_time_strftime(&b, fmt, &local, &err);
    if (rc == 0) {
        printf("%s is %s UTC\n", arg, a.data);
        printf("  in local time (%s): %s\n", local.tm_zone, b.data);
    } else {
        fprintf(stderr, "convert_date: %s: %s\n", bt_errname(err.code), err.msg);
    }
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    return rc < 0;
}

int main(int argc, char **argv)
{
    int bad = 0;
    if (argc < 2) {
        fprintf(stderr, "usage: convert_date TIMESTAMP...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        bad |= show(argv[i]);
    return bad;
}
