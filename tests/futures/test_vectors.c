/* CPython's answers (tools/gen_vectors/futures.py) replayed: the Future
 * state machine op by op, wait() and as_completed() over futures in every
 * state. */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

static int calls;
/* late_cb counters: they must outlive the op, as the callback may run
 * later. */
static int lates[64];
static int nlates;

static int count_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)err;
    (*(int *)ctx)++;
    return 0;
}

/* "exc <class> <message>", InvalidStateError's cut before ':'. */
static void exc_text(char *out, size_t n, int code, const char *msg)
{
    char m[BT_ERR_MSG_SIZE];
    snprintf(m, sizeof m, "%s", msg);
    if (code == BT_EINVALIDSTATE) {
        char *colon = strchr(m, ':');
        if (colon)
            *colon = 0;
    }
    snprintf(out, n, "exc %s %s", bt_errname(code), m);
}

static void run_op(bt_future *f, const char *op, char *out, size_t n)
{
    bt_err e = BT_ERR_INIT;
    int rc;
    if (!strcmp(op, "cancel")) {
        snprintf(out, n, "%s", bt_future_cancel(f) ? "True" : "False");
    } else if (!strcmp(op, "srnc")) {
        rc = bt_future_set_running_or_notify_cancel(f, &e);
        if (rc < 0)
            exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "%s", rc ? "True" : "False");
    } else if (!strcmp(op, "set_result") || !strcmp(op, "set_exception")) {
        rc = op[4] == 'r' ? bt_future_set_result(f, PTR(42), &e)
                          : bt_future_set_exception(f, BT_EVALUE, "boom", &e);
        if (rc < 0)
            exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "None");
    } else if (!strcmp(op, "cancelled") || !strcmp(op, "running") ||
               !strcmp(op, "done")) {
        bool b = op[0] == 'c'   ? bt_future_cancelled(f)
                 : op[0] == 'r' ? bt_future_running(f)
                                : bt_future_done(f);
        snprintf(out, n, "%s", b ? "True" : "False");
    } else if (!strcmp(op, "result")) {
        void *v = NULL;
        rc = bt_future_result(f, 0, &v, &e);
        if (rc < 0)
            exc_text(out, n, rc, e.msg);
        else
            snprintf(out, n, "%ld", NUM(v));
    } else if (!strcmp(op, "exception")) {
        int code = 1;
        bt_err exc = BT_ERR_INIT;
        rc = bt_future_exception(f, 0, &code, &exc, &e);
        if (rc < 0)
            exc_text(out, n, rc, e.msg);
        else if (code == 0)
            snprintf(out, n, "None");
        else
            snprintf(out, n, "raised %s %s", bt_errname(code), exc.msg);
    } else if (!strcmp(op, "calls")) {
        snprintf(out, n, "%d", calls);
    } else if (!strcmp(op, "late_cb")) {
        cr_assert_lt(nlates, 64);
        int *late = &lates[nlates++];
        *late = 0;
        cr_assert_eq(bt_future_add_done_callback(f, count_cb, late), 0);
        snprintf(out, n, "%d", *late);
    } else {
        cr_assert_fail("unknown op %s", op);
    }
}

Test(futures_vectors, future_ops)
{
    quiet_log();
    bt_test_vectors v;
    char *fields[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "futures", "future_ops");
    int cases = 0;
    while (bt_test_vectors_next(&v, fields) >= 3) {
        bt_future *f;
        cr_assert_eq(bt_future_new(&f), 0);
        calls = 0;
        nlates = 0;
        cr_assert_eq(bt_future_add_done_callback(f, count_cb, &calls), 0);
        char *ops = fields[1], *want = fields[2];
        char *so, *sw;
        char *op = strtok_r(ops, " ", &so);
        char *w = strtok_r(want, "|", &sw);
        for (; op;
             op = strtok_r(NULL, " ", &so), w = strtok_r(NULL, "|", &sw)) {
            char got[BT_ERR_MSG_SIZE + 64];
            run_op(f, op, got, sizeof got);
            cr_assert_not_null(w, "case %s: fewer outcomes", fields[0]);
            /* Python's "exc TimeoutError " keeps the trailing space; the
             * reader may trim it. */
            size_t lw = strlen(w), lg = strlen(got);
            while (lg && got[lg - 1] == ' ')
                got[--lg] = 0;
            while (lw && w[lw - 1] == ' ')
                w[--lw] = 0;
            cr_expect_str_eq(got, w, "case %s op %s", fields[0], op);
        }
        bt_future_free(f);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 100);
}

/* Futures in the states the generator names; 0 when the name is unknown. */
static bt_future *make(const char *state)
{
    bt_future *f;
    cr_assert_eq(bt_future_new(&f), 0);
    if (!strcmp(state, "running"))
        bt_future_set_running_or_notify_cancel(f, NULL);
    else if (!strcmp(state, "cancelled"))
        bt_future_cancel(f);
    else if (!strcmp(state, "notified")) {
        bt_future_cancel(f);
        bt_future_set_running_or_notify_cancel(f, NULL);
    } else if (!strcmp(state, "ok"))
        bt_future_set_result(f, PTR(1), NULL);
    else if (!strcmp(state, "raised"))
        bt_future_set_exception(f, BT_EVALUE, "x", NULL);
    else
        cr_assert_str_eq(state, "pending");
    return f;
}

/* Builds the distinct futures from "states" and the list from "order". */
static size_t build(char *states, char *order, bt_future **fs, size_t *k,
                    bt_future **lst)
{
    char *s;
    *k = 0;
    for (char *t = strtok_r(states, " ", &s); t; t = strtok_r(NULL, " ", &s))
        fs[(*k)++] = make(t);
    size_t n = 0;
    for (char *t = strtok_r(order, " ", &s); t; t = strtok_r(NULL, " ", &s))
        lst[n++] = fs[atoi(t)];
    return n;
}

static int when_of(const char *w)
{
    return !strcmp(w, "FIRST_COMPLETED")   ? BT_FUTURES_FIRST_COMPLETED
           : !strcmp(w, "FIRST_EXCEPTION") ? BT_FUTURES_FIRST_EXCEPTION
                                           : BT_FUTURES_ALL_COMPLETED;
}

Test(futures_vectors, wait)
{
    bt_test_vectors v;
    char *fields[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "futures", "wait");
    int cases = 0;
    while (bt_test_vectors_next(&v, fields) >= 6) {
        bt_future *fs[8], *lst[16];
        size_t k;
        size_t n = build(fields[1], fields[2], fs, &k, lst);
        bool done[16];
        bt_err e = BT_ERR_INIT;
        ptrdiff_t nd = bt_futures_wait(lst, n, 0, when_of(fields[3]), done, &e);
        char flags[17];
        for (size_t i = 0; i < n; i++)
            flags[i] = done[i] ? '1' : '0';
        flags[n] = 0;
        cr_expect_str_eq(flags, fields[4], "case %s", fields[0]);
        cr_expect_eq(nd, atol(fields[5]), "case %s", fields[0]);
        for (size_t i = 0; i < k; i++)
            bt_future_free(fs[i]);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 100);
}

Test(futures_vectors, as_completed)
{
    bt_test_vectors v;
    char *fields[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "futures", "as_completed");
    int cases = 0;
    while (bt_test_vectors_next(&v, fields) >= 5) {
        bt_future *fs[8], *lst[16];
        size_t k;
        size_t n = build(fields[1], fields[2], fs, &k, lst);
        bt_as_completed *it;
        bt_err e = BT_ERR_INIT;
        cr_assert_eq(bt_as_completed_new(&it, lst, n, 0, &e), 0);
        bool got[16] = {false};
        bt_future *f;
        int rc;
        while ((rc = bt_as_completed_next(it, &f, &e)) == 1) {
            size_t i = 0;
            while (lst[i] != f)
                i++;
            cr_expect_not(got[i], "case %s: yielded twice", fields[0]);
            got[i] = true;
        }
        char yielded[64] = "", res[BT_ERR_MSG_SIZE + 64];
        for (size_t i = 0; i < n; i++)
            if (got[i])
                snprintf(yielded + strlen(yielded),
                         sizeof yielded - strlen(yielded), "%s%zu",
                         yielded[0] ? " " : "", i);
        if (rc == 0)
            snprintf(res, sizeof res, "ok");
        else
            snprintf(res, sizeof res, "exc %s %s", bt_errname(rc), e.msg);
        cr_expect_str_eq(yielded[0] ? yielded : "-", fields[3], "case %s",
                         fields[0]);
        cr_expect_str_eq(res, fields[4], "case %s", fields[0]);
        bt_as_completed_free(it);
        for (size_t i = 0; i < k; i++)
            bt_future_free(fs[i]);
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 100);
}
