/* Condition, Semaphore, BoundedSemaphore, Event and Barrier with threads:
 * notification order, timeouts, restored recursion, permits never
 * exceeded, barrier rounds, breaking, resetting and failing actions. */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/time.h>

#include <batteries/threading.h>
#include <batteries/time.h>

#include "helpers.h"

static void reap(bt_thread *t)
{
    cr_assert_eq(bt_thread_join(t, 10, NULL), 1, "thread did not end");
    cr_expect_eq(bt_thread_exitcode(t, NULL), 0);
    bt_thread_free(t);
}

/* ------------------------------------------------------------------------ */
/* Condition                                                                 */
/* ------------------------------------------------------------------------ */

enum { WAITERS = 3 };

struct ordered {
    bt_condition *cond;
    int ready;          /* guarded by the condition's lock */
    int woken[WAITERS]; /* order of wake-ups */
    int nwoken;
};

struct ordered_arg {
    struct ordered *o;
    int id;
};

static int ordered_waiter(void *arg, bt_err *err)
{
    struct ordered_arg *a = arg;
    struct ordered *o = a->o;
    bt_condition_acquire(o->cond, true, BT_TIMEOUT_NONE, NULL);
    o->ready++;
    int rc = bt_condition_wait(o->cond, 10, err);
    o->woken[o->nwoken++] = a->id;
    bt_condition_release(o->cond, NULL);
    return rc == 1 ? 0 : BT_ETIMEDOUT;
}

static void wait_ready(struct ordered *o, int n)
{
    /* ready is counted under the lock before wait() releases it: once the
     * main thread holds the lock with ready == n, all n are waiting. */
    for (;;) {
        bt_condition_acquire(o->cond, true, BT_TIMEOUT_NONE, NULL);
        if (o->ready == n)
            return; /* lock held */
        bt_condition_release(o->cond, NULL);
        bt_time_sleep(0.001, NULL);
    }
}

Test(condition, notify_wakes_the_longest_waiting_first)
{
    struct ordered o = {0};
    struct ordered_arg args[WAITERS];
    bt_thread *t[WAITERS];
    cr_assert_eq(bt_condition_new(&o.cond), 0);
    for (int i = 0; i < WAITERS; i++) {
        args[i] = (struct ordered_arg){&o, i};
        t[i] = start_thread(ordered_waiter, &args[i]);
        wait_ready(&o, i + 1);
        bt_condition_release(o.cond, NULL);
    }
    bt_condition_acquire(o.cond, true, BT_TIMEOUT_NONE, NULL);
    cr_assert_eq(bt_condition_notify(o.cond, 1, NULL), 0);
    bt_condition_release(o.cond, NULL);
    reap(t[0]);
    bt_condition_acquire(o.cond, true, BT_TIMEOUT_NONE, NULL);
    cr_expect_eq(o.nwoken, 1, "notify(1) woke one thread");
    cr_expect_eq(o.woken[0], 0, "the first to wait");
    cr_assert_eq(bt_condition_notify(o.cond, 5, NULL), 0,
                 "n beyond the waiters is fine");
    bt_condition_release(o.cond, NULL);
    reap(t[1]);
    reap(t[2]);
    cr_expect_eq(o.nwoken, 3);
    bt_condition_free(o.cond);
}

Test(condition, wait_restores_every_rlock_level)
{
    bt_rlock *r;
    bt_condition *c;
    cr_assert_eq(bt_rlock_new(&r), 0);
    cr_assert_eq(bt_condition_new_with_rlock(&c, r), 0);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(bt_condition_acquire(c, true, BT_TIMEOUT_NONE, NULL), 1);
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_condition_wait(c, 0.05, NULL), 0);
    double waited = bt_time_monotonic() - t0;
    cr_expect_geq(waited, 0.05, "waited %.4f", waited);
    cr_expect_lt(waited, 3.0);
    cr_expect_eq(bt_rlock_count(r), 3);
    cr_expect_eq(bt_rlock_owner(r), bt_threading_get_ident());
    for (int i = 0; i < 3; i++)
        cr_assert_eq(bt_condition_release(c, NULL), 0);
    bt_condition_free(c);
    bt_rlock_free(r);
}

/* A bounded buffer on one Lock shared by two conditions, as queue.Queue
 * builds its not_empty and not_full. */
enum { SLOTS = 4, ITEMS = 3000 };

struct buffer {
    bt_lock *lock;
    bt_condition *not_empty, *not_full;
    int items[SLOTS];
    int head, count;
    long sum;
};

static bool has_item(void *p)
{
    return ((struct buffer *)p)->count > 0;
}

static bool has_room(void *p)
{
    return ((struct buffer *)p)->count < SLOTS;
}

static int producer(void *arg, bt_err *err)
{
    struct buffer *b = arg;
    for (int i = 1; i <= ITEMS; i++) {
        bt_condition_acquire(b->not_full, true, BT_TIMEOUT_NONE, NULL);
        if (bt_condition_wait_for(b->not_full, has_room, b, 10, err) != 1)
            return BT_ETIMEDOUT;
        b->items[(b->head + b->count++) % SLOTS] = i;
        bt_condition_notify(b->not_empty, 1, NULL);
        bt_condition_release(b->not_full, NULL);
    }
    return 0;
}

static int consumer(void *arg, bt_err *err)
{
    struct buffer *b = arg;
    for (int i = 1; i <= ITEMS; i++) {
        bt_condition_acquire(b->not_empty, true, BT_TIMEOUT_NONE, NULL);
        if (bt_condition_wait_for(b->not_empty, has_item, b, 10, err) != 1)
            return BT_ETIMEDOUT;
        int v = b->items[b->head];
        b->head = (b->head + 1) % SLOTS;
        b->count--;
        if (v != i)
            return BT_EVALUE; /* out of order */
        b->sum += v;
        bt_condition_notify(b->not_full, 1, NULL);
        bt_condition_release(b->not_empty, NULL);
    }
    return 0;
}

Test(condition, bounded_buffer_on_a_shared_lock)
{
    struct buffer b = {0};
    cr_assert_eq(bt_lock_new(&b.lock), 0);
    cr_assert_eq(bt_condition_new_with_lock(&b.not_empty, b.lock), 0);
    cr_assert_eq(bt_condition_new_with_lock(&b.not_full, b.lock), 0);
    bt_thread *c = start_thread(consumer, &b), *p = start_thread(producer, &b);
    reap(p);
    reap(c);
    cr_expect_eq(b.sum, (long)ITEMS * (ITEMS + 1) / 2);
    bt_condition_free(b.not_empty);
    bt_condition_free(b.not_full);
    bt_lock_free(b.lock);
}

struct all {
    bt_condition *cond;
    int ready, go, done;
};

static bool go_set(void *p)
{
    return ((struct all *)p)->go;
}

static int all_waiter(void *arg, bt_err *err)
{
    struct all *a = arg;
    bt_condition_acquire(a->cond, true, BT_TIMEOUT_NONE, NULL);
    a->ready++;
    int rc = bt_condition_wait_for(a->cond, go_set, a, 10, err);
    a->done++;
    bt_condition_release(a->cond, NULL);
    return rc == 1 ? 0 : BT_ETIMEDOUT;
}

Test(condition, notify_all_wakes_everyone)
{
    struct all a = {0};
    bt_thread *t[5];
    cr_assert_eq(bt_condition_new(&a.cond), 0);
    for (int i = 0; i < 5; i++)
        t[i] = start_thread(all_waiter, &a);
    for (;;) {
        bt_condition_acquire(a.cond, true, BT_TIMEOUT_NONE, NULL);
        if (a.ready == 5)
            break;
        bt_condition_release(a.cond, NULL);
        bt_time_sleep(0.001, NULL);
    }
    a.go = 1;
    cr_assert_eq(bt_condition_notify_all(a.cond, NULL), 0);
    bt_condition_release(a.cond, NULL);
    for (int i = 0; i < 5; i++)
        reap(t[i]);
    cr_expect_eq(a.done, 5);
    bt_condition_free(a.cond);
}

Test(condition, wait_for_counts_the_timeout_from_the_call)
{
    bt_condition *c;
    cr_assert_eq(bt_condition_new(&c), 0);
    bt_condition_acquire(c, true, BT_TIMEOUT_NONE, NULL);
    struct all a = {0};
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_condition_wait_for(c, go_set, &a, 0.1, NULL), 0);
    double waited = bt_time_monotonic() - t0;
    cr_expect_geq(waited, 0.1, "waited %.4f", waited);
    cr_expect_lt(waited, 3.0);
    bt_condition_release(c, NULL);
    bt_condition_free(c);
}

/* ------------------------------------------------------------------------ */
/* Semaphore                                                                 */
/* ------------------------------------------------------------------------ */

struct pool {
    bt_semaphore *sem;
    atomic_int inside, most;
};

static int pool_user(void *arg, bt_err *err)
{
    struct pool *p = arg;
    for (int i = 0; i < 200; i++) {
        if (bt_semaphore_acquire(p->sem, true, 10, err) != 1)
            return BT_ETIMEDOUT;
        int now = atomic_fetch_add(&p->inside, 1) + 1;
        int most = atomic_load(&p->most);
        while (now > most &&
               !atomic_compare_exchange_weak(&p->most, &most, now))
            ;
        atomic_fetch_sub(&p->inside, 1);
        if (bt_semaphore_release(p->sem, 1, err) < 0)
            return BT_ERUNTIME;
    }
    return 0;
}

Test(semaphore, never_more_holders_than_permits)
{
    struct pool p = {0};
    cr_assert_eq(bt_bounded_semaphore_new(&p.sem, 2, NULL), 0);
    bt_thread *t[6];
    for (int i = 0; i < 6; i++)
        t[i] = start_thread(pool_user, &p);
    for (int i = 0; i < 6; i++)
        reap(t[i]);
    cr_expect_leq(atomic_load(&p.most), 2);
    cr_expect_geq(atomic_load(&p.most), 1);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_semaphore_release(p.sem, 1, &err), BT_EVALUE,
                 "all permits are back");
    cr_expect_str_eq(err.msg, "Semaphore released too many times");
    bt_semaphore_free(p.sem);
}

Test(semaphore, timeout_and_release_many)
{
    bt_semaphore *s;
    cr_assert_eq(bt_semaphore_new(&s, 0, NULL), 0);
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_semaphore_acquire(s, true, 0.05, NULL), 0);
    cr_expect_geq(bt_time_monotonic() - t0, 0.05);
    cr_expect_eq(bt_semaphore_release(s, 3, NULL), 0, "an unbounded one grows");
    for (int i = 0; i < 3; i++)
        cr_expect_eq(bt_semaphore_acquire(s, false, BT_TIMEOUT_NONE, NULL), 1);
    cr_expect_eq(bt_semaphore_acquire(s, false, BT_TIMEOUT_NONE, NULL), 0);
    bt_semaphore_free(s);
    bt_semaphore_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* Event                                                                     */
/* ------------------------------------------------------------------------ */

static int event_waiter(void *arg, bt_err *err)
{
    return bt_event_wait(arg, 10, err) == 1 ? 0 : BT_ETIMEDOUT;
}

Test(event, set_wakes_every_waiter)
{
    bt_event *e;
    cr_assert_eq(bt_event_new(&e), 0);
    cr_expect_not(bt_event_is_set(e));
    bt_thread *t[4];
    for (int i = 0; i < 4; i++)
        t[i] = start_thread(event_waiter, e);
    bt_time_sleep(0.02, NULL);
    bt_event_set(e);
    cr_expect(bt_event_is_set(e));
    for (int i = 0; i < 4; i++)
        reap(t[i]);
    cr_expect_eq(bt_event_wait(e, 0, NULL), 1, "set: no wait");
    bt_event_clear(e);
    cr_expect_not(bt_event_is_set(e));
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_event_wait(e, 0.05, NULL), 0);
    cr_expect_geq(bt_time_monotonic() - t0, 0.05);
    bt_event_free(e);
    bt_event_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* Barrier                                                                   */
/* ------------------------------------------------------------------------ */

enum { PARTIES = 4, BARRIER_ROUNDS = 50 };

struct meet {
    bt_barrier *b;
    atomic_int actions;
    atomic_int seen[BARRIER_ROUNDS][PARTIES];
    atomic_int fail_round; /* the action fails in this round, or -1 */
    atomic_int broken, failed;
};

static int count_action(void *arg, bt_err *err)
{
    struct meet *m = arg;
    int n = atomic_fetch_add(&m->actions, 1);
    if (n == atomic_load(&m->fail_round))
        return bt_err_setf(err, BT_EVALUE, -1, "action failed in round %d", n);
    return 0;
}

static int meeter(void *arg, bt_err *err)
{
    struct meet *m = arg;
    for (int r = 0; r < BARRIER_ROUNDS; r++) {
        ptrdiff_t i = bt_barrier_wait(m->b, 10, err);
        if (i == BT_EBROKEN) {
            atomic_fetch_add(&m->broken, 1);
            return 0;
        }
        if (i == BT_EVALUE) {
            atomic_fetch_add(&m->failed, 1);
            return strcmp(err->msg, "action failed in round 3") == 0
                       ? 0
                       : BT_ERUNTIME;
        }
        if (i < 0 || i >= PARTIES)
            return BT_ERUNTIME;
        atomic_fetch_add(&m->seen[r][i], 1);
    }
    return 0;
}

Test(barrier, rounds_give_each_index_once)
{
    static struct meet m;
    memset(&m, 0, sizeof m);
    atomic_store(&m.fail_round, -1);
    cr_assert_eq(
        bt_barrier_new(&m.b, PARTIES, count_action, &m, BT_TIMEOUT_NONE, NULL),
        0);
    cr_expect_eq(bt_barrier_parties(m.b), PARTIES);
    bt_thread *t[PARTIES];
    for (int i = 0; i < PARTIES; i++)
        t[i] = start_thread(meeter, &m);
    for (int i = 0; i < PARTIES; i++)
        reap(t[i]);
    cr_expect_eq(atomic_load(&m.actions), BARRIER_ROUNDS,
                 "one action per round");
    for (int r = 0; r < BARRIER_ROUNDS; r++)
        for (int i = 0; i < PARTIES; i++)
            cr_expect_eq(atomic_load(&m.seen[r][i]), 1, "round %d index %d", r,
                         i);
    cr_expect_not(bt_barrier_broken(m.b));
    cr_expect_eq(bt_barrier_n_waiting(m.b), 0);
    bt_barrier_free(m.b);
}

Test(barrier, failing_action_breaks_it)
{
    static struct meet m;
    memset(&m, 0, sizeof m);
    atomic_store(&m.fail_round, 3);
    cr_assert_eq(
        bt_barrier_new(&m.b, PARTIES, count_action, &m, BT_TIMEOUT_NONE, NULL),
        0);
    bt_thread *t[PARTIES];
    for (int i = 0; i < PARTIES; i++)
        t[i] = start_thread(meeter, &m);
    for (int i = 0; i < PARTIES; i++)
        reap(t[i]);
    cr_expect_eq(atomic_load(&m.failed), 1,
                 "the thread that ran the action gets its error");
    cr_expect_eq(atomic_load(&m.broken), PARTIES - 1,
                 "the others get BrokenBarrierError");
    cr_expect(bt_barrier_broken(m.b));
    bt_barrier_reset(m.b);
    cr_expect_not(bt_barrier_broken(m.b), "reset mends it");
    bt_barrier_free(m.b);
}

static int lone_waiter(void *arg, bt_err *err)
{
    ptrdiff_t rc = bt_barrier_wait(arg, 10, err);
    return rc == BT_EBROKEN ? 0 : BT_ERUNTIME;
}

static void wait_n_waiting(bt_barrier *b, size_t n)
{
    double end = bt_time_monotonic() + 10;
    while (bt_barrier_n_waiting(b) != n && bt_time_monotonic() < end)
        bt_time_sleep(0.001, NULL);
    cr_assert_eq(bt_barrier_n_waiting(b), n);
}

Test(barrier, abort_and_reset_release_waiters)
{
    bt_barrier *b;
    cr_assert_eq(bt_barrier_new(&b, 3, NULL, NULL, BT_TIMEOUT_NONE, NULL), 0);
    bt_thread *t1 = start_thread(lone_waiter, b),
              *t2 = start_thread(lone_waiter, b);
    wait_n_waiting(b, 2);
    bt_barrier_abort(b);
    reap(t1);
    reap(t2);
    cr_expect(bt_barrier_broken(b));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_barrier_wait(b, 1, &err), BT_EBROKEN, "stays broken");
    cr_expect_str_eq(err.msg, "");
    bt_barrier_reset(b);
    cr_expect_not(bt_barrier_broken(b));

    t1 = start_thread(lone_waiter, b);
    wait_n_waiting(b, 1);
    bt_barrier_reset(b); /* a reset with a waiter breaks its wait */
    reap(t1);
    cr_expect_not(bt_barrier_broken(b), "after the reset drains it is usable");
    bt_barrier_free(b);
}

Test(barrier, timeout_breaks_it)
{
    bt_barrier *b;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_barrier_new(&b, 2, NULL, NULL, 0.05, NULL), 0);
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_barrier_wait(b, BT_TIMEOUT_NONE, &err), BT_EBROKEN,
                 "the default timeout");
    cr_expect_geq(bt_time_monotonic() - t0, 0.05);
    cr_expect(bt_barrier_broken(b));
    bt_barrier_free(b);
    cr_expect_eq(bt_barrier_new(&b, 0, NULL, NULL, BT_TIMEOUT_NONE, &err),
                 BT_EVALUE);
    cr_expect_str_eq(err.msg, "parties must be >= 1");
    bt_barrier_free(NULL);
}

static int sync_objects(void *arg)
{
    (void)arg;
    bt_condition *c = NULL, *c2 = NULL;
    bt_semaphore *s = NULL;
    bt_event *e = NULL;
    bt_barrier *b = NULL;
    bt_lock *l = NULL;
    int rc = bt_condition_new(&c);
    if (rc == 0)
        rc = bt_lock_new(&l);
    if (rc == 0)
        rc = bt_condition_new_with_lock(&c2, l);
    if (rc == 0)
        rc = bt_semaphore_new(&s, 1, NULL);
    if (rc == 0)
        rc = bt_event_new(&e);
    if (rc == 0)
        rc = bt_barrier_new(&b, 1, NULL, NULL, BT_TIMEOUT_NONE, NULL);
    if (rc == 0 && bt_barrier_wait(b, 1, NULL) != 0)
        rc = BT_ERUNTIME;
    bt_condition_free(c);
    bt_condition_free(c2);
    bt_lock_free(l);
    bt_semaphore_free(s);
    bt_event_free(e);
    bt_barrier_free(b);
    return rc;
}

Test(allocfail, sync_objects)
{
    cr_assert_geq(bt_test_allocfail(sync_objects, NULL), 5);
}

/* ------------------------------------------------------------------------ */
/* Signals                                                                   */
/* ------------------------------------------------------------------------ */

static void on_alarm(int sig)
{
    (void)sig;
}

static void ticking(bool on)
{
    /* A signal handler runs every millisecond (PEP 475's test idea). */
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, on ? 1000 : 0}, {0, on ? 1000 : 0}};
    cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

/* Each timed wait must last its full time although signal handlers
 * interrupt it again and again, and report a timeout, not an error. */
static void expect_full_wait(int rc, int want, double t0, const char *what)
{
    double waited = bt_time_monotonic() - t0;
    cr_expect_eq(rc, want, "%s returned %d", what, rc);
    cr_expect_geq(waited, 0.1, "%s waited %.4f s", what, waited);
    cr_expect_lt(waited, 5.0, "%s waited %.4f s", what, waited);
}

static int sleepy(void *arg, bt_err *err)
{
    (void)arg;
    return bt_time_sleep(0.3, err);
}

Test(signals, timed_waits_resume_after_handlers)
{
    bt_lock *l;
    bt_condition *c;
    bt_semaphore *s;
    bt_event *e;
    bt_barrier *b;
    cr_assert_eq(bt_lock_new(&l), 0);
    cr_assert_eq(bt_condition_new(&c), 0);
    cr_assert_eq(bt_semaphore_new(&s, 0, NULL), 0);
    cr_assert_eq(bt_event_new(&e), 0);
    cr_assert_eq(bt_barrier_new(&b, 2, NULL, NULL, BT_TIMEOUT_NONE, NULL), 0);
    bt_lock_acquire(l, true, BT_TIMEOUT_NONE, NULL);
    ticking(true);
    double t0 = bt_time_monotonic();
    expect_full_wait(bt_lock_acquire(l, true, 0.1, NULL), 0, t0,
                     "Lock.acquire");
    t0 = bt_time_monotonic();
    bt_condition_acquire(c, true, BT_TIMEOUT_NONE, NULL);
    expect_full_wait(bt_condition_wait(c, 0.1, NULL), 0, t0, "Condition.wait");
    bt_condition_release(c, NULL);
    t0 = bt_time_monotonic();
    expect_full_wait(bt_semaphore_acquire(s, true, 0.1, NULL), 0, t0,
                     "Semaphore.acquire");
    t0 = bt_time_monotonic();
    expect_full_wait(bt_event_wait(e, 0.1, NULL), 0, t0, "Event.wait");
    t0 = bt_time_monotonic();
    expect_full_wait((int)bt_barrier_wait(b, 0.1, NULL), BT_EBROKEN, t0,
                     "Barrier.wait");
    bt_thread *holder = start_thread(sleepy, NULL);
    t0 = bt_time_monotonic();
    expect_full_wait(bt_thread_join(holder, 0.1, NULL), 0, t0, "Thread.join");
    /* An untimed wait is not cut short either. */
    cr_expect_eq(bt_thread_join(holder, BT_TIMEOUT_NONE, NULL), 1);
    cr_expect_eq(bt_thread_exitcode(holder, NULL), 0);
    ticking(false);
    bt_thread_free(holder);
    bt_lock_release(l, NULL);
    bt_lock_free(l);
    bt_condition_free(c);
    bt_semaphore_free(s);
    bt_event_free(e);
    bt_barrier_free(b);
}
