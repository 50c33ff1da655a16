/*
 * batteries/futures.h — Python's concurrent.futures: Future objects, a
 * ThreadPoolExecutor whose threads really run in parallel, a
 * ProcessPoolExecutor on forked worker processes, as_completed and wait,
 * with CPython 3.11's semantics and messages.
 *
 *   bt_executor *ex;
 *   bt_future *f;
 *   void *value;
 *   int rc = bt_threadpool_new(&ex, BT_FUTURES_DEFAULT, NULL, NULL, NULL,
 *                              &err);
 *   if (rc == 0)
 *       rc = bt_executor_submit(ex, work, &job, &f, &err);
 *   if (rc == 0) {
 *       rc = bt_future_result(f, BT_TIMEOUT_NONE, &value, &err);
 *       bt_future_free(f);
 *   }
 *   bt_executor_free(ex);          // shutdown(wait=True), as leaving `with`
 *
 * How a task "raises" (the mapping to Future.exception()):
 *  - A task returns int: >= 0 is success (its result is what it stored in
 *    *result, or the bytes it appended to the bt_buf), a negative BT_E* code
 *    is "raised an exception": the code is the exception's class (BT_EVALUE
 *    is ValueError, -ENOENT FileNotFoundError, ...) and the message it wrote
 *    into err is str(exception). An empty message is Python's exception
 *    raised with no arguments.
 *  - bt_future_result() returns that code and copies the message into its
 *    err, as result() raises the exception; bt_future_exception() hands the
 *    code and message out without "raising" (code 0 is Python's None).
 *  - The module's own exceptions: BT_ECANCELLED (CancelledError),
 *    -ETIMEDOUT (TimeoutError), BT_EBROKEN (BrokenExecutor; its
 *    subclasses BrokenThreadPool and BrokenProcessPool are told apart by
 *    the executor and the message, which is CPython's),
 *    BT_EINVALIDSTATE (InvalidStateError).
 *
 * Timeouts are seconds as a double, BT_TIMEOUT_NONE (threading.h) is
 * Python's None; a timeout not above 0 only checks. NaN is ValueError
 * "Invalid value NaN (not a number)".
 *
 * Every executor sits behind one API (bt_executor_submit*, shutdown, map):
 * the thread pool and the process pool are two backends of one internal
 * vtable. A task travels as a function pointer (threads: any pointer
 * argument and result; processes: argument bytes in, result bytes out) or
 * as a registered name plus argument bytes (bt_futures_register), the shape
 * a backend on other machines would use. See docs/futures.md.
 */
#ifndef BATTERIES_FUTURES_H
#define BATTERIES_FUTURES_H

#include <batteries/core.h>
#include <batteries/threading.h>

#ifdef __cplusplus
extern "C" {
#endif

/* max_workers=None (and max_tasks_per_child=None): the default. */
#define BT_FUTURES_DEFAULT (-1)

/* wait()'s return_when. */
#define BT_FUTURES_FIRST_COMPLETED 1
#define BT_FUTURES_FIRST_EXCEPTION 2
#define BT_FUTURES_ALL_COMPLETED   3

/* The eventual result of a call: Python's concurrent.futures.Future. */
typedef struct bt_future bt_future;

/* A pool that runs calls: Python's Executor (thread or process pool). */
typedef struct bt_executor bt_executor;

/*
 * A task with pointer argument and result (thread pools): stores its result
 * in *result (NULL before the call) and returns >= 0, or returns a negative
 * code with err filled (see the header comment). err is never NULL.
 */
typedef int (*bt_task_fn)(void *arg, void **result, bt_err *err);

/*
 * A task on bytes (any executor, the only kind a process pool runs): reads
 * len bytes at arg (followed by a NUL not counted in len), appends its
 * result to *result (an empty, initialised bt_buf) and returns >= 0, or returns
 * a negative code with err filled. In a process pool it runs in the worker
 * process: the pointer must be valid after fork (any function of the program
 * is).
 */
typedef int (*bt_bytes_task_fn)(const void *arg, size_t len, bt_buf *result,
                                bt_err *err);

/*
 * A done callback: called with the future once it is done (or at once when
 * added to a done one). A negative return with err filled is logged through
 * the log hook, as Python logs an exception raised by a callback, and
 * changes nothing else.
 */
typedef int (*bt_future_callback)(bt_future *f, void *ctx, bt_err *err);

/*
 * The log hook: what Python writes through the "concurrent.futures" logger.
 * what is "exception calling callback for <Future at 0x... state=...>" or
 * "Exception in initializer:"; e is the failure.
 */
typedef void (*bt_futures_log_fn)(void *ctx, const char *what, const bt_err *e);

/* ------------------------------------------------------------------------ */
/* Future                                                                    */
/* ------------------------------------------------------------------------ */

/**
 * Creates a pending future, for code that completes it itself (an executor
 * of its own, tests).
 *
 * Python: concurrent.futures.Future().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_future_free.
 * Thread safety: safe.
 */
BT_API int bt_future_new(bt_future **out);

/**
 * Drops the caller's reference. An executor keeps its own until the call
 * is done, so a future may be freed while it runs; its callbacks still run.
 *
 * Python: del future.
 * Returns: nothing. Accepts NULL.
 * Ownership: f is invalid for the caller afterwards; a pointer result it
 *   holds stays the caller's concern (the future never frees one).
 * Thread safety: safe; no other thread may use the caller's pointer.
 */
BT_API void bt_future_free(bt_future *f);

/**
 * Cancels the call if it has not started.
 *
 * Python: future.cancel().
 * Returns: true when the future is (now) cancelled; false when the call is
 *   running or done. Callbacks run (in the calling thread) on a first
 *   cancel.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_future_cancel(bt_future *f);

/**
 * The future's state: cancelled, running (the call has started and is not
 * done), done (cancelled or finished).
 *
 * Python: future.cancelled(), future.running(), future.done().
 * Returns: true or false (a snapshot).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_future_cancelled(bt_future *f);
BT_API bool bt_future_running(bt_future *f);
BT_API bool bt_future_done(bt_future *f);

/**
 * Waits up to timeout seconds for the call to finish and gives its result:
 * the pointer result (bt_future_result; NULL for a bytes task) or the bytes
 * (bt_future_result_bytes; NULL and 0 for a pointer task). Either argument
 * pointer may be NULL.
 *
 * Python: future.result(timeout).
 * Returns: 0 (or the task's own >= 0 value); the task's negative code with
 *   its message in err (the exception result() raises); BT_ECANCELLED
 *   (empty message) when cancelled; -ETIMEDOUT (empty message) when the
 *   timeout expired first; BT_EVALUE/BT_EOVERFLOWERR for a NaN or huge
 *   timeout.
 * Ownership: bytes are borrowed from the future, valid until it is freed,
 *   and followed by a NUL byte not counted in *len (so text results read
 *   as C strings).
 * Thread safety: safe; any number of threads may wait.
 */
BT_API int bt_future_result(bt_future *f, double timeout, void **value,
                            bt_err *err);
BT_API int bt_future_result_bytes(bt_future *f, double timeout,
                                  const void **data, size_t *len, bt_err *err);

/**
 * Waits up to timeout seconds for the call to finish and gives the
 * exception it raised, without raising it: *code is 0 (Python's None) or
 * the task's negative code, exc (may be NULL) gets its message.
 *
 * Python: future.exception(timeout).
 * Returns: 0; BT_ECANCELLED when cancelled; -ETIMEDOUT when the timeout
 *   expired; BT_EVALUE/BT_EOVERFLOWERR for a bad timeout (err says which).
 * Ownership: exc and err are the caller's.
 * Thread safety: safe.
 */
BT_API int bt_future_exception(bt_future *f, double timeout, int *code,
                               bt_err *exc, bt_err *err);

/**
 * Adds a callback, called with the future when it is done (finished or
 * cancelled), in the order added, in the thread that completes it; when
 * the future is already done it is called at once, in the calling thread.
 *
 * Python: future.add_done_callback(fn).
 * Returns: 0, or BT_ENOMEM (not added, not called).
 * Ownership: ctx stays the caller's and must live until the call.
 * Thread safety: safe.
 */
BT_API int bt_future_add_done_callback(bt_future *f, bt_future_callback fn,
                                       void *ctx);

/**
 * For executors: marks the future running, or, when it was cancelled,
 * notifies wait() and as_completed() that it is.
 *
 * Python: future.set_running_or_notify_cancel().
 * Returns: 1 (now running: run the call), 0 (cancelled: do not), or
 *   BT_ERUNTIME "Future in unexpected state" (already running or done).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_future_set_running_or_notify_cancel(bt_future *f, bt_err *err);

/**
 * For executors: finishes the future with a pointer result or a copy of
 * bytes, wakes its waiters and runs its callbacks (in the calling thread).
 *
 * Python: future.set_result(result).
 * Returns: 0; BT_EINVALIDSTATE "FINISHED: <Future at 0x... state=...>"
 *   (or CANCELLED / CANCELLED_AND_NOTIFIED) when already done; BT_ENOMEM.
 * Ownership: bytes are copied; value stays the caller's.
 * Thread safety: safe.
 */
BT_API int bt_future_set_result(bt_future *f, void *value, bt_err *err);
BT_API int bt_future_set_result_bytes(bt_future *f, const void *data,
                                      size_t len, bt_err *err);

/**
 * For executors: finishes the future with an exception: code (negative)
 * and message (NULL: empty, as an exception raised with no arguments).
 *
 * Python: future.set_exception(exception).
 * Returns: 0; BT_EVALUE "code must be negative"; BT_EINVALIDSTATE as
 *   bt_future_set_result; BT_ENOMEM.
 * Ownership: message is copied.
 * Thread safety: safe.
 */
BT_API int bt_future_set_exception(bt_future *f, int code, const char *message,
                                   bt_err *err);

/* ------------------------------------------------------------------------ */
/* Executors                                                                 */
/* ------------------------------------------------------------------------ */

/**
 * Creates a thread pool. max_workers BT_FUTURES_DEFAULT is Python's
 * default, min(32, cpu_count + 4); threads are started on demand, one per
 * submit while no thread is idle (Python 3.8's reuse). thread_name_prefix
 * NULL or "" names them "ThreadPoolExecutor-N_i"; else "<prefix>_i".
 * initializer (may be NULL) runs at the start of each worker thread; one
 * that fails is logged ("Exception in initializer:") and breaks the pool:
 * pending futures fail with BT_EBROKEN (Python's BrokenThreadPool) "A
 * thread initializer failed, the thread pool is not usable anymore".
 * Worker threads are daemon threads: shut the pool down (or free it) before
 * the program ends, as Python's `with` block does.
 *
 * Python: concurrent.futures.ThreadPoolExecutor(max_workers,
 *   thread_name_prefix, initializer, initargs=(arg,)).
 * Returns: 0 and *out; BT_EVALUE "max_workers must be greater than 0";
 *   BT_ENOMEM.
 * Ownership: the caller frees *out with bt_executor_free; initarg must live
 *   until the pool is shut down; the prefix is copied.
 * Thread safety: safe.
 */
BT_API int bt_threadpool_new(bt_executor **out, ptrdiff_t max_workers,
                             const char *thread_name_prefix,
                             bt_thread_fn initializer, void *initarg,
                             bt_err *err);

/**
 * Creates a process pool: max_workers (BT_FUTURES_DEFAULT: the number of
 * CPUs) worker processes, forked by a manager thread when the first call
 * is submitted, each running one task at a time; a worker exits after
 * max_tasks_per_child tasks (BT_FUTURES_DEFAULT: never) and is replaced.
 * initializer (may be NULL) runs in each worker process first; one that
 * fails ends the worker, which breaks the pool. A worker that dies (a
 * signal, _exit) breaks the pool: every pending future fails with
 * BT_EBROKEN (BrokenProcessPool) "A process in the process pool was
 * terminated abruptly while the future was running or pending.", the
 * other workers are killed, later submits fail.
 *
 * Python: concurrent.futures.ProcessPoolExecutor(max_workers,
 *   mp_context=fork, initializer, initargs=(arg,), max_tasks_per_child).
 *   CPython refuses max_tasks_per_child with fork; here it works.
 * Returns: 0 and *out; BT_EVALUE "max_workers must be greater than 0",
 *   "max_tasks_per_child must be >= 1"; BT_ENOMEM.
 * Ownership: the caller frees *out with bt_executor_free.
 * Thread safety: safe.
 */
BT_API int bt_processpool_new(bt_executor **out, ptrdiff_t max_workers,
                              ptrdiff_t max_tasks_per_child,
                              bt_thread_fn initializer, void *initarg,
                              bt_err *err);

/**
 * Schedules fn(arg) and gives its future. bt_executor_submit takes a
 * pointer task (thread pools only); bt_executor_submit_bytes a bytes task
 * with a copy of the argument bytes; bt_executor_submit_named the bytes
 * task registered under name.
 *
 * Python: executor.submit(fn, arg).
 * Returns: 0 and *out; BT_ERUNTIME "cannot schedule new futures after
 *   shutdown"; BT_EBROKEN with the pool's broken message; BT_EKEY "no task
 *   registered as 'name'"; BT_ETYPE "a process pool runs bytes tasks only"
 *   (bt_executor_submit on a process pool); BT_ENOMEM; -errno when a
 *   thread or the manager cannot start.
 * Ownership: the caller frees *out with bt_future_free; arg (pointer task)
 *   must live until the call is done; argument bytes are copied.
 * Thread safety: safe; any number of threads may submit at once.
 */
BT_API int bt_executor_submit(bt_executor *ex, bt_task_fn fn, void *arg,
                              bt_future **out, bt_err *err);
BT_API int bt_executor_submit_bytes(bt_executor *ex, bt_bytes_task_fn fn,
                                    const void *arg, size_t len,
                                    bt_future **out, bt_err *err);
BT_API int bt_executor_submit_named(bt_executor *ex, const char *name,
                                    const void *arg, size_t len,
                                    bt_future **out, bt_err *err);

/**
 * Stops accepting calls; with cancel_futures, cancels every call not
 * started (as CPython 3.11, those futures are cancelled but never reported
 * done to wait()/as_completed()); with wait, returns once every running
 * and pending call is done and the workers have ended. Safe to call again.
 *
 * Python: executor.shutdown(wait, cancel_futures=cancel_futures).
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: safe, but not from one of the pool's own tasks with wait.
 */
BT_API void bt_executor_shutdown(bt_executor *ex, bool wait,
                                 bool cancel_futures);

/**
 * Shuts the pool down with wait, then frees it.
 *
 * Python: leaving `with executor:`.
 * Returns: nothing. Accepts NULL.
 * Ownership: ex is invalid afterwards; futures stay valid.
 * Thread safety: no other thread may use ex.
 */
BT_API void bt_executor_free(bt_executor *ex);

/**
 * The pool's maximum number of workers (after the default is applied).
 *
 * Python: executor._max_workers.
 * Returns: the number.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_executor_max_workers(bt_executor *ex);

/**
 * Registers a bytes task under a name, for bt_executor_submit_named.
 * Register before the process pool forks its workers is not required (the
 * name is looked up when submitting).
 *
 * Python: none (the shape a remote executor needs: a name and pickled
 *   arguments).
 * Returns: 0; BT_EVALUE "task 'name' is already registered" (to another
 *   function); BT_ENOMEM.
 * Ownership: name is copied.
 * Thread safety: safe.
 */
BT_API int bt_futures_register(const char *name, bt_bytes_task_fn fn,
                               bt_err *err);

/* ------------------------------------------------------------------------ */
/* map                                                                       */
/* ------------------------------------------------------------------------ */

/* The iterator executor.map returns. */
typedef struct bt_map bt_map;

/**
 * Submits fn for each of the n arguments at once and gives an iterator over
 * their results in argument order; timeout (BT_TIMEOUT_NONE: none) counts
 * from this call for the whole iteration. bt_executor_map takes pointer
 * arguments, bt_executor_map_bytes argument bytes (args[i], lens[i]).
 *
 * Python: executor.map(fn, iterable, timeout=timeout) (chunksize absent).
 * Returns: 0 and *out, or the errors of bt_executor_submit (the calls
 *   already submitted are then cancelled).
 * Ownership: the caller frees *out with bt_map_free; arguments as submit.
 * Thread safety: safe; the iterator itself is for one thread.
 */
BT_API int bt_executor_map(bt_map **out, bt_executor *ex, bt_task_fn fn,
                           void *const *args, size_t n, double timeout,
                           bt_err *err);
BT_API int bt_executor_map_bytes(bt_map **out, bt_executor *ex,
                                 bt_bytes_task_fn fn, const void *const *args,
                                 const size_t *lens, size_t n, double timeout,
                                 bt_err *err);

/**
 * The next result, in order, waiting no longer than the map's timeout.
 * After an error the iterator is exhausted and the calls not yet started
 * are cancelled, as the generator's finally does.
 *
 * Python: next(results).
 * Returns: 1 and the result (*value, or *data and *len borrowed until
 *   bt_map_free); 0 when exhausted; the call's negative code and message;
 *   -ETIMEDOUT (empty message) when the timeout expired.
 * Ownership: see Returns.
 * Thread safety: one thread per iterator.
 */
BT_API int bt_map_next(bt_map *m, void **value, bt_err *err);
BT_API int bt_map_next_bytes(bt_map *m, const void **data, size_t *len,
                             bt_err *err);

/**
 * Frees the iterator, cancelling the calls not started yet.
 *
 * Python: closing (or dropping) the generator map returned.
 * Returns: nothing. Accepts NULL.
 * Ownership: m is invalid afterwards.
 * Thread safety: no other thread may use m.
 */
BT_API void bt_map_free(bt_map *m);

/* ------------------------------------------------------------------------ */
/* wait and as_completed                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Waits until return_when holds for the n futures (a future listed twice
 * counts once), or until timeout seconds have passed, and tells which are
 * done: done[i] (may be NULL) is set for each. Done means finished, or
 * cancelled and noticed by its executor (CANCELLED_AND_NOTIFIED), as
 * Python's.
 *
 * Python: concurrent.futures.wait(fs, timeout, return_when) ->
 *   (done, not_done).
 * Returns: the number of distinct done futures (a timeout is not an
 *   error); BT_EVALUE "Invalid return condition: N" or a bad timeout;
 *   BT_ENOMEM.
 * Ownership: the futures stay the caller's.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_futures_wait(bt_future *const *fs, size_t n, double timeout,
                                 int return_when, bool *done, bt_err *err);

/* The iterator as_completed returns. */
typedef struct bt_as_completed bt_as_completed;

/**
 * Starts iterating over the futures (each distinct future once) as they
 * complete: those already done first, in list order, then in the order
 * they finish. timeout (BT_TIMEOUT_NONE: none) counts from this call.
 *
 * Python: concurrent.futures.as_completed(fs, timeout).
 * Returns: 0 and *out; BT_EVALUE/BT_EOVERFLOWERR for a bad timeout;
 *   BT_ENOMEM.
 * Ownership: the caller frees *out with bt_as_completed_free; the futures
 *   stay the caller's and must outlive the iterator.
 * Thread safety: safe; the iterator itself is for one thread.
 */
BT_API int bt_as_completed_new(bt_as_completed **out, bt_future *const *fs,
                               size_t n, double timeout, bt_err *err);

/**
 * The next completed future.
 *
 * Python: next(iterator).
 * Returns: 1 and *f (borrowed: one of the caller's); 0 when every future
 *   has been given; -ETIMEDOUT "N (of M) futures unfinished" when the
 *   timeout expires first (the iterator is then exhausted, as the
 *   generator that raised).
 * Ownership: *f is borrowed.
 * Thread safety: one thread per iterator.
 */
BT_API int bt_as_completed_next(bt_as_completed *it, bt_future **f,
                                bt_err *err);

/**
 * Frees the iterator (the futures are untouched).
 *
 * Python: dropping the generator.
 * Returns: nothing. Accepts NULL.
 * Ownership: it is invalid afterwards.
 * Thread safety: no other thread may use it.
 */
BT_API void bt_as_completed_free(bt_as_completed *it);

/* ------------------------------------------------------------------------ */
/* Logging                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Installs the hook for what Python logs through the "concurrent.futures"
 * logger: a callback that failed, an initializer that failed. NULL
 * restores the default, which writes "<what>\n<Exception>: <message>\n" to
 * stderr in one write, as logging's last-resort handler does.
 *
 * Python: logging.getLogger("concurrent.futures") handlers.
 * Returns: nothing.
 * Ownership: ctx stays the caller's and must outlive the hook's use.
 * Thread safety: safe.
 */
BT_API void bt_futures_set_log_hook(bt_futures_log_fn hook, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_FUTURES_H */
