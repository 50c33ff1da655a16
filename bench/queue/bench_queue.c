/* bench_queue.c — a Queue between two threads, against a minimal mutex +
 * condition variable ring (the anchor); put_nowait + get_nowait in one
 * thread. See cases.py. */
#include <pthread.h>
#include <stdint.h>

#include <batteries/queue.h>

#include "bench.h"

enum { QMAX = 256 };

/* ---- ours ---- */

struct consumer {
    bt_queue *q;
    uint64_t n;
    uint64_t sum;
};

static int consume(void *arg, bt_err *err)
{
    struct consumer *c = arg;
    for (uint64_t i = 0; i < c->n; i++) {
        void *item;
        int rc = bt_queue_get(c->q, &item, true, BT_TIMEOUT_NONE, err);
        if (rc < 0)
            return rc;
        c->sum += (uintptr_t)item;
    }
    return 0;
}

static void run_put_get_2threads(uint64_t iters)
{
    struct consumer c = {NULL, iters, 0};
    bt_thread *t;
    if (bt_queue_new(&c.q, QMAX) < 0 ||
        bt_thread_new(&t, consume, &c, "consume") < 0 ||
        bt_thread_start(t, NULL) < 0)
        return;
    for (uint64_t i = 0; i < iters; i++)
        bt_queue_put(c.q, (void *)(uintptr_t)(i + 1), true, BT_TIMEOUT_NONE,
                     NULL);
    bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
    bench_escape(&c.sum);
    bt_thread_free(t);
    bt_queue_free(c.q);
}

/* ---- the anchor: the textbook bounded ring ---- */

struct ring {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    void *slots[QMAX];
    size_t head, count;
};

static void ring_put(struct ring *r, void *item)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == QMAX)
        pthread_cond_wait(&r->not_full, &r->mu);
    r->slots[(r->head + r->count++) % QMAX] = item;
    pthread_cond_signal(&r->not_empty);
    pthread_mutex_unlock(&r->mu);
}

static void *ring_get(struct ring *r)
{
    pthread_mutex_lock(&r->mu);
    while (r->count == 0)
        pthread_cond_wait(&r->not_empty, &r->mu);
    void *item = r->slots[r->head];
    r->head = (r->head + 1) % QMAX;
    r->count--;
    pthread_cond_signal(&r->not_full);
    pthread_mutex_unlock(&r->mu);
    return item;
}

struct ring_consumer {
    struct ring *r;
    uint64_t n, sum;
};

static void *ring_consume(void *arg)
{
    struct ring_consumer *c = arg;
    for (uint64_t i = 0; i < c->n; i++)
        c->sum += (uintptr_t)ring_get(c->r);
    return NULL;
}

static void run_put_get_anchor(uint64_t iters)
{
    static struct ring r = {PTHREAD_MUTEX_INITIALIZER,
                            PTHREAD_COND_INITIALIZER,
                            PTHREAD_COND_INITIALIZER,
                            {0},
                            0,
                            0};
    struct ring_consumer c = {&r, iters, 0};
    pthread_t t;
    if (pthread_create(&t, NULL, ring_consume, &c) != 0)
        return;
    for (uint64_t i = 0; i < iters; i++)
        ring_put(&r, (void *)(uintptr_t)(i + 1));
    pthread_join(t, NULL);
    bench_escape(&c.sum);
}

/* ---- one thread ---- */

static bt_queue *solo;

static int solo_setup(void)
{
    return bt_queue_new(&solo, 0);
}

static void run_put_get_nowait(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        void *item;
        bt_queue_put_nowait(solo, (void *)(uintptr_t)1);
        bt_queue_get_nowait(solo, &item);
        bench_escape(item);
    }
}

static void solo_teardown(void)
{
    bt_queue_free(solo);
}

static const bench_case cases[] = {
    {"put_get_2threads", NULL, run_put_get_2threads, NULL},
    {"put_get_2threads@mutex_condvar", NULL, run_put_get_anchor, NULL},
    {"put_get_nowait", solo_setup, run_put_get_nowait, solo_teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
