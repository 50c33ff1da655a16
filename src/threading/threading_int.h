/*
 * threading_int.h — what the threading sources (and the queue module, which
 * waits the same way) share: monotonic deadlines, condition variables on
 * CLOCK_MONOTONIC, and the lock internals Condition needs.
 */
#ifndef BATTERIES_THREADING_INT_H
#define BATTERIES_THREADING_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

#include <batteries/threading.h>

#include "core_int.h"

/* A point on CLOCK_MONOTONIC, or no limit at all. */
typedef struct bt__deadline {
    bool forever;
    struct timespec at;
} bt__deadline;

/*
 * Checks a timeout as CPython converts one to its nanosecond time:
 * NaN is BT_EVALUE "Invalid value NaN (not a number)", a value whose
 * nanoseconds do not fit in 63 bits (either sign) is BT_EOVERFLOWERR
 * "timestamp out of range for platform time_t". BT_TIMEOUT_NONE passes.
 */
int bt__threading_check_timeout(double secs, bt_err *err);

/* *d = now + secs; BT_TIMEOUT_NONE gives no limit, anything else not above
 * 0 (NaN too) gives now, and anything beyond the 63-bit range no limit. */
void bt__threading_deadline(bt__deadline *d, double secs);

/* Whether the deadline has passed. */
bool bt__threading_expired(const bt__deadline *d);

/* pthread_cond_init on CLOCK_MONOTONIC. Returns 0 or -errno. */
int bt__threading_cond_init(pthread_cond_t *cv);

/* One wait on cv (mu held) until signalled or d passes (spurious wake-ups
 * possible). Returns 0, or ETIMEDOUT once d has passed. */
int bt__threading_cond_wait(pthread_cond_t *cv, pthread_mutex_t *mu,
                            const bt__deadline *d);

/* pthread_mutex_init with the default attributes; 0 or -errno. */
int bt__threading_mutex_init(pthread_mutex_t *mu);

/*
 * The lock under Lock and RLock: one atomic word (a futex on Linux), so the
 * uncontended path is one compare-and-swap and one exchange, and a release
 * touches nothing but that word (a thread that takes the lock may free it
 * at once). Any thread may release.
 */
typedef struct bt__lockcore {
    atomic_int state; /* 0 free, 1 held, 2 held and maybe sleepers */
} bt__lockcore;

void bt__lockcore_init(bt__lockcore *c);
/* Takes the lock: once (d NULL) or waiting until d. Returns true when taken. */
bool bt__lockcore_acquire(bt__lockcore *c, const bt__deadline *d);
/* Releases; false when it was not held. */
bool bt__lockcore_release(bt__lockcore *c);

struct bt_lock {
    bt__lockcore core;
};

struct bt_rlock {
    bt__lockcore core;
    atomic_ulong owner;  /* get_ident of the owner, 0 when free */
    atomic_size_t count; /* written by the owner only */
};

/*
 * Lock.acquire's argument rules, in CPython's order. Returns 0 with *once
 * (try once, no wait) or *d (the deadline to wait until), or the
 * ValueError / OverflowError code.
 */
int bt__threading_lock_args(bool blocking, double timeout, bt__deadline *d,
                            bool *once, bt_err *err);

/* RLock state across a Condition wait: release every level, restore it. */
size_t bt__rlock_release_save(bt_rlock *l);
void bt__rlock_acquire_restore(bt_rlock *l, size_t count);
bool bt__rlock_is_owned(bt_rlock *l);

/* The calling thread's ident, cheaply. */
unsigned long bt__threading_ident(void);

#endif /* BATTERIES_THREADING_INT_H */
