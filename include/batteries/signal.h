/*
 * batteries/signal.h — Python's signal module: handlers that run as ordinary
 * code (never inside the signal), the wakeup fd, alarm and interval timers,
 * signal masks and synchronous waits, names and descriptions.
 *
 *   static int on_usr1(int signum, void *ctx, bt_err *err) { ...; return 0; }
 *
 *   bt_signal_signal(SIGUSR1, on_usr1, NULL, NULL, &err);   // signal.signal
 *   ...
 *   rc = bt_signal_check_signals(&err);   // runs on_usr1 here, on this thread
 *
 * Python's model, and how it maps to C:
 *  - bt_signal_signal installs one small C handler for the signal. When the
 *    signal arrives, that handler only records it (an atomic flag per
 *    signal) and writes the signal number, as one byte, to the wakeup fd if
 *    one is set (bt_signal_set_wakeup_fd). It calls nothing else, so it is
 *    async-signal-safe, and it saves and restores errno.
 *  - The user's handler runs later, as ordinary code, on whichever thread
 *    calls bt_signal_check_signals (Python's PyErr_CheckSignals, which the
 *    interpreter calls between bytecodes). A program calls it in its loop,
 *    after a blocking call returns EINTR, or when its wakeup fd becomes
 *    readable. batteries' event loop, when it exists, will call it for you.
 *    The functions that Python follows with a signal check (pause,
 *    raise_signal, pthread_kill, pthread_sigmask, sigwaitinfo and
 *    sigtimedwait on EINTR) call it too, as Python does.
 *  - A handler returns 0, or a negative code for "raised an exception": that
 *    code is what bt_signal_check_signals (and the call that dispatched)
 *    returns, and the signals not yet handled wait for the next check.
 *  - KeyboardInterrupt: batteries never changes a disposition by itself.
 *    A C program starts with SIGINT at SIG_DFL (Ctrl-C kills it); to get
 *    Python's default, ask for it:
 *        bt_signal_signal(SIGINT, bt_signal_default_int_handler, NULL, NULL,
 * &err); Then a SIGINT sets the KeyboardInterrupt flag at once (test it with
 *    bt_signal_keyboard_interrupt_pending, even in a loop that never
 *    dispatches) and the next bt_signal_check_signals returns BT_EINTERRUPT
 *    (and clears the flag).
 *  - As in Python, the handler is installed without SA_RESTART (a blocking
 *    system call returns EINTR, so the program gets the chance to dispatch;
 *    batteries' own calls retry after EINTR, PEP 475) and with SA_ONSTACK;
 *    bt_signal_siginterrupt changes the restart flag.
 *  - SIGPIPE: batteries never dies of SIGPIPE (its sockets and pipes write
 *    with MSG_NOSIGNAL and the like, and report EPIPE, BrokenPipeError) and
 *    never changes SIGPIPE's disposition. Python ignores SIGPIPE at startup;
 *    a C program that wants that calls
 *        bt_signal_signal(SIGPIPE, BT_SIGNAL_SIG_IGN, NULL, NULL, &err);
 *  - Python allows signal() and set_wakeup_fd only in the main thread. Here
 *    any thread may call them (dispositions are per process either way);
 *    handlers run on the thread that dispatches.
 *  - Sets of signals (Python's sets of ints) are bt_signal_set, an array of
 *    flags indexed by signal number: set.has[SIGINT] = true.
 *  - Errors are Python's, in words and kind: BT_EVALUE "signal number out of
 *    range", -EINVAL "[Errno 22] Invalid argument" (OSError; Python's
 *    ItimerError for the timers, a subclass of OSError), and so on. Every
 *    err may be NULL.
 */
#ifndef BATTERIES_SIGNAL_H
#define BATTERIES_SIGNAL_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* signal.NSIG: one more than the highest signal number (65 on Linux). */
#define BT_SIGNAL_NSIG 65

/* signal.SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK (Linux's values). */
#define BT_SIGNAL_SIG_BLOCK   0
#define BT_SIGNAL_SIG_UNBLOCK 1
#define BT_SIGNAL_SIG_SETMASK 2

/* signal.ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF. */
#define BT_SIGNAL_ITIMER_REAL    0
#define BT_SIGNAL_ITIMER_VIRTUAL 1
#define BT_SIGNAL_ITIMER_PROF    2

/*
 * A handler: runs on the thread that dispatches (bt_signal_check_signals),
 * with the signal number and the ctx given to bt_signal_signal. Returns 0,
 * or a negative code (filling err) for "raised an exception".
 */
typedef int (*bt_signal_fn)(int signum, void *ctx, bt_err *err);

/* signal.SIG_DFL and signal.SIG_IGN, as handlers (C's own values). */
#define BT_SIGNAL_SIG_DFL ((bt_signal_fn)0)
#define BT_SIGNAL_SIG_IGN ((bt_signal_fn)1)
/* What getsignal reports for a handler not installed through batteries
 * (Python's None). Not accepted by bt_signal_signal. */
#define BT_SIGNAL_NONE ((bt_signal_fn)2)

/* A signal's handler as getsignal reports it: fn is a handler,
 * BT_SIGNAL_SIG_DFL, BT_SIGNAL_SIG_IGN or BT_SIGNAL_NONE; ctx goes with fn. */
typedef struct bt_signal_handler {
    bt_signal_fn fn;
    void *ctx;
} bt_signal_handler;

/* A set of signal numbers (Python's set of ints): has[n] for signal n.
 * has[0] is never valid. Initialize with {0}. */
typedef struct bt_signal_set {
    bool has[BT_SIGNAL_NSIG];
} bt_signal_set;

/* signal.struct_siginfo: Python's si_signo, si_code, si_errno, si_pid,
 * si_uid, si_status, si_band without the si_ prefix (<signal.h> defines
 * most si_ names as macros, and errno is one too). */
typedef struct bt_signal_siginfo {
    int signo;
    int code;
    int error;
    int pid;
    unsigned int uid;
    int status;
    long band;
} bt_signal_siginfo;

/**
 * Sets the handler for a signal: a bt_signal_fn (with ctx), or
 * BT_SIGNAL_SIG_DFL, or BT_SIGNAL_SIG_IGN. A function is called later by
 * bt_signal_check_signals, never inside the signal. Passing
 * bt_signal_default_int_handler for SIGINT gives Python's KeyboardInterrupt
 * (see the header's comment).
 *
 * Python: old = signal.signal(signalnum, handler). Python also runs pending
 *   handlers before it changes one; this call does not (it never runs user
 *   code).
 * Returns: 0, and the previous handler in *old (may be NULL) as
 *   bt_signal_getsignal reports it; BT_EVALUE "signal number out of range";
 *   BT_ETYPE "signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a
 *   callable object" (fn is BT_SIGNAL_NONE); -EINVAL "[Errno 22] Invalid
 *   argument" (SIGKILL, SIGSTOP, or a signal glibc reserves: 32, 33).
 * Ownership: ctx stays the caller's; it must live as long as the handler is
 *   installed.
 * Thread safety: safe; the handler changes for the whole process.
 */
BT_API int bt_signal_signal(int signum, bt_signal_fn fn, void *ctx,
                            bt_signal_handler *old, bt_err *err);

/**
 * The current handler for a signal: the function and ctx installed by
 * bt_signal_signal, BT_SIGNAL_SIG_DFL, BT_SIGNAL_SIG_IGN, or BT_SIGNAL_NONE
 * for a handler installed outside batteries (with sigaction).
 *
 * Python: signal.getsignal(signalnum).
 * Returns: 0 and *out; BT_EVALUE "signal number out of range".
 * Ownership: out->ctx is the caller's, as given to bt_signal_signal.
 * Thread safety: safe.
 */
BT_API int bt_signal_getsignal(int signum, bt_signal_handler *out, bt_err *err);

/**
 * Python's SIGINT handler, to install with bt_signal_signal (or to call): it
 * "raises KeyboardInterrupt", that is, returns BT_EINTERRUPT with an empty
 * message (str(KeyboardInterrupt()) is ''), and clears the
 * KeyboardInterrupt flag. Installed for SIGINT, the signal itself also sets
 * the flag at once.
 *
 * Python: signal.default_int_handler.
 * Returns: BT_EINTERRUPT, always.
 * Ownership: nothing to free; ctx is unused.
 * Thread safety: safe.
 */
BT_API int bt_signal_default_int_handler(int signum, void *ctx, bt_err *err);

/**
 * Whether a SIGINT arrived while bt_signal_default_int_handler was its
 * handler and has not been dispatched or cleared (test), and clears the
 * flag returning whether it was set (clear). Async-signal-safe.
 *
 * Python: the pending KeyboardInterrupt; a program that polls instead of
 *   dispatching tests and clears it here.
 * Returns: true or false.
 * Ownership: nothing to free.
 * Thread safety: safe (an atomic flag).
 */
BT_API bool bt_signal_keyboard_interrupt_pending(void);
BT_API bool bt_signal_keyboard_interrupt_clear(void);

/**
 * Runs the handlers of the signals that arrived since the last check, on
 * the calling thread, in order of signal number, each once however often
 * its signal arrived. Cheap (one atomic load) when nothing arrived. Stops at
 * the first handler that fails; the signals not yet handled stay pending
 * for the next call. A signal whose handler was set back to SIG_DFL or
 * SIG_IGN before the check is dropped (Python says "ignored due to race
 * condition").
 *
 * Python: PyErr_CheckSignals(), what the interpreter runs between bytecodes
 *   (and what batteries' event loop will run when it exists).
 * Returns: 0, or the failing handler's code (BT_EINTERRUPT from
 *   bt_signal_default_int_handler), with err filled by the handler.
 * Ownership: nothing to free.
 * Thread safety: safe; two threads checking at once share the work (each
 *   arrival is handled once).
 */
BT_API int bt_signal_check_signals(bt_err *err);

/**
 * Sets the wakeup fd: the signal handler writes each signal's number as one
 * byte there, so a select/poll loop wakes up. fd must be in non-blocking
 * mode; -1 turns it off. A failed write cannot be reported from inside the
 * signal, so it is recorded for bt_signal_wakeup_fd_error: a full buffer
 * (EAGAIN) only when warn_on_full_buffer is true, other errors always
 * (Python prints both as "Exception ignored when trying to write to the
 * signal wakeup fd").
 *
 * Python: signal.set_wakeup_fd(fd, *, warn_on_full_buffer=True).
 * Returns: the previous fd (-1 for none); -EBADF "[Errno 9] Bad file
 *   descriptor"; BT_EVALUE "the fd 4 must be in non-blocking mode".
 * Ownership: fd stays the caller's; turn it off before closing it.
 * Thread safety: safe.
 */
BT_API int bt_signal_set_wakeup_fd(int fd, bool warn_on_full_buffer,
                                   bt_err *err);

/**
 * The error of the last failed write to the wakeup fd (as recorded under
 * bt_signal_set_wakeup_fd's rules), and forgets it.
 *
 * Python: the warning Python prints to stderr instead.
 * Returns: 0 if none, else -errno (-EAGAIN for a full buffer).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_wakeup_fd_error(void);

/**
 * Schedules a SIGALRM in seconds seconds (0 cancels it). Cannot fail; a
 * negative int converted to unsigned gives the same huge alarm as Python's
 * signal.alarm(-1).
 *
 * Python: signal.alarm(time).
 * Returns: the seconds left of the previous alarm, 0 if none.
 * Ownership: nothing to free.
 * Thread safety: safe; one alarm per process.
 */
BT_API unsigned int bt_signal_alarm(unsigned int seconds);

/**
 * Arms interval timer `which` (BT_SIGNAL_ITIMER_REAL -> SIGALRM, _VIRTUAL
 * -> SIGVTALRM, _PROF -> SIGPROF) to fire after `seconds` and then every
 * `interval` seconds (0: once); seconds 0 disarms it. Seconds are rounded
 * up to microseconds, as Python does.
 *
 * Python: signal.setitimer(which, seconds, interval=0.0) -> the old
 *   (delay, interval).
 * Returns: 0 and the old values in *old_delay, *old_interval (each may be
 *   NULL); -EINVAL "[Errno 22] Invalid argument" (Python's ItimerError) for
 *   a bad which or a negative time; BT_EVALUE "Invalid value NaN (not a
 *   number)"; BT_EOVERFLOWERR "timestamp out of range for platform time_t"
 *   (beyond 2**63 nanoseconds).
 * Ownership: nothing to free.
 * Thread safety: safe; the timers belong to the process.
 */
BT_API int bt_signal_setitimer(int which, double seconds, double interval,
                               double *old_delay, double *old_interval,
                               bt_err *err);

/**
 * The time left on interval timer `which` and its interval, in seconds.
 *
 * Python: signal.getitimer(which) -> (delay, interval).
 * Returns: 0, *delay and *interval (each may be NULL); -EINVAL "[Errno 22]
 *   Invalid argument" (ItimerError) for a bad which.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_getitimer(int which, double *delay, double *interval,
                               bt_err *err);

/**
 * Sleeps until a signal arrives (one that runs a handler or kills), then
 * dispatches the handlers. As in Python, a signal that arrives just before
 * the call is handled only by the next one: use sigwait or a wakeup fd for
 * a race-free wait.
 *
 * Python: signal.pause().
 * Returns: 0, or a handler's failure code (as bt_signal_check_signals).
 * Ownership: nothing to free.
 * Thread safety: safe; only the calling thread sleeps.
 */
BT_API int bt_signal_pause(bt_err *err);

/**
 * Sends a signal to the process (to the calling thread), then dispatches,
 * so a handler has run when it returns (as in Python). Signal 0 sends
 * nothing.
 *
 * Python: signal.raise_signal(signum).
 * Returns: 0; -EINVAL "[Errno 22] Invalid argument" for a signal that does
 *   not exist; or a handler's failure code.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_raise_signal(int signum, bt_err *err);

/**
 * Sends a signal to one thread of this process, by its identifier
 * (bt_threading_get_ident, bt_thread_ident), then dispatches. Signal 0
 * only checks that the thread exists. The thread must not have ended (as
 * with pthread_kill, an ended thread's id is undefined behaviour).
 *
 * Python: signal.pthread_kill(thread_id, signalnum).
 * Returns: 0; -EINVAL "[Errno 22] Invalid argument" for a signal that does
 *   not exist; -ESRCH; or a handler's failure code.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_pthread_kill(unsigned long thread_id, int signum,
                                  bt_err *err);

/**
 * Changes the calling thread's signal mask: BT_SIGNAL_SIG_BLOCK adds mask,
 * _UNBLOCK removes it, _SETMASK replaces it (mask NULL: only read it).
 * Signals glibc reserves (32, 33) are skipped, as Python skips them after
 * a RuntimeWarning. Dispatches afterwards, since unblocking may deliver.
 *
 * Python: old = signal.pthread_sigmask(how, mask).
 * Returns: 0 and the previous mask in *old (may be NULL); BT_EVALUE "signal
 *   number 0 out of range [1; 64]" (mask->has[0]); -EINVAL "[Errno 22]
 *   Invalid argument" for a bad how; or a handler's failure code.
 * Ownership: nothing to free.
 * Thread safety: safe; affects the calling thread only.
 */
BT_API int bt_signal_pthread_sigmask(int how, const bt_signal_set *mask,
                                     bt_signal_set *old, bt_err *err);

/**
 * The signals pending for the calling thread (raised while blocked).
 *
 * Python: signal.sigpending().
 * Returns: 0 and *out; a -errno from the OS.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_sigpending(bt_signal_set *out, bt_err *err);

/**
 * Waits until one of the signals in mask is pending for the calling thread
 * (block them first with bt_signal_pthread_sigmask), takes it, and returns
 * its number (sigwait), its siginfo too (sigwaitinfo), or gives up after
 * timeout seconds (sigtimedwait; 0 polls). No handler runs for a signal
 * taken this way. sigwaitinfo and sigtimedwait retry after EINTR,
 * dispatching first (PEP 475): a failing handler ends the wait.
 *
 * Python: signal.sigwait(sigset), signal.sigwaitinfo(sigset),
 *   signal.sigtimedwait(sigset, timeout) (None on timeout).
 * Returns: the signal number (sigwait, sigwaitinfo) and *info (may be
 *   NULL); 1 and *info, or 0 on timeout (sigtimedwait); BT_EVALUE "signal
 *   number 0 out of range [1; 64]"; BT_EVALUE "timeout must be
 *   non-negative"; BT_EVALUE "Invalid value NaN (not a number)";
 *   BT_EOVERFLOWERR "timestamp out of range for platform time_t"; a
 *   handler's failure code.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_sigwait(const bt_signal_set *mask, bt_err *err);
BT_API int bt_signal_sigwaitinfo(const bt_signal_set *mask,
                                 bt_signal_siginfo *info, bt_err *err);
BT_API int bt_signal_sigtimedwait(const bt_signal_set *mask, double timeout,
                                  bt_signal_siginfo *info, bt_err *err);

/**
 * Whether a system call interrupted by signum is restarted (flag false)
 * or fails with EINTR (flag true, what bt_signal_signal installs).
 *
 * Python: signal.siginterrupt(signalnum, flag).
 * Returns: 0; BT_EVALUE "signal number out of range"; -EINVAL.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_siginterrupt(int signum, bool flag, bt_err *err);

/**
 * The system's description of a signal: "Interrupt" for SIGINT, "Real-time
 * signal 0" for SIGRTMIN; NULL (Python's None) for a number in range that
 * is no signal (32, 33).
 *
 * Python: signal.strsignal(signalnum).
 * Returns: 0 and *out; BT_EVALUE "signal number out of range".
 * Ownership: *out is static, never freed.
 * Thread safety: safe.
 */
BT_API int bt_signal_strsignal(int signum, const char **out, bt_err *err);

/**
 * Every signal number valid on this platform (1-31 and 34-64 on Linux).
 *
 * Python: signal.valid_signals().
 * Returns: 0 and *out; a -errno from the OS.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_signal_valid_signals(bt_signal_set *out);

/**
 * The signal's name, "SIGINT" for 2 (bt_signal_signals_name), and the
 * number for a name, aliases included: "SIGIOT" is 6 (..._from_name).
 * Where two names share a number the name is Python's (SIGABRT, SIGCHLD,
 * SIGIO); SIGRTMIN and SIGRTMAX are named, the numbers between are not.
 *
 * Python: signal.Signals(2).name, signal.Signals['SIGIOT'].value.
 * Returns: 0 and *name (static) or *signum; BT_EVALUE "35 is not a valid
 *   Signals"; BT_EKEY "'FOO'".
 * Ownership: *name is static, never freed.
 * Thread safety: safe.
 */
BT_API int bt_signal_signals_name(int signum, const char **name, bt_err *err);
BT_API int bt_signal_signals_from_name(const char *name, int *signum,
                                       bt_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_SIGNAL_H */
