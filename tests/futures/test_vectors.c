/* CPython's answers (tools/gen_vectors/futures.py) replayed: the Future
 * state machine op by op, wait() and as_completed() over futures in every
 * state. */
#include <stdio.h>
#include <stdlib.h>

#include "future_ops.h"
#include "helpers.h"

Test(futures_vectors, future_ops)
{
    quiet_log();
    bt_test_vectors v;
    char *fields[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "futures", "future_ops");
    int cases = 0;
    while (bt_test_vectors_next(&v, fields) >= 3) {
        bt_future *f;
        cr_assert_eq(ops_future_new(&f), 0);
        char *ops = fields[1], *want = fields[2];
        char *so, *sw;
        char *op = strtok_r(ops, " ", &so);
        char *w = strtok_r(want, "|", &sw);
        for (; op;
             op = strtok_r(NULL, " ", &so), w = strtok_r(NULL, "|", &sw)) {
            char got[BT_ERR_MSG_SIZE + 64];
            ops_run(f, op, got, sizeof got);
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

/* Futures in the states the generator names. */
static bt_future *make(const char *state)
{
    bt_future *f = ops_future_in(state);
    cr_assert_not_null(f, "state %s", state);
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
        ptrdiff_t nd = bt_futures_wait(lst, n, 0, ops_when(fields[3]), done, &e);
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
