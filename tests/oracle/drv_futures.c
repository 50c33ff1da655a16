/* drv_futures.c — the C side of tests/oracle/futures.py. */
#include <batteries/futures.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "drv_common.h"

#define PTR(n) ((void *)(uintptr_t)(n))

static int calls;
static int lates[64];
static int nlates;

static int count_cb(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)err;
    (*(int *)ctx)++;
    return 0;
}

static void quiet(void *ctx, const char *what, const bt_err *e)
{
    (void)ctx;
    (void)what;
    (void)e;
}

/* "exc <class> <message>" (InvalidStateError's cut before ':'), no
 * trailing space. */
static void exc_text(char *out, size_t n, int code, const char *msg)
{
    char m[BT_ERR_MSG_SIZE];
    snprintf(m, sizeof m, "%s", msg);
    if (code == BT_EINVALIDSTATE && strchr(m, ':'))
        *strchr(m, ':') = 0;
    snprintf(out, n, m[0] ? "exc %s %s" : "exc %s", bt_errname(code), m);
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
            snprintf(out, n, "%ld", (long)(uintptr_t)v);
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
    } else if (!strcmp(op, "late_cb") && nlates < 64) {
        int *late = &lates[nlates++];
        *late = 0;
        bt_future_add_done_callback(f, count_cb, late);
        snprintf(out, n, "%d", *late);
    } else {
        snprintf(out, n, "unknown op %s", op);
    }
}

static bt_future *make(const char *state)
{
    bt_future *f;
    if (bt_future_new(&f) < 0)
        return NULL;
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
    return f;
}

static void ops_case(char *ops)
{
    bt_future *f;
    if (bt_future_new(&f) < 0) {
        printf("MemoryError\n");
        return;
    }
    calls = 0;
    nlates = 0;
    bt_future_add_done_callback(f, count_cb, &calls);
    char *save;
    bool first = true;
    for (char *op = strtok_r(ops, " ", &save); op;
         op = strtok_r(NULL, " ", &save)) {
        char got[BT_ERR_MSG_SIZE + 64];
        run_op(f, op, got, sizeof got);
        printf("%s%s", first ? "" : "|", got);
        first = false;
    }
    printf("\n");
    bt_future_free(f);
}

static int when_of(const char *w)
{
    return !strcmp(w, "FIRST_COMPLETED")   ? BT_FUTURES_FIRST_COMPLETED
           : !strcmp(w, "FIRST_EXCEPTION") ? BT_FUTURES_FIRST_EXCEPTION
                                           : BT_FUTURES_ALL_COMPLETED;
}

static void list_case(const char *group, arg *args)
{
    bt_future *fs[16], *lst[32];
    size_t k = 0, n = 0;
    char *save;
    for (char *t = strtok_r(args[0].p, " ", &save); t && k < 16;
         t = strtok_r(NULL, " ", &save))
        fs[k++] = make(t);
    for (char *t = strtok_r(args[1].p, " ", &save); t && n < 32;
         t = strtok_r(NULL, " ", &save))
        lst[n++] = fs[atoi(t)];
    bt_err e = BT_ERR_INIT;
    if (!strcmp(group, "wait")) {
        bool done[32];
        ptrdiff_t nd = bt_futures_wait(lst, n, 0, when_of(args[2].p), done, &e);
        for (size_t i = 0; i < n; i++)
            putchar(done[i] ? '1' : '0');
        printf("\t%td\n", nd);
    } else {
        bt_as_completed *it;
        bool got[32] = {false};
        int rc = bt_as_completed_new(&it, lst, n, 0, &e);
        bt_future *f;
        if (rc == 0)
            while ((rc = bt_as_completed_next(it, &f, &e)) == 1) {
                size_t i = 0;
                while (lst[i] != f)
                    i++;
                got[i] = true;
            }
        bt_as_completed_free(it);
        bool any = false;
        for (size_t i = 0; i < n; i++)
            if (got[i]) {
                printf("%s%zu", any ? " " : "", i);
                any = true;
            }
        if (!any)
            printf("-");
        if (rc == 0)
            printf("\tok\n");
        else
            printf("\texc %s %s\n", bt_errname(rc), e.msg);
    }
    for (size_t i = 0; i < k; i++)
        bt_future_free(fs[i]);
}

static void run_case(const char *group, arg *args, size_t nargs)
{
    for (size_t i = 0; i < nargs; i++)
        args[i].p[args[i].n] = '\0';
    if (!strcmp(group, "ops") && nargs == 1)
        ops_case(args[0].p);
    else if ((!strcmp(group, "wait") && nargs == 3) ||
             (!strcmp(group, "as_completed") && nargs == 2))
        list_case(group, args);
    else
        printf("unknown case %s with %zu args\n", group, nargs);
}

int main(void)
{
    bt_futures_set_log_hook(quiet, NULL);
    return drv_main(run_case);
}
