/* bench_futures.c — ThreadPoolExecutor throughput on empty calls (against
 * GLib's GThreadPool, which has no futures), CPU-bound work in parallel on
 * the pool (against our own single thread), ProcessPoolExecutor round
 * trips. See cases.py. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <batteries/futures.h>

#include "bench.h"

#ifdef BENCH_HAVE_GLIB
#include <glib.h>
#endif

enum { BATCH = 10000, CHUNKS = 8, SMALL = 100 };
#define N 20000000LL

static bt_executor *tpool, *ppool;
static bt_future *futs[BATCH];

static int nothing(void *arg, void **result, bt_err *err)
{
    (void)arg;
    (void)result;
    (void)err;
    return 0;
}

static int tpool_setup(void)
{
    return tpool ? 0 : bt_threadpool_new(&tpool, 2, NULL, NULL, NULL, NULL);
}

static void tpool_teardown(void)
{
    bt_executor_free(tpool);
    tpool = NULL;
}

static void run_submit_await(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        for (int i = 0; i < BATCH; i++)
            if (bt_executor_submit(tpool, nothing, NULL, &futs[i], NULL) < 0)
                return;
        for (int i = 0; i < BATCH; i++) {
            bt_future_result(futs[i], BT_TIMEOUT_NONE, NULL, NULL);
            bt_future_free(futs[i]);
        }
    }
}

/* ---- the anchor: GThreadPool ---- */

#ifdef BENCH_HAVE_GLIB
static GThreadPool *gpool;
static GMutex gmu;
static GCond gcv;
static gint gdone;

static void gnothing(gpointer data, gpointer user)
{
    (void)data;
    (void)user;
    if (g_atomic_int_add(&gdone, 1) + 1 == BATCH) {
        g_mutex_lock(&gmu);
        g_cond_signal(&gcv);
        g_mutex_unlock(&gmu);
    }
}

static int gpool_setup(void)
{
    gpool = g_thread_pool_new(gnothing, NULL, 2, FALSE, NULL);
    return gpool ? 0 : 1;
}

static void gpool_teardown(void)
{
    g_thread_pool_free(gpool, FALSE, TRUE);
}

static void run_gpool(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        g_atomic_int_set(&gdone, 0);
        for (int i = 0; i < BATCH; i++)
            g_thread_pool_push(gpool, GINT_TO_POINTER(1), NULL);
        g_mutex_lock(&gmu);
        while (g_atomic_int_get(&gdone) < BATCH)
            g_cond_wait(&gcv, &gmu);
        g_mutex_unlock(&gmu);
    }
}
#else
static int gpool_setup(void)
{
    fprintf(stderr, "bench_futures: built without GLib (libglib2.0-dev)\n");
    return 1;
}

static void gpool_teardown(void)
{
}

static void run_gpool(uint64_t iters)
{
    (void)iters;
}
#endif

/* ---- CPU-bound chunks ---- */

static double chunk_sum(int c)
{
    double s = 0;
    int64_t lo = (int64_t)c * N / CHUNKS, hi = (int64_t)(c + 1) * N / CHUNKS;
    for (int64_t i = lo; i < hi; i++)
        s += sqrt((double)i);
    return s;
}

static double results[CHUNKS];

static int chunk_task(void *arg, void **result, bt_err *err)
{
    (void)result;
    (void)err;
    int c = (int)(uintptr_t)arg;
    results[c] = chunk_sum(c);
    return 0;
}

static void run_sqrt_pool(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        bt_future *fs[CHUNKS];
        for (int c = 0; c < CHUNKS; c++)
            if (bt_executor_submit(tpool, chunk_task, (void *)(uintptr_t)c,
                                   &fs[c], NULL) < 0)
                return;
        double total = 0;
        for (int c = 0; c < CHUNKS; c++) {
            bt_future_result(fs[c], BT_TIMEOUT_NONE, NULL, NULL);
            bt_future_free(fs[c]);
            total += results[c];
        }
        bench_escape(&total);
    }
}

static void run_sqrt_one_thread(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        double total = 0;
        for (int c = 0; c < CHUNKS; c++)
            total += chunk_sum(c);
        bench_escape(&total);
    }
}

/* ---- process pool ---- */

static int echo(const void *arg, size_t len, bt_buf *out, bt_err *err)
{
    (void)err;
    return bt_buf_append(out, arg, len);
}

static int ppool_setup(void)
{
    if (ppool)
        return 0;
    if (bt_processpool_new(&ppool, 2, BT_FUTURES_DEFAULT, NULL, NULL, NULL))
        return 1;
    /* Fork the workers outside the timing, as cases.py does. */
    bt_future *f;
    if (bt_executor_submit_bytes(ppool, echo, "x", 1, &f, NULL) < 0)
        return 1;
    int rc = bt_future_result_bytes(f, BT_TIMEOUT_NONE, NULL, NULL, NULL);
    bt_future_free(f);
    return rc < 0;
}

static void ppool_teardown(void)
{
    bt_executor_free(ppool);
    ppool = NULL;
}

static void run_round_trip(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        for (int i = 0; i < SMALL; i++) {
            uint64_t v = (uint64_t)i;
            if (bt_executor_submit_bytes(ppool, echo, &v, sizeof v, &futs[i],
                                         NULL) < 0)
                return;
        }
        for (int i = 0; i < SMALL; i++) {
            bt_future_result_bytes(futs[i], BT_TIMEOUT_NONE, NULL, NULL, NULL);
            bt_future_free(futs[i]);
        }
    }
}

static const bench_case cases[] = {
    {"submit_await_10k", tpool_setup, run_submit_await, tpool_teardown},
    {"submit_await_10k@gthreadpool", gpool_setup, run_gpool, gpool_teardown},
    {"sqrt_sum_8tasks_2threads", tpool_setup, run_sqrt_pool, tpool_teardown},
    {"sqrt_sum_8tasks_2threads@one_thread", NULL, run_sqrt_one_thread, NULL},
    {"process_round_trip_100", ppool_setup, run_round_trip, ppool_teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
