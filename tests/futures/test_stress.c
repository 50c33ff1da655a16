/* Many threads at once: every call run exactly once and delivered exactly
 * once; cancellation racing the workers; shutdown racing submitters. */
#include <stdio.h>
#include <stdlib.h>

#include "helpers.h"

enum { PRODUCERS = 4, PER_PRODUCER = 3000, TOTAL = PRODUCERS * PER_PRODUCER };

struct run {
    bt_executor *ex;
    atomic_int next_producer;
    atomic_uchar ran[TOTAL];
    atomic_uchar called_back[TOTAL];
    atomic_long delivered;
    atomic_long refused;
};

static struct run R;

static int task_mark(void *arg, void **result, bt_err *err)
{
    (void)err;
    long i = NUM(arg);
    atomic_fetch_add(&R.ran[i], 1);
    *result = PTR(i * 2);
    return 0;
}

static int cb_mark(bt_future *f, void *ctx, bt_err *err)
{
    (void)f;
    (void)err;
    atomic_fetch_add(&R.called_back[NUM(ctx)], 1);
    return 0;
}

static int producer(void *arg, bt_err *err)
{
    (void)arg;
    int p = atomic_fetch_add(&R.next_producer, 1);
    bt_future **fs = malloc(PER_PRODUCER * sizeof *fs);
    for (int k = 0; k < PER_PRODUCER; k++) {
        long i = (long)p * PER_PRODUCER + k;
        int rc = bt_executor_submit(R.ex, task_mark, PTR(i), &fs[k], err);
        if (rc < 0)
            return rc;
        if ((rc = bt_future_add_done_callback(fs[k], cb_mark, PTR(i))) < 0)
            return rc;
    }
    for (int k = 0; k < PER_PRODUCER; k++) {
        long i = (long)p * PER_PRODUCER + k;
        void *v;
        int rc = bt_future_result(fs[k], 30, &v, err);
        if (rc < 0 || NUM(v) != i * 2)
            return rc < 0 ? rc : BT_EVALUE;
        atomic_fetch_add(&R.delivered, 1);
        bt_future_free(fs[k]);
    }
    free(fs);
    return 0;
}

Test(stress, many_producers_exactly_once)
{
    memset(&R, 0, sizeof R);
    cr_assert_eq(bt_threadpool_new(&R.ex, 4, NULL, NULL, NULL, NULL), 0);
    bt_thread *t[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_new(&t[i], producer, NULL, NULL), 0);
        cr_assert_eq(bt_thread_start(t[i], NULL), 0);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_join(t[i], 60, NULL), 1);
        cr_assert_eq(bt_thread_exitcode(t[i], NULL), 0);
        bt_thread_free(t[i]);
    }
    bt_executor_free(R.ex);
    cr_assert_eq(atomic_load(&R.delivered), TOTAL);
    for (int i = 0; i < TOTAL; i++) {
        cr_assert_eq(atomic_load(&R.ran[i]), 1, "item %d", i);
        cr_assert_eq(atomic_load(&R.called_back[i]), 1, "item %d", i);
    }
}

enum { RACE = 4000 };

struct cancel_run {
    bt_future *fs[RACE];
    atomic_int published;
};

static struct cancel_run C;

static int canceller(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    for (int i = 0; i < RACE; i++) {
        while (atomic_load(&C.published) <= i)
            ;
        if (i % 2 == 0)
            bt_future_cancel(C.fs[i]);
    }
    return 0;
}

Test(stress, cancel_races_workers)
{
    memset(&R, 0, sizeof R);
    memset(&C, 0, sizeof C);
    cr_assert_eq(bt_threadpool_new(&R.ex, 2, NULL, NULL, NULL, NULL), 0);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, canceller, NULL, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    for (int i = 0; i < RACE; i++) {
        cr_assert_eq(
            bt_executor_submit(R.ex, task_mark, PTR(i), &C.fs[i], NULL), 0);
        atomic_store(&C.published, i + 1);
    }
    cr_assert_eq(bt_thread_join(t, 60, NULL), 1);
    bt_thread_free(t);
    bt_executor_shutdown(R.ex, true, false);
    long cancelled = 0;
    for (int i = 0; i < RACE; i++) {
        bool c = bt_future_cancelled(C.fs[i]);
        cr_assert(bt_future_done(C.fs[i]));
        /* Cancelled exactly when it never ran. */
        cr_assert_eq(atomic_load(&R.ran[i]), c ? 0 : 1, "item %d", i);
        if (c) {
            cr_assert_eq(i % 2, 0);
            cr_assert_eq(bt_future_result(C.fs[i], 0, NULL, NULL),
                         BT_ECANCELLED);
            cancelled++;
        } else {
            void *v;
            cr_assert_eq(bt_future_result(C.fs[i], 0, &v, NULL), 0);
            cr_assert_eq(NUM(v), i * 2);
        }
        bt_future_free(C.fs[i]);
    }
    bt_executor_free(R.ex);
    (void)cancelled;
}

static int submitter(void *arg, bt_err *err)
{
    (void)arg;
    int p = atomic_fetch_add(&R.next_producer, 1);
    for (int k = 0; k < PER_PRODUCER; k++) {
        long i = (long)p * PER_PRODUCER + k;
        bt_future *f;
        int rc = bt_executor_submit(R.ex, task_mark, PTR(i), &f, NULL);
        if (rc == BT_ERUNTIME) {
            atomic_fetch_add(&R.refused, 1);
            continue;
        }
        if (rc < 0)
            return rc;
        /* Accepted before the shutdown: it must still run. */
        void *v;
        if ((rc = bt_future_result(f, 30, &v, err)) < 0)
            return rc;
        atomic_fetch_add(&R.delivered, 1);
        bt_future_free(f);
    }
    return 0;
}

Test(stress, shutdown_during_submit)
{
    memset(&R, 0, sizeof R);
    cr_assert_eq(bt_threadpool_new(&R.ex, 2, NULL, NULL, NULL, NULL), 0);
    bt_thread *t[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_new(&t[i], submitter, NULL, NULL), 0);
        cr_assert_eq(bt_thread_start(t[i], NULL), 0);
    }
    bt_time_sleep(0.002, NULL);
    bt_executor_shutdown(R.ex, true, false);
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_join(t[i], 60, NULL), 1);
        cr_assert_eq(bt_thread_exitcode(t[i], NULL), 0);
        bt_thread_free(t[i]);
    }
    long ran = 0;
    for (int i = 0; i < TOTAL; i++) {
        cr_assert_leq(atomic_load(&R.ran[i]), 1);
        ran += atomic_load(&R.ran[i]);
    }
    cr_assert_eq(ran, atomic_load(&R.delivered));
    cr_assert_eq(ran + atomic_load(&R.refused), TOTAL);
    bt_executor_free(R.ex);
}

Test(stress, as_completed_exactly_once)
{
    enum { N = 2000 };
    memset(&R, 0, sizeof R);
    cr_assert_eq(bt_threadpool_new(&R.ex, 3, NULL, NULL, NULL, NULL), 0);
    static bt_future *fs[N];
    for (int i = 0; i < N; i++)
        cr_assert_eq(bt_executor_submit(R.ex, task_mark, PTR(i), &fs[i], NULL),
                     0);
    bt_as_completed *it;
    cr_assert_eq(bt_as_completed_new(&it, fs, N, 30, NULL), 0);
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    bt_future *f;
    int n = 0, rc;
    while ((rc = bt_as_completed_next(it, &f, NULL)) == 1) {
        void *v;
        cr_assert_eq(bt_future_result(f, 0, &v, NULL), 0);
        cr_assert_eq(seen[NUM(v) / 2]++, 0);
        n++;
    }
    cr_assert_eq(rc, 0);
    cr_assert_eq(n, N);
    bt_as_completed_free(it);
    for (int i = 0; i < N; i++)
        bt_future_free(fs[i]);
    bt_executor_free(R.ex);
}
