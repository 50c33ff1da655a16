/*
 * batteries/threading.h — Python's threading module on POSIX threads, without
 * a GIL: Thread objects and the module's thread functions, thread-local
 * storage, Lock, RLock, Condition, Semaphore, BoundedSemaphore, Event,
 * Barrier and Timer, with CPython 3.11's semantics and error messages.
 *
 *   static int worker(void *arg, bt_err *err) { ...; return 0; }
 *
 *   bt_thread *t;
 *   if (bt_thread_new(&t, worker, &job, "worker") == 0 &&   // "Thread-1
 * (worker)" bt_thread_start(t, &err) == 0) bt_thread_join(t, BT_TIMEOUT_NONE,
 * &err); bt_thread_free(t);
 *
 * Conventions (the same for every function here):
 *  - Objects are opaque, made by bt_<type>_new and released by
 *    bt_<type>_free (which accepts NULL). Free an object only when no other
 *    thread uses it any more (a bt_thread may be freed while it runs: the
 *    thread keeps what it needs until it ends).
 *  - A timeout is in seconds, a double. BT_TIMEOUT_NONE (-1.0) stands for
 *    Python's timeout=None (and for Lock.acquire's own -1): wait forever.
 *    Other values keep Python's meaning: a negative one is a ValueError for
 *    Lock.acquire and the queues and means "do not wait" elsewhere, as in
 *    Python. NaN is "ValueError: Invalid value NaN (not a number)" where
 *    Python converts the value (locks, join, queues), and a timeout beyond
 *    2**63 nanoseconds (BT_THREADING_TIMEOUT_MAX) is "OverflowError:
 *    timestamp out of range for platform time_t", as in CPython 3.11.
 *  - Every wait is measured on CLOCK_MONOTONIC (setting the wall clock does
 *    not change it) and is never cut short by a signal handler (EINTR).
 *  - A "would be an exception" result is a negative code; functions that
 *    take a bt_err *err (which may always be NULL) fill it with Python's
 *    message: BT_EVALUE "can't specify a timeout for a non-blocking call",
 *    BT_ERUNTIME "release unlocked lock", ...
 *  - A thread function returns int: >= 0 for success, a negative BT_E* code
 *    for "raised an exception", with err (the thread's own context) filled
 *    to give the message. A failing Thread target is reported through the
 *    excepthook (bt_threading_set_excepthook), whose default prints
 *    "Exception in thread Thread-1 (worker):" and the error, as Python.
 *  - At process exit: Python joins every non-daemon thread before the
 *    interpreter exits. C's exit() does not: call bt_threading_shutdown()
 *    at the end of main, or register it once with
 *    atexit(bt_threading_shutdown), to get Python's rule. Daemon threads are
 *    never waited for; they die with the process.
 */
#ifndef BATTERIES_THREADING_H
#define BATTERIES_THREADING_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Python's timeout=None: wait as long as it takes. */
#define BT_TIMEOUT_NONE (-1.0)

/* threading.TIMEOUT_MAX: the largest timeout accepted, in seconds. */
#define BT_THREADING_TIMEOUT_MAX 9223372036.0

/*
 * A thread's work (Thread target, Timer function, Barrier action): returns
 * >= 0 on success, or a negative BT_E* code with err filled with the
 * message, as any library function does. err is never NULL.
 */
typedef int (*bt_thread_fn)(void *arg, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Thread                                                                    */
/* ------------------------------------------------------------------------ */

/* A thread of control: Python's threading.Thread. */
typedef struct bt_thread bt_thread;

/**
 * Creates a thread object that will run target(arg, err) once started. Its
 * name is Python's default: "Thread-N (target_name)", or "Thread-N" when
 * target_name is NULL (N counts every thread object made, from 1). Its
 * daemon flag is inherited from the creating thread (false from the main
 * thread), as Python's daemon=None.
 *
 * Python: threading.Thread(target=target, args=(arg,)).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_thread_free; arg stays the
 *   caller's and must live until the thread ends; target_name is copied.
 * Thread safety: safe.
 */
BT_API int bt_thread_new(bt_thread **out, bt_thread_fn target, void *arg,
                         const char *target_name);

/**
 * Releases the caller's reference to a thread object. A thread that is
 * still running keeps its own reference and goes on; its memory is released
 * when it ends. Freeing does not join: call bt_thread_join first to wait.
 *
 * Python: del t.
 * Returns: nothing. Accepts NULL.
 * Ownership: t is invalid for the caller afterwards.
 * Thread safety: safe, but no other thread may use the caller's pointer.
 */
BT_API void bt_thread_free(bt_thread *t);

/**
 * Starts the thread, and returns once it runs (so its ident and native id
 * are known).
 *
 * Python: t.start().
 * Returns: 0, or BT_ERUNTIME ("threads can only be started once", "can't
 *   start new thread" when the system refuses a thread).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_thread_start(bt_thread *t, bt_err *err);

/**
 * Waits until the thread ends, or until timeout seconds have passed
 * (BT_TIMEOUT_NONE: no limit; a negative timeout only checks).
 *
 * Python: t.join(timeout); t.is_alive() tells which (here the result does).
 * Returns: 1 when the thread has ended, 0 when the timeout expired first;
 *   BT_ERUNTIME ("cannot join thread before it is started", "cannot join
 *   current thread"), BT_EVALUE (NaN) or BT_EOVERFLOWERR (too large).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe; several threads may join the same thread.
 */
BT_API int bt_thread_join(bt_thread *t, double timeout, bt_err *err);

/**
 * Whether the thread has been started and its target has not returned yet.
 *
 * Python: t.is_alive().
 * Returns: true or false.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_thread_is_alive(const bt_thread *t);

/**
 * The thread's name ("Thread-1 (worker)", "MainThread", "Dummy-2", ...).
 *
 * Python: t.name.
 * Returns: the name, never NULL.
 * Ownership: borrowed, valid until bt_thread_set_name or bt_thread_free.
 * Thread safety: safe unless another thread renames it meanwhile.
 */
BT_API const char *bt_thread_name(const bt_thread *t);

/**
 * Renames the thread (its name only: the operating system's thread name is
 * not changed).
 *
 * Python: t.name = name.
 * Returns: 0, or BT_ENOMEM (the name is then unchanged).
 * Ownership: name is copied.
 * Thread safety: not safe against a concurrent bt_thread_name of the same
 *   thread.
 */
BT_API int bt_thread_set_name(bt_thread *t, const char *name);

/**
 * The thread identifier (pthread_t as a number, as Python's) and the
 * kernel's thread id (gettid()).
 *
 * Python: t.ident, t.native_id.
 * Returns: the number; 0 before the thread is started (Python's None).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API unsigned long bt_thread_ident(const bt_thread *t);
BT_API unsigned long bt_thread_native_id(const bt_thread *t);

/**
 * Whether the thread is a daemon thread (not waited for by
 * bt_threading_shutdown).
 *
 * Python: t.daemon.
 * Returns: true or false.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_thread_daemon(const bt_thread *t);

/**
 * Sets the daemon flag; only before the thread is started.
 *
 * Python: t.daemon = daemon.
 * Returns: 0, or BT_ERUNTIME "cannot set daemon status of active thread".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_thread_set_daemon(bt_thread *t, bool daemon, bt_err *err);

/**
 * What the thread's target returned, once the thread has ended
 * (bt_thread_join returned 1), and a copy of the error context it filled.
 * An extension: Python's threads return nothing.
 *
 * Python: no equivalent (like multiprocessing's Process.exitcode).
 * Returns: the target's return value; 0 while the thread has not ended.
 *   err (may be NULL) gets the target's error context (cleared when it
 *   returned >= 0).
 * Ownership: err is the caller's.
 * Thread safety: safe once the thread has ended.
 */
BT_API int bt_thread_exitcode(const bt_thread *t, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Module functions                                                          */
/* ------------------------------------------------------------------------ */

/**
 * The calling thread's object: the bt_thread it runs, the main thread, or a
 * "Dummy-N" daemon object made on first use for a thread the library did
 * not start (released when that thread exits).
 *
 * Python: threading.current_thread().
 * Returns: the thread, or NULL when out of memory making a dummy object.
 * Ownership: borrowed, valid while the calling thread runs.
 * Thread safety: safe.
 */
BT_API bt_thread *bt_threading_current_thread(void);

/**
 * The main thread's object, "MainThread": the thread that loaded the
 * library (the program's initial thread), or in a child process the thread
 * that called fork.
 *
 * Python: threading.main_thread().
 * Returns: the thread, never NULL.
 * Ownership: borrowed, static.
 * Thread safety: safe.
 */
BT_API bt_thread *bt_threading_main_thread(void);

/**
 * The calling thread's identifier (pthread_self() as a number) and its
 * kernel thread id (gettid()).
 *
 * Python: threading.get_ident(), threading.get_native_id().
 * Returns: the number, never 0.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API unsigned long bt_threading_get_ident(void);
BT_API unsigned long bt_threading_get_native_id(void);

/**
 * The number of threads alive: the main thread, started bt_threads that
 * have not ended, and dummy objects of other threads that asked for theirs.
 *
 * Python: threading.active_count().
 * Returns: the count (>= 1).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_threading_active_count(void);

/**
 * The threads alive, as bt_threading_active_count counts them, the main
 * thread first, then in the order they started.
 *
 * Python: threading.enumerate().
 * Returns: 0, *out (an array of *n references) and *n; or BT_ENOMEM.
 * Ownership: each entry is a reference the caller releases; release them
 *   all and the array with bt_threading_enumerate_free(*out, *n).
 * Thread safety: safe.
 */
BT_API int bt_threading_enumerate(bt_thread ***out, size_t *n);

/**
 * Releases what bt_threading_enumerate returned: each thread reference,
 * then the array.
 *
 * Python: del the list.
 * Returns: nothing. Accepts NULL.
 * Ownership: the array and its references are invalid afterwards.
 * Thread safety: safe.
 */
BT_API void bt_threading_enumerate_free(bt_thread **threads, size_t n);

/**
 * Joins every non-daemon thread that is alive (also those they start in
 * the meantime), as Python does before the interpreter exits. Call it at the
 * end of main, or register it: atexit(bt_threading_shutdown). The calling
 * thread and the main thread are not waited for.
 *
 * Python: threading._shutdown(), which Python runs at exit.
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void bt_threading_shutdown(void);

/**
 * Sets the stack size of threads started afterwards (0: the system's
 * default), or with size < 0 only reports it.
 *
 * Python: threading.stack_size(size), threading.stack_size().
 * Returns: the previous size (0 for the default), or BT_EVALUE "size not
 *   valid: 100 bytes" for a size below 32768.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_threading_stack_size(ptrdiff_t size, bt_err *err);

/*
 * What a thread target's failure gives the excepthook:
 *  exc_type   the negative code it returned (bt_errname() names the
 *             exception class);
 *  exc_value  the message: the err the target filled for that code, else
 *             bt_strerror's text ("[Errno 2] No such file or directory" for
 *             an OS code, as str(OSError) reads);
 *  thread     the failing thread (borrowed for the call).
 */
typedef struct bt_threading_excepthook_args {
    int exc_type;
    const char *exc_value;
    bt_thread *thread;
} bt_threading_excepthook_args;

typedef void (*bt_threading_excepthook_fn)(
    const bt_threading_excepthook_args *args, void *ctx);

/**
 * Installs the function called, in the failing thread, when a Thread
 * target returns a negative code; NULL restores the default,
 * bt_threading_excepthook_default.
 *
 * Python: threading.excepthook = hook.
 * Returns: nothing.
 * Ownership: ctx stays the caller's and must outlive the hook's use.
 * Thread safety: safe.
 */
BT_API void bt_threading_set_excepthook(bt_threading_excepthook_fn hook,
                                        void *ctx);

/**
 * The hook in use and its context.
 *
 * Python: threading.excepthook.
 * Returns: nothing; *hook and *ctx (either may be NULL).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void bt_threading_get_excepthook(bt_threading_excepthook_fn *hook,
                                        void **ctx);

/**
 * The default hook: writes to stderr, in one write,
 *   Exception in thread Thread-1 (worker):
 *   ValueError: the message
 * (Python prints the traceback between the two lines; C has none. An empty
 * message prints the exception name alone, as Python.) ctx is unused.
 *
 * Python: threading.__excepthook__.
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void
bt_threading_excepthook_default(const bt_threading_excepthook_args *args,
                                void *ctx);

/* ------------------------------------------------------------------------ */
/* Timer                                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Creates a timer: a thread (named "Thread-N") that, once started, waits
 * interval seconds and then runs function(arg, err) unless cancelled
 * meanwhile. It is a bt_thread: start, join, name, daemon and free it with
 * the bt_thread functions. A negative or NaN interval runs at once; one
 * over BT_THREADING_TIMEOUT_MAX waits until cancelled.
 *
 * Python: threading.Timer(interval, function, args=(arg,)).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_thread_free; arg must live until
 *   the timer ends.
 * Thread safety: safe.
 */
BT_API int bt_timer_new(bt_thread **out, double interval, bt_thread_fn function,
                        void *arg);

/**
 * Stops the timer if it is still waiting (once its function has begun it
 * runs to the end).
 *
 * Python: timer.cancel().
 * Returns: 0, or BT_ETYPE when t was not made by bt_timer_new.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_timer_cancel(bt_thread *t);

/* ------------------------------------------------------------------------ */
/* Thread-local data                                                         */
/* ------------------------------------------------------------------------ */

/* One value per thread: Python's threading.local() for one attribute. */
typedef struct bt_local bt_local;

/**
 * Creates a thread-local slot: each thread sees its own value, NULL until it
 * sets one. destroy (may be NULL) releases a value when its thread exits,
 * when it is replaced, and for every thread's value at bt_local_free.
 *
 * Python: threading.local().
 * Returns: 0 and *out, BT_ENOMEM, or BT_EAGAIN when the system's thread
 *   keys (PTHREAD_KEYS_MAX, 1024 on Linux) are used up.
 * Ownership: the caller frees *out with bt_local_free.
 * Thread safety: safe.
 */
BT_API int bt_local_new(bt_local **out, void (*destroy)(void *value));

/**
 * Releases the slot, calling destroy on the value of every thread that
 * still has one.
 *
 * Python: del the local object.
 * Returns: nothing. Accepts NULL.
 * Ownership: l is invalid afterwards.
 * Thread safety: no other thread may use l during or after the call.
 */
BT_API void bt_local_free(bt_local *l);

/**
 * The calling thread's value.
 *
 * Python: local.attr (AttributeError when unset; NULL here).
 * Returns: the value, or NULL.
 * Ownership: borrowed; the slot keeps it.
 * Thread safety: safe (each thread reads its own value).
 */
BT_API void *bt_local_get(bt_local *l);

/**
 * Sets the calling thread's value (NULL deletes it); the value replaced is
 * destroyed.
 *
 * Python: local.attr = value, del local.attr.
 * Returns: 0, or BT_ENOMEM (nothing changed; value stays the caller's).
 * Ownership: the slot takes value.
 * Thread safety: safe (each thread writes its own value).
 */
BT_API int bt_local_set(bt_local *l, void *value);

/* ------------------------------------------------------------------------ */
/* Lock and RLock                                                            */
/* ------------------------------------------------------------------------ */

/* A lock any thread may release: Python's threading.Lock. Not fair. */
typedef struct bt_lock bt_lock;

/**
 * Creates an unlocked lock.
 *
 * Python: threading.Lock().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_lock_free.
 * Thread safety: safe.
 */
BT_API int bt_lock_new(bt_lock **out);

/**
 * Frees a lock (held or not).
 *
 * Python: del lock.
 * Returns: nothing. Accepts NULL.
 * Ownership: l is invalid afterwards.
 * Thread safety: no other thread may use l.
 */
BT_API void bt_lock_free(bt_lock *l);

/**
 * Acquires the lock: without blocking, or waiting up to timeout seconds
 * (BT_TIMEOUT_NONE = -1: forever).
 *
 * Python: lock.acquire(blocking, timeout).
 * Returns: 1 acquired, 0 not (busy, or the timeout expired); BT_EVALUE
 *   "can't specify a timeout for a non-blocking call", "timeout value must
 *   be positive" (CPython 3.11's words for a negative timeout other than
 *   -1), "Invalid value NaN (not a number)"; BT_EOVERFLOWERR "timestamp out
 *   of range for platform time_t".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_lock_acquire(bt_lock *l, bool blocking, double timeout,
                           bt_err *err);

/**
 * Releases the lock, from any thread.
 *
 * Python: lock.release().
 * Returns: 0, or BT_ERUNTIME "release unlocked lock".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_lock_release(bt_lock *l, bt_err *err);

/**
 * Whether the lock is held.
 *
 * Python: lock.locked().
 * Returns: true or false (a snapshot).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_lock_locked(bt_lock *l);

/* A reentrant lock: Python's threading.RLock. */
typedef struct bt_rlock bt_rlock;

/**
 * Creates an unlocked reentrant lock.
 *
 * Python: threading.RLock().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_rlock_free.
 * Thread safety: safe.
 */
BT_API int bt_rlock_new(bt_rlock **out);

/**
 * Frees a reentrant lock.
 *
 * Python: del rlock.
 * Returns: nothing. Accepts NULL.
 * Ownership: l is invalid afterwards.
 * Thread safety: no other thread may use l.
 */
BT_API void bt_rlock_free(bt_rlock *l);

/**
 * Acquires the lock, or, when the calling thread already owns it, adds one
 * level of recursion. Arguments as bt_lock_acquire.
 *
 * Python: rlock.acquire(blocking, timeout).
 * Returns: 1 acquired, 0 not; the errors of bt_lock_acquire.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_rlock_acquire(bt_rlock *l, bool blocking, double timeout,
                            bt_err *err);

/**
 * Removes one level of recursion; the lock is free when none is left.
 *
 * Python: rlock.release().
 * Returns: 0, or BT_ERUNTIME "cannot release un-acquired lock" when the
 *   calling thread does not own it.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_rlock_release(bt_rlock *l, bt_err *err);

/**
 * The owner's identifier (as bt_threading_get_ident) and the recursion
 * level.
 *
 * Python: the owner= and count= of repr(rlock).
 * Returns: the owner, 0 when unlocked; the count, 0 when unlocked.
 * Ownership: nothing to free.
 * Thread safety: safe (a snapshot).
 */
BT_API unsigned long bt_rlock_owner(bt_rlock *l);
BT_API size_t bt_rlock_count(bt_rlock *l);

/* ------------------------------------------------------------------------ */
/* Condition                                                                 */
/* ------------------------------------------------------------------------ */

/* A condition variable bound to a lock: Python's threading.Condition. */
typedef struct bt_condition bt_condition;

/**
 * Creates a condition with its own RLock (bt_condition_new), or on a lock
 * the caller made, which several conditions may share.
 *
 * Python: threading.Condition(), Condition(lock), Condition(rlock).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_condition_free; a lock passed in
 *   stays the caller's and must outlive the condition.
 * Thread safety: safe.
 */
BT_API int bt_condition_new(bt_condition **out);
BT_API int bt_condition_new_with_lock(bt_condition **out, bt_lock *lock);
BT_API int bt_condition_new_with_rlock(bt_condition **out, bt_rlock *lock);

/**
 * Frees a condition (and its own lock; never one passed in).
 *
 * Python: del cond.
 * Returns: nothing. Accepts NULL.
 * Ownership: c is invalid afterwards.
 * Thread safety: no other thread may use c.
 */
BT_API void bt_condition_free(bt_condition *c);

/**
 * Acquires or releases the condition's lock, as that lock's functions do.
 *
 * Python: cond.acquire(blocking, timeout), cond.release(), with cond:.
 * Returns: as bt_lock_acquire / bt_rlock_acquire and their release.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_condition_acquire(bt_condition *c, bool blocking, double timeout,
                                bt_err *err);
BT_API int bt_condition_release(bt_condition *c, bt_err *err);

/**
 * Releases the lock (every recursion level of an RLock), waits until
 * notified or until timeout seconds have passed (BT_TIMEOUT_NONE: no limit;
 * negative or NaN: not at all), then takes the lock back as it was.
 *
 * Python: cond.wait(timeout).
 * Returns: 1 notified, 0 timed out; BT_ERUNTIME "cannot wait on un-acquired
 *   lock"; BT_EOVERFLOWERR for a timeout too large.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe; the caller must hold the lock.
 */
BT_API int bt_condition_wait(bt_condition *c, double timeout, bt_err *err);

/**
 * Waits, as bt_condition_wait, until predicate(ctx) is true or the timeout
 * (counted from the call) expires; the predicate runs with the lock held,
 * first before any wait.
 *
 * Python: cond.wait_for(predicate, timeout).
 * Returns: the predicate's last value (1 true, 0 false), or the errors of
 *   bt_condition_wait.
 * Ownership: ctx is the caller's.
 * Thread safety: safe; the caller must hold the lock.
 */
BT_API int bt_condition_wait_for(bt_condition *c, bool (*predicate)(void *ctx),
                                 void *ctx, double timeout, bt_err *err);

/**
 * Wakes up to n threads waiting on the condition (the longest waiting
 * first), or all of them.
 *
 * Python: cond.notify(n), cond.notify_all().
 * Returns: 0, or BT_ERUNTIME "cannot notify on un-acquired lock".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe; the caller must hold the lock.
 */
BT_API int bt_condition_notify(bt_condition *c, size_t n, bt_err *err);
BT_API int bt_condition_notify_all(bt_condition *c, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Semaphore and BoundedSemaphore                                            */
/* ------------------------------------------------------------------------ */

/* A counter of permits: Python's threading.Semaphore / BoundedSemaphore. */
typedef struct bt_semaphore bt_semaphore;

/**
 * Creates a semaphore with value permits (bt_semaphore_new), or one that
 * refuses to be released above its initial value (bt_bounded_semaphore_new).
 *
 * Python: threading.Semaphore(value), threading.BoundedSemaphore(value).
 * Returns: 0 and *out, BT_EVALUE "semaphore initial value must be >= 0",
 *   or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_semaphore_free.
 * Thread safety: safe.
 */
BT_API int bt_semaphore_new(bt_semaphore **out, ptrdiff_t value, bt_err *err);
BT_API int bt_bounded_semaphore_new(bt_semaphore **out, ptrdiff_t value,
                                    bt_err *err);

/**
 * Frees a semaphore.
 *
 * Python: del sem.
 * Returns: nothing. Accepts NULL.
 * Ownership: s is invalid afterwards.
 * Thread safety: no other thread may use s.
 */
BT_API void bt_semaphore_free(bt_semaphore *s);

/**
 * Takes one permit: without blocking, or waiting up to timeout seconds
 * (BT_TIMEOUT_NONE: forever; negative or NaN: not at all).
 *
 * Python: sem.acquire(blocking, timeout).
 * Returns: 1 acquired, 0 not; BT_EVALUE "can't specify timeout for
 *   non-blocking acquire" (blocking false with a timeout other than
 *   BT_TIMEOUT_NONE); BT_EOVERFLOWERR for a timeout too large.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_semaphore_acquire(bt_semaphore *s, bool blocking, double timeout,
                                bt_err *err);

/**
 * Gives back n permits, waking up to n waiting threads.
 *
 * Python: sem.release(n).
 * Returns: 0, or BT_EVALUE "n must be one or more", or for a bounded
 *   semaphore "Semaphore released too many times" (nothing released).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_semaphore_release(bt_semaphore *s, ptrdiff_t n, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Event                                                                     */
/* ------------------------------------------------------------------------ */

/* A flag threads can wait for: Python's threading.Event. */
typedef struct bt_event bt_event;

/**
 * Creates an event, not set.
 *
 * Python: threading.Event().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_event_free.
 * Thread safety: safe.
 */
BT_API int bt_event_new(bt_event **out);

/**
 * Frees an event.
 *
 * Python: del event.
 * Returns: nothing. Accepts NULL.
 * Ownership: e is invalid afterwards.
 * Thread safety: no other thread may use e.
 */
BT_API void bt_event_free(bt_event *e);

/**
 * Sets the flag (waking every waiter), clears it, or reads it.
 *
 * Python: event.set(), event.clear(), event.is_set().
 * Returns: nothing; is_set returns the flag.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void bt_event_set(bt_event *e);
BT_API void bt_event_clear(bt_event *e);
BT_API bool bt_event_is_set(bt_event *e);

/**
 * Waits until the flag is set, or until timeout seconds have passed
 * (BT_TIMEOUT_NONE: forever; negative or NaN: not at all).
 *
 * Python: event.wait(timeout).
 * Returns: 1 when the flag was set (or set while waiting, even if cleared
 *   since), 0 on timeout; BT_EOVERFLOWERR for a timeout too large.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_event_wait(bt_event *e, double timeout, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Barrier                                                                   */
/* ------------------------------------------------------------------------ */

/* A meeting point for a fixed number of threads: threading.Barrier. */
typedef struct bt_barrier bt_barrier;

/**
 * Creates a barrier for parties threads. action (may be NULL) runs in one
 * of them, once all have arrived, before any is released; timeout is the
 * default for bt_barrier_wait (BT_TIMEOUT_NONE: none).
 *
 * Python: threading.Barrier(parties, action, timeout).
 * Returns: 0 and *out, BT_EVALUE "parties must be >= 1" (CPython 3.11
 *   accepts 0, a barrier nobody can pass), or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_barrier_free; arg stays the
 *   caller's.
 * Thread safety: safe.
 */
BT_API int bt_barrier_new(bt_barrier **out, size_t parties, bt_thread_fn action,
                          void *arg, double timeout, bt_err *err);

/**
 * Frees a barrier.
 *
 * Python: del barrier.
 * Returns: nothing. Accepts NULL.
 * Ownership: b is invalid afterwards.
 * Thread safety: no other thread may use b.
 */
BT_API void bt_barrier_free(bt_barrier *b);

/**
 * Waits until parties threads have called it, up to timeout seconds
 * (BT_TIMEOUT_NONE: the barrier's default). A timeout breaks the barrier.
 *
 * Python: barrier.wait(timeout).
 * Returns: the thread's arrival index, 0 .. parties-1; BT_EBROKEN (Python's
 *   threading.BrokenBarrierError, empty message) when the barrier is or gets
 *   broken, reset or aborted; or, in the thread that ran a failing action,
 *   the action's code and message (the barrier is then broken).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_barrier_wait(bt_barrier *b, double timeout, bt_err *err);

/**
 * Returns the barrier to its empty state (threads waiting get BT_EBROKEN),
 * or breaks it for good (every wait, now and later, gets BT_EBROKEN until
 * a reset).
 *
 * Python: barrier.reset(), barrier.abort().
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void bt_barrier_reset(bt_barrier *b);
BT_API void bt_barrier_abort(bt_barrier *b);

/**
 * The number of threads the barrier waits for, the number waiting now, and
 * whether it is broken.
 *
 * Python: barrier.parties, barrier.n_waiting, barrier.broken.
 * Returns: the value (a snapshot).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_barrier_parties(bt_barrier *b);
BT_API size_t bt_barrier_n_waiting(bt_barrier *b);
BT_API bool bt_barrier_broken(bt_barrier *b);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_THREADING_H */
