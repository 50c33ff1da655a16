/* time against CPython (tests/time/vectors, from tools/gen_vectors/time.py). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/time.h>

#include "bt_test.h"

static void set_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    bt_time_tzset();
}

/* "year mon mday hour min sec wday yday isdst gmtoff zone" */
static void parse_struct(const char *text, bt_time_struct_time *t)
{
    char zone[16];
    memset(t, 0, sizeof *t);
    int n = sscanf(text, "%d %d %d %d %d %d %d %d %d %ld %15s", &t->tm_year, &t->tm_mon,
                   &t->tm_mday, &t->tm_hour, &t->tm_min, &t->tm_sec, &t->tm_wday, &t->tm_yday,
                   &t->tm_isdst, &t->tm_gmtoff, zone);
    cr_assert_eq(n, 11, "bad struct %s", text);
    snprintf(t->tm_zone, sizeof t->tm_zone, "%s", strcmp(zone, "-") ? zone : "");
}

static void expect_struct(const bt_time_struct_time *got, const char *want, const char *ctx)
{
    bt_time_struct_time w;
    parse_struct(want, &w);
    cr_expect(got->tm_year == w.tm_year && got->tm_mon == w.tm_mon &&
                  got->tm_mday == w.tm_mday && got->tm_hour == w.tm_hour &&
                  got->tm_min == w.tm_min && got->tm_sec == w.tm_sec &&
                  got->tm_wday == w.tm_wday && got->tm_yday == w.tm_yday &&
                  got->tm_isdst == w.tm_isdst && got->tm_gmtoff == w.tm_gmtoff &&
                  strcmp(got->tm_zone, w.tm_zone) == 0,
              "%s: got %d %d %d %d %d %d %d %d %d %ld %s, want %s", ctx, got->tm_year,
              got->tm_mon, got->tm_mday, got->tm_hour, got->tm_min, got->tm_sec, got->tm_wday,
              got->tm_yday, got->tm_isdst, got->tm_gmtoff, got->tm_zone, want);
}

static int code_for(const char *exc)
{
    if (strcmp(exc, "ValueError") == 0)
        return BT_EVALUE;
    if (strcmp(exc, "OverflowError") == 0)
        return BT_EOVERFLOWERR;
    if (strcmp(exc, "OSError") == 0)
        return BT_EOVERFLOW; /* the only OSError these functions give */
    cr_assert_fail("unexpected exception %s", exc);
    return 0;
}

static void conversions(const char *name,
                        int (*fn)(double, bt_time_struct_time *, bt_err *))
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "time", name);
    while (bt_test_vectors_next(&v, f) > 0) {
        set_zone(f[0]);
        double secs = strtod(f[1], NULL);
        bt_time_struct_time t;
        bt_err err = BT_ERR_INIT;
        int rc = fn(secs, &t, &err);
        char ctx[96];
        snprintf(ctx, sizeof ctx, "%s(%s) TZ=%s", name, f[1], f[0]);
        if (strcmp(f[2], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s: %s", ctx, err.msg);
            if (rc == 0)
                expect_struct(&t, f[3], ctx);
        } else {
            cr_expect_eq(rc, code_for(f[3]), "%s", ctx);
            cr_expect_str_eq(err.msg, f[4], "%s", ctx);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 20);
}

Test(time, gmtime_matches_cpython)
{
    conversions("gmtime", bt_time_gmtime);
}

Test(time, localtime_matches_cpython)
{
    conversions("localtime", bt_time_localtime);
}

Test(time, mktime_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "time", "mktime");
    while (bt_test_vectors_next(&v, f) > 0) {
        set_zone(f[0]);
        char full[128];
        snprintf(full, sizeof full, "%s 0 -", f[1]);
        bt_time_struct_time t;
        parse_struct(full, &t);
        double secs = 0;
        bt_err err = BT_ERR_INIT;
        int rc = bt_time_mktime(&t, &secs, &err);
        if (strcmp(f[2], "ok") == 0) {
            cr_expect_eq(rc, 0, "mktime(%s): %s", f[1], err.msg);
            cr_expect_eq(secs, strtod(f[3], NULL), "mktime(%s) TZ=%s: %.1f want %s", f[1], f[0],
                         secs, f[3]);
        } else {
            cr_expect_eq(rc, code_for(f[3]));
            cr_expect_str_eq(err.msg, f[4]);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 50);
}

Test(time, strftime_asctime_ctime_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    set_zone("Europe/Paris");
    bt_test_vectors_open(&v, "time", "format");
    while (bt_test_vectors_next(&v, f) > 0) {
        bt_buf out = BT_BUF_INIT;
        bt_err err = BT_ERR_INIT;
        int rc;
        bool hex_result = false;
        if (strcmp(f[0], "ctime") == 0) {
            rc = bt_time_ctime(&out, strtod(f[1], NULL), &err);
        } else {
            bt_time_struct_time t;
            parse_struct(f[1], &t);
            if (strcmp(f[0], "asctime") == 0) {
                rc = bt_time_asctime(&out, &t, &err);
            } else {
                size_t n;
                char *fmt = bt_test_unhex(f[0], &n);
                rc = bt_time_strftime(&out, fmt, &t, &err);
                free(fmt);
                hex_result = true;
            }
        }
        if (strcmp(f[2], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s %s: %s", f[0], f[1], err.msg);
            size_t wn = strlen(f[3]);
            char *want = hex_result ? bt_test_unhex(f[3], &wn) : strdup(f[3]);
            cr_expect_eq(out.len, wn, "%s %s: got '%s' want '%s'", f[0], f[1],
                         out.data ? out.data : "", want);
            if (out.len == wn && wn)
                cr_expect_eq(memcmp(out.data, want, wn), 0, "%s %s: got '%s' want '%s'", f[0],
                             f[1], out.data, want);
            free(want);
        } else {
            cr_expect_eq(rc, code_for(f[3]), "%s %s", f[0], f[1]);
            cr_expect_str_eq(err.msg, f[4], "%s %s", f[0], f[1]);
        }
        bt_buf_fini(&out);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 300);
}

Test(time, zone_values_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "time", "zone");
    while (bt_test_vectors_next(&v, f) == 6) {
        set_zone(f[0]);
        cr_expect_eq(bt_time_timezone(), atol(f[1]), "TZ=%s", f[0]);
        cr_expect_eq(bt_time_altzone(), atol(f[2]), "TZ=%s", f[0]);
        cr_expect_eq(bt_time_daylight(), atoi(f[3]), "TZ=%s", f[0]);
        cr_expect_str_eq(bt_time_tzname(0), f[4], "TZ=%s", f[0]);
        cr_expect_str_eq(bt_time_tzname(1), f[5], "TZ=%s", f[0]);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_eq(bt_time_tzname(2)[0], '\0');
    cr_assert_gt(cases, 4);
}

Test(time, sleep_errors_match_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    bt_test_vectors_open(&v, "time", "sleep");
    while (bt_test_vectors_next(&v, f) > 0) {
        bt_err err = BT_ERR_INIT;
        cr_assert_str_eq(f[1], "err", "the vectors only hold invalid sleeps");
        cr_expect_eq(bt_time_sleep(strtod(f[0], NULL), &err), code_for(f[2]), "sleep(%s)", f[0]);
        cr_expect_str_eq(err.msg, f[3], "sleep(%s)", f[0]);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 4);
}
