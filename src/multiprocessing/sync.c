/* sync.c — the shared synchronization core, Lock, RLock, Semaphore and
 * BoundedSemaphore between processes. */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "mp_int.h"

void *bt__mp_shared_alloc(size_t size)
{
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE,
                   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

void bt__mp_shared_free(void *p, size_t size)
{
    if (p)
        munmap(p, size);
}

static _Thread_local pid_t cached_tid;
static pthread_once_t tid_once = PTHREAD_ONCE_INIT;

/* Only the forking thread lives on in the child, with a new id. */
static void tid_atfork_child(void)
{
    cached_tid = 0;
}

static void tid_init(void)
{
    pthread_atfork(NULL, NULL, tid_atfork_child);
}

pid_t bt__mp_gettid(void)
{
    if (BT__UNLIKELY(cached_tid == 0)) {
        pthread_once(&tid_once, tid_init);
        cached_tid = (pid_t)syscall(SYS_gettid);
    }
    return cached_tid;
}

int bt__mp_sync_init(bt__mp_sync *s)
{
    pthread_mutexattr_t a;
    int rc = pthread_mutexattr_init(&a);
    if (rc)
        return -rc;
    rc = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    if (!rc)
        rc = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (!rc)
        rc = pthread_mutex_init(&s->mu, &a);
    pthread_mutexattr_destroy(&a);
    atomic_init(&s->seq, 0);
    return -rc;
}

void bt__mp_sync_lock(bt__mp_sync *s)
{
    /* EOWNERDEAD: the holder died; the state is consistent (see mp_int.h). */
    if (pthread_mutex_lock(&s->mu) == EOWNERDEAD)
        pthread_mutex_consistent(&s->mu);
}

void bt__mp_sync_unlock(bt__mp_sync *s)
{
    pthread_mutex_unlock(&s->mu);
}

int bt__mp_sync_wait(bt__mp_sync *s, const bt__deadline *d)
{
    unsigned seq = atomic_load_explicit(&s->seq, memory_order_relaxed);
    bt__mp_sync_unlock(s);
    int saved = errno;
    /* Shared (not FUTEX_PRIVATE): the word is in memory other processes
     * map. An absolute CLOCK_MONOTONIC deadline; EINTR is a spurious
     * wake-up the caller's loop absorbs. */
    long rc = syscall(SYS_futex, (unsigned *)&s->seq, FUTEX_WAIT_BITSET, seq,
                      d->forever ? NULL : &d->at, NULL, FUTEX_BITSET_MATCH_ANY);
    bool timed_out = rc < 0 && errno == ETIMEDOUT;
    errno = saved;
    bt__mp_sync_lock(s);
    return timed_out || bt__threading_expired(d) ? ETIMEDOUT : 0;
}

void bt__mp_sync_notify(bt__mp_sync *s, int n)
{
    atomic_fetch_add_explicit(&s->seq, 1, memory_order_relaxed);
    int saved = errno;
    syscall(SYS_futex, (unsigned *)&s->seq, FUTEX_WAKE, n, NULL, NULL, 0);
    errno = saved;
}

int bt__mp_deadline(bool block, double timeout, bt__deadline *d, bt_err *err)
{
    /* CPython's SemLock reads the timeout only when blocking. */
    int rc = block ? bt__threading_check_timeout(timeout, err) : 0;
    if (rc < 0)
        return rc;
    if (!block || (timeout != BT_TIMEOUT_NONE && timeout < 0))
        timeout = 0;
    bt__threading_deadline(d, timeout);
    return 0;
}

/* ---- Lock, RLock, Semaphore ---- */

int bt__mp_lock_init(bt_mp_lock *l, int kind, int value, int maxvalue)
{
    l->kind = kind;
    l->value = value;
    l->maxvalue = maxvalue;
    l->owner = 0;
    l->count = 0;
    return bt__mp_sync_init(&l->sync);
}

static int lock_make(bt_mp_lock **out, int kind, int value, int maxvalue)
{
    *out = NULL;
    bt_mp_lock *l = bt__mp_shared_alloc(sizeof *l);
    if (!l)
        return -errno;
    int rc = bt__mp_lock_init(l, kind, value, maxvalue);
    if (rc < 0) {
        bt__mp_shared_free(l, sizeof *l);
        return rc;
    }
    *out = l;
    return 0;
}

int bt_mp_lock_new(bt_mp_lock **out)
{
    return lock_make(out, BT__MP_SEMAPHORE, 1, 1);
}

int bt_mp_rlock_new(bt_mp_rlock **out)
{
    return lock_make(out, BT__MP_RLOCK, 1, 1);
}

int bt_mp_semaphore_new(bt_mp_semaphore **out, int value, bt_err *err)
{
    if (value < 0) {
        *out = NULL;
        return bt_err_oserror(err, BT_EINVAL, NULL, NULL);
    }
    return lock_make(out, BT__MP_SEMAPHORE, value, INT_MAX);
}

int bt_mp_bounded_semaphore_new(bt_mp_semaphore **out, int value, bt_err *err)
{
    if (value < 0) {
        *out = NULL;
        return bt_err_oserror(err, BT_EINVAL, NULL, NULL);
    }
    return lock_make(out, BT__MP_SEMAPHORE, value, value);
}

void bt_mp_lock_free(bt_mp_lock *l)
{
    /* Never pthread_mutex_destroy: other processes may still map it. */
    bt__mp_shared_free(l, sizeof *l);
}

bool bt__mp_lock_is_mine(bt_mp_lock *l)
{
    return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) == bt__mp_gettid();
}

bool bt__mp_lock_acquire_until(bt_mp_lock *l, const bt__deadline *d)
{
    /* The owner is kept for a Lock too (Condition asks who holds it, as
     * CPython's SemLock._is_mine does), but only an RLock re-enters. */
    pid_t me = l->maxvalue == 1 ? bt__mp_gettid() : 0;
    bt__mp_sync_lock(&l->sync);
    if (l->kind == BT__MP_RLOCK && l->owner == me) {
        l->count++;
        bt__mp_sync_unlock(&l->sync);
        return true;
    }
    bool got = true;
    while (l->value == 0) {
        if (!d || bt__mp_sync_wait(&l->sync, d) == ETIMEDOUT) {
            got = l->value > 0;
            break;
        }
    }
    if (got) {
        l->value--;
        if (me) {
            l->owner = me;
            l->count = 1;
        }
    }
    bt__mp_sync_unlock(&l->sync);
    return got;
}

int bt_mp_lock_acquire(bt_mp_lock *l, bool block, double timeout, bt_err *err)
{
    bt__deadline d;
    int rc = bt__mp_deadline(block, timeout, &d, err);
    if (rc < 0)
        return rc;
    bool once = !block || (!d.forever && bt__threading_expired(&d));
    return bt__mp_lock_acquire_until(l, once ? NULL : &d);
}

int bt_mp_lock_release(bt_mp_lock *l, bt_err *err)
{
    bt__mp_sync_lock(&l->sync);
    if (l->kind == BT__MP_RLOCK) {
        if (l->count == 0 || l->owner != bt__mp_gettid()) {
            bt__mp_sync_unlock(&l->sync);
            return bt_err_setf(err, BT_ERUNTIME, -1,
                               "attempt to release recursive lock not owned "
                               "by thread");
        }
        if (--l->count > 0) {
            bt__mp_sync_unlock(&l->sync);
            return 0;
        }
        l->owner = 0;
    } else if (l->value >= l->maxvalue) {
        bt__mp_sync_unlock(&l->sync);
        return bt_err_setf(err, BT_EVALUE, -1,
                           "semaphore or lock released too many times");
    } else if (l->maxvalue == 1) {
        l->owner = 0;
        l->count = 0;
    }
    l->value++;
    bt__mp_sync_notify(&l->sync, 1);
    bt__mp_sync_unlock(&l->sync);
    return 0;
}

int bt_mp_semaphore_get_value(bt_mp_semaphore *s)
{
    return __atomic_load_n(&s->value, __ATOMIC_RELAXED);
}
