/* wait.c — timeouts as CPython reads them, and waits on CLOCK_MONOTONIC. */
#include <errno.h>
#include <math.h>

#include "threading_int.h"

int bt__threading_check_timeout(double secs, bt_err *err)
{
    if (secs == BT_TIMEOUT_NONE)
        return 0;
    if (isnan(secs))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    /* CPython keeps times as signed 64-bit nanoseconds. */
    double ns = secs * 1e9;
    if (ns >= 0x1p63 || ns < -0x1p63)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "timestamp out of range for platform time_t");
    return 0;
}

void bt__threading_deadline(bt__deadline *d, double secs)
{
    d->forever = secs == BT_TIMEOUT_NONE || secs * 1e9 >= 0x1p63;
    if (d->forever)
        return;
    clock_gettime(CLOCK_MONOTONIC, &d->at);
    if (!(secs > 0))
        return;
    /* Rounded up: a wait never ends before the time asked for. */
    int64_t ns = (int64_t)ceil(secs * 1e9) + d->at.tv_nsec;
    d->at.tv_sec += (time_t)(ns / 1000000000);
    d->at.tv_nsec = (long)(ns % 1000000000);
}

bool bt__threading_expired(const bt__deadline *d)
{
    if (d->forever)
        return false;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > d->at.tv_sec ||
           (now.tv_sec == d->at.tv_sec && now.tv_nsec >= d->at.tv_nsec);
}

static pthread_condattr_t mono_attr;
static pthread_once_t mono_once = PTHREAD_ONCE_INIT;
static int mono_rc;

static void mono_init(void)
{
    mono_rc = pthread_condattr_init(&mono_attr);
    if (mono_rc == 0)
        mono_rc = pthread_condattr_setclock(&mono_attr, CLOCK_MONOTONIC);
}

int bt__threading_cond_init(pthread_cond_t *cv)
{
    pthread_once(&mono_once, mono_init);
    int rc = mono_rc ? mono_rc : pthread_cond_init(cv, &mono_attr);
    return -rc;
}

int bt__threading_mutex_init(pthread_mutex_t *mu)
{
    return -pthread_mutex_init(mu, NULL);
}

int bt__threading_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu,
                            const bt__deadline *d)
{
    /* Neither call returns EINTR: a signal handler runs and the wait goes on.
     */
    if (d->forever) {
        pthread_cond_wait(cv, mu);
        return 0;
    }
    return pthread_cond_timedwait(cv, mu, &d->at) == ETIMEDOUT ? ETIMEDOUT : 0;
}
