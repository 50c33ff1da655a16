/* queue.c — Queue and SimpleQueue between processes: framed messages on a
 * Unix stream socket pair, a shared lock per side, and a shared semaphore
 * counting the messages for maxsize (as CPython's multiprocessing.Queue,
 * without its feeder thread). */
#include <errno.h>
#include <limits.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mp_int.h"

/* What every process shares. */
struct shared {
    bt_mp_lock rlock, wlock, sem;
    int maxsize;
};

struct bt_mp_queue {
    int rfd, wfd;
    bool closed, simple;
    struct shared *sh;
};

/* Room for a burst of messages before put waits for a reader (the kernel
 * caps it at net.core.wmem_max). */
enum { SOCKBUF = 4 << 20 };

static int make(bt_mp_queue **out, ptrdiff_t maxsize, bool simple)
{
    *out = NULL;
    bt_mp_queue *q = bt_malloc(sizeof *q);
    if (!q)
        return BT_ENOMEM;
    int fds[2], rc = 0;
    q->sh = bt__mp_shared_alloc(sizeof *q->sh);
    if (!q->sh) {
        rc = -errno;
        bt_free(q);
        return rc;
    }
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) < 0) {
        rc = -errno;
        goto fail;
    }
    shutdown(fds[0], SHUT_WR);
    shutdown(fds[1], SHUT_RD);
    int sz = SOCKBUF;
    setsockopt(fds[1], SOL_SOCKET, SO_SNDBUF, &sz, sizeof sz);
    q->rfd = fds[0];
    q->wfd = fds[1];
    q->closed = false;
    q->simple = simple;
    /* CPython: maxsize <= 0 is _multiprocessing.SemLock.SEM_VALUE_MAX. */
    q->sh->maxsize = maxsize <= 0 || maxsize > INT_MAX ? INT_MAX : (int)maxsize;
    if ((rc = bt__mp_lock_init(&q->sh->rlock, BT__MP_SEMAPHORE, 1, 1)) < 0 ||
        (rc = bt__mp_lock_init(&q->sh->wlock, BT__MP_SEMAPHORE, 1, 1)) < 0 ||
        (rc = bt__mp_lock_init(&q->sh->sem, BT__MP_SEMAPHORE, q->sh->maxsize,
                               q->sh->maxsize)) < 0) {
        close(fds[0]);
        close(fds[1]);
        goto fail;
    }
    *out = q;
    return 0;
fail:
    bt__mp_shared_free(q->sh, sizeof *q->sh);
    bt_free(q);
    return rc;
}

int bt_mp_queue_new(bt_mp_queue **out, ptrdiff_t maxsize)
{
    return make(out, maxsize, false);
}

int bt_mp_simple_queue_new(bt_mp_queue **out)
{
    return make(out, 0, true);
}

void bt_mp_queue_close(bt_mp_queue *q)
{
    if (q->closed)
        return;
    q->closed = true;
    close(q->rfd);
    close(q->wfd);
}

void bt_mp_queue_free(bt_mp_queue *q)
{
    if (!q)
        return;
    bt_mp_queue_close(q);
    bt__mp_shared_free(q->sh, sizeof *q->sh);
    bt_free(q);
}

static int closed_error(bt_mp_queue *q, bt_err *err)
{
    return bt_err_setf(err, BT_EVALUE, -1,
                       "Queue <multiprocessing.queues.%sQueue object at %p> "
                       "is closed",
                       q->simple ? "Simple" : "", (void *)q);
}

static const bt__deadline forever = {.forever = true};

int bt_mp_queue_put(bt_mp_queue *q, const void *data, size_t n, bool block,
                    double timeout, bt_err *err)
{
    if (q->closed)
        return closed_error(q, err);
    bt__deadline d;
    int rc = bt__mp_deadline(block, timeout, &d, err);
    if (rc < 0)
        return rc;
    if (!q->simple) {
        bool once = !block || (!d.forever && bt__threading_expired(&d));
        if (!bt__mp_lock_acquire_until(&q->sh->sem, once ? NULL : &d))
            return bt_err_setf(err, BT_EFULL, -1, "%s", "");
    }
    bt__mp_lock_acquire_until(&q->sh->wlock, &forever);
    rc = bt__mp_send_msg(q->wfd, data, n);
    bt_mp_lock_release(&q->sh->wlock, NULL);
    if (rc < 0) {
        if (!q->simple)
            bt_mp_lock_release(&q->sh->sem, NULL); /* nothing was queued */
        return bt_err_oserror(err, rc, NULL, NULL);
    }
    return 0;
}

ptrdiff_t bt_mp_queue_get(bt_mp_queue *q, bt_buf *out, bool block,
                          double timeout, bt_err *err)
{
    if (q->closed)
        return closed_error(q, err);
    bt__deadline d;
    int rc = bt__mp_deadline(block, timeout, &d, err);
    if (rc < 0)
        return rc;
    /* CPython's order: the reader lock within the timeout, then a poll for
     * what is left of it; once a message has begun, it is read whole. */
    bool once = !block || (!d.forever && bt__threading_expired(&d));
    if (!bt__mp_lock_acquire_until(&q->sh->rlock, once ? NULL : &d))
        return bt_err_setf(err, BT_EEMPTY, -1, "%s", "");
    ptrdiff_t n = 0;
    if (!d.forever) {
        n = bt__mp_poll_in(q->rfd, &d);
        if (n == 0)
            n = bt_err_setf(err, BT_EEMPTY, -1, "%s", "");
        else if (n < 0)
            n = bt_err_oserror(err, (int)n, NULL, NULL);
    }
    if (n >= 0) {
        n = bt__mp_recv_msg(q->rfd, out, 0, err);
        if (n >= 0 && !q->simple)
            bt_mp_lock_release(&q->sh->sem, NULL);
    }
    bt_mp_lock_release(&q->sh->rlock, NULL);
    return n;
}

ptrdiff_t bt_mp_queue_qsize(bt_mp_queue *q)
{
    if (q->simple)
        return BT_ENOTIMPL;
    return q->sh->maxsize - bt_mp_semaphore_get_value(&q->sh->sem);
}

bool bt_mp_queue_empty(bt_mp_queue *q)
{
    if (q->closed)
        return true;
    bt__deadline now;
    bt__threading_deadline(&now, 0);
    return bt__mp_poll_in(q->rfd, &now) <= 0;
}

bool bt_mp_queue_full(bt_mp_queue *q)
{
    return !q->simple && bt_mp_semaphore_get_value(&q->sh->sem) == 0;
}
