/* clock.c — the clocks and sleep of Python's time module. */
#include <math.h>
#include <time.h>

#include <batteries/signal.h>
#include <unistd.h>
#include <batteries/time.h>

#include "core_int.h"

static int64_t clock_ns(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

double bt_time_time(void) { return clock_s(CLOCK_REALTIME); }
int64_t bt_time_time_ns(void) { return clock_ns(CLOCK_REALTIME); }
double bt_time_monotonic(void) { return clock_s(CLOCK_MONOTONIC); }
int64_t bt_time_monotonic_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
double bt_time_perf_counter(void) { return clock_s(CLOCK_MONOTONIC); }
int64_t bt_time_perf_counter_ns(void) { return clock_ns(CLOCK_MONOTONIC); }
double bt_time_process_time(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }
int64_t bt_time_process_time_ns(void) { return clock_ns(CLOCK_PROCESS_CPUTIME_ID); }
double bt_time_thread_time(void) { return clock_s(CLOCK_THREAD_CPUTIME_ID); }
int64_t bt_time_thread_time_ns(void) { return clock_ns(CLOCK_THREAD_CPUTIME_ID); }

int bt_time_sleep(double secs, bt_err *err)
{
    if (isnan(secs))
        return bt_err_setf(err, BT_EVALUE, -1, "Invalid value NaN (not a number)");
    if (secs < 0)
        return bt_err_setf(err, BT_EVALUE, -1, "sleep length must be non-negative");
    /* CPython keeps durations as int64 nanoseconds. */
    if (secs * 1e9 >= 0x1p63)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "timestamp out of range for platform time_t");
    /* An absolute deadline: after EINTR the sleep goes on for what is left. */
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    double whole = floor(secs);
    int64_t ns = (int64_t)deadline.tv_nsec + (int64_t)((secs - whole) * 1e9);
    deadline.tv_sec += (time_t)whole + (time_t)(ns / 1000000000);
    deadline.tv_nsec = (long)(ns % 1000000000);
    int rc;
    while ((rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, NULL)) == EINTR) {
        /* Python runs the signal handlers here, on the main thread only, and
         * a handler that raises ends the sleep with its exception. */
        if (gettid() == getpid()) {
            int hrc = bt_signal_check_signals(err);
            if (hrc < 0)
                return hrc;
        }
    }
    return rc ? bt_err_oserror(err, -rc, NULL, NULL) : 0;
}
