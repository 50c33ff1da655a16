/*
 * batteries/time.h — Python's time module: clocks, sleep, and broken-down
 * time (struct_time) with gmtime, localtime, mktime, strftime, asctime and
 * ctime, as CPython 3.11 on Linux. Always include it as <batteries/time.h>.
 *
 * Seconds are doubles, as Python's floats; every clock also has an _ns form
 * returning int64_t nanoseconds, as Python's time_ns() family.
 */
#ifndef BATTERIES_TIME_H
#define BATTERIES_TIME_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Python's time.struct_time, with Python's conventions, not C's struct tm:
 * tm_year is the full year (2024), tm_mon 1..12, tm_wday 0 = Monday,
 * tm_yday 1..366. tm_zone is the zone abbreviation ("CET", "UTC").
 */
typedef struct bt_time_struct_time {
    int tm_year;
    int tm_mon;
    int tm_mday;
    int tm_hour;
    int tm_min;
    int tm_sec;
    int tm_wday;
    int tm_yday;
    int tm_isdst;
    long tm_gmtoff;
    char tm_zone[16];
} bt_time_struct_time;

/**
 * Seconds since the Epoch, from the real-time clock.
 *
 * Python: time.time(), time.time_ns().
 * Returns: the time (never fails on Linux).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API double bt_time_time(void);
BT_API int64_t bt_time_time_ns(void);

/**
 * A clock that never goes backwards (CLOCK_MONOTONIC), for timeouts and
 * intervals; perf_counter is the same clock, as in CPython on Linux.
 *
 * Python: time.monotonic(), time.monotonic_ns(), time.perf_counter(),
 *   time.perf_counter_ns().
 * Returns: seconds (or nanoseconds) from an unspecified start.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API double bt_time_monotonic(void);
BT_API int64_t bt_time_monotonic_ns(void);
BT_API double bt_time_perf_counter(void);
BT_API int64_t bt_time_perf_counter_ns(void);

/**
 * CPU time of the process (all threads) or of the calling thread, system
 * plus user, sleeping excluded.
 *
 * Python: time.process_time(), time.process_time_ns(), time.thread_time(),
 *   time.thread_time_ns().
 * Returns: seconds (or nanoseconds) of CPU time.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API double bt_time_process_time(void);
BT_API int64_t bt_time_process_time_ns(void);
BT_API double bt_time_thread_time(void);
BT_API int64_t bt_time_thread_time_ns(void);

/**
 * Suspends the calling thread for secs seconds. A signal that interrupts
 * it does not cut the sleep short: it resumes for the time remaining,
 * against a monotonic deadline (PEP 475). On the main thread the handlers
 * set with bt_signal_signal run there (bt_signal_check_signals), as
 * Python's sleep runs them, and one that fails ends the sleep.
 *
 * Python: time.sleep(secs).
 * Returns: 0, or BT_EVALUE ("sleep length must be non-negative", "Invalid
 *   value NaN (not a number)"), or BT_EOVERFLOWERR ("timestamp out of
 *   range for platform time_t": over 2**63 nanoseconds), or the code of a
 *   signal handler that failed (BT_EINTERRUPT for KeyboardInterrupt).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_time_sleep(double secs, bt_err *err);

/**
 * Converts seconds since the Epoch to UTC (gmtime) or to local time
 * (localtime, following TZ). secs is rounded down to a whole second, as
 * Python does.
 *
 * Python: time.gmtime(secs), time.localtime(secs).
 * Returns: 0 and *out, or BT_EVALUE ("Invalid value NaN (not a number)"),
 *   BT_EOVERFLOWERR ("timestamp out of range for platform time_t"), or
 *   -EOVERFLOW when the year does not fit ("[Errno 75] Value too large for
 *   defined data type").
 * Ownership: out is the caller's.
 * Thread safety: safe (uses the _r functions), but localtime reads TZ as
 *   last set by bt_time_tzset.
 */
BT_API int bt_time_gmtime(double secs, bt_time_struct_time *out, bt_err *err);
BT_API int bt_time_localtime(double secs, bt_time_struct_time *out,
                             bt_err *err);

/**
 * The inverse of localtime: seconds since the Epoch of a local time. tm_wday
 * and tm_yday are ignored; fields out of range are normalized as C's mktime
 * does; tm_isdst -1 lets the library decide.
 *
 * Python: time.mktime(t).
 * Returns: 0 and *secs, or BT_EOVERFLOWERR ("mktime argument out of range").
 * Ownership: t is borrowed.
 * Thread safety: safe.
 */
BT_API int bt_time_mktime(const bt_time_struct_time *t, double *secs,
                          bt_err *err);

/**
 * Appends t formatted with a strftime format (the C library's directives,
 * in the current locale) to out. Zero in tm_mon, tm_mday or tm_yday stands
 * for the first value, as in Python.
 *
 * Python: time.strftime(format, t).
 * Returns: 0, BT_EVALUE with Python's message ("month out of range", "day of
 *   month out of range", "hour out of range", "minute out of range",
 *   "seconds out of range", "day of week out of range", "day of year out of
 *   range"), or BT_ENOMEM.
 * Ownership: format and t are borrowed; out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_time_strftime(bt_buf *out, const char *format,
                            const bt_time_struct_time *t, bt_err *err);

/**
 * Appends t as a 24-character string, "Sun Jun 20 23:21:05 1993", to out
 * (asctime); ctime does the same for localtime(secs).
 *
 * Python: time.asctime(t), time.ctime(secs).
 * Returns: 0, or the errors of bt_time_strftime (asctime) and
 *   bt_time_localtime (ctime), or BT_ENOMEM.
 * Ownership: out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_time_asctime(bt_buf *out, const bt_time_struct_time *t,
                           bt_err *err);
BT_API int bt_time_ctime(bt_buf *out, double secs, bt_err *err);

/**
 * Re-reads TZ and recomputes the zone values below, as Python's tzset().
 * They are computed on first use without it.
 *
 * Python: time.tzset().
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: not safe against concurrent localtime, mktime or zone
 *   queries (it changes process-wide state, as in C).
 */
BT_API void bt_time_tzset(void);

/**
 * The local zone's offsets west of UTC in seconds, without (timezone) and
 * with (altzone) daylight saving time, whether the zone has DST
 * (daylight), and the names of both (tzname(0), tzname(1)).
 *
 * Python: time.timezone, time.altzone, time.daylight, time.tzname.
 * Returns: the value; tzname of anything but 0 or 1 is "".
 * Ownership: tzname's string is static, valid until the next bt_time_tzset.
 * Thread safety: safe after the first call (see bt_time_tzset).
 */
BT_API long bt_time_timezone(void);
BT_API long bt_time_altzone(void);
BT_API int bt_time_daylight(void);
BT_API const char *bt_time_tzname(int i);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_TIME_H */
