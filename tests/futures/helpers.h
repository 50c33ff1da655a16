/*
 * helpers.h — what the futures suites share: a log hook that records
 * instead of printing, and small tasks.
 */
#ifndef BT_FUTURES_TEST_HELPERS_H
#define BT_FUTURES_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <batteries/futures.h>
#include <batteries/time.h>

#include "bt_test.h"

#define PTR(n) ((void *)(uintptr_t)(n))
#define NUM(p) ((long)(uintptr_t)(p))

/* What the log hook saw: the count, the last "what" and error. */
struct logged {
    atomic_int n;
    char what[256];
    int code;
    char msg[BT_ERR_MSG_SIZE];
};

static struct logged g_logged;

static inline void record_log(void *ctx, const char *what, const bt_err *e)
{
    struct logged *l = ctx;
    snprintf(l->what, sizeof l->what, "%s", what);
    l->code = e->code;
    snprintf(l->msg, sizeof l->msg, "%s", e->msg);
    atomic_fetch_add(&l->n, 1);
}

static inline void quiet_log(void)
{
    memset(&g_logged, 0, sizeof g_logged);
    bt_futures_set_log_hook(record_log, &g_logged);
}

/* A task returning its argument. */
static inline int task_identity(void *arg, void **result, bt_err *err)
{
    (void)err;
    *result = arg;
    return 0;
}

/* A task doing nothing. */
static inline int task_nothing(void *arg, void **result, bt_err *err)
{
    (void)arg;
    (void)result;
    (void)err;
    return 0;
}

/* Sleeps arg milliseconds, returns arg. */
static inline int task_sleep_ms(void *arg, void **result, bt_err *err)
{
    (void)err;
    bt_time_sleep((double)NUM(arg) / 1000.0, NULL);
    *result = arg;
    return 0;
}

/* Raises ValueError("bad <n>"). */
static inline int task_raise(void *arg, void **result, bt_err *err)
{
    (void)result;
    return bt_err_setf(err, BT_EVALUE, -1, "bad %ld", NUM(arg));
}

/* Waits for the event (a bt_event *), then returns 7. */
static inline int task_wait_event(void *arg, void **result, bt_err *err)
{
    bt_event_wait(arg, BT_TIMEOUT_NONE, err);
    *result = PTR(7);
    return 0;
}

#endif
