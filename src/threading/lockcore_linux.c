/* lockcore_linux.c — the word under Lock and RLock, on the futex system
 * call: waits are absolute CLOCK_MONOTONIC deadlines (FUTEX_WAIT_BITSET
 * without FUTEX_CLOCK_REALTIME) and resume after EINTR. */
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "threading_int.h"

/* Spins before sleeping: a lock held for a few instructions is often free
 * again before a system call would have returned. */
enum { SPINS = 100 };

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Sleeps while *word == val, until woken or d passes. Returns ETIMEDOUT
 * once d has passed, else 0 (woken, value changed, or a signal). */
static int futex_wait(atomic_int *word, int val, const bt__deadline *d)
{
    long rc =
        syscall(SYS_futex, (int *)word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
                val, d->forever ? NULL : &d->at, NULL, FUTEX_BITSET_MATCH_ANY);
    return rc < 0 && errno == ETIMEDOUT ? ETIMEDOUT : 0;
}

static void futex_wake_one(atomic_int *word)
{
    syscall(SYS_futex, (int *)word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1, NULL,
            NULL, 0);
}

void bt__lockcore_init(bt__lockcore *c)
{
    atomic_init(&c->state, 0);
}

static inline bool try_take(bt__lockcore *c, int to)
{
    int v = 0;
    return atomic_compare_exchange_strong_explicit(
        &c->state, &v, to, memory_order_acquire, memory_order_relaxed);
}

bool bt__lockcore_acquire(bt__lockcore *c, const bt__deadline *d)
{
    if (try_take(c, 1))
        return true;
    if (!d)
        return false;
    for (int i = 0; i < SPINS; i++) {
        cpu_relax();
        int v = atomic_load_explicit(&c->state, memory_order_relaxed);
        if (v == 2)
            break; /* others sleep already: queue up with them */
        if (v == 0 && try_take(c, 1))
            return true;
    }
    /* 2 says "someone may sleep": the release that sees it wakes one. */
    int v = atomic_exchange_explicit(&c->state, 2, memory_order_acquire);
    while (v != 0) {
        int saved = errno;
        int rc = futex_wait(&c->state, 2, d);
        errno = saved;
        if (rc == ETIMEDOUT)
            return try_take(c, 2);
        v = atomic_exchange_explicit(&c->state, 2, memory_order_acquire);
    }
    return true;
}

bool bt__lockcore_release(bt__lockcore *c)
{
    int prev = atomic_exchange_explicit(&c->state, 0, memory_order_release);
    if (prev == 2) {
        int saved = errno;
        futex_wake_one(&c->state);
        errno = saved;
    }
    return prev != 0;
}
