/* signal_masks.c — sending signals (raise_signal, pthread_kill), thread
 * masks, sigpending and the synchronous waits. */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "signal_int.h"

int bt__signal_to_sigset(const bt_signal_set *in, sigset_t *out, bt_err *err)
{
    sigemptyset(out);
    if (in->has[0])
        return bt_err_setf(err, BT_EVALUE, -1,
                           "signal number 0 out of range [1; %d]",
                           BT_SIGNAL_NSIG - 1);
    for (int i = 1; i < BT_SIGNAL_NSIG; i++)
        if (in->has[i])
            (void)sigaddset(out, i); /* Python warns and skips EINVAL */
    return 0;
}

void bt__signal_from_sigset(const sigset_t *in, bt_signal_set *out)
{
    out->has[0] = false;
    for (int i = 1; i < BT_SIGNAL_NSIG; i++)
        out->has[i] = sigismember(in, i) == 1;
}

int bt_signal_raise_signal(int signum, bt_err *err)
{
    if (raise(signum) != 0)
        return bt_err_oserror(err, -errno, NULL, NULL);
    return bt_signal_check_signals(err);
}

int bt_signal_pthread_kill(unsigned long thread_id, int signum, bt_err *err)
{
    int rc = pthread_kill((pthread_t)thread_id, signum);
    if (rc != 0)
        return bt_err_oserror(err, -rc, NULL, NULL);
    return bt_signal_check_signals(err);
}

int bt_signal_pthread_sigmask(int how, const bt_signal_set *mask,
                              bt_signal_set *old, bt_err *err)
{
    sigset_t set, prev;
    if (mask) {
        int rc = bt__signal_to_sigset(mask, &set, err);
        if (rc < 0)
            return rc;
    }
    int rc = pthread_sigmask(how, mask ? &set : NULL, &prev);
    if (rc != 0)
        return bt_err_oserror(err, -rc, NULL, NULL);
    if (old)
        bt__signal_from_sigset(&prev, old);
    /* Unblocking may have delivered signals: run their handlers now. */
    return bt_signal_check_signals(err);
}

int bt_signal_sigpending(bt_signal_set *out, bt_err *err)
{
    sigset_t set;
    if (sigpending(&set) < 0)
        return bt_err_oserror(err, -errno, NULL, NULL);
    bt__signal_from_sigset(&set, out);
    return 0;
}

int bt_signal_sigwait(const bt_signal_set *mask, bt_err *err)
{
    sigset_t set;
    int rc = bt__signal_to_sigset(mask, &set, err);
    if (rc < 0)
        return rc;
    int signum;
    rc = sigwait(&set, &signum);
    if (rc != 0)
        return bt_err_oserror(err, -rc, NULL, NULL);
    return signum;
}

static void fill_siginfo(const siginfo_t *si, bt_signal_siginfo *info)
{
    if (!info)
        return;
    info->signo = si->si_signo;
    info->code = si->si_code;
    info->error = si->si_errno;
    info->pid = (int)si->si_pid;
    info->uid = (unsigned int)si->si_uid;
    info->status = si->si_status;
    info->band = (long)si->si_band;
}

int bt_signal_sigwaitinfo(const bt_signal_set *mask, bt_signal_siginfo *info,
                          bt_err *err)
{
    sigset_t set;
    int rc = bt__signal_to_sigset(mask, &set, err);
    if (rc < 0)
        return rc;
    siginfo_t si;
    for (;;) {
        int signum = sigwaitinfo(&set, &si);
        if (signum >= 0) {
            fill_siginfo(&si, info);
            return signum;
        }
        if (errno != EINTR)
            return bt_err_oserror(err, -errno, NULL, NULL);
        rc = bt_signal_check_signals(err);
        if (rc < 0)
            return rc;
    }
}

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int bt_signal_sigtimedwait(const bt_signal_set *mask, double timeout,
                           bt_signal_siginfo *info, bt_err *err)
{
    int64_t ns;
    int rc = bt__signal_seconds_to_ns(timeout, &ns, err);
    if (rc < 0)
        return rc;
    if (ns < 0)
        return bt_err_setf(err, BT_EVALUE, -1, "timeout must be non-negative");
    sigset_t set;
    rc = bt__signal_to_sigset(mask, &set, err);
    if (rc < 0)
        return rc;
    int64_t now = monotonic_ns();
    int64_t deadline = ns > INT64_MAX - now ? INT64_MAX : now + ns;
    siginfo_t si;
    for (;;) {
        struct timespec ts = {(time_t)(ns / 1000000000),
                              (long)(ns % 1000000000)};
        if (sigtimedwait(&set, &si, &ts) >= 0) {
            fill_siginfo(&si, info);
            return 1;
        }
        if (errno == EAGAIN)
            return 0;
        if (errno != EINTR)
            return bt_err_oserror(err, -errno, NULL, NULL);
        rc = bt_signal_check_signals(err);
        if (rc < 0)
            return rc;
        ns = deadline - monotonic_ns();
        if (ns < 0)
            return 0; /* Python returns a garbage siginfo here; None is meant */
    }
}
