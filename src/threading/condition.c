/* condition.c — threading.Condition: waiters notified in the order they
 * began to wait, each on its own condition variable (notify(1) wakes one
 * thread, not a herd). */
#include <errno.h>
#include <math.h>

#include <batteries/time.h>

#include "threading_int.h"

struct waiter {
    pthread_cond_t cv;
    bool notified;
    struct waiter *prev, *next;
};

struct bt_condition {
    bt_lock *lock; /* exactly one of lock and rlock */
    bt_rlock *rlock;
    bool owns_lock;
    pthread_mutex_t mu; /* guards the waiter list */
    struct waiter *head, *tail;
};

static int make(bt_condition **out, bt_lock *lock, bt_rlock *rlock, bool owns)
{
    bt_condition *c = bt_calloc(1, sizeof *c);
    if (!c)
        return BT_ENOMEM;
    int rc = bt__threading_mutex_init(&c->mu);
    if (rc < 0) {
        bt_free(c);
        return rc;
    }
    c->lock = lock;
    c->rlock = rlock;
    c->owns_lock = owns;
    *out = c;
    return 0;
}

int bt_condition_new(bt_condition **out)
{
    bt_rlock *r;
    int rc = bt_rlock_new(&r);
    if (rc < 0)
        return rc;
    rc = make(out, NULL, r, true);
    if (rc < 0)
        bt_rlock_free(r);
    return rc;
}

int bt_condition_new_with_lock(bt_condition **out, bt_lock *lock)
{
    return make(out, lock, NULL, false);
}

int bt_condition_new_with_rlock(bt_condition **out, bt_rlock *lock)
{
    return make(out, NULL, lock, false);
}

void bt_condition_free(bt_condition *c)
{
    if (!c)
        return;
    pthread_mutex_destroy(&c->mu);
    if (c->owns_lock)
        bt_rlock_free(c->rlock);
    bt_free(c);
}

int bt_condition_acquire(bt_condition *c, bool blocking, double timeout,
                         bt_err *err)
{
    return c->rlock ? bt_rlock_acquire(c->rlock, blocking, timeout, err)
                    : bt_lock_acquire(c->lock, blocking, timeout, err);
}

int bt_condition_release(bt_condition *c, bt_err *err)
{
    return c->rlock ? bt_rlock_release(c->rlock, err)
                    : bt_lock_release(c->lock, err);
}

/* Python's _is_owned: an RLock is owned by its owner; a Lock by anyone
 * while it is held. */
static bool is_owned(bt_condition *c)
{
    return c->rlock ? bt__rlock_is_owned(c->rlock) : bt_lock_locked(c->lock);
}

static size_t release_save(bt_condition *c)
{
    if (c->rlock)
        return bt__rlock_release_save(c->rlock);
    bt__lockcore_release(&c->lock->core);
    return 0;
}

static void acquire_restore(bt_condition *c, size_t saved)
{
    if (c->rlock) {
        bt__rlock_acquire_restore(c->rlock, saved);
        return;
    }
    static const bt__deadline forever = {true, {0, 0}};
    bt__lockcore_acquire(&c->lock->core, &forever);
}

static void unlink_waiter(bt_condition *c, struct waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        c->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        c->tail = w->prev;
}

int bt_condition_wait(bt_condition *c, double timeout, bt_err *err)
{
    if (!is_owned(c))
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot wait on un-acquired lock");
    /* Python waits with acquire(True, timeout) only for timeout > 0, and
     * only polls otherwise (NaN included). */
    if (timeout > 0) {
        int rc = bt__threading_check_timeout(timeout, err);
        if (rc < 0)
            return rc;
    }
    bt__deadline d;
    bt__threading_deadline(
        &d, timeout == BT_TIMEOUT_NONE || timeout > 0 ? timeout : 0);
    struct waiter w = {.notified = false, .next = NULL};
    int rc = bt__threading_cond_init(&w.cv);
    if (rc < 0)
        return rc;
    pthread_mutex_lock(&c->mu);
    w.prev = c->tail;
    if (c->tail)
        c->tail->next = &w;
    else
        c->head = &w;
    c->tail = &w;
    pthread_mutex_unlock(&c->mu);

    size_t saved = release_save(c);
    pthread_mutex_lock(&c->mu);
    while (!w.notified)
        if (bt__threading_cond_wait(&w.cv, &c->mu, &d) == ETIMEDOUT)
            break;
    bool notified = w.notified;
    if (!notified)
        unlink_waiter(c, &w);
    pthread_mutex_unlock(&c->mu);
    pthread_cond_destroy(&w.cv);
    acquire_restore(c, saved);
    return notified;
}

int bt_condition_wait_for(bt_condition *c, bool (*predicate)(void *ctx),
                          void *ctx, double timeout, bt_err *err)
{
    /* Python's loop: the first wait gets the timeout as given, later ones
     * what is left of it. (NaN, which Python would poll forever, polls once.)
     */
    if (isnan(timeout))
        timeout = 0;
    bool result = predicate(ctx);
    double waittime = timeout, end = 0;
    bool have_end = false;
    while (!result) {
        if (timeout != BT_TIMEOUT_NONE) {
            if (!have_end) {
                end = bt_time_monotonic() + waittime;
                have_end = true;
            } else {
                waittime = end - bt_time_monotonic();
                if (waittime <= 0)
                    break;
            }
        }
        int rc = bt_condition_wait(c, waittime, err);
        if (rc < 0)
            return rc;
        result = predicate(ctx);
    }
    return result;
}

int bt_condition_notify(bt_condition *c, size_t n, bt_err *err)
{
    if (!is_owned(c))
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot notify on un-acquired lock");
    pthread_mutex_lock(&c->mu);
    while (n > 0 && c->head) {
        struct waiter *w = c->head;
        unlink_waiter(c, w);
        w->notified = true;
        pthread_cond_signal(&w->cv);
        n--;
    }
    pthread_mutex_unlock(&c->mu);
    return 0;
}

int bt_condition_notify_all(bt_condition *c, bt_err *err)
{
    return bt_condition_notify(c, SIZE_MAX, err);
}
