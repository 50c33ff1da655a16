/* signal_timers.c — alarm, setitimer/getitimer and pause. */
#include <errno.h>
#include <math.h>
#include <sys/time.h>
#include <unistd.h>

#include "signal_int.h"

int bt__signal_seconds_to_ns(double seconds, int64_t *ns, bt_err *err)
{
    if (isnan(seconds))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    double d = ceil(seconds * 1e9);
    /* _Py_InIntegralTypeRange(_PyTime_t, d), without its edge case: 2**63
     * itself does not fit. */
    if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "timestamp out of range for platform time_t");
    *ns = (int64_t)d;
    return 0;
}

/* _PyTime_AsTimeval(..., ROUND_CEILING); tv_usec stays in [0, 1e6). */
static struct timeval ns_to_timeval(int64_t ns)
{
    int64_t us = ns / 1000;
    if (ns % 1000 > 0)
        us++;
    struct timeval tv = {(time_t)(us / 1000000), (suseconds_t)(us % 1000000)};
    if (tv.tv_usec < 0) {
        tv.tv_usec += 1000000;
        tv.tv_sec -= 1;
    }
    return tv;
}

static double timeval_seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec / 1000000.0;
}

unsigned int bt_signal_alarm(unsigned int seconds)
{
    return alarm(seconds);
}

int bt_signal_setitimer(int which, double seconds, double interval,
                        double *old_delay, double *old_interval, bt_err *err)
{
    int64_t value_ns, interval_ns;
    int rc = bt__signal_seconds_to_ns(seconds, &value_ns, err);
    if (rc < 0)
        return rc;
    rc = bt__signal_seconds_to_ns(interval, &interval_ns, err);
    if (rc < 0)
        return rc;
    struct itimerval nv = {ns_to_timeval(interval_ns), ns_to_timeval(value_ns)};
    struct itimerval ov;
    if (setitimer((__itimer_which_t)which, &nv, &ov) < 0)
        return bt_err_oserror(err, -errno, NULL, NULL);
    if (old_delay)
        *old_delay = timeval_seconds(&ov.it_value);
    if (old_interval)
        *old_interval = timeval_seconds(&ov.it_interval);
    return 0;
}

int bt_signal_getitimer(int which, double *delay, double *interval, bt_err *err)
{
    struct itimerval v;
    if (getitimer((__itimer_which_t)which, &v) < 0)
        return bt_err_oserror(err, -errno, NULL, NULL);
    if (delay)
        *delay = timeval_seconds(&v.it_value);
    if (interval)
        *interval = timeval_seconds(&v.it_interval);
    return 0;
}

int bt_signal_pause(bt_err *err)
{
    (void)pause();
    return bt_signal_check_signals(err);
}
