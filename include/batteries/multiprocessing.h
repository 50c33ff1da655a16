/*
 * batteries/multiprocessing.h — Python's multiprocessing module with the
 * "fork" start method: Process objects, a Queue and SimpleQueue of byte
 * messages, Pipe connections, Lock, RLock, Semaphore, BoundedSemaphore,
 * Event and Condition shared between processes, Value and Array in shared
 * memory, and cpu_count, with CPython 3.11's semantics and messages.
 *
 *   static int work(void *arg, bt_err *err) { ...; return 0; }
 *
 *   bt_mp_process *p;
 *   if (bt_mp_process_new(&p, work, &job) == 0 &&      // "Process-1"
 *       bt_mp_process_start(p, &err) == 0)
 *       bt_mp_process_join(p, BT_TIMEOUT_NONE, &err);  // exitcode 0
 *   bt_mp_process_free(p);
 *
 * Conventions (the same for every function here):
 *  - Every shared object (queue, pipe, lock, value, ...) must be made BEFORE
 *    the processes that use it are started: a child inherits it through
 *    fork, exactly as Python's fork start method passes objects to a child.
 *    Shared state lives in MAP_SHARED memory or in the kernel (sockets), so
 *    the parent's object and the child's copy are the same object.
 *  - Free an object in each process that holds it (a child that ends with
 *    _exit needs not). The last free in the last process releases it.
 *  - Timeouts are seconds as doubles; BT_TIMEOUT_NONE (threading.h) is
 *    Python's None. As in CPython's SemLock, a negative timeout means "do
 *    not wait"; NaN is BT_EVALUE and a timeout beyond 2**63 ns is
 *    BT_EOVERFLOWERR, as threading.h checks them.
 *  - Python raises AssertionError for misuse such as starting a process
 *    twice; here that is BT_ERUNTIME with Python's message.
 *  - Waits use CLOCK_MONOTONIC and resume after a signal handler (EINTR).
 *    Every descriptor is close-on-exec; writing to a connection whose other
 *    end is closed is BT_EPIPE, never a SIGPIPE.
 *
 * After fork (what a child may do): the child is a copy of the parent with
 * only the forking thread. Python's own rule for a threaded parent holds in
 * C too: another thread may have held a lock (malloc's, stdio's, or the
 * caller's) at the moment of fork, so in general only async-signal-safe
 * functions are safe in the child until it calls exec. batteries makes its
 * own state safe to use in the child: the threading module forgets the
 * other threads (pthread_atfork), this module resets the child's process
 * list, counter and name, and the shared objects here never hold a
 * process-private lock. Forking from a single-threaded parent, the usual
 * case, has no such restriction.
 *
 * Process exit (Python's rule): the first started Process registers an
 * atexit handler (bt_mp_shutdown) that, when the parent calls exit() or
 * returns from main, terminates (SIGTERM) its daemon children and then
 * joins every child. A child runs the same handler for its own children
 * before it ends. _exit and death by signal skip it, as in Python.
 */
#ifndef BATTERIES_MULTIPROCESSING_H
#define BATTERIES_MULTIPROCESSING_H

#include <sys/types.h>

#include <batteries/core.h>
#include <batteries/threading.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Process                                                                   */
/* ------------------------------------------------------------------------ */

/* A child process running a function: Python's multiprocessing.Process. */
typedef struct bt_mp_process bt_mp_process;

/**
 * Creates a process object that will run target(arg, err) in a forked child
 * once started. Its name is Python's "Process-N" (in a child,
 * "Process-M:N", the parent's number first); its daemon flag is the
 * current process's. The child's exit code is 0 when target returns >= 0,
 * 1 when it fails (after printing "Process <name>:" and the error to
 * stderr, as Python prints the traceback), or what the child passes to
 * exit().
 *
 * Python: multiprocessing.Process(target=target, args=(arg,)).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_mp_process_free; arg must stay
 *   valid until start (the child gets its own copy of memory).
 * Thread safety: safe.
 */
BT_API int bt_mp_process_new(bt_mp_process **out, bt_thread_fn target,
                             void *arg);

/**
 * Releases the process object. A child still running is not killed: it is
 * waited for (reaped) later, by the next start or by bt_mp_shutdown, so it
 * never stays a zombie.
 *
 * Python: del p (p.close() once it has ended).
 * Returns: nothing. Accepts NULL.
 * Ownership: p is invalid afterwards.
 * Thread safety: no other thread may use p meanwhile.
 */
BT_API void bt_mp_process_free(bt_mp_process *p);

/**
 * Forks the child, which runs the target and ends with _exit(exitcode)
 * after flushing stdout and stderr, running bt_mp_shutdown for its own
 * children and bt_threading_shutdown. stdin of the child reads /dev/null,
 * as in Python. stdout and stderr are flushed before the fork so buffered
 * output is not written twice.
 *
 * Python: p.start().
 * Returns: 0, BT_ERUNTIME ("cannot start a process twice", "can only start
 *   a process object created by current process", "daemonic processes are
 *   not allowed to have children"), or fork's -errno.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe; see "After fork" above.
 */
BT_API int bt_mp_process_start(bt_mp_process *p, bt_err *err);

/**
 * Waits until the child ends (and reaps it), or until timeout seconds pass.
 *
 * Python: p.join(timeout); then p.exitcode tells which.
 * Returns: 1 when the child has ended, 0 when the timeout expired first;
 *   BT_ERUNTIME ("can only join a started process", "can only join a child
 *   process"), BT_EVALUE (NaN), BT_EOVERFLOWERR.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe; several threads may join the same process.
 */
BT_API int bt_mp_process_join(bt_mp_process *p, double timeout, bt_err *err);

/**
 * Whether the child was started and has not ended (reaps it if it has).
 *
 * Python: p.is_alive().
 * Returns: true or false (false before start).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_mp_process_is_alive(bt_mp_process *p);

/**
 * The child's exit code: >= 0 for exit(code), -N for death by signal N.
 *
 * Python: p.exitcode.
 * Returns: 1 with *code set once the child has ended, 0 (Python's None)
 *   before start or while it runs.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_mp_process_exitcode(bt_mp_process *p, int *code);

/**
 * Sends SIGTERM (terminate) or SIGKILL (kill) to the child, unless it has
 * already been reaped.
 *
 * Python: p.terminate(), p.kill().
 * Returns: 0, or BT_ERUNTIME "process not started" before start and for
 *   the current process (Python fails with AttributeError there), or
 *   -errno from kill.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_process_terminate(bt_mp_process *p, bt_err *err);
BT_API int bt_mp_process_kill(bt_mp_process *p, bt_err *err);

/**
 * The child's process id (the caller's own for the current process object).
 *
 * Python: p.pid, p.ident.
 * Returns: the pid, or 0 (None) before start.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API pid_t bt_mp_process_pid(const bt_mp_process *p);

/**
 * The process's name ("Process-1", "MainProcess", ...).
 *
 * Python: p.name.
 * Returns: the name, never NULL.
 * Ownership: borrowed until bt_mp_process_set_name or bt_mp_process_free.
 * Thread safety: safe unless another thread renames it meanwhile.
 */
BT_API const char *bt_mp_process_name(const bt_mp_process *p);

/**
 * Renames the process object.
 *
 * Python: p.name = name.
 * Returns: 0 or BT_ENOMEM.
 * Ownership: name is copied.
 * Thread safety: no other thread may read the name meanwhile.
 */
BT_API int bt_mp_process_set_name(bt_mp_process *p, const char *name);

/**
 * The daemon flag, and setting it (only before start). A daemon child is
 * terminated by its parent's exit handler and may not start children.
 *
 * Python: p.daemon, p.daemon = flag.
 * Returns: the flag; set returns 0 or BT_ERUNTIME "process has already
 *   started".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API bool bt_mp_process_daemon(const bt_mp_process *p);
BT_API int bt_mp_process_set_daemon(bt_mp_process *p, bool daemon, bt_err *err);

/**
 * The object for the calling process: "MainProcess" in the original
 * process, the Process object that was started in a child.
 *
 * Python: multiprocessing.current_process().
 * Returns: never NULL.
 * Ownership: borrowed; never free it.
 * Thread safety: safe.
 */
BT_API bt_mp_process *bt_mp_current_process(void);

/**
 * The children this process started that are still running (finished ones
 * are reaped first, as Python's active_children joins them). Children
 * whose objects the caller has freed are not listed (they are still
 * reaped).
 *
 * Python: multiprocessing.active_children().
 * Returns: 0 with *out (NULL when *n is 0) and *n, or BT_ENOMEM.
 * Ownership: free the array with bt_free; the objects are borrowed.
 * Thread safety: safe.
 */
BT_API int bt_mp_active_children(bt_mp_process ***out, size_t *n);

/**
 * A descriptor that becomes readable when the child ends (a pidfd; wait
 * for it with poll or select beside other descriptors).
 *
 * Python: p.sentinel.
 * Returns: the descriptor (close-on-exec, owned by p); BT_EVALUE "process
 *   not started"; BT_ENOSYS when the kernel has no pidfd_open.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_process_sentinel(const bt_mp_process *p, bt_err *err);

/**
 * Python's exit handler: terminates the daemon children still running,
 * then joins every child this process started (and not yet reaped). It is
 * registered with atexit by the first start; calling it again is harmless.
 *
 * Python: multiprocessing.util._exit_function (run at interpreter exit).
 * Returns: nothing.
 * Ownership: frees the records of children whose objects were freed.
 * Thread safety: safe.
 */
BT_API void bt_mp_shutdown(void);

/**
 * The number of CPUs in the system (not the ones this process may use).
 *
 * Python: multiprocessing.cpu_count().
 * Returns: the count (>= 1), or BT_ENOTIMPL "cannot determine number of
 *   cpus".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_cpu_count(bt_err *err);

/* ------------------------------------------------------------------------ */
/* Pipe and connections                                                      */
/* ------------------------------------------------------------------------ */

/* One end of a Pipe: Python's multiprocessing.connection.Connection. */
typedef struct bt_mp_connection bt_mp_connection;

/**
 * Makes a pair of connected ends. duplex: both ends send and receive (a
 * Unix stream socket pair); not duplex: *a only receives and *b only sends
 * (a pipe). Messages are framed as Python frames them (a 4-byte big-endian
 * length, or -1 and an 8-byte length beyond 2**31 - 1 bytes).
 *
 * Python: a, b = multiprocessing.Pipe(duplex).
 * Returns: 0, BT_ENOMEM or -errno (EMFILE, ...).
 * Ownership: the caller frees both with bt_mp_connection_free in each
 *   process that holds them (close the end a process does not use, or it
 *   never sees end of file).
 * Thread safety: safe.
 */
BT_API int bt_mp_pipe(bt_mp_connection **a, bt_mp_connection **b, bool duplex);

/**
 * Closes the end (if open) and releases the object.
 *
 * Python: conn.close(); del conn.
 * Returns: nothing. Accepts NULL.
 * Ownership: c is invalid afterwards.
 * Thread safety: no other thread may use c meanwhile.
 */
BT_API void bt_mp_connection_free(bt_mp_connection *c);

/**
 * Closes the end; later calls fail with "handle is closed". Closing twice
 * is harmless.
 *
 * Python: conn.close().
 * Returns: nothing.
 * Ownership: the object stays the caller's (free it later).
 * Thread safety: no other thread may use c meanwhile.
 */
BT_API void bt_mp_connection_close(bt_mp_connection *c);

/**
 * Sends one message of n bytes (n may be 0), blocking while the other side
 * does not read.
 *
 * Python: conn.send_bytes(data).
 * Returns: 0; BT_EBADF ("handle is closed", "connection is read-only"),
 *   BT_EPIPE / BT_ECONNRESET when the other end is closed, or -errno.
 * Ownership: data is borrowed for the call.
 * Thread safety: safe for one sender at a time (Python's rule too).
 */
BT_API int bt_mp_connection_send_bytes(bt_mp_connection *c, const void *data,
                                       size_t n, bt_err *err);

/**
 * Receives one message, blocking until it arrives, into out (cleared
 * first). maxlength (0: no limit, Python's None) refuses a longer message.
 *
 * Python: conn.recv_bytes(maxlength).
 * Returns: the message's length; BT_EEOF when the other end is closed and
 *   nothing is left ("EOFError"), BT_EIO "got end of file during message",
 *   BT_EMSGSIZE "bad message length" (the connection then stops reading, as
 *   in Python), BT_EBADF ("handle is closed", "connection is write-only"),
 *   BT_ENOMEM, or -errno.
 * Ownership: out is the caller's (bt_buf_fini it).
 * Thread safety: safe for one receiver at a time.
 */
BT_API ptrdiff_t bt_mp_connection_recv_bytes(bt_mp_connection *c, bt_buf *out,
                                             size_t maxlength, bt_err *err);

/**
 * Whether there is something to read (a message or end of file), waiting
 * up to timeout seconds (0: just look; BT_TIMEOUT_NONE: until there is).
 *
 * Python: conn.poll(timeout).
 * Returns: 1 or 0; BT_EBADF ("handle is closed", "connection is
 *   write-only"), BT_EVALUE (NaN), BT_EOVERFLOWERR.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_connection_poll(bt_mp_connection *c, double timeout,
                                 bt_err *err);

/**
 * The end's file descriptor, or -1 once closed.
 *
 * Python: conn.fileno() (which raises OSError once closed).
 * Returns: the descriptor (close-on-exec; still owned by c).
 * Ownership: borrowed.
 * Thread safety: safe.
 */
BT_API int bt_mp_connection_fileno(const bt_mp_connection *c);

/* ------------------------------------------------------------------------ */
/* Queue and SimpleQueue                                                     */
/* ------------------------------------------------------------------------ */

/*
 * A FIFO of byte messages between processes: Python's multiprocessing.Queue
 * (and SimpleQueue, made with bt_mp_simple_queue_new). Messages travel
 * through a socket pair in the kernel; a shared lock on each side keeps
 * messages whole with several producers and consumers, and a shared
 * semaphore counts them for maxsize.
 */
typedef struct bt_mp_queue bt_mp_queue;

/**
 * Makes a queue holding at most maxsize messages (<= 0: no limit, Python's
 * SEM_VALUE_MAX), or a SimpleQueue (no maxsize, no timeouts, no qsize).
 *
 * Python: multiprocessing.Queue(maxsize), multiprocessing.SimpleQueue().
 * Returns: 0, BT_ENOMEM or -errno.
 * Ownership: the caller frees *out with bt_mp_queue_free in each process.
 * Thread safety: safe.
 */
BT_API int bt_mp_queue_new(bt_mp_queue **out, ptrdiff_t maxsize);
BT_API int bt_mp_simple_queue_new(bt_mp_queue **out);

/**
 * Releases the calling process's handle on the queue.
 *
 * Python: del q.
 * Returns: nothing. Accepts NULL.
 * Ownership: q is invalid afterwards.
 * Thread safety: no other thread may use q meanwhile.
 */
BT_API void bt_mp_queue_free(bt_mp_queue *q);

/**
 * Puts a copy of data[0..n) at the end, waiting (block, up to timeout) for
 * a free slot when the queue holds maxsize messages.
 *
 * Python: q.put(obj, block, timeout); put_nowait is block=false.
 * Returns: 0; BT_EFULL when no slot freed in time ("queue.Full");
 *   BT_EVALUE "Queue ... is closed" after bt_mp_queue_close in this
 *   process; BT_EVALUE (NaN), BT_EOVERFLOWERR; or -errno.
 * Ownership: data is borrowed for the call.
 * Thread safety: safe, from any thread of any process.
 */
BT_API int bt_mp_queue_put(bt_mp_queue *q, const void *data, size_t n,
                           bool block, double timeout, bt_err *err);

/**
 * Takes the message at the front into out (cleared first), waiting (block,
 * up to timeout) while the queue is empty.
 *
 * Python: q.get(block, timeout); get_nowait is block=false.
 * Returns: the message's length; BT_EEMPTY when none came in time
 *   ("queue.Empty"); BT_EVALUE "Queue ... is closed"; BT_EVALUE (NaN),
 *   BT_EOVERFLOWERR; BT_ENOMEM; or -errno.
 * Ownership: out is the caller's (bt_buf_fini it).
 * Thread safety: safe, from any thread of any process.
 */
BT_API ptrdiff_t bt_mp_queue_get(bt_mp_queue *q, bt_buf *out, bool block,
                                 double timeout, bt_err *err);

/**
 * The number of messages put and not yet taken (approximate while others
 * put and get), whether the queue looks empty, whether it is full.
 *
 * Python: q.qsize(), q.empty(), q.full().
 * Returns: the count / the flag. qsize of a SimpleQueue is BT_ENOTIMPL as
 *   SimpleQueue has none.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_mp_queue_qsize(bt_mp_queue *q);
BT_API bool bt_mp_queue_empty(bt_mp_queue *q);
BT_API bool bt_mp_queue_full(bt_mp_queue *q);

/**
 * Says this process will put and get no more: later calls fail with
 * "Queue ... is closed". There is no feeder thread (a put has written the
 * message to the kernel when it returns), so Python's join_thread has
 * nothing to wait for and is not needed.
 *
 * Python: q.close() (then q.join_thread()).
 * Returns: nothing.
 * Ownership: the handle stays the caller's (free it later).
 * Thread safety: no other thread of the process may use q meanwhile.
 */
BT_API void bt_mp_queue_close(bt_mp_queue *q);

/* ------------------------------------------------------------------------ */
/* Lock, RLock, Semaphore, BoundedSemaphore                                  */
/* ------------------------------------------------------------------------ */

/*
 * Locks and semaphores in shared memory. A process that dies while holding
 * one leaves it held, as Python's (POSIX semaphore) locks do: a waiter
 * without a timeout waits forever. Any process may release a Lock or a
 * semaphore, so a supervisor can release a Lock that a killed child held.
 * A death in the middle of an acquire or release (a few instructions under
 * an internal robust mutex) does not wedge the object.
 */
typedef struct bt_mp_lock bt_mp_lock;
typedef struct bt_mp_lock bt_mp_rlock;
typedef struct bt_mp_lock bt_mp_semaphore;

/**
 * Makes a Lock, an RLock (owned by one thread of one process, re-entrant),
 * a Semaphore (value >= 0) or a BoundedSemaphore (no release above the
 * initial value).
 *
 * Python: multiprocessing.Lock(), RLock(), Semaphore(value),
 *   BoundedSemaphore(value).
 * Returns: 0, BT_EINVAL for a negative value ("[Errno 22] Invalid
 *   argument", as CPython's sem_open fails), or -errno (ENOMEM for mmap).
 * Ownership: free with bt_mp_lock_free in each process.
 * Thread safety: safe.
 */
BT_API int bt_mp_lock_new(bt_mp_lock **out);
BT_API int bt_mp_rlock_new(bt_mp_rlock **out);
BT_API int bt_mp_semaphore_new(bt_mp_semaphore **out, int value, bt_err *err);
BT_API int bt_mp_bounded_semaphore_new(bt_mp_semaphore **out, int value,
                                       bt_err *err);

/**
 * Releases this process's mapping of the lock or semaphore.
 *
 * Python: del lock.
 * Returns: nothing. Accepts NULL.
 * Ownership: l is invalid afterwards in this process.
 * Thread safety: no other thread of the process may use l meanwhile.
 */
BT_API void bt_mp_lock_free(bt_mp_lock *l);

/**
 * Acquires (an RLock again when the caller owns it; a semaphore takes one
 * unit), waiting when block is true for up to timeout seconds.
 *
 * Python: lock.acquire(block, timeout).
 * Returns: 1 acquired, 0 not (timeout, or block false and taken);
 *   BT_EVALUE (NaN), BT_EOVERFLOWERR.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe, from any thread of any process.
 */
BT_API int bt_mp_lock_acquire(bt_mp_lock *l, bool block, double timeout,
                              bt_err *err);

/**
 * Releases once (a semaphore gives one unit back).
 *
 * Python: lock.release().
 * Returns: 0; BT_EVALUE "semaphore or lock released too many times" (a
 *   free Lock, a BoundedSemaphore at its value); BT_ERUNTIME "attempt to
 *   release recursive lock not owned by thread" (RLock).
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_lock_release(bt_mp_lock *l, bt_err *err);

/**
 * A semaphore's current value (1 or 0 for a Lock; 0 or 1 for an RLock as
 * its underlying mutex).
 *
 * Python: sem.get_value().
 * Returns: the value.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_mp_semaphore_get_value(bt_mp_semaphore *s);

/* ------------------------------------------------------------------------ */
/* Event and Condition                                                       */
/* ------------------------------------------------------------------------ */

/* A flag processes wait for: Python's multiprocessing.Event. */
typedef struct bt_mp_event bt_mp_event;

/**
 * Makes an event (initially clear).
 *
 * Python: multiprocessing.Event().
 * Returns: 0 or -errno.
 * Ownership: free with bt_mp_event_free in each process.
 * Thread safety: safe.
 */
BT_API int bt_mp_event_new(bt_mp_event **out);

/**
 * Releases this process's mapping of the event.
 *
 * Python: del e.
 * Returns: nothing. Accepts NULL.
 * Ownership: e is invalid afterwards in this process.
 * Thread safety: no other thread of the process may use e meanwhile.
 */
BT_API void bt_mp_event_free(bt_mp_event *e);

/**
 * Sets the flag (waking every waiter), clears it, reads it.
 *
 * Python: e.set(), e.clear(), e.is_set().
 * Returns: nothing / the flag.
 * Ownership: nothing to free.
 * Thread safety: safe, from any process.
 */
BT_API void bt_mp_event_set(bt_mp_event *e);
BT_API void bt_mp_event_clear(bt_mp_event *e);
BT_API bool bt_mp_event_is_set(bt_mp_event *e);

/**
 * Waits until the flag is set or timeout seconds pass.
 *
 * Python: e.wait(timeout).
 * Returns: 1 (the flag is set) or 0 (timeout); BT_EVALUE (NaN),
 *   BT_EOVERFLOWERR.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe, from any process.
 */
BT_API int bt_mp_event_wait(bt_mp_event *e, double timeout, bt_err *err);

/* A condition variable between processes: Python's multiprocessing.Condition
 * over its own RLock (or a given Lock / RLock). */
typedef struct bt_mp_condition bt_mp_condition;

/**
 * Makes a condition over lock (a bt_mp_lock or bt_mp_rlock, borrowed: it
 * must outlive the condition), or over a new RLock when lock is NULL.
 *
 * Python: multiprocessing.Condition(lock=None).
 * Returns: 0 or -errno.
 * Ownership: free with bt_mp_condition_free in each process.
 * Thread safety: safe.
 */
BT_API int bt_mp_condition_new(bt_mp_condition **out, bt_mp_lock *lock);

/**
 * Releases the condition (and the RLock it made).
 *
 * Python: del c.
 * Returns: nothing. Accepts NULL.
 * Ownership: c is invalid afterwards in this process.
 * Thread safety: no other thread of the process may use c meanwhile.
 */
BT_API void bt_mp_condition_free(bt_mp_condition *c);

/**
 * Acquires and releases the condition's lock.
 *
 * Python: c.acquire(block, timeout), c.release().
 * Returns: as bt_mp_lock_acquire and bt_mp_lock_release.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_condition_acquire(bt_mp_condition *c, bool block,
                                   double timeout, bt_err *err);
BT_API int bt_mp_condition_release(bt_mp_condition *c, bt_err *err);

/**
 * Releases the lock (every level of an RLock), waits for a notify or the
 * timeout, and takes the lock back.
 *
 * Python: c.wait(timeout).
 * Returns: 1 notified, 0 timeout; BT_ERUNTIME "must acquire() condition
 *   before using wait()" when the caller does not hold an RLock it is
 *   given; BT_EVALUE (NaN), BT_EOVERFLOWERR.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe, from any process.
 */
BT_API int bt_mp_condition_wait(bt_mp_condition *c, double timeout,
                                bt_err *err);

/**
 * Wakes up to n waiters (notify_all: every waiter). The caller must hold
 * the lock.
 *
 * Python: c.notify(n), c.notify_all().
 * Returns: 0, or BT_ERUNTIME "lock is not owned" when an RLock is not held
 *   by the caller.
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_mp_condition_notify(bt_mp_condition *c, int n, bt_err *err);
BT_API int bt_mp_condition_notify_all(bt_mp_condition *c, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Value and Array                                                           */
/* ------------------------------------------------------------------------ */

/*
 * Numbers in shared memory: Python's multiprocessing.Value and Array, with
 * the typecodes of the array module as sharedctypes maps them: 'c' char,
 * 'b' signed char, 'B' unsigned char, 'h' short, 'H' unsigned short, 'i'
 * int, 'I' unsigned int, 'l' long, 'L' unsigned long, 'q' long long, 'Q'
 * unsigned long long, 'f' float, 'd' double. A Value is an Array of one.
 * With lock, the object carries an RLock (Python's default) that the
 * get/set functions take; read-modify-write needs the caller to hold it:
 *
 *   bt_mp_lock_acquire(bt_mp_array_get_lock(v), true, BT_TIMEOUT_NONE, NULL);
 *   ((int *)bt_mp_array_get_obj(v))[0] += 1;
 *   bt_mp_lock_release(bt_mp_array_get_lock(v), NULL);
 */
typedef struct bt_mp_array bt_mp_array;

/**
 * Makes a shared Value (length 1) or Array of length items, zero-filled.
 *
 * Python: multiprocessing.Value(typecode), Array(typecode, length).
 * Returns: 0; BT_ETYPE "this type has no size" for an unknown typecode;
 *   BT_ENOMEM or -errno.
 * Ownership: free with bt_mp_array_free in each process.
 * Thread safety: safe.
 */
BT_API int bt_mp_value_new(bt_mp_array **out, char typecode, bool lock,
                           bt_err *err);
BT_API int bt_mp_array_new(bt_mp_array **out, char typecode, size_t length,
                           bool lock, bt_err *err);

/**
 * Releases this process's mapping of the value or array.
 *
 * Python: del v.
 * Returns: nothing. Accepts NULL.
 * Ownership: a is invalid afterwards in this process.
 * Thread safety: no other thread of the process may use a meanwhile.
 */
BT_API void bt_mp_array_free(bt_mp_array *a);

/**
 * The shared items, their count, their typecode, and the lock (NULL when
 * made without one).
 *
 * Python: v.get_obj() / a.get_obj(), len(a), v.get_lock().
 * Returns: the pointer (length * itemsize bytes, aligned for the type) /
 *   count / typecode / lock.
 * Ownership: borrowed while a lives.
 * Thread safety: safe; the memory itself is the caller's to synchronize.
 */
BT_API void *bt_mp_array_get_obj(bt_mp_array *a);
BT_API size_t bt_mp_array_len(const bt_mp_array *a);
BT_API char bt_mp_array_typecode(const bt_mp_array *a);
BT_API bt_mp_rlock *bt_mp_array_get_lock(bt_mp_array *a);

/**
 * Reads or writes item i (negative counts from the end) under the lock, as
 * an integer (integer typecodes and 'c'; a write wraps as ctypes does) or
 * as a double (any typecode reads; only 'f' and 'd' take a double, as
 * ctypes refuses a float for an integer field).
 *
 * Python: a[i], a[i] = x (v.value for a Value, i = 0).
 * Returns: 0; BT_EINDEX "invalid index"; BT_ETYPE "'float' object cannot be
 *   interpreted as an integer" for a double into an integer typecode.
 * Ownership: nothing to free.
 * Thread safety: safe, from any process.
 */
BT_API int bt_mp_array_get_long(bt_mp_array *a, ptrdiff_t i, long long *out,
                                bt_err *err);
BT_API int bt_mp_array_set_long(bt_mp_array *a, ptrdiff_t i, long long x,
                                bt_err *err);
BT_API int bt_mp_array_get_double(bt_mp_array *a, ptrdiff_t i, double *out,
                                  bt_err *err);
BT_API int bt_mp_array_set_double(bt_mp_array *a, ptrdiff_t i, double x,
                                  bt_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_MULTIPROCESSING_H */
