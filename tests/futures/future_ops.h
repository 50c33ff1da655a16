/*
 * future_ops.h — the Future operations the CPython vectors
 * (tools/gen_vectors/futures.py) and the live oracle (tests/oracle/
 * futures.py) name, answered as Python prints them. Shared by
 * tests/futures/test_vectors.c and tests/oracle/drv_futures.c; no
 * Criterion here, so the oracle driver can include it.
 */
#ifndef BT_FUTURES_TEST_FUTURE_OPS_H
#define BT_FUTURES_TEST_FUTURE_OPS_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <batteries/futures.h>

#define OPS_PTR(n) ((void *)(uintptr_t)(n))

/* Done-callback counters: "calls" for the callback added with the future,
 * and one per late_cb, which must outlive the op as it may run later. */
static int ops_calls;
static int ops_lates[64];
static int ops_nlates;

static int ops_count_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)err;
    (*(int *)ctx)++;
    return 0;
}

/* A new future with the counting callback, the counters reset. */
static inline int ops_future_new(bt_future **f)
{
    int rc = bt_future_new(f);
    if (rc < 0)
        return rc;
    ops_calls = 0;
    ops_nlates = 0;
    rc = bt_future_add_done_callback(*f, ops_count_cb, &ops_calls);
    if (rc < 0)
        bt_future_free(*f);
    return rc;
}

/* "exc <class> <message>" (InvalidStateError's cut before ':'), no
 * trailing space. */
static inline void ops_exc_text(char *out, size_t n, int code, const char *msg)
{
    char m[BT_ERR_MSG_SIZE];
    snprintf(m, sizeof m, "%s", msg);
    if (code == BT_EINVALIDSTATE && strchr(m, ':'))
        *strchr(m, ':') = 0;
    snprintf(out, n, m[0] ? "exc %s %s" : "exc %s", bt_errname(code), m);
}

/* One op on f; what Python prints for it goes to out. Anything that is
 * not an answer (an unknown op, a failed call) is said in words no vector
 * holds, so a comparison fails. */
static inline void ops_run(bt_future *f, const char *op, char *out, size_t n)
{
    bt_err e = BT_ERR_INIT;
    int rc;
    if (!strcmp(op, "cancel")) {
        snprintf(out, n, "%s", bt_future_cancel(f) ? "True" : "False");
    } else if (!strcmp(op, "srnc")) {
        rc = bt_future_set_running_or_notify_cancel(f, &e);
        if (rc < 0)
            ops_exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "%s", rc ? "True" : "False");
    } else if (!strcmp(op, "set_result") || !strcmp(op, "set_exception")) {
        rc = op[4] == 'r' ? bt_future_set_result(f, OPS_PTR(42), &e)
                          : bt_future_set_exception(f, BT_EVALUE, "boom", &e);
        if (rc < 0)
            ops_exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "None");
    } else if (!strcmp(op, "cancelled") || !strcmp(op, "running") || !strcmp(op, "done")) {
        bool b = op[0] == 'c'   ? bt_future_cancelled(f)
                 : op[0] == 'r' ? bt_future_running(f)
                                : bt_future_done(f);
        snprintf(out, n, "%s", b ? "True" : "False");
    } else if (!strcmp(op, "result")) {
        void *v = NULL;
        rc = bt_future_result(f, 0, &v, &e);
        if (rc < 0)
            ops_exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "%ld", (long)(uintptr_t)v);
    } else if (!strcmp(op, "exception")) {
        int code = 1;
        bt_err exc = BT_ERR_INIT;
        rc = bt_future_exception(f, 0, &code, &exc, &e);
        if (rc < 0)
            ops_exc_text(out, n, rc, e.msg);
        else if (code == 0)
            snprintf(out, n, "None");
        else
            snprintf(out, n, "raised %s %s", bt_errname(code), exc.msg);
    } else if (!strcmp(op, "calls")) {
        snprintf(out, n, "%d", ops_calls);
    } else if (!strcmp(op, "late_cb")) {
        if (ops_nlates == 64) {
            snprintf(out, n, "too many late_cb");
            return;
        }
        int *late = &ops_lates[ops_nlates++];
        *late = 0;
        rc = bt_future_add_done_callback(f, ops_count_cb, late);
        if (rc < 0)
            snprintf(out, n, "add_done_callback failed: %s", bt_errsym(rc));
        else
            snprintf(out, n, "%d", *late);
    } else {
        snprintf(out, n, "unknown op %s", op);
    }
}

/* A future in a state the generators name (pending, running, cancelled,
 * notified, ok, raised); NULL for an unknown name or no memory. */
static inline bt_future *ops_future_in(const char *state)
{
    bt_future *f;
    if (bt_future_new(&f) < 0)
        return NULL;
    if (!strcmp(state, "running")) {
        bt_future_set_running_or_notify_cancel(f, NULL);
    } else if (!strcmp(state, "cancelled")) {
        bt_future_cancel(f);
    } else if (!strcmp(state, "notified")) {
        bt_future_cancel(f);
        bt_future_set_running_or_notify_cancel(f, NULL);
    } else if (!strcmp(state, "ok")) {
        bt_future_set_result(f, OPS_PTR(1), NULL);
    } else if (!strcmp(state, "raised")) {
        bt_future_set_exception(f, BT_EVALUE, "x", NULL);
    } else if (strcmp(state, "pending")) {
        bt_future_free(f);
        return NULL;
    }
    return f;
}

static inline int ops_when(const char *w)
{
    return !strcmp(w, "FIRST_COMPLETED")   ? BT_FUTURES_FIRST_COMPLETED
           : !strcmp(w, "FIRST_EXCEPTION") ? BT_FUTURES_FIRST_EXCEPTION
                                           : BT_FUTURES_ALL_COMPLETED;
}

#endif
