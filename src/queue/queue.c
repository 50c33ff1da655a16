/* queue.c — queue.Queue, LifoQueue, PriorityQueue and SimpleQueue.
 *
 * One mutex per queue. Threads that must wait queue up in a list, each on
 * its own condition variable (CLOCK_MONOTONIC). A put that finds getters
 * waiting hands its item straight to the longest waiting one, and a get
 * that finds putters waiting (the queue is full) moves the longest waiting
 * putter's item in: so no thread is overtaken by a newcomer, and nobody is
 * woken for nothing. Invariants: getters wait only while the queue is
 * empty, putters only while it is full. */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <string.h>

#include <batteries/queue.h>

#include "../threading/threading_int.h"

enum { FIFO, LIFO, PRIORITY };
enum { W_WAITING, W_DONE, W_CLOSED };

struct waiter {
    pthread_cond_t cv;
    int state;
    void *item; /* a getter's result, a putter's item */
    struct waiter *prev, *next;
};

struct wlist {
    struct waiter *head, *tail;
};

struct bt_queue {
    pthread_mutex_t mu;
    int kind;
    ptrdiff_t maxsize;
    void **buf; /* FIFO: a ring of cap (a power of 2) slots from head */
    size_t cap, head, len;
    bt_queue_cmp cmp;
    void *cmp_ctx;
    struct wlist getters, putters;
    size_t unfinished;
    pthread_cond_t all_done;
    bool shutdown;
    bt_queue_dispose_fn dispose;
    void *dispose_ctx;
};

struct bt_simplequeue {
    bt_queue q;
};

/* ------------------------------------------------------------------------ */
/* Storage: ring, stack, or heapq's binary heap                              */
/* ------------------------------------------------------------------------ */

static int grow(bt_queue *q)
{
    size_t cap = q->cap ? q->cap * 2 : 16;
    size_t bytes;
    if (bt__mul_overflow(cap, sizeof *q->buf, &bytes))
        return BT_ENOMEM;
    void **buf = bt_malloc(bytes);
    if (!buf)
        return BT_ENOMEM;
    /* The ring is unwrapped; stack and heap keep their order anyway. */
    for (size_t i = 0; i < q->len; i++)
        buf[i] = q->buf[(q->head + i) & (q->cap - 1)];
    bt_free(q->buf);
    q->buf = buf;
    q->cap = cap;
    q->head = 0;
    return 0;
}

/* heapq._siftdown: move the item at pos up towards start. */
static void sift_down(bt_queue *q, size_t start, size_t pos)
{
    void *item = q->buf[pos];
    while (pos > start) {
        size_t parent = (pos - 1) >> 1;
        if (q->cmp(item, q->buf[parent], q->cmp_ctx) >= 0)
            break;
        q->buf[pos] = q->buf[parent];
        pos = parent;
    }
    q->buf[pos] = item;
}

/* heapq._siftup: move the smaller child up until a leaf, then sift down. */
static void sift_up(bt_queue *q, size_t pos)
{
    size_t start = pos, end = q->len;
    void *item = q->buf[pos];
    size_t child = 2 * pos + 1;
    while (child < end) {
        size_t right = child + 1;
        if (right < end &&
            !(q->cmp(q->buf[child], q->buf[right], q->cmp_ctx) < 0))
            child = right;
        q->buf[pos] = q->buf[child];
        pos = child;
        child = 2 * pos + 1;
    }
    q->buf[pos] = item;
    sift_down(q, start, pos);
}

static int push(bt_queue *q, void *item)
{
    if (q->len == q->cap) {
        int rc = grow(q);
        if (rc < 0)
            return rc;
    }
    switch (q->kind) {
    case FIFO:
        q->buf[(q->head + q->len) & (q->cap - 1)] = item;
        q->len++;
        break;
    case LIFO:
        q->buf[q->len++] = item;
        break;
    default:
        q->buf[q->len] = item;
        sift_down(q, 0, q->len);
        q->len++;
        break;
    }
    return 0;
}

static void *pop(bt_queue *q)
{
    void *item;
    switch (q->kind) {
    case FIFO:
        item = q->buf[q->head];
        q->head = (q->head + 1) & (q->cap - 1);
        q->len--;
        return item;
    case LIFO:
        return q->buf[--q->len];
    default: {
        /* heapq.heappop: the last item replaces the root and sifts. */
        void *last = q->buf[--q->len];
        if (q->len == 0)
            return last;
        item = q->buf[0];
        q->buf[0] = last;
        sift_up(q, 0);
        return item;
    }
    }
}

/* ------------------------------------------------------------------------ */
/* Waiters                                                                   */
/* ------------------------------------------------------------------------ */

static void wl_append(struct wlist *l, struct waiter *w)
{
    w->next = NULL;
    w->prev = l->tail;
    if (l->tail)
        l->tail->next = w;
    else
        l->head = w;
    l->tail = w;
}

static void wl_unlink(struct wlist *l, struct waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        l->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        l->tail = w->prev;
}

/* Ends the wait of the longest waiting thread of l with state. */
static struct waiter *wl_release_head(struct wlist *l, int state)
{
    struct waiter *w = l->head;
    wl_unlink(l, w);
    w->state = state;
    pthread_cond_signal(&w->cv);
    return w;
}

/* Queues the caller on l and sleeps until its state changes or d passes.
 * Returns the final state (W_WAITING: timed out, and off the list). */
static int wait_in(bt_queue *q, struct wlist *l, struct waiter *w,
                   const bt__deadline *d)
{
    if (bt__threading_cond_init(&w->cv) < 0)
        return W_WAITING;
    w->state = W_WAITING;
    wl_append(l, w);
    while (w->state == W_WAITING)
        if (bt__threading_cond_wait(&w->cv, &q->mu, d) == ETIMEDOUT)
            break;
    if (w->state == W_WAITING)
        wl_unlink(l, w);
    pthread_cond_destroy(&w->cv);
    return w->state;
}

/* Takes the next item (the queue is not empty), and lets the longest
 * waiting putter in, if any. */
static void *take(bt_queue *q)
{
    void *item = pop(q);
    if (q->putters.head) {
        struct waiter *p = q->putters.head;
        push(q, p->item); /* a slot was just freed: cannot fail */
        q->unfinished++;
        wl_release_head(&q->putters, W_DONE);
    }
    return item;
}

/* ------------------------------------------------------------------------ */
/* Queue                                                                     */
/* ------------------------------------------------------------------------ */

static int make(bt_queue **out, int kind, ptrdiff_t maxsize, bt_queue_cmp cmp,
                void *ctx)
{
    bt_queue *q = bt_calloc(1, sizeof *q);
    if (!q)
        return BT_ENOMEM;
    int rc = bt__threading_mutex_init(&q->mu);
    if (rc == 0) {
        rc = bt__threading_cond_init(&q->all_done);
        if (rc < 0)
            pthread_mutex_destroy(&q->mu);
    }
    if (rc < 0) {
        bt_free(q);
        return rc;
    }
    q->kind = kind;
    q->maxsize = maxsize; /* kept as given, as Python's q.maxsize */
    q->cmp = cmp;
    q->cmp_ctx = ctx;
    *out = q;
    return 0;
}

int bt_queue_new(bt_queue **out, ptrdiff_t maxsize)
{
    return make(out, FIFO, maxsize, NULL, NULL);
}

int bt_lifoqueue_new(bt_queue **out, ptrdiff_t maxsize)
{
    return make(out, LIFO, maxsize, NULL, NULL);
}

int bt_priorityqueue_new(bt_queue **out, ptrdiff_t maxsize, bt_queue_cmp cmp,
                         void *ctx)
{
    assert(cmp);
    return make(out, PRIORITY, maxsize, cmp, ctx);
}

/* Hands the items of a detached buffer to dispose, in get order. */
static void dispose_all(bt_queue *held, bt_queue_dispose_fn dispose, void *ctx)
{
    while (held->len) {
        void *item = pop(held);
        if (dispose)
            dispose(item, ctx);
    }
    bt_free(held->buf);
}

void bt_queue_free(bt_queue *q)
{
    if (!q)
        return;
    dispose_all(q, q->dispose, q->dispose_ctx);
    pthread_cond_destroy(&q->all_done);
    pthread_mutex_destroy(&q->mu);
    bt_free(q);
}

void bt_queue_set_dispose(bt_queue *q, bt_queue_dispose_fn dispose, void *ctx)
{
    pthread_mutex_lock(&q->mu);
    q->dispose = dispose;
    q->dispose_ctx = ctx;
    pthread_mutex_unlock(&q->mu);
}

/* Python's Queue rejects a negative timeout (and we NaN) for a call that
 * may block, before looking at the items. */
static int check_sign(double timeout, bt_err *err)
{
    if (timeout == BT_TIMEOUT_NONE)
        return 0;
    if (isnan(timeout))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    if (timeout < 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "'timeout' must be a non-negative number");
    return 0;
}

static int put_locked(bt_queue *q, void *item, bool block, double timeout,
                      bt_err *err)
{
    if (q->shutdown)
        return BT_ECLOSED;
    if (q->maxsize > 0 && block) {
        int rc = check_sign(timeout, err);
        if (rc < 0)
            return rc;
    }
    if (q->getters.head) {
        /* Getters wait only on an empty queue: hand the item over. */
        q->getters.head->item = item;
        wl_release_head(&q->getters, W_DONE);
        q->unfinished++;
        return 0;
    }
    if (q->maxsize <= 0 || (ptrdiff_t)q->len < q->maxsize) {
        int rc = push(q, item);
        if (rc == 0)
            q->unfinished++;
        return rc;
    }
    if (!block)
        return BT_EFULL;
    /* The timeout's size matters only now that we wait (as in Python). */
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    if (timeout == 0)
        return BT_EFULL;
    bt__deadline d;
    bt__threading_deadline(&d, timeout);
    struct waiter w;
    w.item = item;
    switch (wait_in(q, &q->putters, &w, &d)) {
    case W_DONE:
        return 0; /* a getter moved our item in */
    case W_CLOSED:
        return BT_ECLOSED;
    default:
        return BT_EFULL;
    }
}

/* simple: SimpleQueue's rules (timeout checked up front, no shutdown). */
static int get_locked(bt_queue *q, void **item, bool block, double timeout,
                      bt_err *err, bool simple)
{
    if (q->shutdown && q->len == 0)
        return BT_ECLOSED;
    if (block && !simple) {
        int rc = check_sign(timeout, err);
        if (rc < 0)
            return rc;
    }
    if (q->len) {
        *item = take(q);
        return 0;
    }
    if (!block)
        return BT_EEMPTY;
    if (!simple) {
        int rc = bt__threading_check_timeout(timeout, err);
        if (rc < 0)
            return rc;
    }
    if (timeout == 0)
        return BT_EEMPTY;
    bt__deadline d;
    bt__threading_deadline(&d, timeout);
    struct waiter w;
    switch (wait_in(q, &q->getters, &w, &d)) {
    case W_DONE:
        *item = w.item;
        return 0;
    case W_CLOSED:
        return BT_ECLOSED;
    default:
        return BT_EEMPTY;
    }
}

int bt_queue_put(bt_queue *q, void *item, bool block, double timeout,
                 bt_err *err)
{
    pthread_mutex_lock(&q->mu);
    int rc = put_locked(q, item, block, timeout, err);
    pthread_mutex_unlock(&q->mu);
    if (rc < 0 && err && err->code != rc)
        bt_err_setf(err, rc, -1, "%s", "");
    return rc;
}

int bt_queue_get(bt_queue *q, void **item, bool block, double timeout,
                 bt_err *err)
{
    pthread_mutex_lock(&q->mu);
    int rc = get_locked(q, item, block, timeout, err, false);
    pthread_mutex_unlock(&q->mu);
    if (rc < 0 && err && err->code != rc)
        bt_err_setf(err, rc, -1, "%s", "");
    return rc;
}

int bt_queue_put_nowait(bt_queue *q, void *item)
{
    return bt_queue_put(q, item, false, BT_TIMEOUT_NONE, NULL);
}

int bt_queue_get_nowait(bt_queue *q, void **item)
{
    return bt_queue_get(q, item, false, BT_TIMEOUT_NONE, NULL);
}

size_t bt_queue_qsize(bt_queue *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->len;
    pthread_mutex_unlock(&q->mu);
    return n;
}

bool bt_queue_empty(bt_queue *q)
{
    return bt_queue_qsize(q) == 0;
}

bool bt_queue_full(bt_queue *q)
{
    pthread_mutex_lock(&q->mu);
    bool full = q->maxsize > 0 && (ptrdiff_t)q->len >= q->maxsize;
    pthread_mutex_unlock(&q->mu);
    return full;
}

ptrdiff_t bt_queue_maxsize(bt_queue *q)
{
    return q->maxsize;
}

int bt_queue_task_done(bt_queue *q, bt_err *err)
{
    pthread_mutex_lock(&q->mu);
    int rc = 0;
    if (q->unfinished == 0)
        rc = BT_EVALUE;
    else if (--q->unfinished == 0)
        pthread_cond_broadcast(&q->all_done);
    pthread_mutex_unlock(&q->mu);
    if (rc < 0)
        bt_err_setf(err, rc, -1, "task_done() called too many times");
    return rc;
}

int bt_queue_join(bt_queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (q->unfinished)
        pthread_cond_wait(&q->all_done, &q->mu);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

void bt_queue_shutdown(bt_queue *q, bool immediate)
{
    bt_queue drained = {.kind = q->kind};
    pthread_mutex_lock(&q->mu);
    q->shutdown = true;
    if (immediate && q->len) {
        /* Detach the items; dispose them once the lock is released. */
        drained.buf = q->buf;
        drained.cap = q->cap;
        drained.head = q->head;
        drained.len = q->len;
        drained.cmp = q->cmp;
        drained.cmp_ctx = q->cmp_ctx;
        q->unfinished -= q->len < q->unfinished ? q->len : q->unfinished;
        q->buf = NULL;
        q->cap = q->head = q->len = 0;
    }
    if (immediate)
        pthread_cond_broadcast(&q->all_done);
    while (q->getters.head)
        wl_release_head(&q->getters, W_CLOSED);
    while (q->putters.head)
        wl_release_head(&q->putters, W_CLOSED);
    bt_queue_dispose_fn dispose = q->dispose;
    void *ctx = q->dispose_ctx;
    pthread_mutex_unlock(&q->mu);
    dispose_all(&drained, dispose, ctx);
}

bool bt_queue_is_shutdown(bt_queue *q)
{
    pthread_mutex_lock(&q->mu);
    bool shut = q->shutdown;
    pthread_mutex_unlock(&q->mu);
    return shut;
}

/* ------------------------------------------------------------------------ */
/* SimpleQueue                                                               */
/* ------------------------------------------------------------------------ */

int bt_simplequeue_new(bt_simplequeue **out)
{
    bt_queue *q;
    int rc = make(&q, FIFO, 0, NULL, NULL);
    if (rc == 0)
        *out = (bt_simplequeue *)q;
    return rc;
}

void bt_simplequeue_free(bt_simplequeue *q)
{
    bt_queue_free(q ? &q->q : NULL);
}

void bt_simplequeue_set_dispose(bt_simplequeue *q, bt_queue_dispose_fn dispose,
                                void *ctx)
{
    bt_queue_set_dispose(&q->q, dispose, ctx);
}

int bt_simplequeue_put(bt_simplequeue *q, void *item)
{
    return bt_queue_put(&q->q, item, false, BT_TIMEOUT_NONE, NULL);
}

int bt_simplequeue_put_nowait(bt_simplequeue *q, void *item)
{
    return bt_simplequeue_put(q, item);
}

int bt_simplequeue_get(bt_simplequeue *q, void **item, bool block,
                       double timeout, bt_err *err)
{
    /* _queue.SimpleQueue.get converts the timeout first, then rejects a
     * negative one, whether or not an item is there. */
    if (block && timeout != BT_TIMEOUT_NONE) {
        int rc = bt__threading_check_timeout(timeout, err);
        if (rc < 0)
            return rc;
        if (timeout < 0)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "'timeout' must be a non-negative number");
    }
    pthread_mutex_lock(&q->q.mu);
    int rc = get_locked(&q->q, item, block, timeout, err, true);
    pthread_mutex_unlock(&q->q.mu);
    if (rc < 0 && err && err->code != rc)
        bt_err_setf(err, rc, -1, "%s", "");
    return rc;
}

int bt_simplequeue_get_nowait(bt_simplequeue *q, void **item)
{
    return bt_simplequeue_get(q, item, false, BT_TIMEOUT_NONE, NULL);
}

size_t bt_simplequeue_qsize(bt_simplequeue *q)
{
    return bt_queue_qsize(&q->q);
}

bool bt_simplequeue_empty(bt_simplequeue *q)
{
    return bt_simplequeue_qsize(q) == 0;
}
