/* lock.c — threading.Lock and threading.RLock. */
#include <pthread.h>

#include "threading_int.h"

unsigned long bt__threading_ident(void)
{
    return (unsigned long)pthread_self();
}

int bt__threading_lock_args(bool blocking, double timeout, bt__deadline *d,
                            bool *once, bt_err *err)
{
    /* CPython's order: convert the timeout, then check the combination. */
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    if (!blocking && timeout != BT_TIMEOUT_NONE)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "can't specify a timeout for a non-blocking call");
    if (timeout < 0 && timeout != BT_TIMEOUT_NONE)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "timeout value must be positive");
    *once = !blocking || timeout == 0;
    if (!*once)
        bt__threading_deadline(d, timeout);
    return 0;
}

int bt_lock_new(bt_lock **out)
{
    bt_lock *l = bt_malloc(sizeof *l);
    if (!l)
        return BT_ENOMEM;
    bt__lockcore_init(&l->core);
    *out = l;
    return 0;
}

void bt_lock_free(bt_lock *l)
{
    bt_free(l);
}

int bt_lock_acquire(bt_lock *l, bool blocking, double timeout, bt_err *err)
{
    /* The common call, acquire() with no arguments, needs no checks. */
    if (blocking && timeout == BT_TIMEOUT_NONE) {
        static const bt__deadline forever = {true, {0, 0}};
        return bt__lockcore_acquire(&l->core, &forever);
    }
    bt__deadline d;
    bool once;
    int rc = bt__threading_lock_args(blocking, timeout, &d, &once, err);
    if (rc < 0)
        return rc;
    return bt__lockcore_acquire(&l->core, once ? NULL : &d);
}

int bt_lock_release(bt_lock *l, bt_err *err)
{
    if (!bt__lockcore_release(&l->core))
        return bt_err_setf(err, BT_ERUNTIME, -1, "release unlocked lock");
    return 0;
}

bool bt_lock_locked(bt_lock *l)
{
    return atomic_load_explicit(&l->core.state, memory_order_relaxed) != 0;
}

/* The count is written by the owner only; atomic so that other threads may
 * read a snapshot (bt_rlock_count) without a data race. */
static inline size_t get_count(bt_rlock *l)
{
    return atomic_load_explicit(&l->count, memory_order_relaxed);
}

static inline void set_count(bt_rlock *l, size_t n)
{
    atomic_store_explicit(&l->count, n, memory_order_relaxed);
}

int bt_rlock_new(bt_rlock **out)
{
    bt_rlock *l = bt_malloc(sizeof *l);
    if (!l)
        return BT_ENOMEM;
    bt__lockcore_init(&l->core);
    atomic_init(&l->owner, 0);
    atomic_init(&l->count, 0);
    *out = l;
    return 0;
}

void bt_rlock_free(bt_rlock *l)
{
    bt_free(l);
}

int bt_rlock_acquire(bt_rlock *l, bool blocking, double timeout, bt_err *err)
{
    bt__deadline d;
    bool once = false;
    if (!(blocking && timeout == BT_TIMEOUT_NONE)) {
        int rc = bt__threading_lock_args(blocking, timeout, &d, &once, err);
        if (rc < 0)
            return rc;
    } else {
        d.forever = true;
    }
    unsigned long me = bt__threading_ident();
    /* Only this thread can have stored its own ident: relaxed is enough. */
    if (atomic_load_explicit(&l->owner, memory_order_relaxed) == me) {
        set_count(l, get_count(l) + 1);
        return 1;
    }
    if (!bt__lockcore_acquire(&l->core, once ? NULL : &d))
        return 0;
    atomic_store_explicit(&l->owner, me, memory_order_relaxed);
    set_count(l, 1);
    return 1;
}

int bt_rlock_release(bt_rlock *l, bt_err *err)
{
    if (atomic_load_explicit(&l->owner, memory_order_relaxed) !=
        bt__threading_ident())
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot release un-acquired lock");
    size_t count = get_count(l) - 1;
    set_count(l, count);
    if (count == 0) {
        atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
        bt__lockcore_release(&l->core);
    }
    return 0;
}

unsigned long bt_rlock_owner(bt_rlock *l)
{
    return atomic_load_explicit(&l->owner, memory_order_relaxed);
}

size_t bt_rlock_count(bt_rlock *l)
{
    return get_count(l);
}

bool bt__rlock_is_owned(bt_rlock *l)
{
    return atomic_load_explicit(&l->owner, memory_order_relaxed) ==
           bt__threading_ident();
}

size_t bt__rlock_release_save(bt_rlock *l)
{
    size_t count = get_count(l);
    set_count(l, 0);
    atomic_store_explicit(&l->owner, 0, memory_order_relaxed);
    bt__lockcore_release(&l->core);
    return count;
}

void bt__rlock_acquire_restore(bt_rlock *l, size_t count)
{
    static const bt__deadline forever = {true, {0, 0}};
    bt__lockcore_acquire(&l->core, &forever);
    atomic_store_explicit(&l->owner, bt__threading_ident(),
                          memory_order_relaxed);
    set_count(l, count);
}
