/*
 * tm.c — broken-down time as Python's struct_time: conversions, checks and
 * messages as CPython 3.11's timemodule.c (gettmarg, checktm, asctime).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <batteries/time.h>

#include "core_int.h"

/* Python's float -> time_t: NaN and out-of-range refused, then floor. */
static int to_time_t(double secs, time_t *out, bt_err *err)
{
    if (isnan(secs))
        return bt_err_setf(err, BT_EVALUE, -1, "Invalid value NaN (not a number)");
    double f = floor(secs);
    if (!(f >= -0x1p63 && f < 0x1p63))
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "timestamp out of range for platform time_t");
    *out = (time_t)f;
    return 0;
}

static void from_tm(const struct tm *tm, bt_time_struct_time *out)
{
    out->tm_year = tm->tm_year + 1900;
    out->tm_mon = tm->tm_mon + 1;
    out->tm_mday = tm->tm_mday;
    out->tm_hour = tm->tm_hour;
    out->tm_min = tm->tm_min;
    out->tm_sec = tm->tm_sec;
    out->tm_wday = (tm->tm_wday + 6) % 7; /* C: Sunday 0; Python: Monday 0 */
    out->tm_yday = tm->tm_yday + 1;
    out->tm_isdst = tm->tm_isdst;
    out->tm_gmtoff = tm->tm_gmtoff;
    snprintf(out->tm_zone, sizeof out->tm_zone, "%s", tm->tm_zone ? tm->tm_zone : "");
}

/* Python's gettmarg: struct_time to struct tm (no range checks). */
static void to_tm(const bt_time_struct_time *t, struct tm *tm)
{
    memset(tm, 0, sizeof *tm);
    tm->tm_year = t->tm_year - 1900;
    tm->tm_mon = t->tm_mon - 1;
    tm->tm_mday = t->tm_mday;
    tm->tm_hour = t->tm_hour;
    tm->tm_min = t->tm_min;
    tm->tm_sec = t->tm_sec;
    tm->tm_wday = (t->tm_wday + 1) % 7;
    tm->tm_yday = t->tm_yday - 1;
    tm->tm_isdst = t->tm_isdst;
    tm->tm_gmtoff = t->tm_gmtoff;
    tm->tm_zone = t->tm_zone;
}

/* Python's checktm: the ranges strftime and asctime index tables with;
 * zero stands for the first month, day and day of the year. */
static int check_tm(struct tm *tm, bt_err *err)
{
    if (tm->tm_mon == -1)
        tm->tm_mon = 0;
    else if (tm->tm_mon < 0 || tm->tm_mon > 11)
        return bt_err_setf(err, BT_EVALUE, -1, "month out of range");
    if (tm->tm_mday == 0)
        tm->tm_mday = 1;
    else if (tm->tm_mday < 0 || tm->tm_mday > 31)
        return bt_err_setf(err, BT_EVALUE, -1, "day of month out of range");
    if (tm->tm_hour < 0 || tm->tm_hour > 23)
        return bt_err_setf(err, BT_EVALUE, -1, "hour out of range");
    if (tm->tm_min < 0 || tm->tm_min > 59)
        return bt_err_setf(err, BT_EVALUE, -1, "minute out of range");
    if (tm->tm_sec < 0 || tm->tm_sec > 61)
        return bt_err_setf(err, BT_EVALUE, -1, "seconds out of range");
    if (tm->tm_wday < 0)
        return bt_err_setf(err, BT_EVALUE, -1, "day of week out of range");
    if (tm->tm_yday == -1)
        tm->tm_yday = 0;
    else if (tm->tm_yday < 0 || tm->tm_yday > 365)
        return bt_err_setf(err, BT_EVALUE, -1, "day of year out of range");
    return 0;
}

/* gmtime and localtime: the same conversion through gmtime_r or localtime_r. */
static int convert(double secs, bt_time_struct_time *out, bt_err *err,
                   struct tm *(*fn)(const time_t *, struct tm *))
{
    time_t t;
    int rc = to_time_t(secs, &t, err);
    if (rc < 0)
        return rc;
    struct tm tm;
    errno = 0;
    if (!fn(&t, &tm))
        return bt_err_oserror(err, errno ? -errno : BT_EOVERFLOW, NULL, NULL);
    from_tm(&tm, out);
    return 0;
}

int bt_time_gmtime(double secs, bt_time_struct_time *out, bt_err *err)
{
    return convert(secs, out, err, gmtime_r);
}

int bt_time_localtime(double secs, bt_time_struct_time *out, bt_err *err)
{
    return convert(secs, out, err, localtime_r);
}

int bt_time_mktime(const bt_time_struct_time *t, double *secs, bt_err *err)
{
    struct tm tm;
    to_tm(t, &tm);
    /* -1 is also a valid result: the untouched sentinel tells them apart. */
    tm.tm_wday = -1;
    time_t r = mktime(&tm);
    if (r == (time_t)-1 && tm.tm_wday == -1)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "mktime argument out of range");
    *secs = (double)r;
    return 0;
}

int bt_time_strftime(bt_buf *out, const char *format, const bt_time_struct_time *t,
                     bt_err *err)
{
    struct tm tm;
    to_tm(t, &tm);
    int rc = check_tm(&tm, err);
    if (rc < 0)
        return rc;
    /* Some formats (%Z) index by isdst: keep it in [-1, 1] as Python does. */
    tm.tm_isdst = tm.tm_isdst < -1 ? -1 : tm.tm_isdst > 1 ? 1 : tm.tm_isdst;
    if (!*format)
        return bt_buf_reserve(out, 0);
    /* strftime gives 0 both for "too small" and for an empty result: grow
     * until the room is far beyond what the format could need, as CPython. */
    size_t fmtlen = strlen(format);
    for (size_t room = 256 + fmtlen;; room *= 2) {
        if (bt_buf_reserve(out, room) < 0)
            return BT_ENOMEM;
        size_t k = strftime(out->data + out->len, room, format, &tm);
        if (k > 0 || room > 256 * fmtlen) {
            out->len += k;
            out->data[out->len] = '\0';
            return 0;
        }
    }
}

int bt_time_asctime(bt_buf *out, const bt_time_struct_time *t, bt_err *err)
{
    static const char wday[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    struct tm tm;
    to_tm(t, &tm);
    int rc = check_tm(&tm, err);
    if (rc < 0)
        return rc;
    return bt_buf_printf(out, "%s %s%3d %.2d:%.2d:%.2d %d", wday[tm.tm_wday], mon[tm.tm_mon],
                         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, 1900 + tm.tm_year);
}

int bt_time_ctime(bt_buf *out, double secs, bt_err *err)
{
    bt_time_struct_time t;
    int rc = bt_time_localtime(secs, &t, err);
    return rc < 0 ? rc : bt_time_asctime(out, &t, err);
}

/* The zone values, as CPython's init_timezone computes them: the offsets of
 * January and July of the current year, swapped in the southern hemisphere. */
static struct {
    long timezone, altzone;
    int daylight;
    char names[2][16];
} zone;
static pthread_once_t zone_once = PTHREAD_ONCE_INIT;

static void compute_zone(void)
{
    const time_t year = (365 * 24 + 6) * 3600;
    time_t t = (time(NULL) / year) * year;
    struct tm jan, jul;
    localtime_r(&t, &jan);
    t += year / 2;
    localtime_r(&t, &jul);
    long janzone = -jan.tm_gmtoff, julzone = -jul.tm_gmtoff;
    const struct tm *std = &jan, *dst = &jul;
    if (janzone < julzone) {
        /* DST is reversed in the southern hemisphere. */
        std = &jul;
        dst = &jan;
    }
    zone.timezone = -std->tm_gmtoff;
    zone.altzone = -dst->tm_gmtoff;
    zone.daylight = janzone != julzone;
    snprintf(zone.names[0], sizeof zone.names[0], "%s", std->tm_zone ? std->tm_zone : "");
    snprintf(zone.names[1], sizeof zone.names[1], "%s", dst->tm_zone ? dst->tm_zone : "");
}

static void init_zone(void)
{
    tzset();
    compute_zone();
}

void bt_time_tzset(void)
{
    pthread_once(&zone_once, init_zone);
    tzset();
    compute_zone();
}

long bt_time_timezone(void)
{
    pthread_once(&zone_once, init_zone);
    return zone.timezone;
}

long bt_time_altzone(void)
{
    pthread_once(&zone_once, init_zone);
    return zone.altzone;
}

int bt_time_daylight(void)
{
    pthread_once(&zone_once, init_zone);
    return zone.daylight;
}

const char *bt_time_tzname(int i)
{
    pthread_once(&zone_once, init_zone);
    return i == 0 || i == 1 ? zone.names[i] : "";
}
