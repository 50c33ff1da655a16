/*
 * mp_int.h — what the multiprocessing sources share: the synchronization
 * core that lives in MAP_SHARED memory (a robust process-shared mutex and a
 * futex sequence word to wait on), and shared-memory allocation.
 */
#ifndef BATTERIES_MP_INT_H
#define BATTERIES_MP_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <batteries/multiprocessing.h>

#include "../threading/threading_int.h"

/*
 * State guarded by mu, and seq to sleep on. A waiter reads seq under mu,
 * unlocks, and sleeps while seq is unchanged; a notifier bumps seq under mu
 * and wakes. So no wake-up is lost, and a waiter killed while asleep leaves
 * nothing behind (unlike a process-shared pthread_cond_t, whose destroy and
 * group bookkeeping a dead waiter can wedge). mu is robust: a process that
 * dies holding it hands it to the next locker, which carries on (the state
 * under it is only ever changed by single stores that leave it valid).
 */
typedef struct bt__mp_sync {
    pthread_mutex_t mu;
    atomic_uint seq;
} bt__mp_sync;

int bt__mp_sync_init(bt__mp_sync *s);
void bt__mp_sync_lock(bt__mp_sync *s);
void bt__mp_sync_unlock(bt__mp_sync *s);
/* With mu held: sleeps until notified or d passes (mu held again on
 * return). Returns ETIMEDOUT once d has passed, else 0 (maybe spurious). */
int bt__mp_sync_wait(bt__mp_sync *s, const bt__deadline *d);
/* With mu held: wakes up to n sleepers (INT_MAX: all). */
void bt__mp_sync_notify(bt__mp_sync *s, int n);

/* Zeroed MAP_SHARED anonymous memory; NULL with errno on failure. */
void *bt__mp_shared_alloc(size_t size);
void bt__mp_shared_free(void *p, size_t size);

/*
 * The timeout rules of CPython's SemLock.acquire: with block, NaN and
 * overflow as threading checks them and a negative timeout is 0; without
 * block the timeout is not read.
 */
int bt__mp_deadline(bool block, double timeout, bt__deadline *d, bt_err *err);

enum bt__mp_lock_kind { BT__MP_SEMAPHORE, BT__MP_RLOCK };

struct bt_mp_lock {
    bt__mp_sync sync;
    int kind;
    int value;    /* units free (a Lock: 1 free, 0 held) */
    int maxvalue; /* release beyond it is refused */
    pid_t owner;  /* RLock owner's kernel thread id (unique system-wide
                     among live threads), 0 when free */
    int count;    /* RLock depth */
};

/* Acquire / release with an already computed deadline (NULL: try once). */
bool bt__mp_lock_acquire_until(bt_mp_lock *l, const bt__deadline *d);
/* Whether the calling thread holds the Lock or RLock. */
bool bt__mp_lock_is_mine(bt_mp_lock *l);

/* The calling thread's kernel id (gettid), cached and refreshed after
 * fork. */
pid_t bt__mp_gettid(void);

/* Makes a lock in memory the caller already shares. */
int bt__mp_lock_init(bt_mp_lock *l, int kind, int value, int maxvalue);

/*
 * Message framing on a stream socket, as Python's Connection frames:
 * a 4-byte big-endian length, or -1 and an 8-byte length beyond INT_MAX.
 * send: 0 or -errno (MSG_NOSIGNAL: EPIPE, never SIGPIPE). recv: the
 * length, BT_EEOF at a clean end, BT_EIO inside a message, BT_EMSGSIZE
 * past maxlength (0: none; the body stays unread), BT_ENOMEM, -errno.
 */
int bt__mp_send_msg(int fd, const void *data, size_t n);
ptrdiff_t bt__mp_recv_msg(int fd, bt_buf *out, size_t maxlength, bt_err *err);
/* Whether fd is readable (or at end of file) before d: 1, 0, or -errno. */
int bt__mp_poll_in(int fd, const bt__deadline *d);

#endif /* BATTERIES_MP_INT_H */
