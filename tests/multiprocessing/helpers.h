/*
 * helpers.h — what the multiprocessing suites share: starting a child in
 * one call and checking how it ended. A child reports a failed check by
 * returning a negative code (exit code 1), never by asserting: only the
 * parent runs Criterion's checks.
 */
#ifndef BT_MP_TEST_HELPERS_H
#define BT_MP_TEST_HELPERS_H

#include <criterion/criterion.h>

#include <batteries/multiprocessing.h>

#include "bt_test.h"

/* A child's check: the child fails (exit code 1) when c is false. */
#define CHILD_CHECK(c)                                                         \
    do {                                                                       \
        if (!(c))                                                              \
            return bt_err_setf(err, BT_EVALUE, -1, "%s:%d: %s", __FILE__,      \
                               __LINE__, #c);                                  \
    } while (0)

static inline bt_mp_process *spawn(bt_thread_fn fn, void *arg)
{
    bt_mp_process *p;
    cr_assert_eq(bt_mp_process_new(&p, fn, arg), 0);
    cr_assert_eq(bt_mp_process_start(p, NULL), 0);
    return p;
}

/* Joins (20 s at most) and returns the exit code; fails if still running. */
static inline int join_code(bt_mp_process *p)
{
    cr_assert_eq(bt_mp_process_join(p, 20, NULL), 1, "child still running");
    int code = -1000;
    cr_assert_eq(bt_mp_process_exitcode(p, &code), 1);
    return code;
}

/* Joins, expects exit code 0, frees. */
static inline void join_ok(bt_mp_process *p)
{
    int code = join_code(p);
    cr_expect_eq(code, 0, "%s ended with exit code %d", bt_mp_process_name(p),
                 code);
    bt_mp_process_free(p);
}

#endif
