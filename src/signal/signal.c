/* signal.c — signal.signal and getsignal, the recording C handler, the
 * dispatch (Python's PyErr_CheckSignals), the wakeup fd and
 * KeyboardInterrupt.
 *
 * The C handler touches only lock-free atomics and write(2), so it is
 * async-signal-safe. The table of user handlers is read and written under a
 * mutex by ordinary code only; the handler never reads it (SIGINT's
 * "default_int_handler installed" bit is mirrored in an atomic for it). */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core_int.h"
#include "signal_int.h"

_Static_assert(BT_SIGNAL_NSIG == NSIG, "signal.NSIG is the C library's NSIG");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the handler needs lock-free ints");

static atomic_int tripped[BT_SIGNAL_NSIG];
static atomic_int is_tripped;
static atomic_int keyboard_interrupt;
static atomic_int sigint_is_default; /* SIGINT -> default_int_handler */
static atomic_int wakeup_fd = -1;
static atomic_int wakeup_warn = 1;
static atomic_int wakeup_error;

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static bt_signal_handler table[BT_SIGNAL_NSIG];

static void trip(int signum)
{
    int saved = errno;
    if (signum > 0 && signum < BT_SIGNAL_NSIG) {
        atomic_store(&tripped[signum], 1);
        if (signum == SIGINT && atomic_load(&sigint_is_default))
            atomic_store(&keyboard_interrupt, 1);
        atomic_store(&is_tripped, 1);
    }
    int fd = atomic_load(&wakeup_fd);
    if (fd >= 0) {
        unsigned char byte = (unsigned char)signum;
        ssize_t n;
        BT__RETRY(n, write(fd, &byte, 1));
        if (n < 0 && (errno != EAGAIN || atomic_load(&wakeup_warn)))
            atomic_store(&wakeup_error, -errno);
    }
    errno = saved;
}

static int out_of_range(bt_err *err)
{
    return bt_err_setf(err, BT_EVALUE, -1, "signal number out of range");
}

/* A disposition in getsignal's terms; mine is the table's entry for it. */
static bt_signal_handler interpret(const struct sigaction *sa,
                                   bt_signal_handler mine)
{
    if (sa->sa_flags & SA_SIGINFO)
        return (bt_signal_handler){BT_SIGNAL_NONE, NULL};
    if (sa->sa_handler == SIG_DFL)
        return (bt_signal_handler){BT_SIGNAL_SIG_DFL, NULL};
    if (sa->sa_handler == SIG_IGN)
        return (bt_signal_handler){BT_SIGNAL_SIG_IGN, NULL};
    if (sa->sa_handler == trip && mine.fn != BT_SIGNAL_SIG_DFL)
        return mine;
    return (bt_signal_handler){BT_SIGNAL_NONE, NULL};
}

int bt_signal_signal(int signum, bt_signal_fn fn, void *ctx,
                     bt_signal_handler *old, bt_err *err)
{
    if (signum < 1 || signum >= BT_SIGNAL_NSIG)
        return out_of_range(err);
    if (fn == BT_SIGNAL_NONE)
        return bt_err_setf(err, BT_ETYPE, -1,
                           "signal handler must be signal.SIG_IGN, "
                           "signal.SIG_DFL, or a callable object");
    struct sigaction sa = {0};
    sigemptyset(&sa.sa_mask);
    /* Python's flags: no SA_RESTART, so blocking calls see EINTR and the
     * program gets to dispatch; SA_ONSTACK for small thread stacks. */
    sa.sa_flags = SA_ONSTACK;
    if (fn == BT_SIGNAL_SIG_DFL)
        sa.sa_handler = SIG_DFL;
    else if (fn == BT_SIGNAL_SIG_IGN)
        sa.sa_handler = SIG_IGN;
    else
        sa.sa_handler = trip;

    pthread_mutex_lock(&table_lock);
    bt_signal_handler saved = table[signum];
    int saved_default = atomic_load(&sigint_is_default);
    /* The table first, so a signal right after sigaction finds it. */
    if (sa.sa_handler == trip)
        table[signum] = (bt_signal_handler){fn, ctx};
    if (signum == SIGINT)
        atomic_store(&sigint_is_default, fn == bt_signal_default_int_handler);
    struct sigaction oldsa;
    if (sigaction(signum, &sa, &oldsa) < 0) {
        int rc = -errno;
        table[signum] = saved;
        atomic_store(&sigint_is_default, saved_default);
        pthread_mutex_unlock(&table_lock);
        return bt_err_oserror(err, rc, NULL, NULL);
    }
    if (sa.sa_handler != trip)
        table[signum] = (bt_signal_handler){BT_SIGNAL_SIG_DFL, NULL};
    pthread_mutex_unlock(&table_lock);
    if (old)
        *old = interpret(&oldsa, saved);
    return 0;
}

int bt_signal_getsignal(int signum, bt_signal_handler *out, bt_err *err)
{
    assert(out);
    if (signum < 1 || signum >= BT_SIGNAL_NSIG)
        return out_of_range(err);
    pthread_mutex_lock(&table_lock);
    struct sigaction sa;
    int rc = sigaction(signum, NULL, &sa) < 0 ? -errno : 0;
    if (rc == 0)
        *out = interpret(&sa, table[signum]);
    pthread_mutex_unlock(&table_lock);
    return rc < 0 ? bt_err_oserror(err, rc, NULL, NULL) : 0;
}

int bt_signal_default_int_handler(int signum, void *ctx, bt_err *err)
{
    (void)signum;
    (void)ctx;
    atomic_store(&keyboard_interrupt, 0);
    return bt_err_setf(err, BT_EINTERRUPT, -1, "%s", "");
}

bool bt_signal_keyboard_interrupt_pending(void)
{
    return atomic_load(&keyboard_interrupt) != 0;
}

bool bt_signal_keyboard_interrupt_clear(void)
{
    return atomic_exchange(&keyboard_interrupt, 0) != 0;
}

int bt_signal_check_signals(bt_err *err)
{
    if (!atomic_load_explicit(&is_tripped, memory_order_acquire))
        return 0;
    atomic_store(&is_tripped, 0);
    for (int i = 1; i < BT_SIGNAL_NSIG; i++) {
        if (!atomic_load_explicit(&tripped[i], memory_order_relaxed) ||
            !atomic_exchange(&tripped[i], 0))
            continue;
        pthread_mutex_lock(&table_lock);
        bt_signal_handler h = table[i];
        pthread_mutex_unlock(&table_lock);
        /* Set back to SIG_DFL/SIG_IGN since it arrived: Python drops it
         * ("ignored due to race condition"). */
        if (h.fn == BT_SIGNAL_SIG_DFL || h.fn == BT_SIGNAL_SIG_IGN ||
            h.fn == BT_SIGNAL_NONE)
            continue;
        int rc = h.fn(i, h.ctx, err);
        if (rc < 0) {
            /* The rest wait for the next check, as in Python. */
            atomic_store(&is_tripped, 1);
            return rc;
        }
    }
    return 0;
}

int bt_signal_set_wakeup_fd(int fd, bool warn_on_full_buffer, bt_err *err)
{
    if (fd != -1) {
        struct stat st;
        if (fstat(fd, &st) < 0)
            return bt_err_oserror(err, -errno, NULL, NULL);
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0)
            return bt_err_oserror(err, -errno, NULL, NULL);
        if (!(flags & O_NONBLOCK))
            return bt_err_setf(err, BT_EVALUE, -1,
                               "the fd %d must be in non-blocking mode", fd);
    }
    /* The warn flag first: a signal in between sees the new pair's rule. */
    atomic_store(&wakeup_warn, warn_on_full_buffer);
    return atomic_exchange(&wakeup_fd, fd);
}

int bt_signal_wakeup_fd_error(void)
{
    return atomic_exchange(&wakeup_error, 0);
}

int bt_signal_siginterrupt(int signum, bool flag, bt_err *err)
{
    if (signum < 1 || signum >= BT_SIGNAL_NSIG)
        return out_of_range(err);
    pthread_mutex_lock(&table_lock);
    struct sigaction sa;
    int rc = 0;
    if (sigaction(signum, NULL, &sa) < 0)
        rc = -errno;
    else {
        if (flag)
            sa.sa_flags &= ~SA_RESTART;
        else
            sa.sa_flags |= SA_RESTART;
        if (sigaction(signum, &sa, NULL) < 0)
            rc = -errno;
    }
    pthread_mutex_unlock(&table_lock);
    return rc < 0 ? bt_err_oserror(err, rc, NULL, NULL) : 0;
}
