/* drv_futures.c — the C side of tests/oracle/futures.py. */
#include <batteries/futures.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "drv_common.h"
#include "../futures/future_ops.h"

static void quiet(void *ctx, const char *what, const bt_err *e)
{
    (void)ctx;
    (void)what;
    (void)e;
}

static void ops_case(char *ops)
{
    bt_future *f;
    if (ops_future_new(&f) < 0) {
        printf("MemoryError\n");
        return;
    }
    char *save;
    bool first = true;
    for (char *op = strtok_r(ops, " ", &save); op;
         op = strtok_r(NULL, " ", &save)) {
        char got[BT_ERR_MSG_SIZE + 64];
        ops_run(f, op, got, sizeof got);
        printf("%s%s", first ? "" : "|", got);
        first = false;
    }
    printf("\n");
    bt_future_free(f);
}

static void list_case(const char *group, arg *args)
{
    bt_future *fs[16], *lst[32];
    size_t k = 0, n = 0;
    char *save;
    for (char *t = strtok_r(args[0].p, " ", &save); t && k < 16;
         t = strtok_r(NULL, " ", &save)) {
        if (!(fs[k] = ops_future_in(t))) {
            printf("no future in state %s\n", t);
            while (k)
                bt_future_free(fs[--k]);
            return;
        }
        k++;
    }
    for (char *t = strtok_r(args[1].p, " ", &save); t && n < 32;
         t = strtok_r(NULL, " ", &save))
        lst[n++] = fs[atoi(t)];
    bt_err e = BT_ERR_INIT;
    if (!strcmp(group, "wait")) {
        bool done[32];
        ptrdiff_t nd = bt_futures_wait(lst, n, 0, ops_when(args[2].p), done, &e);
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
