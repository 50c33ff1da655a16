/* Future on its own: waiting with timeouts, callbacks (order, after
 * completion, failing ones), cancel, exception(), bytes results. */
#include <math.h>
#include <stdio.h>

#include "helpers.h"

struct setter {
    bt_future *f;
    double delay;
};

static int set_later(void *arg, bt_err *err)
{
    struct setter *s = arg;
    bt_time_sleep(s->delay, err);
    return bt_future_set_result(s->f, PTR(5), err);
}

Test(future, result_waits_for_other_thread)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    struct setter s = {f, 0.05};
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, set_later, &s, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    void *v = NULL;
    cr_assert_eq(bt_future_result(f, BT_TIMEOUT_NONE, &v, NULL), 0);
    cr_assert_eq(NUM(v), 5);
    cr_assert(bt_future_done(f));
    bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(t);
    bt_future_free(f);
}

Test(future, result_timeout)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    bt_err e = BT_ERR_INIT;
    double t0 = bt_time_monotonic();
    cr_assert_eq(bt_future_result(f, 0.05, NULL, &e), BT_ETIMEDOUT);
    cr_assert_geq(bt_time_monotonic() - t0, 0.049);
    cr_assert_str_eq(e.msg, "");
    int code;
    cr_assert_eq(bt_future_exception(f, 0.01, &code, NULL, &e), BT_ETIMEDOUT);
    cr_assert_eq(bt_future_result(f, -5, NULL, &e), BT_ETIMEDOUT);
    cr_assert_eq(bt_future_result(f, NAN, NULL, &e), BT_EVALUE);
    cr_assert_str_eq(e.msg, "Invalid value NaN (not a number)");
    cr_assert_eq(bt_future_result(f, 1e300, NULL, &e), BT_EOVERFLOWERR);
    bt_future_free(f);
}

Test(future, result_wakes_on_cancel)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    cr_assert(bt_future_cancel(f));
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_future_result(f, BT_TIMEOUT_NONE, NULL, &e), BT_ECANCELLED);
    cr_assert_str_eq(bt_errname(BT_ECANCELLED),
                     "concurrent.futures.CancelledError");
    bt_future_free(f);
}

static char order[16];

static int append_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)err;
    size_t n = strlen(order);
    order[n] = *(const char *)ctx;
    order[n + 1] = 0;
    return 0;
}

static int failing_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)ctx;
    return bt_err_setf(err, BT_EKEY, -1, "'nope'");
}

Test(future, callbacks_in_order_and_after_completion)
{
    quiet_log();
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    order[0] = 0;
    cr_assert_eq(bt_future_add_done_callback(f, append_cb, "a"), 0);
    cr_assert_eq(bt_future_add_done_callback(f, failing_cb, NULL), 0);
    cr_assert_eq(bt_future_add_done_callback(f, append_cb, "b"), 0);
    cr_assert_str_eq(order, "");
    cr_assert_eq(bt_future_set_result(f, PTR(1), NULL), 0);
    /* The failing one is logged and the next still runs. */
    cr_assert_str_eq(order, "ab");
    cr_assert_eq(atomic_load(&g_logged.n), 1);
    cr_assert_eq(g_logged.code, BT_EKEY);
    cr_assert_str_eq(g_logged.msg, "'nope'");
    cr_assert(
        strstr(g_logged.what, "exception calling callback for <Future at 0x") ==
            g_logged.what,
        "%s", g_logged.what);
    cr_assert(strstr(g_logged.what, "state=finished"));
    /* Added after completion: called at once, in the caller's thread. */
    cr_assert_eq(bt_future_add_done_callback(f, append_cb, "c"), 0);
    cr_assert_str_eq(order, "abc");
    cr_assert_eq(bt_future_add_done_callback(f, failing_cb, NULL), 0);
    cr_assert_eq(atomic_load(&g_logged.n), 2);
    bt_future_free(f);
    bt_futures_set_log_hook(NULL, NULL);
}

Test(future, cancel_runs_callbacks_once)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    order[0] = 0;
    cr_assert_eq(bt_future_add_done_callback(f, append_cb, "x"), 0);
    cr_assert(bt_future_cancel(f));
    cr_assert(bt_future_cancel(f));
    cr_assert_str_eq(order, "x");
    cr_assert(bt_future_cancelled(f));
    cr_assert(bt_future_done(f));
    cr_assert_eq(bt_future_set_running_or_notify_cancel(f, NULL), 0);
    bt_future_free(f);
}

Test(future, running_cannot_be_cancelled)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    cr_assert_eq(bt_future_set_running_or_notify_cancel(f, NULL), 1);
    cr_assert(bt_future_running(f));
    cr_assert_not(bt_future_cancel(f));
    cr_assert_not(bt_future_done(f));
    bt_future_free(f);
}

Test(future, exception_mapping)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_future_set_exception(f, 3, "x", &e), BT_EVALUE);
    cr_assert_str_eq(e.msg, "code must be negative");
    cr_assert_eq(
        bt_future_set_exception(f, BT_ENOENT, "[Errno 2] No such file", NULL),
        0);
    int code = 0;
    bt_err exc = BT_ERR_INIT;
    cr_assert_eq(bt_future_exception(f, 0, &code, &exc, &e), 0);
    cr_assert_eq(code, BT_ENOENT);
    cr_assert_str_eq(exc.msg, "[Errno 2] No such file");
    void *v = PTR(9);
    cr_assert_eq(bt_future_result(f, 0, &v, &e), BT_ENOENT);
    cr_assert_str_eq(e.msg, "[Errno 2] No such file");
    cr_assert_null(v);
    cr_assert_eq(bt_future_set_result(f, NULL, &e), BT_EINVALIDSTATE);
    cr_assert(strncmp(e.msg, "FINISHED: <Future at 0x", 23) == 0, "%s", e.msg);
    bt_future_free(f);
}

Test(future, bytes_results)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    cr_assert_eq(bt_future_set_result_bytes(f, "a\0b", 3, NULL), 0);
    const void *d;
    size_t n;
    cr_assert_eq(bt_future_result_bytes(f, 0, &d, &n, NULL), 0);
    cr_assert_eq(n, 3);
    cr_assert(memcmp(d, "a\0b", 3) == 0);
    bt_future_free(f);
    cr_assert_eq(bt_future_new(&f), 0);
    cr_assert_eq(bt_future_set_result_bytes(f, NULL, 0, NULL), 0);
    cr_assert_eq(bt_future_result_bytes(f, 0, &d, &n, NULL), 0);
    cr_assert_not_null(d);
    cr_assert_eq(n, 0);
    bt_future_free(f);
    bt_future_free(NULL);
}

static int noop_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)ctx;
    (void)err;
    return 0;
}

static int alloc_scenario(void *arg)
{
    (void)arg;
    bt_future *f;
    int rc = bt_future_new(&f);
    if (rc < 0)
        return rc;
    if ((rc = bt_future_add_done_callback(f, noop_cb, NULL)) < 0 ||
        (rc = bt_future_add_done_callback(f, noop_cb, NULL)) < 0 ||
        (rc = bt_future_add_done_callback(f, noop_cb, NULL)) < 0 ||
        (rc = bt_future_set_result_bytes(f, "xyz", 3, NULL)) < 0) {
        bt_future_free(f);
        return rc;
    }
    bt_future_free(f);
    return 0;
}

Test(future, allocation_failures)
{
    cr_assert_gt(bt_test_allocfail(alloc_scenario, NULL), 0);
}
