/* wait() and as_completed() against futures finishing in other threads. */
#include <stdio.h>

#include "helpers.h"

static bt_executor *pool(ptrdiff_t n)
{
    bt_executor *ex;
    cr_assert_eq(bt_threadpool_new(&ex, n, NULL, NULL, NULL, NULL), 0);
    return ex;
}

Test(wait, first_completed)
{
    bt_executor *ex = pool(2);
    bt_event *ev;
    cr_assert_eq(bt_event_new(&ev), 0);
    bt_future *fs[2];
    cr_assert_eq(bt_executor_submit(ex, task_wait_event, ev, &fs[0], NULL), 0);
    cr_assert_eq(bt_executor_submit(ex, task_sleep_ms, PTR(20), &fs[1], NULL),
                 0);
    bool done[2];
    cr_assert_eq(
        bt_futures_wait(fs, 2, 10, BT_FUTURES_FIRST_COMPLETED, done, NULL), 1);
    cr_assert_not(done[0]);
    cr_assert(done[1]);
    bt_event_set(ev);
    cr_assert_eq(
        bt_futures_wait(fs, 2, 10, BT_FUTURES_ALL_COMPLETED, done, NULL), 2);
    cr_assert(done[0] && done[1]);
    bt_future_free(fs[0]);
    bt_future_free(fs[1]);
    bt_executor_free(ex);
    bt_event_free(ev);
}

Test(wait, first_exception)
{
    bt_executor *ex = pool(3);
    bt_event *ev;
    cr_assert_eq(bt_event_new(&ev), 0);
    bt_future *fs[3];
    cr_assert_eq(bt_executor_submit(ex, task_wait_event, ev, &fs[0], NULL), 0);
    cr_assert_eq(bt_executor_submit(ex, task_sleep_ms, PTR(5), &fs[1], NULL),
                 0);
    cr_assert_eq(bt_executor_submit(ex, task_raise, PTR(1), &fs[2], NULL), 0);
    bool done[3];
    cr_assert_geq(
        bt_futures_wait(fs, 3, 10, BT_FUTURES_FIRST_EXCEPTION, done, NULL), 1);
    cr_assert_not(done[0]);
    cr_assert(done[2]);
    bt_event_set(ev);
    for (int i = 0; i < 3; i++)
        bt_future_free(fs[i]);
    bt_executor_free(ex);
    bt_event_free(ev);
}

Test(wait, all_completed_timeout)
{
    bt_executor *ex = pool(2);
    bt_event *ev;
    cr_assert_eq(bt_event_new(&ev), 0);
    bt_future *fs[2];
    cr_assert_eq(bt_executor_submit(ex, task_wait_event, ev, &fs[0], NULL), 0);
    cr_assert_eq(bt_executor_submit(ex, task_identity, PTR(1), &fs[1], NULL),
                 0);
    bool done[2];
    double t0 = bt_time_monotonic();
    cr_assert_eq(
        bt_futures_wait(fs, 2, 0.05, BT_FUTURES_ALL_COMPLETED, done, NULL), 1);
    cr_assert_geq(bt_time_monotonic() - t0, 0.049);
    cr_assert_not(done[0]);
    cr_assert(done[1]);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_futures_wait(fs, 2, 0.01, 9, done, &e), BT_EVALUE);
    cr_assert_str_eq(e.msg, "Invalid return condition: 9");
    bt_event_set(ev);
    bt_future_free(fs[0]);
    bt_future_free(fs[1]);
    bt_executor_free(ex);
    bt_event_free(ev);
}

Test(wait, as_completed_in_finishing_order)
{
    bt_executor *ex = pool(3);
    bt_future *fs[3];
    long ms[3] = {150, 10, 80};
    for (int i = 0; i < 3; i++)
        cr_assert_eq(
            bt_executor_submit(ex, task_sleep_ms, PTR(ms[i]), &fs[i], NULL), 0);
    bt_as_completed *it;
    cr_assert_eq(bt_as_completed_new(&it, fs, 3, 10, NULL), 0);
    bt_future *f;
    int want[3] = {1, 2, 0};
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(bt_as_completed_next(it, &f, NULL), 1);
        cr_assert_eq(f, fs[want[i]]);
    }
    cr_assert_eq(bt_as_completed_next(it, &f, NULL), 0);
    bt_as_completed_free(it);
    for (int i = 0; i < 3; i++)
        bt_future_free(fs[i]);
    bt_executor_free(ex);
}

Test(wait, as_completed_timeout)
{
    bt_executor *ex = pool(2);
    bt_event *ev;
    cr_assert_eq(bt_event_new(&ev), 0);
    bt_future *fs[2];
    cr_assert_eq(bt_executor_submit(ex, task_wait_event, ev, &fs[0], NULL), 0);
    cr_assert_eq(bt_executor_submit(ex, task_sleep_ms, PTR(5), &fs[1], NULL),
                 0);
    bt_as_completed *it;
    cr_assert_eq(bt_as_completed_new(&it, fs, 2, 0.1, NULL), 0);
    bt_future *f;
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_as_completed_next(it, &f, &e), 1);
    cr_assert_eq(f, fs[1]);
    cr_assert_eq(bt_as_completed_next(it, &f, &e), BT_ETIMEDOUT);
    cr_assert_str_eq(e.msg, "1 (of 2) futures unfinished");
    cr_assert_eq(bt_as_completed_next(it, &f, &e), 0);
    bt_as_completed_free(it);
    bt_event_set(ev);
    bt_future_free(fs[0]);
    bt_future_free(fs[1]);
    bt_executor_free(ex);
    bt_event_free(ev);
}

Test(wait, bad_timeouts)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(
        bt_futures_wait(&f, 1, 0.0 / 0.0, BT_FUTURES_ALL_COMPLETED, NULL, &e),
        BT_EVALUE);
    bt_as_completed *it;
    cr_assert_eq(bt_as_completed_new(&it, &f, 1, 0.0 / 0.0, &e), BT_EVALUE);
    cr_assert_null(it);
    cr_assert_eq(bt_futures_wait(NULL, 0, BT_TIMEOUT_NONE,
                                 BT_FUTURES_ALL_COMPLETED, NULL, &e),
                 0);
    bt_future_free(f);
}

static int wait_scenario(void *arg)
{
    (void)arg;
    bt_future *fs[3] = {NULL, NULL, NULL};
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++)
        rc = bt_future_new(&fs[i]);
    if (rc == 0)
        rc = bt_future_set_result(fs[1], PTR(1), NULL);
    bool done[3];
    if (rc == 0) {
        ptrdiff_t n =
            bt_futures_wait(fs, 3, 0, BT_FUTURES_ALL_COMPLETED, done, NULL);
        rc = n < 0 ? (int)n : (n == 1 ? 0 : BT_EVALUE);
    }
    bt_as_completed *it = NULL;
    if (rc == 0)
        rc = bt_as_completed_new(&it, fs, 3, 0, NULL);
    if (rc == 0) {
        bt_future *f;
        if (bt_as_completed_next(it, &f, NULL) != 1 || f != fs[1])
            rc = BT_EVALUE;
        bt_as_completed_free(it);
    }
    for (int i = 0; i < 3; i++)
        bt_future_free(fs[i]);
    return rc;
}

Test(wait, allocation_failures)
{
    cr_assert_gt(bt_test_allocfail(wait_scenario, NULL), 0);
}
