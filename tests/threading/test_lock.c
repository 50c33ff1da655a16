/* Lock and RLock: mutual exclusion, timeouts measured on the monotonic
 * clock, release from another thread, ownership and recursion. */
#include <criterion/criterion.h>
#include <stdatomic.h>

#include <batteries/threading.h>
#include <batteries/time.h>

#include "bt_test.h"

enum { WORKERS = 4, ROUNDS = 20000 };

struct counter {
    bt_lock *lock;
    bt_rlock *rlock;
    long value; /* guarded by lock (or rlock) */
};

static int add_locked(void *arg, bt_err *err)
{
    struct counter *c = arg;
    for (int i = 0; i < ROUNDS; i++) {
        int rc = bt_lock_acquire(c->lock, true, BT_TIMEOUT_NONE, err);
        if (rc != 1)
            return rc < 0 ? rc : BT_ERUNTIME;
        c->value++;
        if ((rc = bt_lock_release(c->lock, err)) < 0)
            return rc;
    }
    return 0;
}

static int add_rlocked(void *arg, bt_err *err)
{
    struct counter *c = arg;
    for (int i = 0; i < ROUNDS / 4; i++) {
        /* Three levels, as nested "with rlock:" blocks. */
        for (int k = 0; k < 3; k++)
            if (bt_rlock_acquire(c->rlock, true, BT_TIMEOUT_NONE, err) != 1)
                return BT_ERUNTIME;
        c->value++;
        for (int k = 0; k < 3; k++)
            if (bt_rlock_release(c->rlock, err) < 0)
                return BT_ERUNTIME;
    }
    return 0;
}

static void run_workers(bt_thread_fn fn, struct counter *c)
{
    bt_thread *t[WORKERS];
    for (int i = 0; i < WORKERS; i++) {
        cr_assert_eq(bt_thread_new(&t[i], fn, c, "worker"), 0);
        cr_assert_eq(bt_thread_start(t[i], NULL), 0);
    }
    for (int i = 0; i < WORKERS; i++) {
        cr_assert_eq(bt_thread_join(t[i], BT_TIMEOUT_NONE, NULL), 1);
        cr_expect_eq(bt_thread_exitcode(t[i], NULL), 0);
        bt_thread_free(t[i]);
    }
}

Test(lock, mutual_exclusion)
{
    struct counter c = {0};
    cr_assert_eq(bt_lock_new(&c.lock), 0);
    run_workers(add_locked, &c);
    cr_expect_eq(c.value, (long)WORKERS * ROUNDS);
    cr_expect_not(bt_lock_locked(c.lock));
    bt_lock_free(c.lock);
}

Test(lock, locked_and_release)
{
    bt_lock *l;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_lock_new(&l), 0);
    cr_expect_not(bt_lock_locked(l));
    cr_expect_eq(bt_lock_acquire(l, false, BT_TIMEOUT_NONE, NULL), 1);
    cr_expect(bt_lock_locked(l));
    cr_expect_eq(bt_lock_acquire(l, false, BT_TIMEOUT_NONE, NULL), 0,
                 "not reentrant");
    cr_expect_eq(bt_lock_release(l, &err), 0);
    cr_expect_eq(bt_lock_release(l, &err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "release unlocked lock");
    cr_expect_not(bt_lock_locked(l), "a failed release leaves it unlocked");
    bt_lock_free(l);
    bt_lock_free(NULL);
}

struct timed {
    bt_lock *lock;
    double timeout;
    int result;
    double waited;
};

static int timed_acquire(void *arg, bt_err *err)
{
    struct timed *t = arg;
    double t0 = bt_time_monotonic();
    t->result = bt_lock_acquire(t->lock, true, t->timeout, err);
    t->waited = bt_time_monotonic() - t0;
    return t->result < 0 ? t->result : 0;
}

Test(lock, timeout_expires_on_time)
{
    struct timed tm = {.timeout = 0.15};
    cr_assert_eq(bt_lock_new(&tm.lock), 0);
    cr_assert_eq(bt_lock_acquire(tm.lock, true, BT_TIMEOUT_NONE, NULL), 1);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, timed_acquire, &tm, "timed_acquire"), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(tm.result, 0);
    cr_expect_geq(tm.waited, 0.15, "waited %.4f s", tm.waited);
    cr_expect_lt(tm.waited, 2.0, "waited %.4f s", tm.waited);
    bt_thread_free(t);
    bt_lock_release(tm.lock, NULL);
    bt_lock_free(tm.lock);
}

Test(lock, waiter_wakes_when_released_by_another_thread)
{
    /* Python's Lock may be released by any thread: the main thread takes
     * it, a worker waits, and a third party releases it. */
    struct timed tm = {.timeout = 10};
    cr_assert_eq(bt_lock_new(&tm.lock), 0);
    cr_assert_eq(bt_lock_acquire(tm.lock, true, BT_TIMEOUT_NONE, NULL), 1);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, timed_acquire, &tm, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    bt_time_sleep(0.05, NULL);
    cr_expect(bt_thread_is_alive(t), "still waiting");
    cr_assert_eq(bt_lock_release(tm.lock, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(tm.result, 1);
    cr_expect_lt(tm.waited, 5.0);
    cr_expect(bt_lock_locked(tm.lock), "the worker holds it now");
    bt_thread_free(t);
    cr_expect_eq(bt_lock_release(tm.lock, NULL), 0,
                 "released by a thread that did not take it");
    bt_lock_free(tm.lock);
}

/* Two locks used as binary semaphores, passing a turn back and forth: any
 * lost wake-up would hang (and the join's timeout would catch it). */
struct pingpong {
    bt_lock *ping, *pong;
    int rounds;
    atomic_int hits;
};

static int ponger(void *arg, bt_err *err)
{
    struct pingpong *p = arg;
    for (int i = 0; i < p->rounds; i++) {
        if (bt_lock_acquire(p->ping, true, 5, err) != 1)
            return BT_ETIMEDOUT;
        atomic_fetch_add(&p->hits, 1);
        bt_lock_release(p->pong, NULL);
    }
    return 0;
}

Test(lock, handoff_between_threads_loses_no_wakeup)
{
    struct pingpong p = {.rounds = 5000};
    cr_assert_eq(bt_lock_new(&p.ping), 0);
    cr_assert_eq(bt_lock_new(&p.pong), 0);
    bt_lock_acquire(p.ping, true, BT_TIMEOUT_NONE, NULL);
    bt_lock_acquire(p.pong, true, BT_TIMEOUT_NONE, NULL);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, ponger, &p, "ponger"), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    for (int i = 0; i < p.rounds; i++) {
        bt_lock_release(p.ping, NULL);
        cr_assert_eq(bt_lock_acquire(p.pong, true, 5, NULL), 1, "round %d", i);
    }
    cr_assert_eq(bt_thread_join(t, 10, NULL), 1);
    cr_expect_eq(bt_thread_exitcode(t, NULL), 0);
    cr_expect_eq(atomic_load(&p.hits), p.rounds);
    bt_thread_free(t);
    bt_lock_free(p.ping);
    bt_lock_free(p.pong);
}

Test(rlock, recursion_and_owner)
{
    bt_rlock *r;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_rlock_new(&r), 0);
    cr_expect_eq(bt_rlock_owner(r), 0);
    cr_expect_eq(bt_rlock_count(r), 0);
    for (int i = 1; i <= 3; i++) {
        cr_expect_eq(bt_rlock_acquire(r, true, BT_TIMEOUT_NONE, NULL), 1);
        cr_expect_eq(bt_rlock_count(r), (size_t)i);
    }
    cr_expect_eq(bt_rlock_owner(r), bt_threading_get_ident());
    for (int i = 2; i >= 0; i--) {
        cr_expect_eq(bt_rlock_release(r, &err), 0);
        cr_expect_eq(bt_rlock_count(r), (size_t)i);
    }
    cr_expect_eq(bt_rlock_owner(r), 0);
    cr_expect_eq(bt_rlock_release(r, &err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "cannot release un-acquired lock");
    bt_rlock_free(r);
    bt_rlock_free(NULL);
}

struct foreign {
    bt_rlock *r;
    int acquire_rc, release_rc;
    bt_err release_err;
};

static int foreign_thread(void *arg, bt_err *err)
{
    (void)err;
    struct foreign *f = arg;
    f->acquire_rc = bt_rlock_acquire(f->r, true, 0.05, NULL);
    f->release_rc = bt_rlock_release(f->r, &f->release_err);
    return 0;
}

Test(rlock, other_threads_neither_take_nor_release_it)
{
    struct foreign f = {.release_err = BT_ERR_INIT};
    cr_assert_eq(bt_rlock_new(&f.r), 0);
    cr_assert_eq(bt_rlock_acquire(f.r, true, BT_TIMEOUT_NONE, NULL), 1);
    cr_assert_eq(bt_rlock_acquire(f.r, true, BT_TIMEOUT_NONE, NULL), 1);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, foreign_thread, &f, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(f.acquire_rc, 0, "held by the main thread");
    cr_expect_eq(f.release_rc, BT_ERUNTIME);
    cr_expect_str_eq(f.release_err.msg, "cannot release un-acquired lock");
    cr_expect_eq(bt_rlock_count(f.r), 2, "untouched by the failed release");
    bt_thread_free(t);
    bt_rlock_release(f.r, NULL);
    bt_rlock_release(f.r, NULL);
    bt_rlock_free(f.r);
}

Test(rlock, mutual_exclusion)
{
    struct counter c = {0};
    cr_assert_eq(bt_rlock_new(&c.rlock), 0);
    run_workers(add_rlocked, &c);
    cr_expect_eq(c.value, (long)WORKERS * (ROUNDS / 4));
    cr_expect_eq(bt_rlock_owner(c.rlock), 0);
    bt_rlock_free(c.rlock);
}

static int lock_objects(void *arg)
{
    (void)arg;
    bt_lock *l = NULL;
    bt_rlock *r = NULL;
    int rc = bt_lock_new(&l);
    if (rc == 0)
        rc = bt_rlock_new(&r);
    if (rc == 0 && (bt_lock_acquire(l, true, 1, NULL) != 1 ||
                    bt_lock_release(l, NULL) != 0 ||
                    bt_rlock_acquire(r, true, 1, NULL) != 1 ||
                    bt_rlock_release(r, NULL) != 0))
        rc = BT_ERUNTIME;
    bt_lock_free(l);
    bt_rlock_free(r);
    return rc;
}

Test(allocfail, locks)
{
    cr_assert_geq(bt_test_allocfail(lock_objects, NULL), 2);
}
