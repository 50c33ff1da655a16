/*
 * batteries/queue.h — Python's queue module: Queue, LifoQueue and
 * PriorityQueue (bounded or not, with task_done/join and Python 3.13's
 * shutdown), and SimpleQueue, for passing work between threads.
 *
 *   bt_queue *q;
 *   bt_queue_new(&q, 0);                                   // Queue()
 *   bt_queue_put(q, job, true, BT_TIMEOUT_NONE, NULL);     // q.put(job)
 *   void *item;
 *   if (bt_queue_get(q, &item, true, 1.0, NULL) == BT_EEMPTY) ...
 *
 * Conventions (the same for every function here):
 *  - Items are void pointers, passed through untouched: the queue never
 *    reads, copies or frees them (except through the dispose callback, for
 *    items an immediate shutdown or bt_queue_free throws away). Byte
 *    messages are a pointer to memory the receiver frees. NULL is an item
 *    like any other.
 *  - Timeouts are seconds, as in threading.h: BT_TIMEOUT_NONE (-1.0) is
 *    Python's timeout=None (wait forever); any other negative timeout is
 *    "ValueError: 'timeout' must be a non-negative number", as in Python.
 *  - Python's exceptions are codes: queue.Empty is BT_EEMPTY, queue.Full is
 *    BT_EFULL, queue.ShutDown is BT_ECLOSED. Empty, Full and ShutDown carry
 *    no message (as in Python); err, where taken (may be NULL), gets the
 *    code and Python's message for the ValueError and OverflowError cases.
 *  - Fairness: threads blocked in get are served in the order they began
 *    to wait, and an item put while some wait goes straight to the longest
 *    waiting one (a thread arriving later cannot take it first). Threads
 *    blocked in put on a full queue are likewise served in order. Python
 *    wakes the longest waiter too, but a newcomer may still overtake it.
 *  - Every wait is on CLOCK_MONOTONIC and is not cut short by signals.
 */
#ifndef BATTERIES_QUEUE_H
#define BATTERIES_QUEUE_H

#include <batteries/core.h>
#include <batteries/threading.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Queue, LifoQueue or PriorityQueue; one type, as Python's subclasses. */
typedef struct bt_queue bt_queue;

/* PriorityQueue's order: < 0 when a comes before b (Python's a < b). */
typedef int (*bt_queue_cmp)(const void *a, const void *b, void *ctx);

/* Releases an item a queue throws away (see bt_queue_set_dispose). */
typedef void (*bt_queue_dispose_fn)(void *item, void *ctx);

/**
 * Creates a FIFO queue (bt_queue_new), a LIFO queue (bt_lifoqueue_new) or a
 * priority queue that gets the smallest item first by cmp
 * (bt_priorityqueue_new; cmp must not be NULL). maxsize <= 0 means no
 * limit (bt_queue_maxsize still reports it as given). A priority queue
 * orders equal items exactly as Python's (heapq's sift order, which is not
 * first-in first-out among equals). cmp runs with the queue's lock held:
 * it must not call the queue.
 *
 * Python: queue.Queue(maxsize), queue.LifoQueue(maxsize),
 *   queue.PriorityQueue(maxsize).
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_queue_free; ctx stays the
 *   caller's.
 * Thread safety: safe.
 */
BT_API int bt_queue_new(bt_queue **out, ptrdiff_t maxsize);
BT_API int bt_lifoqueue_new(bt_queue **out, ptrdiff_t maxsize);
BT_API int bt_priorityqueue_new(bt_queue **out, ptrdiff_t maxsize,
                                bt_queue_cmp cmp, void *ctx);

/**
 * Frees the queue; items still in it are passed to the dispose callback,
 * if one is set.
 *
 * Python: del q.
 * Returns: nothing. Accepts NULL.
 * Ownership: q is invalid afterwards.
 * Thread safety: no other thread may use q (none may be blocked in it).
 */
BT_API void bt_queue_free(bt_queue *q);

/**
 * Sets the function that releases the items the queue throws away: those
 * an immediate shutdown drains, and those left at bt_queue_free. NULL (the
 * default) drops them without a call.
 *
 * Python: no equivalent (Python's garbage collector frees dropped items).
 * Returns: nothing.
 * Ownership: ctx stays the caller's.
 * Thread safety: safe.
 */
BT_API void bt_queue_set_dispose(bt_queue *q, bt_queue_dispose_fn dispose,
                                 void *ctx);

/**
 * Puts an item in the queue. When the queue is full: fails at once
 * (block false), or waits for room up to timeout seconds (BT_TIMEOUT_NONE:
 * forever). An unbounded queue never waits, and ignores block and timeout.
 *
 * Python: q.put(item, block, timeout).
 * Returns: 0; BT_EFULL (no room in time); BT_ECLOSED (the queue is, or is
 *   shut down while waiting); BT_EVALUE "'timeout' must be a non-negative
 *   number" (bounded queue, block true, negative timeout) or "Invalid value
 *   NaN (not a number)"; BT_EOVERFLOWERR "timestamp out of range for
 *   platform time_t"; BT_ENOMEM.
 * Ownership: on success the queue holds item for the consumer; on failure
 *   it stays the caller's.
 * Thread safety: safe.
 */
BT_API int bt_queue_put(bt_queue *q, void *item, bool block, double timeout,
                        bt_err *err);

/**
 * Takes the next item: the oldest (Queue), the newest (LifoQueue) or the
 * smallest (PriorityQueue). When the queue is empty: fails at once (block
 * false), or waits for one up to timeout seconds (BT_TIMEOUT_NONE:
 * forever). After a shutdown, items left are still handed out, then every
 * get fails with BT_ECLOSED.
 *
 * Python: q.get(block, timeout).
 * Returns: 0 and *item; BT_EEMPTY; BT_ECLOSED; BT_EVALUE (block true and a
 *   negative or NaN timeout, as bt_queue_put); BT_EOVERFLOWERR.
 * Ownership: *item passes to the caller.
 * Thread safety: safe.
 */
BT_API int bt_queue_get(bt_queue *q, void **item, bool block, double timeout,
                        bt_err *err);

/**
 * Puts or gets without waiting.
 *
 * Python: q.put_nowait(item), q.get_nowait().
 * Returns: 0 (and *item); BT_EFULL or BT_EEMPTY; BT_ECLOSED; BT_ENOMEM.
 * Ownership: as bt_queue_put and bt_queue_get.
 * Thread safety: safe.
 */
BT_API int bt_queue_put_nowait(bt_queue *q, void *item);
BT_API int bt_queue_get_nowait(bt_queue *q, void **item);

/**
 * The number of items in the queue, whether it is empty, whether it is
 * full (a bound is set and reached), and its bound.
 *
 * Python: q.qsize(), q.empty(), q.full(), q.maxsize.
 * Returns: the value, a snapshot that other threads may change at once.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_queue_qsize(bt_queue *q);
BT_API bool bt_queue_empty(bt_queue *q);
BT_API bool bt_queue_full(bt_queue *q);
BT_API ptrdiff_t bt_queue_maxsize(bt_queue *q);

/**
 * Tells the queue that one item taken with get has been processed.
 *
 * Python: q.task_done().
 * Returns: 0, or BT_EVALUE "task_done() called too many times".
 * Ownership: err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_queue_task_done(bt_queue *q, bt_err *err);

/**
 * Waits until every item ever put has been marked done with
 * bt_queue_task_done (an immediate shutdown counts the items it drains as
 * done).
 *
 * Python: q.join().
 * Returns: 0.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_queue_join(bt_queue *q);

/**
 * Shuts the queue down: every put fails with BT_ECLOSED from now on, and
 * threads blocked in put wake up with BT_ECLOSED. Gets go on while items
 * are left, then fail with BT_ECLOSED (blocked ones wake up). immediate
 * also drains the queue at once (disposing the items, see
 * bt_queue_set_dispose, and marking them done for bt_queue_join), so every
 * get fails with BT_ECLOSED. Calling it again is harmless (a later
 * immediate call still drains).
 *
 * Python: q.shutdown(immediate) (Python 3.13).
 * Returns: nothing.
 * Ownership: drained items go to the dispose callback.
 * Thread safety: safe.
 */
BT_API void bt_queue_shutdown(bt_queue *q, bool immediate);

/**
 * Whether bt_queue_shutdown has been called.
 *
 * Python: q.is_shutdown (Python 3.13).
 * Returns: true or false.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_queue_is_shutdown(bt_queue *q);

/* ------------------------------------------------------------------------ */
/* SimpleQueue                                                               */
/* ------------------------------------------------------------------------ */

/* An unbounded FIFO queue without task tracking: queue.SimpleQueue. */
typedef struct bt_simplequeue bt_simplequeue;

/**
 * Creates an empty SimpleQueue.
 *
 * Python: queue.SimpleQueue().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_simplequeue_free.
 * Thread safety: safe.
 */
BT_API int bt_simplequeue_new(bt_simplequeue **out);

/**
 * Frees the queue; items left go to the dispose callback, if set.
 *
 * Python: del q.
 * Returns: nothing. Accepts NULL.
 * Ownership: q is invalid afterwards.
 * Thread safety: no other thread may use q.
 */
BT_API void bt_simplequeue_free(bt_simplequeue *q);

/**
 * Sets the function that releases items left at bt_simplequeue_free.
 *
 * Python: no equivalent.
 * Returns: nothing.
 * Ownership: ctx stays the caller's.
 * Thread safety: safe.
 */
BT_API void bt_simplequeue_set_dispose(bt_simplequeue *q,
                                       bt_queue_dispose_fn dispose, void *ctx);

/**
 * Appends an item; never blocks (put_nowait is the same call).
 *
 * Python: q.put(item), q.put_nowait(item).
 * Returns: 0, or BT_ENOMEM.
 * Ownership: on success the queue holds item for the consumer.
 * Thread safety: safe.
 */
BT_API int bt_simplequeue_put(bt_simplequeue *q, void *item);
BT_API int bt_simplequeue_put_nowait(bt_simplequeue *q, void *item);

/**
 * Takes the oldest item, without waiting (block false) or up to timeout
 * seconds (BT_TIMEOUT_NONE: forever). With block true the timeout is
 * checked first, as Python's C implementation does.
 *
 * Python: q.get(block, timeout), q.get_nowait().
 * Returns: 0 and *item; BT_EEMPTY; BT_EVALUE "'timeout' must be a
 *   non-negative number" or "Invalid value NaN (not a number)";
 *   BT_EOVERFLOWERR "timestamp out of range for platform time_t".
 * Ownership: *item passes to the caller.
 * Thread safety: safe.
 */
BT_API int bt_simplequeue_get(bt_simplequeue *q, void **item, bool block,
                              double timeout, bt_err *err);
BT_API int bt_simplequeue_get_nowait(bt_simplequeue *q, void **item);

/**
 * The number of items, and whether there are none.
 *
 * Python: q.qsize(), q.empty().
 * Returns: the value (a snapshot).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_simplequeue_qsize(bt_simplequeue *q);
BT_API bool bt_simplequeue_empty(bt_simplequeue *q);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_QUEUE_H */
