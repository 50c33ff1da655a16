/* Clocks and sleep: relations that must hold, checked against each other
 * and against CPython's clocks where they share a source. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <signal.h>
#include <stdio.h>
#include <sys/time.h>

#include <batteries/time.h>

Test(clock, time_agrees_with_cpython)
{
    /* Real time is shared with CPython: ask it within a second. */
    FILE *p = popen("python3 -c 'import time; print(time.time_ns())'", "r");
    cr_assert_not_null(p);
    long long py = 0;
    cr_assert_eq(fscanf(p, "%lld", &py), 1);
    pclose(p);
    int64_t ours = bt_time_time_ns();
    cr_assert_lt(llabs((long long)(ours - py)), 5000000000LL, "ours %lld python %lld",
                 (long long)ours, py);
    cr_assert_lt(fabs(bt_time_time() - (double)ours / 1e9), 1.0);
}

Test(clock, monotonic_clocks_never_go_back)
{
    int64_t m = bt_time_monotonic_ns(), p = bt_time_perf_counter_ns();
    for (int i = 0; i < 1000; i++) {
        int64_t m2 = bt_time_monotonic_ns(), p2 = bt_time_perf_counter_ns();
        cr_assert_geq(m2, m);
        cr_assert_geq(p2, p);
        m = m2;
        p = p2;
    }
    cr_assert_lt(fabs(bt_time_monotonic() - bt_time_monotonic_ns() / 1e9), 0.01);
}

Test(clock, cpu_clocks_count_work_not_sleep)
{
    double p0 = bt_time_process_time(), t0 = bt_time_thread_time();
    volatile double x = 0;
    for (int i = 0; i < 20000000; i++)
        x += i * 0.5;
    double p1 = bt_time_process_time(), t1 = bt_time_thread_time();
    cr_assert_gt(p1, p0);
    cr_assert_gt(t1, t0);
    double before = bt_time_thread_time();
    cr_assert_eq(bt_time_sleep(0.05, NULL), 0);
    cr_assert_lt(bt_time_thread_time() - before, 0.02, "sleeping is not CPU time");
    cr_assert_gt(bt_time_process_time_ns(), 0);
    cr_assert_gt(bt_time_thread_time_ns(), 0);
}

static void on_alarm(int sig)
{
    (void)sig;
}

Test(clock, sleep_resumes_after_signals)
{
    /* A 1 ms interval timer interrupts the sleep again and again (PEP 475). */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
    double t0 = bt_time_monotonic();
    cr_assert_eq(bt_time_sleep(0.2, NULL), 0);
    double slept = bt_time_monotonic() - t0;
    struct itimerval off = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &off, NULL);
    cr_assert_geq(slept, 0.2, "slept %.4f s", slept);
    cr_assert_lt(slept, 2.0);
    cr_assert_eq(bt_time_sleep(0, NULL), 0);
}

#include "bt_test.h"

static int scenario(void *arg)
{
    (void)arg;
    bt_time_struct_time t;
    bt_buf out = BT_BUF_INIT;
    int rc = bt_time_gmtime(1700000000, &t, NULL);
    if (rc == 0)
        rc = bt_time_strftime(&out, "%Y-%m-%d %H:%M:%S %A", &t, NULL);
    if (rc == 0)
        rc = bt_time_asctime(&out, &t, NULL);
    if (rc == 0)
        rc = bt_time_ctime(&out, 0, NULL);
    bt_buf_fini(&out);
    return rc;
}

Test(allocfail, time)
{
    cr_assert_geq(bt_test_allocfail(scenario, NULL), 1);
}
