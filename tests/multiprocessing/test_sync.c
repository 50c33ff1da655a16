/* test_sync.c — Lock, RLock, Semaphore, BoundedSemaphore, Event,
 * Condition and Value/Array between processes: timeouts, a child killed
 * while holding a lock, increments under a lock from several processes. */
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

struct holder {
    bt_mp_lock *lock;
    bt_mp_event *held, *go;
};

/* Takes the lock, says so, holds it until told to stop (or forever). */
static int t_hold(void *arg, bt_err *err)
{
    struct holder *h = arg;
    CHILD_CHECK(bt_mp_lock_acquire(h->lock, true, BT_TIMEOUT_NONE, err) == 1);
    bt_mp_event_set(h->held);
    CHILD_CHECK(bt_mp_event_wait(h->go, 20, err) == 1);
    CHILD_CHECK(bt_mp_lock_release(h->lock, err) == 0);
    return 0;
}

static void holder_init(struct holder *h, bt_mp_lock *lock)
{
    h->lock = lock;
    cr_assert_eq(bt_mp_event_new(&h->held), 0);
    cr_assert_eq(bt_mp_event_new(&h->go), 0);
}

static void holder_fini(struct holder *h)
{
    bt_mp_event_free(h->held);
    bt_mp_event_free(h->go);
}

Test(mp_sync, lock_held_by_child_times_out)
{
    bt_mp_lock *l;
    cr_assert_eq(bt_mp_lock_new(&l), 0);
    struct holder h;
    holder_init(&h, l);
    bt_mp_process *p = spawn(t_hold, &h);
    cr_assert_eq(bt_mp_event_wait(h.held, 20, NULL), 1);
    cr_expect_eq(bt_mp_lock_acquire(l, false, BT_TIMEOUT_NONE, NULL), 0);
    double t0 = now();
    cr_expect_eq(bt_mp_lock_acquire(l, true, 0.1, NULL), 0);
    cr_expect_geq(now() - t0, 0.1);
    bt_mp_event_set(h.go);
    cr_expect_eq(bt_mp_lock_acquire(l, true, 20, NULL), 1, "released");
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    join_ok(p);
    holder_fini(&h);
    bt_mp_lock_free(l);
}

Test(mp_sync, child_killed_holding_lock)
{
    /* As CPython's SemLock: the lock stays held after its holder dies (a
     * waiter times out), and any process may release it. */
    bt_mp_lock *l;
    cr_assert_eq(bt_mp_lock_new(&l), 0);
    struct holder h;
    holder_init(&h, l);
    bt_mp_process *p = spawn(t_hold, &h);
    cr_assert_eq(bt_mp_event_wait(h.held, 20, NULL), 1);
    cr_assert_eq(bt_mp_process_kill(p, NULL), 0);
    cr_expect_eq(join_code(p), -SIGKILL);
    bt_mp_process_free(p);
    cr_expect_eq(bt_mp_lock_acquire(l, true, 0.05, NULL), 0, "still held");
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0, "released by a survivor");
    cr_expect_eq(bt_mp_lock_acquire(l, true, 1, NULL), 1);
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    holder_fini(&h);
    bt_mp_lock_free(l);
}

static int t_hammer(void *arg, bt_err *err)
{
    for (;;) {
        CHILD_CHECK(bt_mp_lock_acquire(arg, true, BT_TIMEOUT_NONE, err) == 1);
        CHILD_CHECK(bt_mp_lock_release(arg, err) == 0);
    }
}

Test(mp_sync, child_killed_mid_operation_does_not_wedge)
{
    /* A child takes and drops a semaphore in a loop (so the internal
     * robust mutex is held often) and is killed at an arbitrary point;
     * the parent must still get a unit at once. */
    bt_mp_semaphore *s;
    cr_assert_eq(bt_mp_semaphore_new(&s, 100, NULL), 0);
    for (int round = 0; round < 20; round++) {
        bt_mp_process *p = spawn(t_hammer, s);
        usleep(1000 + 1500 * (unsigned)round);
        cr_assert_eq(bt_mp_process_kill(p, NULL), 0);
        cr_expect_eq(join_code(p), -SIGKILL);
        bt_mp_process_free(p);
        cr_assert_eq(bt_mp_lock_acquire(s, true, 2, NULL), 1, "round %d",
                     round);
        cr_assert_eq(bt_mp_lock_release(s, NULL), 0);
    }
    /* A unit may have died with its holder (never more than one a round). */
    cr_expect_geq(bt_mp_semaphore_get_value(s), 80);
    bt_mp_lock_free(s);
}

static int t_rlock_foreign_release(void *arg, bt_err *err)
{
    int rc = bt_mp_lock_release(arg, err);
    CHILD_CHECK(rc == BT_ERUNTIME);
    CHILD_CHECK(bt_mp_lock_acquire(arg, false, BT_TIMEOUT_NONE, err) == 0);
    return 0;
}

Test(mp_sync, rlock_owned_by_one_process)
{
    bt_mp_rlock *l;
    cr_assert_eq(bt_mp_rlock_new(&l), 0);
    cr_assert_eq(bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, NULL), 1);
    cr_assert_eq(bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, NULL), 1);
    join_ok(spawn(t_rlock_foreign_release, l));
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_lock_release(l, &err), BT_ERUNTIME);
    bt_mp_lock_free(l);
}

Test(mp_sync, lock_bad_timeouts)
{
    bt_mp_lock *l;
    cr_assert_eq(bt_mp_lock_new(&l), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_lock_acquire(l, true, 0.0 / 0.0, &err), BT_EVALUE);
    cr_expect_eq(bt_mp_lock_acquire(l, true, 1e300, &err), BT_EOVERFLOWERR);
    bt_mp_lock_free(l);
    bt_mp_lock_free(NULL);
}

struct semjob {
    bt_mp_semaphore *sem;
    bt_mp_array *inside; /* [current, maximum] */
};

static int t_sem_user(void *arg, bt_err *err)
{
    struct semjob *j = arg;
    for (int i = 0; i < 50; i++) {
        CHILD_CHECK(bt_mp_lock_acquire(j->sem, true, 20, err) == 1);
        bt_mp_rlock *l = bt_mp_array_get_lock(j->inside);
        long long *v = bt_mp_array_get_obj(j->inside);
        bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, err);
        if (++v[0] > v[1])
            v[1] = v[0];
        bt_mp_lock_release(l, err);
        usleep(200);
        bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, err);
        v[0]--;
        bt_mp_lock_release(l, err);
        CHILD_CHECK(bt_mp_lock_release(j->sem, err) == 0);
    }
    return 0;
}

Test(mp_sync, semaphore_bounds_concurrency)
{
    struct semjob j;
    cr_assert_eq(bt_mp_bounded_semaphore_new(&j.sem, 2, NULL), 0);
    cr_assert_eq(bt_mp_array_new(&j.inside, 'q', 2, true, NULL), 0);
    bt_mp_process *p[4];
    for (int i = 0; i < 4; i++)
        p[i] = spawn(t_sem_user, &j);
    for (int i = 0; i < 4; i++)
        join_ok(p[i]);
    long long max = 0;
    bt_mp_array_get_long(j.inside, 1, &max, NULL);
    cr_expect_leq(max, 2);
    cr_expect_geq(max, 1);
    cr_expect_eq(bt_mp_semaphore_get_value(j.sem), 2);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_lock_release(j.sem, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "semaphore or lock released too many times");
    bt_mp_lock_free(j.sem);
    bt_mp_array_free(j.inside);
}

static int t_set_later(void *arg, bt_err *err)
{
    (void)err;
    usleep(100000);
    bt_mp_event_set(arg);
    return 0;
}

Test(mp_sync, event_across_processes)
{
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    cr_expect_not(bt_mp_event_is_set(e));
    cr_expect_eq(bt_mp_event_wait(e, 0.02, NULL), 0);
    bt_mp_process *p = spawn(t_set_later, e);
    cr_expect_eq(bt_mp_event_wait(e, 20, NULL), 1);
    cr_expect(bt_mp_event_is_set(e));
    join_ok(p);
    bt_mp_event_clear(e);
    cr_expect_not(bt_mp_event_is_set(e));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_event_wait(e, 0.0 / 0.0, &err), BT_EVALUE);
    bt_mp_event_free(e);
    bt_mp_event_free(NULL);
}

struct condjob {
    bt_mp_condition *c;
    bt_mp_array *state; /* [ready waiters, go] */
};

static int t_cond_waiter(void *arg, bt_err *err)
{
    struct condjob *j = arg;
    long long *v = bt_mp_array_get_obj(j->state);
    CHILD_CHECK(bt_mp_condition_acquire(j->c, true, BT_TIMEOUT_NONE, err) == 1);
    v[0]++;
    while (!v[1])
        CHILD_CHECK(bt_mp_condition_wait(j->c, 20, err) >= 0);
    CHILD_CHECK(bt_mp_condition_release(j->c, err) == 0);
    return 0;
}

Test(mp_sync, condition_across_processes)
{
    struct condjob j;
    cr_assert_eq(bt_mp_condition_new(&j.c, NULL), 0);
    cr_assert_eq(bt_mp_array_new(&j.state, 'q', 2, false, NULL), 0);
    long long *v = bt_mp_array_get_obj(j.state);
    bt_mp_process *p[3];
    for (int i = 0; i < 3; i++)
        p[i] = spawn(t_cond_waiter, &j);
    for (int spins = 0; spins < 2000; spins++) {
        bt_mp_condition_acquire(j.c, true, BT_TIMEOUT_NONE, NULL);
        long long ready = v[0];
        bt_mp_condition_release(j.c, NULL);
        if (ready == 3)
            break;
        usleep(1000);
    }
    bt_mp_condition_acquire(j.c, true, BT_TIMEOUT_NONE, NULL);
    v[1] = 1;
    cr_expect_eq(bt_mp_condition_notify(j.c, 1, NULL), 0);
    cr_expect_eq(bt_mp_condition_notify_all(j.c, NULL), 0);
    bt_mp_condition_release(j.c, NULL);
    for (int i = 0; i < 3; i++)
        join_ok(p[i]);
    bt_mp_condition_free(j.c);
    bt_mp_array_free(j.state);
    bt_mp_condition_free(NULL);
}

Test(mp_sync, condition_over_a_lock_wait_timeout)
{
    bt_mp_lock *l;
    bt_mp_condition *c;
    cr_assert_eq(bt_mp_lock_new(&l), 0);
    cr_assert_eq(bt_mp_condition_new(&c, l), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_condition_wait(c, 0.01, &err), BT_ERUNTIME);
    cr_assert_eq(bt_mp_condition_acquire(c, true, 1, NULL), 1);
    double t0 = now();
    cr_expect_eq(bt_mp_condition_wait(c, 0.05, NULL), 0);
    cr_expect_geq(now() - t0, 0.05);
    cr_expect_eq(bt_mp_lock_acquire(l, false, BT_TIMEOUT_NONE, NULL), 0,
                 "the lock is held again after the wait");
    cr_expect_eq(bt_mp_condition_release(c, NULL), 0);
    bt_mp_condition_free(c);
    bt_mp_lock_free(l);
}

/* ---- Value and Array ---- */

enum { ADDERS = 4, ADDS = 5000 };

static int t_add(void *arg, bt_err *err)
{
    bt_mp_array *v = arg;
    bt_mp_rlock *l = bt_mp_array_get_lock(v);
    for (int i = 0; i < ADDS; i++) {
        CHILD_CHECK(bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, err) == 1);
        ((int *)bt_mp_array_get_obj(v))[0] += 1;
        CHILD_CHECK(bt_mp_lock_release(l, err) == 0);
    }
    return 0;
}

Test(mp_sync, value_increments_sum_exactly)
{
    bt_mp_array *v;
    cr_assert_eq(bt_mp_value_new(&v, 'i', true, NULL), 0);
    cr_expect_eq(bt_mp_array_len(v), 1);
    cr_expect_eq(bt_mp_array_typecode(v), 'i');
    bt_mp_process *p[ADDERS];
    for (int i = 0; i < ADDERS; i++)
        p[i] = spawn(t_add, v);
    for (int i = 0; i < ADDERS; i++)
        join_ok(p[i]);
    long long total = 0;
    cr_assert_eq(bt_mp_array_get_long(v, 0, &total, NULL), 0);
    cr_expect_eq(total, ADDERS * ADDS);
    bt_mp_array_free(v);
}

static int t_fill(void *arg, bt_err *err)
{
    bt_mp_array *a = arg;
    for (size_t i = 0; i < bt_mp_array_len(a); i++)
        CHILD_CHECK(
            bt_mp_array_set_double(a, (ptrdiff_t)i, (double)i / 4, err) == 0);
    return 0;
}

Test(mp_sync, array_written_by_child)
{
    bt_mp_array *a;
    cr_assert_eq(bt_mp_array_new(&a, 'd', 100, false, NULL), 0);
    cr_expect_null(bt_mp_array_get_lock(a));
    join_ok(spawn(t_fill, a));
    for (int i = 0; i < 100; i++) {
        double x = -1;
        cr_assert_eq(bt_mp_array_get_double(a, i, &x, NULL), 0);
        cr_expect_eq(x, (double)i / 4);
    }
    bt_err err = BT_ERR_INIT;
    double x;
    cr_expect_eq(bt_mp_array_get_double(a, 100, &x, &err), BT_EINDEX);
    long long y;
    cr_expect_eq(bt_mp_array_get_long(a, 0, &y, &err), BT_ETYPE);
    bt_mp_array_free(a);
    bt_mp_array_free(NULL);
}

Test(mp_sync, array_every_typecode)
{
    const char *codes = "cbBhHiIlLqQfd";
    for (const char *c = codes; *c; c++) {
        bt_mp_array *a;
        cr_assert_eq(bt_mp_array_new(&a, *c, 3, true, NULL), 0, "%c", *c);
        cr_expect_eq(((uintptr_t)bt_mp_array_get_obj(a)) % 8, 0);
        cr_expect_eq(bt_mp_array_set_long(a, 1, 100, NULL), 0);
        double d = 0;
        cr_expect_eq(bt_mp_array_get_double(a, 1, &d, NULL), 0);
        cr_expect_eq(d, 100.0, "%c", *c);
        bt_mp_array_free(a);
    }
    bt_mp_array *a;
    cr_assert_eq(bt_mp_array_new(&a, 'b', 1, true, NULL), 0);
    bt_mp_array_set_long(a, 0, 200, NULL); /* wraps as ctypes' c_byte */
    long long x = 0;
    bt_mp_array_get_long(a, 0, &x, NULL);
    cr_expect_eq(x, 200 - 256);
    bt_mp_array_free(a);
}

/* ---- threads of one process (what TSan can follow) ---- */

struct tjob {
    bt_mp_lock *lock;
    bt_mp_queue *q;
    long counter;
};

static int t_thread_adds(void *arg, bt_err *err)
{
    struct tjob *j = arg;
    for (int i = 0; i < 2000; i++) {
        if (bt_mp_lock_acquire(j->lock, true, BT_TIMEOUT_NONE, err) != 1)
            return BT_ERUNTIME;
        j->counter++;
        bt_mp_lock_release(j->lock, err);
        int item = i;
        if (i % 10 == 0 &&
            bt_mp_queue_put(j->q, &item, sizeof item, true, 20, err) < 0)
            return BT_ERUNTIME;
    }
    return 0;
}

Test(mp_sync, threads_share_lock_and_queue)
{
    struct tjob j = {NULL, NULL, 0};
    cr_assert_eq(bt_mp_lock_new(&j.lock), 0);
    cr_assert_eq(bt_mp_queue_new(&j.q, 0), 0);
    bt_thread *t[4];
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(bt_thread_new(&t[i], t_thread_adds, &j, NULL), 0);
        cr_assert_eq(bt_thread_start(t[i], NULL), 0);
    }
    bt_buf b = BT_BUF_INIT;
    for (int i = 0; i < 4 * 200; i++)
        cr_assert_eq(bt_mp_queue_get(j.q, &b, true, 20, NULL), sizeof(int));
    for (int i = 0; i < 4; i++) {
        cr_expect_eq(bt_thread_join(t[i], 20, NULL), 1);
        cr_expect_eq(bt_thread_exitcode(t[i], NULL), 0);
        bt_thread_free(t[i]);
    }
    cr_expect_eq(j.counter, 4 * 2000);
    bt_buf_fini(&b);
    bt_mp_queue_free(j.q);
    bt_mp_lock_free(j.lock);
}

/* White box: every shared object begins with its internal robust mutex. A
 * child that dies holding it (as if killed inside acquire) must not wedge
 * the lock: the next locker gets EOWNERDEAD and carries on. */
static int t_die_holding_internal_mutex(void *arg, bt_err *err)
{
    (void)err;
    pthread_mutex_lock((pthread_mutex_t *)arg);
    _exit(0);
}

Test(mp_sync, death_holding_internal_mutex_recovers)
{
    bt_mp_lock *l;
    cr_assert_eq(bt_mp_lock_new(&l), 0);
    join_ok(spawn(t_die_holding_internal_mutex, l));
    cr_expect_eq(bt_mp_lock_acquire(l, true, 2, NULL), 1);
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    cr_expect_eq(bt_mp_lock_acquire(l, false, 0, NULL), 1, "and again");
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    bt_mp_lock_free(l);
}
