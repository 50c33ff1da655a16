/* Queue semantics with threads: blocking and timeouts, FIFO service of
 * waiters without overtaking, task_done/join, shutdown (plain and
 * immediate) waking blocked threads, dispose, SimpleQueue, allocation
 * failures. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/time.h>

#include <batteries/queue.h>
#include <batteries/time.h>

#include "../threading/helpers.h"

#define ITEM(n) ((void *)(uintptr_t)(n))
#define NUM(p)  ((int)(uintptr_t)(p))

static int reap(bt_thread *t)
{
    cr_assert_eq(bt_thread_join(t, 10, NULL), 1, "thread did not end");
    int rc = bt_thread_exitcode(t, NULL);
    bt_thread_free(t);
    return rc;
}

Test(queue, fifo_lifo_basics)
{
    bt_queue *q, *l;
    cr_assert_eq(bt_queue_new(&q, 3), 0);
    cr_assert_eq(bt_lifoqueue_new(&l, 0), 0);
    cr_expect_eq(bt_queue_maxsize(q), 3);
    cr_expect(bt_queue_empty(q));
    for (int i = 1; i <= 3; i++) {
        cr_expect_eq(bt_queue_put_nowait(q, ITEM(i)), 0);
        cr_expect_eq(bt_queue_put(l, ITEM(i), true, BT_TIMEOUT_NONE, NULL), 0);
    }
    cr_expect(bt_queue_full(q));
    cr_expect_not(bt_queue_full(l), "unbounded is never full");
    cr_expect_eq(bt_queue_put_nowait(q, ITEM(4)), BT_EFULL);
    cr_expect_eq(bt_queue_qsize(q), 3);
    void *p;
    for (int i = 1; i <= 3; i++) {
        cr_assert_eq(bt_queue_get_nowait(q, &p), 0);
        cr_expect_eq(NUM(p), i, "first in, first out");
        cr_assert_eq(bt_queue_get(l, &p, true, BT_TIMEOUT_NONE, NULL), 0);
        cr_expect_eq(NUM(p), 4 - i, "last in, first out");
    }
    cr_expect_eq(bt_queue_get_nowait(q, &p), BT_EEMPTY);
    cr_expect(bt_queue_empty(l));
    /* NULL is an item like any other. */
    cr_assert_eq(bt_queue_put_nowait(q, NULL), 0);
    p = ITEM(9);
    cr_assert_eq(bt_queue_get_nowait(q, &p), 0);
    cr_expect_null(p);
    bt_queue_free(q);
    bt_queue_free(l);
    bt_queue_free(NULL);
}

Test(queue, grows_past_its_first_block_keeping_order)
{
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, 0), 0);
    void *p;
    /* Wrap the ring around before it grows. */
    for (int i = 0; i < 10; i++)
        bt_queue_put_nowait(q, ITEM(i));
    for (int i = 0; i < 10; i++)
        bt_queue_get_nowait(q, &p);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(bt_queue_put_nowait(q, ITEM(i)), 0);
    for (int i = 0; i < 1000; i++) {
        cr_assert_eq(bt_queue_get_nowait(q, &p), 0);
        cr_assert_eq(NUM(p), i);
    }
    bt_queue_free(q);
}

struct timed {
    bt_queue *q;
    double timeout;
    int rc;
    void *item;
    double waited;
};

static int timed_get(void *arg, bt_err *err)
{
    struct timed *t = arg;
    double t0 = bt_time_monotonic();
    t->rc = bt_queue_get(t->q, &t->item, true, t->timeout, err);
    t->waited = bt_time_monotonic() - t0;
    return 0;
}

static int timed_put(void *arg, bt_err *err)
{
    struct timed *t = arg;
    double t0 = bt_time_monotonic();
    t->rc = bt_queue_put(t->q, t->item, true, t->timeout, err);
    t->waited = bt_time_monotonic() - t0;
    return 0;
}

Test(queue, timeouts_expire_on_time)
{
    struct timed g = {.timeout = 0.1}, p = {.timeout = 0.1, .item = ITEM(2)};
    cr_assert_eq(bt_queue_new(&g.q, 1), 0);
    p.q = g.q;
    reap(start_thread(timed_get, &g));
    cr_expect_eq(g.rc, BT_EEMPTY);
    cr_expect_geq(g.waited, 0.1, "waited %.4f", g.waited);
    cr_expect_lt(g.waited, 3.0);
    bt_queue_put_nowait(g.q, ITEM(1));
    reap(start_thread(timed_put, &p));
    cr_expect_eq(p.rc, BT_EFULL);
    cr_expect_geq(p.waited, 0.1, "waited %.4f", p.waited);
    cr_expect_lt(p.waited, 3.0);
    bt_queue_free(g.q);
}

Test(queue, blocked_get_wakes_on_put)
{
    struct timed g = {.timeout = 10};
    cr_assert_eq(bt_queue_new(&g.q, 0), 0);
    bt_thread *t = start_thread(timed_get, &g);
    bt_time_sleep(0.05, NULL);
    cr_assert_eq(bt_queue_put_nowait(g.q, ITEM(42)), 0);
    reap(t);
    cr_expect_eq(g.rc, 0);
    cr_expect_eq(NUM(g.item), 42);
    cr_expect_lt(g.waited, 5.0);
    bt_queue_free(g.q);
}

/* Waiters are served in the order they began to wait, and an item put
 * while one waits is its own: a get_nowait right after the put finds the
 * queue empty. */
Test(queue, waiters_served_in_order_without_overtaking)
{
    struct timed g[3];
    bt_thread *t[3];
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, 0), 0);
    for (int i = 0; i < 3; i++) {
        g[i] = (struct timed){.q = q, .timeout = 10};
        t[i] = start_thread(timed_get, &g[i]);
        bt_time_sleep(0.05, NULL); /* let it begin to wait */
    }
    void *p;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(bt_queue_put_nowait(q, ITEM(100 + i)), 0);
        cr_expect_eq(bt_queue_get_nowait(q, &p), BT_EEMPTY,
                     "handed to a waiter");
    }
    for (int i = 0; i < 3; i++) {
        reap(t[i]);
        cr_expect_eq(g[i].rc, 0);
        cr_expect_eq(NUM(g[i].item), 100 + i, "waiter %d got %d", i,
                     NUM(g[i].item));
    }
    bt_queue_free(q);
}

Test(queue, blocked_putters_enter_in_order)
{
    struct timed p[3];
    bt_thread *t[3];
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, 1), 0);
    cr_assert_eq(bt_queue_put_nowait(q, ITEM(0)), 0);
    for (int i = 0; i < 3; i++) {
        p[i] = (struct timed){.q = q, .timeout = 10, .item = ITEM(i + 1)};
        t[i] = start_thread(timed_put, &p[i]);
        bt_time_sleep(0.05, NULL);
    }
    cr_expect_eq(bt_queue_put_nowait(q, ITEM(99)), BT_EFULL,
                 "no overtaking the putters");
    void *item;
    for (int i = 0; i <= 3; i++) {
        cr_assert_eq(bt_queue_get(q, &item, true, 10, NULL), 0);
        cr_expect_eq(NUM(item), i);
    }
    for (int i = 0; i < 3; i++) {
        reap(t[i]);
        cr_expect_eq(p[i].rc, 0);
    }
    bt_queue_free(q);
}

static int by_value(const void *a, const void *b, void *ctx)
{
    int sign = *(int *)ctx;
    return sign * ((NUM(a) > NUM(b)) - (NUM(a) < NUM(b)));
}

Test(queue, priority_comparator_and_context)
{
    int descending = -1;
    bt_queue *q;
    cr_assert_eq(bt_priorityqueue_new(&q, 0, by_value, &descending), 0);
    int in[] = {5, 1, 9, 3, 7, 2, 8};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        bt_queue_put_nowait(q, ITEM(in[i]));
    void *p;
    int last = 100;
    while (bt_queue_get_nowait(q, &p) == 0) {
        cr_expect_lt(NUM(p), last);
        last = NUM(p);
    }
    cr_expect_eq(last, 1);
    bt_queue_free(q);
}

/* ------------------------------------------------------------------------ */
/* task_done / join                                                          */
/* ------------------------------------------------------------------------ */

struct worker {
    bt_queue *q;
    atomic_int handled;
};

static int work(void *arg, bt_err *err)
{
    struct worker *w = arg;
    void *item;
    for (;;) {
        int rc = bt_queue_get(w->q, &item, true, BT_TIMEOUT_NONE, err);
        if (rc == BT_ECLOSED)
            return 0;
        if (rc < 0)
            return rc;
        bt_time_sleep(0.0005, NULL);
        atomic_fetch_add(&w->handled, 1);
        if ((rc = bt_queue_task_done(w->q, err)) < 0)
            return rc;
    }
}

Test(queue, join_waits_for_every_task_done)
{
    struct worker w = {0};
    cr_assert_eq(bt_queue_new(&w.q, 0), 0);
    bt_thread *t[3];
    for (int i = 0; i < 3; i++)
        t[i] = start_thread(work, &w);
    for (int i = 0; i < 200; i++)
        cr_assert_eq(bt_queue_put_nowait(w.q, ITEM(i)), 0);
    cr_assert_eq(bt_queue_join(w.q), 0);
    cr_expect_eq(atomic_load(&w.handled), 200,
                 "join returned after the last task_done");
    bt_queue_shutdown(w.q, false);
    for (int i = 0; i < 3; i++)
        cr_expect_eq(reap(t[i]), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_queue_task_done(w.q, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "task_done() called too many times");
    bt_queue_free(w.q);
}

/* ------------------------------------------------------------------------ */
/* shutdown                                                                  */
/* ------------------------------------------------------------------------ */

static atomic_int disposed;

static void count_dispose(void *item, void *ctx)
{
    (void)item;
    cr_expect_eq(ctx, &disposed);
    atomic_fetch_add(&disposed, 1);
}

Test(shutdown, gets_drain_then_fail_and_puts_fail)
{
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, 0), 0);
    for (int i = 0; i < 3; i++)
        bt_queue_put_nowait(q, ITEM(i));
    cr_expect_not(bt_queue_is_shutdown(q));
    bt_queue_shutdown(q, false);
    cr_expect(bt_queue_is_shutdown(q));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_queue_put(q, ITEM(9), true, BT_TIMEOUT_NONE, &err),
                 BT_ECLOSED);
    cr_expect_eq(err.code, BT_ECLOSED);
    cr_expect_str_eq(err.msg, "", "ShutDown carries no message");
    void *p;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(bt_queue_get(q, &p, true, BT_TIMEOUT_NONE, NULL), 0);
        cr_expect_eq(NUM(p), i);
    }
    cr_expect_eq(bt_queue_get(q, &p, true, BT_TIMEOUT_NONE, NULL), BT_ECLOSED,
                 "would block forever otherwise");
    cr_expect_eq(bt_queue_get_nowait(q, &p), BT_ECLOSED);
    bt_queue_free(q);
}

Test(shutdown, wakes_blocked_getters_and_putters)
{
    bt_queue *empty, *full;
    cr_assert_eq(bt_queue_new(&empty, 0), 0);
    cr_assert_eq(bt_queue_new(&full, 1), 0);
    bt_queue_put_nowait(full, ITEM(1));
    struct timed g[2], p[2];
    bt_thread *tg[2], *tp[2];
    for (int i = 0; i < 2; i++) {
        g[i] = (struct timed){.q = empty, .timeout = 10};
        p[i] = (struct timed){
            .q = full, .timeout = BT_TIMEOUT_NONE, .item = ITEM(2)};
        tg[i] = start_thread(timed_get, &g[i]);
        tp[i] = start_thread(timed_put, &p[i]);
    }
    bt_time_sleep(0.05, NULL);
    bt_queue_shutdown(empty, false);
    bt_queue_shutdown(full, false);
    for (int i = 0; i < 2; i++) {
        reap(tg[i]);
        reap(tp[i]);
        cr_expect_eq(g[i].rc, BT_ECLOSED);
        cr_expect_eq(p[i].rc, BT_ECLOSED);
        cr_expect_lt(g[i].waited, 5.0);
    }
    void *item;
    cr_expect_eq(bt_queue_get_nowait(full, &item), 0,
                 "the item put before shutdown");
    bt_queue_free(empty);
    bt_queue_free(full);
}

static int join_thread(void *arg, bt_err *err)
{
    (void)err;
    return bt_queue_join(arg);
}

Test(shutdown, immediate_drains_disposes_and_releases_join)
{
    bt_queue *q;
    atomic_store(&disposed, 0);
    cr_assert_eq(bt_queue_new(&q, 0), 0);
    bt_queue_set_dispose(q, count_dispose, &disposed);
    for (int i = 0; i < 5; i++)
        bt_queue_put_nowait(q, ITEM(i));
    void *p;
    cr_assert_eq(bt_queue_get_nowait(q, &p), 0);
    cr_assert_eq(bt_queue_task_done(q, NULL), 0);
    bt_thread *j = start_thread(join_thread, q);
    bt_time_sleep(0.02, NULL);
    cr_expect(bt_thread_is_alive(j), "four tasks are not done");
    bt_queue_shutdown(q, true);
    cr_expect_eq(reap(j), 0);
    cr_expect_eq(atomic_load(&disposed), 4);
    cr_expect_eq(bt_queue_qsize(q), 0);
    cr_expect_eq(bt_queue_get_nowait(q, &p), BT_ECLOSED);
    bt_queue_shutdown(q, true);
    cr_expect_eq(atomic_load(&disposed), 4, "twice is harmless");
    bt_queue_free(q);
}

Test(queue, free_disposes_what_is_left)
{
    atomic_store(&disposed, 0);
    bt_queue *q;
    bt_simplequeue *s;
    int ascending = 1;
    cr_assert_eq(bt_priorityqueue_new(&q, 0, by_value, &ascending), 0);
    cr_assert_eq(bt_simplequeue_new(&s), 0);
    bt_queue_set_dispose(q, count_dispose, &disposed);
    bt_simplequeue_set_dispose(s, count_dispose, &disposed);
    for (int i = 0; i < 3; i++) {
        bt_queue_put_nowait(q, ITEM(i));
        bt_simplequeue_put(s, ITEM(i));
    }
    bt_queue_free(q);
    bt_simplequeue_free(s);
    cr_expect_eq(atomic_load(&disposed), 6);
    bt_simplequeue_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* SimpleQueue                                                               */
/* ------------------------------------------------------------------------ */

struct simple_get {
    bt_simplequeue *q;
    int rc;
    void *item;
};

static int simple_getter(void *arg, bt_err *err)
{
    struct simple_get *g = arg;
    g->rc = bt_simplequeue_get(g->q, &g->item, true, 10, err);
    return 0;
}

Test(simplequeue, fifo_and_blocking_get)
{
    bt_simplequeue *q;
    cr_assert_eq(bt_simplequeue_new(&q), 0);
    cr_expect(bt_simplequeue_empty(q));
    for (int i = 0; i < 100; i++)
        cr_assert_eq(bt_simplequeue_put(q, ITEM(i)), 0);
    cr_expect_eq(bt_simplequeue_qsize(q), 100);
    void *p;
    for (int i = 0; i < 100; i++) {
        cr_assert_eq(bt_simplequeue_get_nowait(q, &p), 0);
        cr_expect_eq(NUM(p), i);
    }
    struct simple_get g = {q, -1, NULL};
    bt_thread *t = start_thread(simple_getter, &g);
    bt_time_sleep(0.02, NULL);
    cr_assert_eq(bt_simplequeue_put_nowait(q, ITEM(7)), 0);
    reap(t);
    cr_expect_eq(g.rc, 0);
    cr_expect_eq(NUM(g.item), 7);
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_simplequeue_get(q, &p, true, 0.05, NULL), BT_EEMPTY);
    cr_expect_geq(bt_time_monotonic() - t0, 0.05);
    bt_simplequeue_free(q);
}

/* ------------------------------------------------------------------------ */
/* Allocation failures                                                       */
/* ------------------------------------------------------------------------ */

static int queue_objects(void *arg)
{
    (void)arg;
    bt_queue *q = NULL, *pq = NULL;
    bt_simplequeue *s = NULL;
    int one = 1;
    int rc = bt_queue_new(&q, 0);
    if (rc == 0)
        rc = bt_priorityqueue_new(&pq, 0, by_value, &one);
    if (rc == 0)
        rc = bt_simplequeue_new(&s);
    /* Enough items to grow each buffer twice. */
    for (int i = 0; rc == 0 && i < 40; i++) {
        rc = bt_queue_put_nowait(q, ITEM(i));
        if (rc == 0)
            rc = bt_queue_put(pq, ITEM(40 - i), true, BT_TIMEOUT_NONE, NULL);
        if (rc == 0)
            rc = bt_simplequeue_put(s, ITEM(i));
    }
    void *p;
    if (rc == 0 && (bt_queue_get_nowait(pq, &p) != 0 || NUM(p) != 1))
        rc = BT_ERUNTIME;
    bt_queue_free(q);
    bt_queue_free(pq);
    bt_simplequeue_free(s);
    return rc;
}

Test(allocfail, queues)
{
    cr_assert_geq(bt_test_allocfail(queue_objects, NULL), 9);
}

static void on_alarm(int sig)
{
    (void)sig;
}

Test(queue, timed_waits_resume_after_signal_handlers)
{
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval every_ms = {{0, 1000}, {0, 1000}}, off = {{0, 0}, {0, 0}};
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, 1), 0);
    cr_assert_eq(setitimer(ITIMER_REAL, &every_ms, NULL), 0);
    void *p;
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_queue_get(q, &p, true, 0.1, NULL), BT_EEMPTY);
    cr_expect_geq(bt_time_monotonic() - t0, 0.1);
    bt_queue_put_nowait(q, ITEM(1));
    t0 = bt_time_monotonic();
    cr_expect_eq(bt_queue_put(q, ITEM(2), true, 0.1, NULL), BT_EFULL);
    cr_expect_geq(bt_time_monotonic() - t0, 0.1);
    setitimer(ITIMER_REAL, &off, NULL);
    bt_queue_free(q);
}
