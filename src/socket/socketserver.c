/*
 * socketserver.c — socketserver's TCPServer / UDPServer and ThreadingMixIn
 * (a thread per request, or a fixed pool fed by a queue.Queue). The loop is
 * BaseServer.serve_forever on a selector; shutdown() also writes to an
 * eventfd the selector watches, so it does not wait for poll_interval.
 */
#include <stdint.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <batteries/queue.h>
#include <batteries/threading.h>

#include "socket_int.h"

struct bt_socketserver {
    bt_socket *sock;
    bool udp;
    bt_socketserver_handler handler;
    void *ctx;
    bt_socketserver_options opt;
    int wakefd;
    bt_selector *sel;
    bool shutdown_request; /* atomic */
    bt_event *is_shut_down;
    bool closed;
    /* ThreadingMixIn: live handler threads (thread per request). */
    bt_lock *tlock;
    bt_thread **threads;
    size_t nthreads;
    size_t tcap;
    /* ... or the pool. */
    bt_queue *queue;
    bt_thread **workers;
    size_t nworkers;
};

/* One request on its way to a handler (possibly in another thread). */
struct item {
    bt_socketserver_request req;
    char data[]; /* UDP: the datagram */
};

enum { DEFAULT_MAX_PACKET = 8192, DEFAULT_QUEUE_SIZE = 5 };

/* finish_request + shutdown_request: runs the handler, reports a failure,
 * closes a TCP connection. */
static void finish(struct item *it)
{
    bt_socketserver *srv = it->req.server;
    bt_err err = BT_ERR_INIT;
    int rc = srv->handler(&it->req, srv->ctx, &err);
    if (rc < 0 && srv->opt.handle_error)
        srv->opt.handle_error(&it->req, rc, &err, srv->ctx);
    if (!srv->udp) {
        /* Python: explicitly shut down (ignoring errors), then close. */
        shutdown(bt_socket_fileno(it->req.sock), SHUT_WR);
        bt_socket_close(it->req.sock);
    }
    bt_free(it);
}

static int request_thread(void *arg, bt_err *err)
{
    (void)err;
    finish(arg);
    return 0; /* failures went to handle_error, never to excepthook */
}

static int pool_worker(void *arg, bt_err *err)
{
    (void)err;
    bt_socketserver *srv = arg;
    void *it;
    while (bt_queue_get(srv->queue, &it, true, BT_TIMEOUT_NONE, NULL) == 0)
        finish(it);
    return 0;
}

/* Joins and frees the threads that have ended (ThreadingMixIn's reap). */
static void reap(bt_socketserver *srv, bool all)
{
    bt_lock_acquire(srv->tlock, true, BT_TIMEOUT_NONE, NULL);
    size_t k = 0;
    for (size_t i = 0; i < srv->nthreads; i++) {
        bt_thread *t = srv->threads[i];
        if (all || !bt_thread_is_alive(t)) {
            bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
            bt_thread_free(t);
        } else {
            srv->threads[k++] = t;
        }
    }
    srv->nthreads = k;
    bt_lock_release(srv->tlock, NULL);
}

static int spawn(bt_socketserver *srv, struct item *it, bt_err *err)
{
    reap(srv, false);
    bt_lock_acquire(srv->tlock, true, BT_TIMEOUT_NONE, NULL);
    int rc = 0;
    if (srv->nthreads == srv->tcap) {
        size_t cap = srv->tcap ? srv->tcap * 2 : 16;
        bt_thread **t = bt_realloc(srv->threads, cap * sizeof *t);
        if (!t) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
            goto out;
        }
        srv->threads = t;
        srv->tcap = cap;
    }
    bt_thread *t;
    rc = bt_thread_new(&t, request_thread, it, "process_request_thread");
    if (rc < 0) {
        bt_err_setf(err, rc, -1, "out of memory");
        goto out;
    }
    bt_thread_set_daemon(t, srv->opt.daemon_threads, NULL);
    rc = bt_thread_start(t, err);
    if (rc < 0) {
        bt_thread_free(t);
        goto out;
    }
    srv->threads[srv->nthreads++] = t;
out:
    bt_lock_release(srv->tlock, NULL);
    return rc;
}

/* process_request: now, in a new thread, or through the pool. */
static int process(bt_socketserver *srv, struct item *it, bt_err *err)
{
    int rc = 0;
    if (!srv->opt.threading)
        finish(it);
    else if (srv->queue)
        rc = bt_queue_put(srv->queue, it, true, BT_TIMEOUT_NONE, err);
    else
        rc = spawn(srv, it, err);
    if (rc < 0) {
        /* Python's handle_error + shutdown_request for a failed start. */
        if (srv->opt.handle_error)
            srv->opt.handle_error(&it->req, rc, err, srv->ctx);
        if (!srv->udp)
            bt_socket_close(it->req.sock);
        bt_free(it);
    }
    return 0;
}

/* _handle_request_noblock: take one request (the socket is ready). */
static int handle_ready(bt_socketserver *srv, bt_err *err)
{
    struct item *it;
    if (srv->udp) {
        size_t max = srv->opt.max_packet_size ? srv->opt.max_packet_size
                                              : DEFAULT_MAX_PACKET;
        it = bt_malloc(sizeof *it + max);
        if (!it)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        memset(&it->req, 0, sizeof it->req);
        ptrdiff_t n = bt_socket_recvfrom_into(srv->sock, it->data, max, 0,
                                              &it->req.client_address, err);
        if (n < 0) {
            bt_free(it);
            return n == -EAGAIN ? 0 : (int)n;
        }
        it->req.sock = srv->sock;
        it->req.data = it->data;
        it->req.len = (size_t)n;
    } else {
        it = bt_malloc(sizeof *it);
        if (!it)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        memset(&it->req, 0, sizeof it->req);
        int rc = bt_socket_accept(srv->sock, &it->req.sock,
                                  &it->req.client_address, err);
        if (rc < 0) {
            bt_free(it);
            /* Python returns on OSError from get_request: a client that
             * vanished, a full descriptor table, ... keep serving. */
            return 0;
        }
    }
    it->req.server = srv;
    return process(srv, it, err);
}

static int make(bt_socketserver **out, bool udp, const char *host, int port,
                bt_socketserver_handler handler, void *ctx,
                const bt_socketserver_options *opt, bt_err *err)
{
    bt_socketserver *srv = bt_calloc(1, sizeof *srv);
    if (!srv)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    if (opt)
        srv->opt = *opt;
    srv->udp = udp;
    srv->handler = handler;
    srv->ctx = ctx;
    srv->wakefd = -1;
    int family = srv->opt.family ? srv->opt.family : AF_INET;
    int rc = bt_socket_new(&srv->sock, family, udp ? SOCK_DGRAM : SOCK_STREAM,
                           0, err);
    if (rc < 0)
        goto fail;
    if (srv->opt.allow_reuse_address)
        bt_socket_setsockopt(srv->sock, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
    if (srv->opt.allow_reuse_port &&
        (rc = bt_socket_setsockopt(srv->sock, SOL_SOCKET, SO_REUSEPORT, 1,
                                   err)) < 0)
        goto fail;
    if ((rc = bt_socket_bind(srv->sock, host, port, err)) < 0)
        goto fail;
    if (!udp && (rc = bt_socket_listen(srv->sock,
                                       srv->opt.request_queue_size
                                           ? srv->opt.request_queue_size
                                           : DEFAULT_QUEUE_SIZE,
                                       err)) < 0)
        goto fail;
    srv->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (srv->wakefd < 0) {
        rc = bt__socket_oserror(err, -errno);
        goto fail;
    }
    if ((rc = bt_selector_new(&srv->sel, err)) < 0 ||
        (rc = bt_selector_register(srv->sel, bt_socket_fileno(srv->sock),
                                   BT_EVENT_READ, NULL, err)) < 0 ||
        (rc = bt_selector_register(srv->sel, srv->wakefd, BT_EVENT_READ, NULL,
                                   err)) < 0)
        goto fail;
    if (bt_event_new(&srv->is_shut_down) < 0 || bt_lock_new(&srv->tlock) < 0) {
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        goto fail;
    }
    bt_event_set(srv->is_shut_down);
    if (srv->opt.threading && srv->opt.pool_size > 0) {
        srv->workers = bt_calloc(srv->opt.pool_size, sizeof *srv->workers);
        if (!srv->workers || bt_queue_new(&srv->queue, 0) < 0) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
            goto fail;
        }
        for (size_t i = 0; i < srv->opt.pool_size; i++) {
            bt_thread *t;
            if ((rc = bt_thread_new(&t, pool_worker, srv, "pool_worker")) < 0) {
                bt_err_setf(err, rc, -1, "out of memory");
                goto fail;
            }
            bt_thread_set_daemon(t, srv->opt.daemon_threads, NULL);
            if ((rc = bt_thread_start(t, err)) < 0) {
                bt_thread_free(t);
                goto fail;
            }
            srv->workers[srv->nworkers++] = t;
        }
    }
    *out = srv;
    return 0;
fail:
    bt_socketserver_free(srv);
    return rc;
}

int bt_socketserver_tcp_new(bt_socketserver **out, const char *host, int port,
                            bt_socketserver_handler handler, void *ctx,
                            const bt_socketserver_options *opt, bt_err *err)
{
    return make(out, false, host, port, handler, ctx, opt, err);
}

int bt_socketserver_udp_new(bt_socketserver **out, const char *host, int port,
                            bt_socketserver_handler handler, void *ctx,
                            const bt_socketserver_options *opt, bt_err *err)
{
    return make(out, true, host, port, handler, ctx, opt, err);
}

static bool shutdown_requested(bt_socketserver *srv)
{
    return __atomic_load_n(&srv->shutdown_request, __ATOMIC_ACQUIRE);
}

/* Waits for the server socket; 1 when it is ready, 0 on timeout or wake. */
static int wait_ready(bt_socketserver *srv, double timeout, bt_err *err)
{
    bt_selector_event ev[2];
    int n = bt_selector_select(srv->sel, timeout, ev, 2, err);
    if (n < 0)
        return n;
    int ready = 0;
    for (int i = 0; i < n; i++) {
        if (ev[i].fd == srv->wakefd) {
            uint64_t v;
            while (read(srv->wakefd, &v, sizeof v) < 0 && errno == EINTR) {
            }
        } else {
            ready = 1;
        }
    }
    return ready;
}

int bt_socketserver_serve_forever(bt_socketserver *srv, double poll_interval,
                                  bt_err *err)
{
    if (srv->closed)
        return bt__socket_oserror(err, -EBADF);
    bt_event_clear(srv->is_shut_down);
    int rc = 0;
    while (!shutdown_requested(srv)) {
        rc = wait_ready(srv, poll_interval, err);
        if (rc < 0)
            break;
        /* bpo-35017: shutdown() called during select(), exit at once. */
        if (shutdown_requested(srv))
            break;
        if (rc > 0 && (rc = handle_ready(srv, err)) < 0)
            break;
        rc = 0;
        if (!srv->queue && srv->opt.threading)
            reap(srv, false); /* service_actions */
    }
    __atomic_store_n(&srv->shutdown_request, false, __ATOMIC_RELEASE);
    bt_event_set(srv->is_shut_down);
    return rc;
}

int bt_socketserver_handle_request(bt_socketserver *srv, double timeout,
                                   bt_err *err)
{
    if (srv->closed)
        return bt__socket_oserror(err, -EBADF);
    double deadline = timeout >= 0 ? bt__socket_now() + timeout : -1;
    for (;;) {
        double left = BT_TIMEOUT_NONE;
        if (deadline >= 0) {
            left = deadline - bt__socket_now();
            if (left < 0)
                return 0; /* handle_timeout */
        }
        int rc = wait_ready(srv, left, err);
        if (rc < 0)
            return rc;
        if (rc > 0) {
            rc = handle_ready(srv, err);
            return rc < 0 ? rc : 1;
        }
        if (deadline >= 0 && bt__socket_now() >= deadline)
            return 0;
    }
}

void bt_socketserver_shutdown(bt_socketserver *srv)
{
    __atomic_store_n(&srv->shutdown_request, true, __ATOMIC_RELEASE);
    uint64_t one = 1;
    while (write(srv->wakefd, &one, sizeof one) < 0 && errno == EINTR) {
    }
    bt_event_wait(srv->is_shut_down, BT_TIMEOUT_NONE, NULL);
}

static void stop_threads(bt_socketserver *srv, bool wait)
{
    if (srv->queue) {
        bt_queue_shutdown(srv->queue, false);
        for (size_t i = 0; i < srv->nworkers; i++) {
            if (wait)
                bt_thread_join(srv->workers[i], BT_TIMEOUT_NONE, NULL);
        }
    } else if (srv->tlock && wait) {
        reap(srv, true);
    }
}

void bt_socketserver_server_close(bt_socketserver *srv)
{
    if (srv->closed)
        return;
    srv->closed = true;
    if (srv->sel) {
        bt_selector_free(srv->sel);
        srv->sel = NULL;
    }
    bt_socket_close(srv->sock);
    srv->sock = NULL;
    if (srv->wakefd >= 0)
        close(srv->wakefd);
    srv->wakefd = -1;
    /* ThreadingMixIn.block_on_close = not daemon_threads. */
    stop_threads(srv, !srv->opt.daemon_threads);
}

void bt_socketserver_free(bt_socketserver *srv)
{
    if (!srv)
        return;
    bt_socketserver_server_close(srv);
    /* Handlers may still use srv: wait for them even with daemon_threads,
     * since the memory goes away now. */
    stop_threads(srv, true);
    for (size_t i = 0; i < srv->nworkers; i++)
        bt_thread_free(srv->workers[i]);
    bt_free(srv->workers);
    if (srv->queue) {
        void *it;
        while (bt_queue_get_nowait(srv->queue, &it) == 0)
            finish(it);
        bt_queue_free(srv->queue);
    }
    bt_free(srv->threads);
    bt_lock_free(srv->tlock);
    bt_event_free(srv->is_shut_down);
    bt_free(srv);
}

int bt_socketserver_server_address(const bt_socketserver *srv,
                                   bt_sockaddr *addr, bt_err *err)
{
    if (!srv->sock)
        return bt__socket_oserror(err, -EBADF);
    return bt_socket_getsockname(srv->sock, addr, err);
}

bt_socket *bt_socketserver_socket(bt_socketserver *srv)
{
    return srv->sock;
}
