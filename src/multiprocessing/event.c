/* event.c — Event and Condition between processes. */
#include <errno.h>
#include <limits.h>

#include "mp_int.h"

struct bt_mp_event {
    bt__mp_sync sync;
    int flag;
};

int bt_mp_event_new(bt_mp_event **out)
{
    *out = NULL;
    bt_mp_event *e = bt__mp_shared_alloc(sizeof *e);
    if (!e)
        return -errno;
    int rc = bt__mp_sync_init(&e->sync);
    if (rc < 0) {
        bt__mp_shared_free(e, sizeof *e);
        return rc;
    }
    *out = e;
    return 0;
}

void bt_mp_event_free(bt_mp_event *e)
{
    bt__mp_shared_free(e, sizeof *e);
}

void bt_mp_event_set(bt_mp_event *e)
{
    bt__mp_sync_lock(&e->sync);
    e->flag = 1;
    bt__mp_sync_notify(&e->sync, INT_MAX);
    bt__mp_sync_unlock(&e->sync);
}

void bt_mp_event_clear(bt_mp_event *e)
{
    bt__mp_sync_lock(&e->sync);
    e->flag = 0;
    bt__mp_sync_unlock(&e->sync);
}

bool bt_mp_event_is_set(bt_mp_event *e)
{
    return __atomic_load_n(&e->flag, __ATOMIC_ACQUIRE) != 0;
}

int bt_mp_event_wait(bt_mp_event *e, double timeout, bt_err *err)
{
    bt__deadline d;
    int rc = bt__mp_deadline(true, timeout, &d, err);
    if (rc < 0)
        return rc;
    bt__mp_sync_lock(&e->sync);
    while (!e->flag && bt__mp_sync_wait(&e->sync, &d) != ETIMEDOUT)
        ;
    int flag = e->flag;
    bt__mp_sync_unlock(&e->sync);
    return flag;
}

/* ---- Condition ---- */

/*
 * waiters: processes inside wait; tokens: notifications given and not yet
 * taken (never more than waiters). A notified waiter takes a token, so
 * notify(n) wakes n waiters however the wake-ups interleave.
 */
struct bt_mp_condition {
    bt__mp_sync sync;
    int waiters;
    int tokens;
    bt_mp_lock *lock; /* the same address in every forked process */
    bool own_lock;
};

int bt_mp_condition_new(bt_mp_condition **out, bt_mp_lock *lock)
{
    *out = NULL;
    bt_mp_condition *c = bt__mp_shared_alloc(sizeof *c);
    if (!c)
        return -errno;
    int rc = bt__mp_sync_init(&c->sync);
    if (rc == 0 && !lock) {
        rc = bt_mp_rlock_new(&lock);
        c->own_lock = true;
    }
    if (rc < 0) {
        bt__mp_shared_free(c, sizeof *c);
        return rc;
    }
    c->lock = lock;
    *out = c;
    return 0;
}

void bt_mp_condition_free(bt_mp_condition *c)
{
    if (!c)
        return;
    if (c->own_lock)
        bt_mp_lock_free(c->lock);
    bt__mp_shared_free(c, sizeof *c);
}

int bt_mp_condition_acquire(bt_mp_condition *c, bool block, double timeout,
                            bt_err *err)
{
    return bt_mp_lock_acquire(c->lock, block, timeout, err);
}

int bt_mp_condition_release(bt_mp_condition *c, bt_err *err)
{
    return bt_mp_lock_release(c->lock, err);
}

int bt_mp_condition_wait(bt_mp_condition *c, double timeout, bt_err *err)
{
    bt__deadline d;
    int rc = bt__mp_deadline(true, timeout, &d, err);
    if (rc < 0)
        return rc;
    bt_mp_lock *l = c->lock;
    if (!bt__mp_lock_is_mine(l))
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "must acquire() condition before using wait()");
    /* Join the waiters before letting go of the lock, so a notify made
     * as soon as the lock is free already counts this waiter. */
    bt__mp_sync_lock(&c->sync);
    c->waiters++;
    int depth = l->kind == BT__MP_RLOCK ? l->count : 1;
    bt__mp_sync_lock(&l->sync);
    l->count = 0;
    l->owner = 0;
    l->value++;
    bt__mp_sync_notify(&l->sync, 1);
    bt__mp_sync_unlock(&l->sync);
    while (c->tokens == 0 && bt__mp_sync_wait(&c->sync, &d) != ETIMEDOUT)
        ;
    int notified = c->tokens > 0;
    if (notified)
        c->tokens--;
    c->waiters--;
    bt__mp_sync_unlock(&c->sync);
    bt__deadline forever = {.forever = true};
    bt__mp_lock_acquire_until(l, &forever);
    if (l->kind == BT__MP_RLOCK)
        l->count = depth; /* only the owner touches count */
    return notified;
}

int bt_mp_condition_notify(bt_mp_condition *c, int n, bt_err *err)
{
    if (!bt__mp_lock_is_mine(c->lock))
        return bt_err_setf(err, BT_ERUNTIME, -1, "lock is not owned");
    bt__mp_sync_lock(&c->sync);
    int room = c->waiters - c->tokens;
    int k = n < room ? n : room;
    if (k > 0) {
        c->tokens += k;
        bt__mp_sync_notify(&c->sync, k);
    }
    bt__mp_sync_unlock(&c->sync);
    return 0;
}

int bt_mp_condition_notify_all(bt_mp_condition *c, bt_err *err)
{
    return bt_mp_condition_notify(c, INT_MAX, err);
}
