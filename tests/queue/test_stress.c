/* Many producers and consumers: every item delivered exactly once, for
 * each kind of queue, with blocking calls, with timeouts that expire while
 * items are being handed over, and with a shutdown in the middle. */
#include <criterion/criterion.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

#include <batteries/queue.h>
#include <batteries/time.h>

#include "bt_test.h"

#define ITEM(n) ((void *)(uintptr_t)(n))
#define NUM(p)  ((long)(uintptr_t)(p))

enum {
    PRODUCERS = 4,
    CONSUMERS = 4,
    PER_PRODUCER = 5000,
    TOTAL = PRODUCERS * PER_PRODUCER
};

/* Item n is n + 1 (so no item is NULL); SENTINEL ends a SimpleQueue
 * consumer. */
#define SENTINEL ITEM(TOTAL + 1)

struct run {
    bt_queue *q;
    bt_simplequeue *sq;
    double put_timeout, get_timeout; /* 0: block forever */
    atomic_int next_producer;
    atomic_uchar seen[TOTAL + 2];
    atomic_uchar put_ok[TOTAL + 2];
    atomic_long delivered, timeouts, disposed, refused;
};

static int produce(void *arg, bt_err *err)
{
    struct run *r = arg;
    int p = atomic_fetch_add(&r->next_producer, 1);
    for (int i = 0; i < PER_PRODUCER; i++) {
        long n = (long)p * PER_PRODUCER + i + 1;
        int rc;
        if (r->sq) {
            rc = bt_simplequeue_put(r->sq, ITEM(n));
        } else {
            double t = r->put_timeout ? r->put_timeout : BT_TIMEOUT_NONE;
            while ((rc = bt_queue_put(r->q, ITEM(n), true, t, err)) == BT_EFULL)
                atomic_fetch_add(&r->timeouts, 1);
        }
        if (rc == BT_ECLOSED) {
            atomic_fetch_add(&r->refused, 1);
            return 0; /* shut down: this item and the rest never entered */
        }
        if (rc < 0)
            return rc;
        atomic_store(&r->put_ok[n], 1);
    }
    return 0;
}

static int consume(void *arg, bt_err *err)
{
    struct run *r = arg;
    for (;;) {
        void *item;
        int rc;
        if (r->sq) {
            rc = bt_simplequeue_get(r->sq, &item, true, BT_TIMEOUT_NONE, err);
        } else {
            double t = r->get_timeout ? r->get_timeout : BT_TIMEOUT_NONE;
            while ((rc = bt_queue_get(r->q, &item, true, t, err)) == BT_EEMPTY)
                atomic_fetch_add(&r->timeouts, 1);
        }
        if (rc == BT_ECLOSED)
            return 0;
        if (rc < 0)
            return rc;
        if (item == SENTINEL)
            return 0;
        long n = NUM(item);
        if (n < 1 || n > TOTAL)
            return BT_EVALUE;
        atomic_fetch_add(&r->seen[n], 1);
        atomic_fetch_add(&r->delivered, 1);
    }
}

static void on_dispose(void *item, void *ctx)
{
    struct run *r = ctx;
    atomic_fetch_add(&r->seen[NUM(item)], 1);
    atomic_fetch_add(&r->disposed, 1);
}

static struct run *new_run(void)
{
    struct run *r = calloc(1, sizeof *r);
    cr_assert_not_null(r);
    return r;
}

/* Runs the producers and consumers; stop_after > 0 shuts the queue down
 * (immediately) that many seconds in, instead of after the producers. */
static void run(struct run *r, double stop_after)
{
    bt_thread *p[PRODUCERS], *c[CONSUMERS];
    if (r->q)
        bt_queue_set_dispose(r->q, on_dispose, r);
    for (int i = 0; i < CONSUMERS; i++) {
        cr_assert_eq(bt_thread_new(&c[i], consume, r, "consume"), 0);
        cr_assert_eq(bt_thread_start(c[i], NULL), 0);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_new(&p[i], produce, r, "produce"), 0);
        cr_assert_eq(bt_thread_start(p[i], NULL), 0);
    }
    if (stop_after > 0) {
        bt_time_sleep(stop_after, NULL);
        bt_queue_shutdown(r->q, true);
    }
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_join(p[i], 30, NULL), 1, "producer %d hangs", i);
        cr_expect_eq(bt_thread_exitcode(p[i], NULL), 0);
        bt_thread_free(p[i]);
    }
    if (r->sq)
        for (int i = 0; i < CONSUMERS; i++)
            cr_assert_eq(bt_simplequeue_put(r->sq, SENTINEL), 0);
    else if (stop_after <= 0)
        bt_queue_shutdown(r->q, false);
    for (int i = 0; i < CONSUMERS; i++) {
        cr_assert_eq(bt_thread_join(c[i], 30, NULL), 1, "consumer %d hangs", i);
        cr_expect_eq(bt_thread_exitcode(c[i], NULL), 0);
        bt_thread_free(c[i]);
    }
}

/* Every item that was put is seen exactly once, and no other. */
static void check_exactly_once(struct run *r)
{
    long put = 0;
    for (long n = 1; n <= TOTAL; n++) {
        int seen = atomic_load(&r->seen[n]), ok = atomic_load(&r->put_ok[n]);
        put += ok;
        cr_assert_eq(seen, ok, "item %ld: put %d, seen %d times", n, ok, seen);
    }
    cr_expect_eq(atomic_load(&r->delivered) + atomic_load(&r->disposed), put);
}

static int by_value(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    return (NUM(a) > NUM(b)) - (NUM(a) < NUM(b));
}

static void kind_case(int kind, ptrdiff_t maxsize)
{
    struct run *r = new_run();
    if (kind == 0)
        cr_assert_eq(bt_queue_new(&r->q, maxsize), 0);
    else if (kind == 1)
        cr_assert_eq(bt_lifoqueue_new(&r->q, maxsize), 0);
    else if (kind == 2)
        cr_assert_eq(bt_priorityqueue_new(&r->q, maxsize, by_value, NULL), 0);
    else
        cr_assert_eq(bt_simplequeue_new(&r->sq), 0);
    run(r, 0);
    check_exactly_once(r);
    cr_expect_eq(atomic_load(&r->delivered), TOTAL);
    bt_queue_free(r->q);
    bt_simplequeue_free(r->sq);
    free(r);
}

Test(stress, fifo_bounded_exactly_once)
{
    kind_case(0, 8);
}

Test(stress, fifo_unbounded_exactly_once)
{
    kind_case(0, 0);
}

Test(stress, lifo_bounded_exactly_once)
{
    kind_case(1, 3);
}

Test(stress, priority_bounded_exactly_once)
{
    kind_case(2, 16);
}

Test(stress, simplequeue_exactly_once)
{
    kind_case(3, 0);
}

Test(stress, timeouts_racing_handoffs_lose_nothing)
{
    /* Gets and puts whose timeouts keep expiring while items are handed
     * over: a waiter that times out just as it receives an item keeps it.
     * Every run must deliver each item once; runs repeat (up to 5) until
     * some timeouts did expire, so the race was really run. */
    long expired = 0;
    for (int attempt = 0; attempt < 5 && expired == 0; attempt++) {
        struct run *r = new_run();
        cr_assert_eq(bt_queue_new(&r->q, 2), 0);
        r->get_timeout = 0.00005;
        r->put_timeout = 0.00002;
        run(r, 0);
        check_exactly_once(r);
        cr_expect_eq(atomic_load(&r->delivered), TOTAL);
        expired = atomic_load(&r->timeouts);
        bt_queue_free(r->q);
        free(r);
    }
    cr_expect_gt(expired, 0, "the timeouts did expire");
}

Test(stress, immediate_shutdown_during_puts_and_gets)
{
    struct run *r = new_run();
    cr_assert_eq(bt_queue_new(&r->q, 64), 0);
    run(r, 0.005);
    /* Items put before the shutdown went to a consumer or to dispose;
     * none is lost, none is seen twice, none refused is seen. */
    check_exactly_once(r);
    cr_expect(bt_queue_is_shutdown(r->q));
    bt_queue_free(r->q);
    free(r);
}

Test(stress, plain_shutdown_during_blocked_puts)
{
    struct run *r = new_run();
    cr_assert_eq(bt_queue_new(&r->q, 4), 0);
    /* No consumers: producers block on the full queue, then shutdown
     * refuses them all; the four items in it can still be got. */
    bt_thread *p[PRODUCERS];
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_new(&p[i], produce, r, NULL), 0);
        cr_assert_eq(bt_thread_start(p[i], NULL), 0);
    }
    while (bt_queue_qsize(r->q) < 4)
        bt_time_sleep(0.001, NULL);
    bt_time_sleep(0.02, NULL);
    bt_queue_shutdown(r->q, false);
    for (int i = 0; i < PRODUCERS; i++) {
        cr_assert_eq(bt_thread_join(p[i], 10, NULL), 1);
        bt_thread_free(p[i]);
    }
    cr_expect_eq(atomic_load(&r->refused), PRODUCERS,
                 "every producer was refused");
    void *item;
    int got = 0;
    while (bt_queue_get_nowait(r->q, &item) == 0) {
        cr_expect_eq(atomic_load(&r->put_ok[NUM(item)]), 1);
        got++;
    }
    cr_expect_eq(got, 4);
    bt_queue_free(r->q);
    free(r);
}
