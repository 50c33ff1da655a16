/* test_timers.c — alarm and the interval timers firing (short, bounded),
 * pause, and sigtimedwait's timeouts. */
#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>
#include <unistd.h>

#include <batteries/signal.h>
#include <batteries/time.h>
#include <pthread.h>

static atomic_int fired[BT_SIGNAL_NSIG];

static int on_signal(int signum, void *ctx, bt_err *err)
{
    (void)ctx;
    (void)err;
    atomic_fetch_add(&fired[signum], 1);
    return 0;
}

static int refuse(int signum, void *ctx, bt_err *err)
{
    (void)ctx;
    atomic_fetch_add(&fired[signum], 1);
    return bt_err_setf(err, BT_EVALUE, -1, "no");
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

Test(signal_timers, alarm_fires_and_pause_dispatches)
{
    cr_assert_eq(bt_signal_signal(SIGALRM, on_signal, NULL, NULL, NULL), 0);
    cr_expect_eq(bt_signal_alarm(1), 0u, "no alarm before");
    double t0 = now();
    for (int i = 0; i < 20 && atomic_load(&fired[SIGALRM]) == 0; i++)
        cr_assert_eq(bt_signal_pause(NULL), 0);
    double dt = now() - t0;
    cr_expect_eq(atomic_load(&fired[SIGALRM]), 1);
    cr_expect(dt > 0.5 && dt < 5.0, "took %f s", dt);
    cr_expect_eq(bt_signal_alarm(0), 0u, "fired: nothing left");
}

Test(signal_timers, alarm_reports_the_previous_alarm)
{
    cr_expect_eq(bt_signal_alarm(100), 0u);
    unsigned int left = bt_signal_alarm(50);
    cr_expect(left == 100 || left == 99, "left %u", left);
    left = bt_signal_alarm(0);
    cr_expect(left == 50 || left == 49, "left %u", left);
}

Test(signal_timers, pause_returns_a_failing_handler)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGALRM, refuse, NULL, NULL, NULL), 0);
    cr_assert_eq(
        bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.01, 0, NULL, NULL, NULL),
        0);
    int rc = 0;
    for (int i = 0; i < 20 && rc == 0; i++)
        rc = bt_signal_pause(&err);
    cr_expect_eq(rc, BT_EVALUE);
    cr_expect_str_eq(err.msg, "no");
}

Test(signal_timers, setitimer_real_repeats)
{
    cr_assert_eq(bt_signal_signal(SIGALRM, on_signal, NULL, NULL, NULL), 0);
    double old_delay = -1, old_interval = -1;
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.005, 0.005,
                                     &old_delay, &old_interval, NULL),
                 0);
    cr_expect(old_delay == 0 && old_interval == 0);
    double t0 = now();
    while (atomic_load(&fired[SIGALRM]) < 5 && now() - t0 < 5) {
        bt_signal_pause(NULL);
    }
    cr_expect_geq(atomic_load(&fired[SIGALRM]), 5);
    double delay, interval;
    cr_assert_eq(
        bt_signal_getitimer(BT_SIGNAL_ITIMER_REAL, &delay, &interval, NULL), 0);
    cr_expect_eq(interval, 0.005);
    cr_expect(delay > 0 && delay <= 0.005, "delay %f", delay);
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0, 0, &old_delay,
                                     &old_interval, NULL),
                 0);
    cr_expect_eq(old_interval, 0.005);
    cr_assert_eq(
        bt_signal_getitimer(BT_SIGNAL_ITIMER_REAL, &delay, &interval, NULL), 0);
    cr_expect(delay == 0 && interval == 0);
}

/* VIRTUAL and PROF count CPU time: burn it until the signal comes. */
static void burn_until(int signum)
{
    volatile double x = 0;
    double t0 = now();
    while (atomic_load(&fired[signum]) == 0 && now() - t0 < 5) {
        for (int i = 0; i < 100000; i++)
            x += i;
        bt_signal_check_signals(NULL);
    }
}

Test(signal_timers, setitimer_virtual_and_prof)
{
    cr_assert_eq(bt_signal_signal(SIGVTALRM, on_signal, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_signal(SIGPROF, on_signal, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_VIRTUAL, 0.01, 0, NULL,
                                     NULL, NULL),
                 0);
    burn_until(SIGVTALRM);
    cr_expect_eq(atomic_load(&fired[SIGVTALRM]), 1);
    cr_assert_eq(
        bt_signal_setitimer(BT_SIGNAL_ITIMER_PROF, 0.01, 0, NULL, NULL, NULL),
        0);
    burn_until(SIGPROF);
    cr_expect_eq(atomic_load(&fired[SIGPROF]), 1);
    double delay = -1;
    cr_assert_eq(bt_signal_getitimer(BT_SIGNAL_ITIMER_PROF, &delay, NULL, NULL),
                 0);
    cr_expect_eq(delay, 0);
}

Test(signal_timers, sigtimedwait_times_out)
{
    bt_signal_set mask = {0};
    mask.has[SIGUSR1] = true;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    double t0 = now();
    cr_expect_eq(bt_signal_sigtimedwait(&mask, 0.05, NULL, NULL), 0);
    double dt = now() - t0;
    cr_expect(dt >= 0.049 && dt < 2.0, "took %f s", dt);
    t0 = now();
    cr_expect_eq(bt_signal_sigtimedwait(&mask, 0, NULL, NULL), 0, "0 polls");
    cr_expect_lt(now() - t0, 1.0);
    raise(SIGUSR1);
    bt_signal_siginfo info;
    cr_expect_eq(bt_signal_sigtimedwait(&mask, 0, &info, NULL), 1);
    cr_expect_eq(info.signo, SIGUSR1);
}

Test(signal_timers, sigtimedwait_dispatches_on_eintr_and_keeps_its_deadline)
{
    /* An interval timer interrupts the wait every 10 ms (EINTR storm):
     * the handler runs, the wait resumes, the deadline holds. */
    cr_assert_eq(bt_signal_signal(SIGALRM, on_signal, NULL, NULL, NULL), 0);
    bt_signal_set mask = {0};
    mask.has[SIGUSR1] = true;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.01, 0.01, NULL,
                                     NULL, NULL),
                 0);
    double t0 = now();
    cr_expect_eq(bt_signal_sigtimedwait(&mask, 0.2, NULL, NULL), 0);
    double dt = now() - t0;
    bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0, 0, NULL, NULL, NULL);
    cr_expect(dt >= 0.19 && dt < 3.0, "took %f s", dt);
    cr_expect_geq(atomic_load(&fired[SIGALRM]), 3);
}

Test(signal_timers, sigwaitinfo_ends_when_a_handler_fails)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGALRM, refuse, NULL, NULL, NULL), 0);
    bt_signal_set mask = {0};
    mask.has[SIGUSR1] = true;
    cr_assert_eq(
        bt_signal_pthread_sigmask(BT_SIGNAL_SIG_BLOCK, &mask, NULL, NULL), 0);
    cr_assert_eq(
        bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.02, 0, NULL, NULL, NULL),
        0);
    cr_expect_eq(bt_signal_sigwaitinfo(&mask, NULL, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "no");
    err = (bt_err)BT_ERR_INIT;
    cr_assert_eq(
        bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.02, 0, NULL, NULL, NULL),
        0);
    cr_expect_eq(bt_signal_sigtimedwait(&mask, 5, NULL, &err), BT_EVALUE);
}

/* time.sleep runs the handlers on the main thread; one that fails ends the
 * sleep with its error, one that succeeds lets the sleep go on. */
Test(signal_timers, sleep_runs_handlers_and_a_failing_one_ends_it)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGALRM, refuse, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.05, 0, NULL, NULL, NULL), 0);
    double t0 = now();
    int rc = bt_time_sleep(5.0, &err);
    double dt = now() - t0;
    cr_expect_eq(rc, BT_EVALUE, "rc %d", rc);
    cr_expect_str_eq(err.msg, "no");
    cr_expect_eq(atomic_load(&fired[SIGALRM]), 1);
    cr_expect(dt < 2.0, "took %f s", dt);
}

Test(signal_timers, sleep_goes_on_after_a_handler_that_succeeds)
{
    cr_assert_eq(bt_signal_signal(SIGALRM, on_signal, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.02, 0.02, NULL, NULL, NULL), 0);
    double t0 = now();
    cr_expect_eq(bt_time_sleep(0.3, NULL), 0);
    double dt = now() - t0;
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0, 0, NULL, NULL, NULL), 0);
    cr_expect(atomic_load(&fired[SIGALRM]) >= 3, "ran %d times during the sleep",
              atomic_load(&fired[SIGALRM]));
    cr_expect(dt >= 0.3, "slept %f s", dt);
}

Test(signal_timers, sleep_keyboard_interrupt)
{
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_signal_signal(SIGINT, bt_signal_default_int_handler, NULL, NULL, NULL), 0);
    cr_assert_eq(bt_signal_signal(SIGALRM, on_signal, NULL, NULL, NULL), 0);
    /* SIGINT from a timer thread is awkward; the alarm's handler is quiet, so
     * raise SIGINT ahead and let the first EINTR (the alarm) dispatch it. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    raise(SIGINT);
    pthread_sigmask(SIG_SETMASK, &old, NULL); /* delivered now: flag set */
    cr_assert_eq(bt_signal_setitimer(BT_SIGNAL_ITIMER_REAL, 0.05, 0, NULL, NULL, NULL), 0);
    int rc = bt_time_sleep(5.0, &err);
    cr_expect_eq(rc, BT_EINTERRUPT, "rc %d", rc);
}
