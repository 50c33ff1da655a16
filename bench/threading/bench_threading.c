/* bench_threading.c — Lock acquire + release, and the sum of sqrt(i) for
 * i < 2e7 in 8 chunks on 2 threads against our one thread. See cases.py. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>

#include <batteries/queue.h>
#include <batteries/threading.h>

#include "bench.h"

/* ---- Lock ---- */

static bt_lock *lock;

static int lock_setup(void)
{
    return bt_lock_new(&lock);
}

static void run_lock(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_lock_acquire(lock, true, BT_TIMEOUT_NONE, NULL);
        bench_escape(lock);
        bt_lock_release(lock, NULL);
    }
}

static void lock_teardown(void)
{
    bt_lock_free(lock);
}

static void run_lock_anchor(uint64_t iters)
{
    static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    for (uint64_t i = 0; i < iters; i++) {
        pthread_mutex_lock(&mu);
        bench_escape(&mu);
        pthread_mutex_unlock(&mu);
    }
}

/* ---- sum of sqrt(i) ---- */

enum { N = 20000000, CHUNKS = 8, WORKERS = 2 };

static double chunk_sum(int c)
{
    double s = 0;
    int64_t lo = (int64_t)c * N / CHUNKS, hi = (int64_t)(c + 1) * N / CHUNKS;
    for (int64_t i = lo; i < hi; i++)
        s += sqrt((double)i);
    return s;
}

struct job {
    bt_simplequeue *todo;
    double results[CHUNKS];
};

static int worker(void *arg, bt_err *err)
{
    (void)err;
    struct job *j = arg;
    void *item;
    while (bt_simplequeue_get_nowait(j->todo, &item) == 0) {
        int c = (int)(uintptr_t)item - 1;
        j->results[c] = chunk_sum(c);
    }
    return 0;
}

static void run_sqrt_threads(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        struct job j = {0};
        bt_thread *t[WORKERS];
        if (bt_simplequeue_new(&j.todo) < 0)
            return;
        for (int c = 0; c < CHUNKS; c++)
            bt_simplequeue_put(j.todo, (void *)(uintptr_t)(c + 1));
        for (int w = 0; w < WORKERS; w++)
            if (bt_thread_new(&t[w], worker, &j, "worker") < 0 ||
                bt_thread_start(t[w], NULL) < 0)
                return;
        double total = 0;
        for (int w = 0; w < WORKERS; w++) {
            bt_thread_join(t[w], BT_TIMEOUT_NONE, NULL);
            bt_thread_free(t[w]);
        }
        for (int c = 0; c < CHUNKS; c++)
            total += j.results[c];
        bench_escape(&total);
        bt_simplequeue_free(j.todo);
    }
}

static void run_sqrt_one_thread(uint64_t iters)
{
    for (uint64_t it = 0; it < iters; it++) {
        double results[CHUNKS], total = 0;
        for (int c = 0; c < CHUNKS; c++)
            results[c] = chunk_sum(c);
        for (int c = 0; c < CHUNKS; c++)
            total += results[c];
        bench_escape(&total);
    }
}

static const bench_case cases[] = {
    {"lock_acquire_release", lock_setup, run_lock, lock_teardown},
    {"lock_acquire_release@pthread_mutex", NULL, run_lock_anchor, NULL},
    {"sqrt_sum_2threads", NULL, run_sqrt_threads, NULL},
    {"sqrt_sum_2threads@one_thread", NULL, run_sqrt_one_thread, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
