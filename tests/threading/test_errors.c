/* Every misuse and polling call of tools/gen_vectors/threading.py, made the
 * same way in C, against CPython's exception, message and result. */
#include <criterion/criterion.h>
#include <math.h>
#include <string.h>

#include <batteries/threading.h>

#include "helpers.h"

static int as_bool(int rc, char *out)
{
    if (rc >= 0)
        strcpy(out, rc ? "True" : "False");
    return rc;
}

static int lock_call(bool hold, bool blocking, double timeout, bt_err *err,
                     char *out)
{
    bt_lock *l;
    cr_assert_eq(bt_lock_new(&l), 0);
    if (hold)
        cr_assert_eq(bt_lock_acquire(l, true, BT_TIMEOUT_NONE, NULL), 1);
    int rc = as_bool(bt_lock_acquire(l, blocking, timeout, err), out);
    bt_lock_free(l);
    return rc;
}

static int rlock_call(bool hold, bool blocking, double timeout, bt_err *err,
                      char *out)
{
    bt_rlock *l;
    cr_assert_eq(bt_rlock_new(&l), 0);
    if (hold)
        cr_assert_eq(bt_rlock_acquire(l, true, BT_TIMEOUT_NONE, NULL), 1);
    int rc = as_bool(bt_rlock_acquire(l, blocking, timeout, err), out);
    bt_rlock_free(l);
    return rc;
}

#define LOCK_CASE(name, hold, blocking, timeout)                               \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return lock_call(hold, blocking, timeout, err, out);                   \
    }
LOCK_CASE(lock_nonblocking_timeout, false, false, 1)
LOCK_CASE(lock_nonblocking_huge, false, false, 1e20)
LOCK_CASE(lock_nonblocking_nan, false, false, NAN)
LOCK_CASE(lock_negative_timeout, false, true, -2)
LOCK_CASE(lock_tiny_negative_timeout, false, true, -1e-9)
LOCK_CASE(lock_nan_timeout, false, true, NAN)
LOCK_CASE(lock_huge_timeout, false, true, 1e20)
LOCK_CASE(lock_over_max_timeout, false, true, 9223372037.0)
LOCK_CASE(lock_huge_negative_timeout, false, true, -1e20)
LOCK_CASE(lock_held_poll, true, false, BT_TIMEOUT_NONE)
LOCK_CASE(lock_held_zero_timeout, true, true, 0)
LOCK_CASE(lock_held_short_timeout, true, true, 0.01)
LOCK_CASE(lock_free_acquire, false, true, 5)

static int lock_release_unlocked(bt_err *err, char *out)
{
    (void)out;
    bt_lock *l;
    cr_assert_eq(bt_lock_new(&l), 0);
    int rc = bt_lock_release(l, err);
    bt_lock_free(l);
    return rc;
}

static int rlock_release_unowned(bt_err *err, char *out)
{
    (void)out;
    bt_rlock *l;
    cr_assert_eq(bt_rlock_new(&l), 0);
    int rc = bt_rlock_release(l, err);
    bt_rlock_free(l);
    return rc;
}

#define RLOCK_CASE(name, hold, blocking, timeout)                              \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return rlock_call(hold, blocking, timeout, err, out);                  \
    }
RLOCK_CASE(rlock_nonblocking_timeout, false, false, 1)
RLOCK_CASE(rlock_negative_timeout, false, true, -0.5)
RLOCK_CASE(rlock_nan_timeout, false, true, NAN)
RLOCK_CASE(rlock_reentrant, true, false, BT_TIMEOUT_NONE)

static bool never(void *ctx)
{
    (void)ctx;
    return false;
}

static bool always(void *ctx)
{
    (void)ctx;
    return true;
}

/* op: 'w' wait, 'f' wait_for(never), 't' wait_for(always), 'n' notify,
 * 'a' notify_all. */
static int condition_call(bool plain_lock, bool hold, char op, double timeout,
                          bt_err *err, char *out)
{
    bt_lock *l = NULL;
    bt_condition *c;
    if (plain_lock) {
        cr_assert_eq(bt_lock_new(&l), 0);
        cr_assert_eq(bt_condition_new_with_lock(&c, l), 0);
    } else {
        cr_assert_eq(bt_condition_new(&c), 0);
    }
    if (hold)
        cr_assert_eq(bt_condition_acquire(c, true, BT_TIMEOUT_NONE, NULL), 1);
    int rc = 0;
    switch (op) {
    case 'w':
        rc = as_bool(bt_condition_wait(c, timeout, err), out);
        break;
    case 'f':
        rc = as_bool(bt_condition_wait_for(c, never, NULL, timeout, err), out);
        break;
    case 't':
        rc = as_bool(bt_condition_wait_for(c, always, NULL, timeout, err), out);
        break;
    case 'n':
        rc = bt_condition_notify(c, 1, err);
        break;
    default:
        rc = bt_condition_notify_all(c, err);
        break;
    }
    if (hold)
        cr_assert_eq(bt_condition_release(c, NULL), 0,
                     "the lock is held again after wait");
    bt_condition_free(c);
    bt_lock_free(l);
    return rc;
}

#define COND_CASE(name, plain, hold, op, timeout)                              \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return condition_call(plain, hold, op, timeout, err, out);             \
    }
COND_CASE(condition_wait_unacquired, false, false, 'w', 0.01)
COND_CASE(condition_lock_wait_unacquired, true, false, 'w', 0.01)
COND_CASE(condition_wait_for_unacquired, false, false, 'f', 0.01)
COND_CASE(condition_notify_unacquired, false, false, 'n', 0)
COND_CASE(condition_notify_all_unacquired, false, false, 'a', 0)
COND_CASE(condition_wait_huge, false, true, 'w', 1e20)
COND_CASE(condition_wait_negative, false, true, 'w', -1.5)
COND_CASE(condition_wait_nan, false, true, 'w', NAN)
COND_CASE(condition_wait_short, false, true, 'w', 0.01)
COND_CASE(condition_wait_for_true, false, true, 't', 0)
COND_CASE(condition_wait_for_timeout, true, true, 'f', 0.01)

static int semaphore_new_case(bool bounded, bt_err *err)
{
    bt_semaphore *s = NULL;
    int rc = bounded ? bt_bounded_semaphore_new(&s, -1, err)
                     : bt_semaphore_new(&s, -1, err);
    bt_semaphore_free(s);
    return rc;
}

static int semaphore_negative(bt_err *err, char *out)
{
    (void)out;
    return semaphore_new_case(false, err);
}

static int bounded_semaphore_negative(bt_err *err, char *out)
{
    (void)out;
    return semaphore_new_case(true, err);
}

/* Semaphore(value) (bounded or not), then release(n) when release is set,
 * else acquire(blocking, timeout). */
static int semaphore_call(bool bounded, ptrdiff_t value, bool release,
                          ptrdiff_t n, bool blocking, double timeout,
                          bt_err *err, char *out)
{
    bt_semaphore *s;
    cr_assert_eq(bounded ? bt_bounded_semaphore_new(&s, value, NULL)
                         : bt_semaphore_new(&s, value, NULL),
                 0);
    int rc =
        release ? bt_semaphore_release(s, n, err)
                : as_bool(bt_semaphore_acquire(s, blocking, timeout, err), out);
    bt_semaphore_free(s);
    return rc;
}

#define SEM_ACQUIRE(name, bounded, value, blocking, timeout)                   \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return semaphore_call(bounded, value, false, 0, blocking, timeout,     \
                              err, out);                                       \
    }
#define SEM_RELEASE(name, bounded, value, n)                                   \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return semaphore_call(bounded, value, true, n, true, 0, err, out);     \
    }
SEM_ACQUIRE(semaphore_nonblocking_timeout, false, 1, false, 1)
SEM_RELEASE(semaphore_release_zero, false, 1, 0)
SEM_RELEASE(semaphore_release_negative, false, 1, -3)
SEM_RELEASE(bounded_over_release, true, 1, 1)
SEM_RELEASE(bounded_over_release_n, true, 3, 1)
SEM_ACQUIRE(semaphore_huge, false, 0, true, 1e20)
SEM_ACQUIRE(semaphore_huge_available, false, 1, true, 1e20)
SEM_ACQUIRE(semaphore_negative_timeout, false, 0, true, -5)
SEM_ACQUIRE(semaphore_poll_empty, false, 0, false, BT_TIMEOUT_NONE)

static int event_call(double timeout, bt_err *err, char *out)
{
    bt_event *e;
    cr_assert_eq(bt_event_new(&e), 0);
    int rc = as_bool(bt_event_wait(e, timeout, err), out);
    bt_event_free(e);
    return rc;
}

static int event_wait_huge(bt_err *err, char *out)
{
    return event_call(1e20, err, out);
}

static int event_wait_negative(bt_err *err, char *out)
{
    return event_call(-1.5, err, out);
}

static int event_wait_nan(bt_err *err, char *out)
{
    return event_call(NAN, err, out);
}

static int barrier_call(size_t parties, bool abort, double dflt, double timeout,
                        bt_err *err, char *out)
{
    bt_barrier *b;
    cr_assert_eq(bt_barrier_new(&b, parties, NULL, NULL, dflt, NULL), 0);
    if (abort)
        bt_barrier_abort(b);
    ptrdiff_t rc = bt_barrier_wait(b, timeout, err);
    if (rc >= 0)
        sprintf(out, "%td", rc);
    bt_barrier_free(b);
    return (int)rc;
}

static int barrier_aborted(bt_err *err, char *out)
{
    return barrier_call(2, true, BT_TIMEOUT_NONE, BT_TIMEOUT_NONE, err, out);
}

static int barrier_timeout(bt_err *err, char *out)
{
    return barrier_call(2, false, BT_TIMEOUT_NONE, 0.01, err, out);
}

static int barrier_default_timeout(bt_err *err, char *out)
{
    return barrier_call(2, false, 0.01, BT_TIMEOUT_NONE, err, out);
}

static int barrier_single(bt_err *err, char *out)
{
    return barrier_call(1, false, BT_TIMEOUT_NONE, BT_TIMEOUT_NONE, err, out);
}

static int quick(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    return 0;
}

static int wait_event(void *arg, bt_err *err)
{
    return bt_event_wait(arg, BT_TIMEOUT_NONE, err) < 0 ? -1 : 0;
}

static bt_thread *finished_thread(void)
{
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, quick, NULL, "quick"), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, BT_TIMEOUT_NONE, NULL), 1);
    return t;
}

static int thread_join_unstarted(bt_err *err, char *out)
{
    (void)out;
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, quick, NULL, NULL), 0);
    int rc = bt_thread_join(t, BT_TIMEOUT_NONE, err);
    bt_thread_free(t);
    return rc;
}

static int thread_start_twice(bt_err *err, char *out)
{
    (void)out;
    bt_thread *t = finished_thread();
    int rc = bt_thread_start(t, err);
    bt_thread_free(t);
    return rc;
}

static int thread_join_current(bt_err *err, char *out)
{
    (void)out;
    return bt_thread_join(bt_threading_current_thread(), BT_TIMEOUT_NONE, err);
}

static int thread_set_daemon_active(bt_err *err, char *out)
{
    (void)out;
    return bt_thread_set_daemon(bt_threading_current_thread(), true, err);
}

/* Python's join returns None: "None" stands for any success. */
static int join_finished(double timeout, bt_err *err, char *out)
{
    bt_thread *t = finished_thread();
    int rc = bt_thread_join(t, timeout, err);
    cr_expect_eq(rc, 1, "a finished thread joins at once");
    strcpy(out, "None");
    bt_thread_free(t);
    return rc;
}

static int thread_join_nan(bt_err *err, char *out)
{
    return join_finished(NAN, err, out);
}

static int thread_join_huge(bt_err *err, char *out)
{
    return join_finished(1e20, err, out);
}

static int thread_join_negative(bt_err *err, char *out)
{
    return join_finished(-5, err, out);
}

/* Python's case returns is_alive() after join(timeout). */
static int join_live(double timeout, bt_err *err, char *out)
{
    bt_event *go;
    bt_thread *t;
    cr_assert_eq(bt_event_new(&go), 0);
    cr_assert_eq(bt_thread_new(&t, wait_event, go, "wait"), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    int rc = bt_thread_join(t, timeout, err);
    if (rc >= 0) {
        cr_expect_eq(rc, 0, "join returns 0 when the timeout expires");
        strcpy(out, bt_thread_is_alive(t) ? "True" : "False");
    }
    bt_event_set(go);
    cr_assert_eq(bt_thread_join(t, BT_TIMEOUT_NONE, NULL), 1);
    bt_thread_free(t);
    bt_event_free(go);
    return rc;
}

static int thread_join_live_nan(bt_err *err, char *out)
{
    return join_live(NAN, err, out);
}

static int thread_join_live_huge(bt_err *err, char *out)
{
    return join_live(1e20, err, out);
}

static int thread_join_live_negative(bt_err *err, char *out)
{
    return join_live(-5, err, out);
}

static int thread_join_live_short(bt_err *err, char *out)
{
    return join_live(0.01, err, out);
}

static int stack_size_small(bt_err *err, char *out)
{
    (void)out;
    return (int)bt_threading_stack_size(100, err);
}

static int stack_size_below_min(bt_err *err, char *out)
{
    (void)out;
    return (int)bt_threading_stack_size(32767, err);
}

static const named_case cases[] = {
    NAMED_CASE(lock_nonblocking_timeout),
    NAMED_CASE(lock_nonblocking_huge),
    NAMED_CASE(lock_nonblocking_nan),
    NAMED_CASE(lock_negative_timeout),
    NAMED_CASE(lock_tiny_negative_timeout),
    NAMED_CASE(lock_nan_timeout),
    NAMED_CASE(lock_huge_timeout),
    NAMED_CASE(lock_over_max_timeout),
    NAMED_CASE(lock_huge_negative_timeout),
    NAMED_CASE(lock_held_poll),
    NAMED_CASE(lock_held_zero_timeout),
    NAMED_CASE(lock_held_short_timeout),
    NAMED_CASE(lock_free_acquire),
    NAMED_CASE(lock_release_unlocked),
    NAMED_CASE(rlock_release_unowned),
    NAMED_CASE(rlock_nonblocking_timeout),
    NAMED_CASE(rlock_negative_timeout),
    NAMED_CASE(rlock_nan_timeout),
    NAMED_CASE(rlock_reentrant),
    NAMED_CASE(condition_wait_unacquired),
    NAMED_CASE(condition_lock_wait_unacquired),
    NAMED_CASE(condition_wait_for_unacquired),
    NAMED_CASE(condition_notify_unacquired),
    NAMED_CASE(condition_notify_all_unacquired),
    NAMED_CASE(condition_wait_huge),
    NAMED_CASE(condition_wait_negative),
    NAMED_CASE(condition_wait_nan),
    NAMED_CASE(condition_wait_short),
    NAMED_CASE(condition_wait_for_true),
    NAMED_CASE(condition_wait_for_timeout),
    NAMED_CASE(semaphore_negative),
    NAMED_CASE(bounded_semaphore_negative),
    NAMED_CASE(semaphore_nonblocking_timeout),
    NAMED_CASE(semaphore_release_zero),
    NAMED_CASE(semaphore_release_negative),
    NAMED_CASE(bounded_over_release),
    NAMED_CASE(bounded_over_release_n),
    NAMED_CASE(semaphore_huge),
    NAMED_CASE(semaphore_huge_available),
    NAMED_CASE(semaphore_negative_timeout),
    NAMED_CASE(semaphore_poll_empty),
    NAMED_CASE(event_wait_huge),
    NAMED_CASE(event_wait_negative),
    NAMED_CASE(event_wait_nan),
    NAMED_CASE(barrier_aborted),
    NAMED_CASE(barrier_timeout),
    NAMED_CASE(barrier_default_timeout),
    NAMED_CASE(barrier_single),
    NAMED_CASE(thread_join_unstarted),
    NAMED_CASE(thread_start_twice),
    NAMED_CASE(thread_join_current),
    NAMED_CASE(thread_set_daemon_active),
    NAMED_CASE(thread_join_nan),
    NAMED_CASE(thread_join_huge),
    NAMED_CASE(thread_join_negative),
    NAMED_CASE(thread_join_live_nan),
    NAMED_CASE(thread_join_live_huge),
    NAMED_CASE(thread_join_live_negative),
    NAMED_CASE(thread_join_live_short),
    NAMED_CASE(stack_size_small),
    NAMED_CASE(stack_size_below_min),
};

/* Python's class for a code. */
static const char *python_class(int code)
{
    switch (code) {
    case BT_EBROKEN:
        return "BrokenBarrierError"; /* core.h's name is the executor's */
    default:
        return bt_errname(code);
    }
}

Test(errors, match_cpython)
{
    replay_cases("threading", "errors", cases, sizeof cases / sizeof cases[0],
                 python_class);
}
