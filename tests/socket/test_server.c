/* socketserver: TCPServer and UDPServer with handler callbacks,
 * ThreadingTCPServer (a thread per request, and a pool) under many
 * concurrent clients, serve_forever + shutdown from another thread,
 * handle_error, and CPython clients against our threaded server. In the
 * 'concurrency' suite (TSan). */
#include <batteries/threading.h>

#include "helpers.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* The notes' "total" server: each client sends a number as text; the
 * handler adds it under a lock and answers "ok\n". */
struct total {
    bt_lock *lock;
    long sum;
    int handled;
};

static int add_handler(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    struct total *t = ctx;
    bt_socket_file *f;
    int rc = bt_socket_makefile(&f, req->sock, "rw", -1, err);
    if (rc < 0)
        return rc;
    bt_buf line = BT_BUF_INIT;
    ptrdiff_t n = bt_socket_file_readline(f, &line, 64, err);
    if (n > 0) {
        long v = strtol(line.data, NULL, 10);
        bt_lock_acquire(t->lock, true, BT_TIMEOUT_NONE, NULL);
        t->sum += v;
        t->handled++;
        bt_lock_release(t->lock, NULL);
        bt_socket_file_write(f, "ok\n", 3, err);
    }
    bt_buf_fini(&line);
    rc = bt_socket_file_close(f, err);
    return n < 0 ? (int)n : rc;
}

/* A long poll_interval: shutdown must not wait for it. */
static int serve(void *arg, bt_err *err)
{
    return bt_socketserver_serve_forever(arg, 60.0, err);
}

static int port_of(bt_socketserver *srv)
{
    bt_sockaddr a;
    cr_assert_eq(bt_socketserver_server_address(srv, &a, NULL), 0);
    return a.port;
}

struct client_arg {
    int port;
    int value;
    bool ok;
};

static int client(void *arg, bt_err *err)
{
    struct client_arg *c = arg;
    bt_socket *s;
    int rc = bt_socket_create_connection(&s, "127.0.0.1", c->port, 10.0, NULL,
                                         0, err);
    if (rc < 0)
        return 0;
    char msg[32];
    int n = snprintf(msg, sizeof msg, "%d\n", c->value);
    char reply[3];
    c->ok = bt_socket_sendall(s, msg, (size_t)n, 0, err) == 0 &&
            bt_socket_recv_exactly(s, reply, 3, err) == 0 &&
            memcmp(reply, "ok\n", 3) == 0;
    bt_socket_close(s);
    return 0;
}

static void run_total(const bt_socketserver_options *opt, int clients)
{
    int before = open_fds();
    struct total t = {NULL, 0, 0};
    cr_assert_eq(bt_lock_new(&t.lock), 0);
    bt_socketserver *srv;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, add_handler, &t,
                                         opt, &err),
                 0, "%s", err.msg);
    bt_thread *loop;
    cr_assert_eq(bt_thread_new(&loop, serve, srv, "serve_forever"), 0);
    cr_assert_eq(bt_thread_start(loop, NULL), 0);
    int port = port_of(srv);
    bt_thread **th = calloc((size_t)clients, sizeof *th);
    struct client_arg *args = calloc((size_t)clients, sizeof *args);
    long want = 0;
    for (int i = 0; i < clients; i++) {
        args[i] = (struct client_arg){port, i * 3 + 1, false};
        want += i * 3 + 1;
        cr_assert_eq(bt_thread_new(&th[i], client, &args[i], "client"), 0);
        cr_assert_eq(bt_thread_start(th[i], NULL), 0);
    }
    int ok = 0;
    for (int i = 0; i < clients; i++) {
        bt_thread_join(th[i], BT_TIMEOUT_NONE, NULL);
        bt_thread_free(th[i]);
        ok += args[i].ok;
    }
    double t0 = now();
    bt_socketserver_shutdown(srv);
    cr_expect_lt(now() - t0, 10.0, "shutdown waited for poll_interval");
    bt_thread_join(loop, BT_TIMEOUT_NONE, NULL);
    cr_expect_eq(bt_thread_exitcode(loop, NULL), 0);
    bt_thread_free(loop);
    bt_socketserver_server_close(srv);
    cr_expect_eq(ok, clients);
    cr_expect_eq(t.handled, clients);
    cr_expect_eq(t.sum, want);
    bt_socketserver_free(srv);
    bt_lock_free(t.lock);
    free(th);
    free(args);
    cr_expect_eq(open_fds(), before, "descriptors leaked");
}

Test(socketserver, tcp_server_one_at_a_time)
{
    bt_socketserver_options opt = {0};
    run_total(&opt, 8);
}

Test(socketserver, threading_tcp_server_thread_per_request)
{
    bt_socketserver_options opt = {.threading = true};
    run_total(&opt, 40);
}

Test(socketserver, threading_tcp_server_pool)
{
    bt_socketserver_options opt = {.threading = true, .pool_size = 4};
    run_total(&opt, 40);
}

static int echo_udp(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    (void)ctx;
    char up[64];
    size_t n = req->len < sizeof up ? req->len : sizeof up;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)(((const char *)req->data)[i] ^ 0x20);
    ptrdiff_t r =
        bt_socket_sendto_addr(req->sock, up, n, 0, &req->client_address, err);
    return r < 0 ? (int)r : 0;
}

Test(socketserver, udp_server)
{
    bt_socketserver *srv;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socketserver_udp_new(&srv, "127.0.0.1", 0, echo_udp, NULL,
                                         NULL, &err),
                 0, "%s", err.msg);
    int port = port_of(srv);
    bt_socket *c;
    cr_assert_eq(bt_socket_new(&c, AF_INET, SOCK_DGRAM, 0, NULL), 0);
    bt_socket_settimeout(c, 5.0, NULL);
    cr_assert_eq(bt_socket_sendto(c, "hello", 5, 0, "127.0.0.1", port, &err),
                 5);
    cr_expect_eq(bt_socketserver_handle_request(srv, 5.0, &err), 1);
    char buf[16];
    cr_assert_eq(bt_socket_recv_into(c, buf, sizeof buf, 0, &err), 5);
    cr_expect_eq(memcmp(buf, "HELLO", 5), 0);
    /* handle_request times out (handle_timeout) when nothing comes. */
    double t0 = now();
    cr_expect_eq(bt_socketserver_handle_request(srv, 0.05, &err), 0);
    cr_expect_geq(now() - t0, 0.045);
    bt_socket_close(c);
    bt_socketserver_free(srv);
}

struct errors_seen {
    bt_lock *lock;
    int count;
    int code;
    char msg[BT_ERR_MSG_SIZE];
};

static int failing(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    (void)req;
    (void)ctx;
    return bt_err_setf(err, BT_EVALUE, -1, "bad request");
}

static void on_error(bt_socketserver_request *req, int code, const bt_err *err,
                     void *ctx)
{
    (void)req;
    struct errors_seen *e = ctx;
    bt_lock_acquire(e->lock, true, BT_TIMEOUT_NONE, NULL);
    e->count++;
    e->code = code;
    snprintf(e->msg, sizeof e->msg, "%s", err->msg);
    bt_lock_release(e->lock, NULL);
}

Test(socketserver, handle_error_and_address_in_use)
{
    struct errors_seen e = {NULL, 0, 0, ""};
    bt_lock_new(&e.lock);
    bt_socketserver_options opt = {.threading = true, .handle_error = on_error};
    bt_socketserver *srv;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(
        bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, failing, &e, &opt, &err),
        0);
    int port = port_of(srv);
    bt_socket *c;
    cr_assert_eq(
        bt_socket_create_connection(&c, "127.0.0.1", port, 5.0, NULL, 0, NULL),
        0);
    cr_expect_eq(bt_socketserver_handle_request(srv, 5.0, &err), 1);
    /* The server closed the connection after the handler. */
    char ch;
    cr_expect_eq(bt_socket_recv_into(c, &ch, 1, 0, &err), 0);
    bt_socket_close(c);
    bt_socketserver_server_close(srv); /* waits for the handler thread */
    cr_expect_eq(e.count, 1);
    cr_expect_eq(e.code, BT_EVALUE);
    cr_expect_str_eq(e.msg, "bad request");
    bt_socketserver *again;
    bt_socketserver *first;
    cr_assert_eq(bt_socketserver_tcp_new(&first, "127.0.0.1", 0, failing, &e,
                                         NULL, &err),
                 0);
    cr_expect_eq(bt_socketserver_tcp_new(&again, "127.0.0.1", port_of(first),
                                         failing, &e, NULL, &err),
                 -EADDRINUSE);
    cr_expect_str_eq(err.msg, "[Errno 98] Address already in use");
    bt_socketserver_free(first);
    bt_socketserver_free(srv);
    bt_lock_free(e.lock);
}

/* A slow client under timeouts: a handler reading with a timeout gets
 * TimeoutError while other clients are still served. */
static int timed_handler(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    struct total *t = ctx;
    bt_socket_settimeout(req->sock, 0.2, NULL);
    char buf[2];
    int rc = bt_socket_recv_exactly(req->sock, buf, 2, err);
    bt_lock_acquire(t->lock, true, BT_TIMEOUT_NONE, NULL);
    if (rc == -ETIMEDOUT)
        t->sum++;
    else if (rc == 0)
        t->handled++;
    bt_lock_release(t->lock, NULL);
    return rc;
}

Test(socketserver, slow_client_times_out)
{
    struct total t = {NULL, 0, 0};
    bt_lock_new(&t.lock);
    bt_socketserver_options opt = {.threading = true};
    bt_socketserver *srv;
    cr_assert_eq(bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, timed_handler,
                                         &t, &opt, NULL),
                 0);
    bt_thread *loop;
    bt_thread_new(&loop, serve, srv, "serve_forever");
    bt_thread_start(loop, NULL);
    int port = port_of(srv);
    bt_socket *slow, *fast;
    cr_assert_eq(bt_socket_create_connection(&slow, "127.0.0.1", port, 5.0,
                                             NULL, 0, NULL),
                 0);
    bt_socket_sendall(slow, "x", 1, 0, NULL); /* one byte of two */
    cr_assert_eq(bt_socket_create_connection(&fast, "127.0.0.1", port, 5.0,
                                             NULL, 0, NULL),
                 0);
    bt_socket_sendall(fast, "xy", 2, 0, NULL);
    char ch;
    /* Both connections end: the fast one served, the slow one timed out. */
    cr_expect_eq(bt_socket_recv_into(fast, &ch, 1, 0, NULL), 0);
    cr_expect_eq(bt_socket_recv_into(slow, &ch, 1, 0, NULL), 0);
    bt_socketserver_shutdown(srv);
    bt_thread_join(loop, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(loop);
    bt_socketserver_free(srv);
    cr_expect_eq(t.handled, 1);
    cr_expect_eq(t.sum, 1);
    bt_socket_close(slow);
    bt_socket_close(fast);
    bt_lock_free(t.lock);
}

/* CPython's clients, 20 threads at once, against our ThreadingTCPServer. */
static const char *PY_CLIENTS =
    "import socket, sys, signal, threading\n"
    "signal.alarm(15)\n"
    "port = int(sys.argv[1]); bad = []\n"
    "def one(i):\n"
    "    with socket.create_connection(('127.0.0.1', port), timeout=10) as s:\n"
    "        f = s.makefile('rwb')\n"
    "        f.write(b'%d\\n' % i); f.flush()\n"
    "        if f.readline() != b'ok\\n': bad.append(i)\n"
    "ts = [threading.Thread(target=one, args=(i,)) for i in range(20)]\n"
    "[t.start() for t in ts]; [t.join() for t in ts]\n"
    "print('bad' if bad else 'ok', flush=True)\n";

Test(socketserver, cpython_clients_threading_server)
{
    struct total t = {NULL, 0, 0};
    bt_lock_new(&t.lock);
    bt_socketserver_options opt = {.threading = true, .request_queue_size = 32};
    bt_socketserver *srv;
    cr_assert_eq(bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, add_handler, &t,
                                         &opt, NULL),
                 0);
    bt_thread *loop;
    bt_thread_new(&loop, serve, srv, "serve_forever");
    bt_thread_start(loop, NULL);
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port_of(srv));
    char *args[] = {ps, NULL};
    int out;
    pid_t pid = spawn_python(PY_CLIENTS, args, &out, NULL);
    char line[16];
    read_line_fd(out, line, sizeof line);
    cr_expect_str_eq(line, "ok");
    close(out);
    cr_expect_eq(wait_python(pid), 0);
    bt_socketserver_shutdown(srv);
    bt_thread_join(loop, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(loop);
    bt_socketserver_free(srv);
    cr_expect_eq(t.handled, 20);
    cr_expect_eq(t.sum, 190);
    bt_lock_free(t.lock);
}

/* UnixStreamServer: family AF_UNIX, the host is the path. */
Test(socketserver, unix_stream_server)
{
    char dir[] = "/tmp/bt_srv_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/srv.sock", dir);
    struct total t = {NULL, 0, 0};
    bt_lock_new(&t.lock);
    bt_socketserver_options opt = {.family = AF_UNIX, .threading = true};
    bt_socketserver *srv;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(
        bt_socketserver_tcp_new(&srv, path, 0, add_handler, &t, &opt, &err), 0,
        "%s", err.msg);
    bt_sockaddr a;
    cr_assert_eq(bt_socketserver_server_address(srv, &a, NULL), 0);
    cr_expect_str_eq(a.host, path);
    bt_socket *c;
    cr_assert_eq(bt_socket_new(&c, AF_UNIX, SOCK_STREAM, 0, NULL), 0);
    cr_assert_eq(bt_socket_connect(c, path, 0, &err), 0, "%s", err.msg);
    bt_socket_sendall(c, "41\n", 3, 0, NULL);
    cr_expect_eq(bt_socketserver_handle_request(srv, 5.0, &err), 1);
    char reply[3];
    cr_expect_eq(bt_socket_recv_exactly(c, reply, 3, &err), 0);
    bt_socket_close(c);
    bt_socketserver_free(srv);
    cr_expect_eq(t.sum, 41);
    bt_lock_free(t.lock);
    unlink(path);
    rmdir(dir);
}

/* ThreadingUDPServer: each datagram is copied for its handler thread. */
Test(socketserver, threading_udp_server)
{
    bt_socketserver_options opt = {.threading = true};
    bt_socketserver *srv;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socketserver_udp_new(&srv, "127.0.0.1", 0, echo_udp, NULL,
                                         &opt, &err),
                 0, "%s", err.msg);
    bt_thread *loop;
    bt_thread_new(&loop, serve, srv, "serve_forever");
    bt_thread_start(loop, NULL);
    int port = port_of(srv);
    bt_socket *c;
    cr_assert_eq(bt_socket_new(&c, AF_INET, SOCK_DGRAM, 0, NULL), 0);
    bt_socket_settimeout(c, 5.0, NULL);
    int got = 0;
    for (int i = 0; i < 10; i++) {
        char msg[8];
        int n = snprintf(msg, sizeof msg, "m%d", i);
        cr_assert_eq(
            bt_socket_sendto(c, msg, (size_t)n, 0, "127.0.0.1", port, &err), n);
    }
    for (int i = 0; i < 10; i++) {
        char buf[16];
        ptrdiff_t r = bt_socket_recv_into(c, buf, sizeof buf, 0, &err);
        if (r >= 2 && buf[0] == 'M')
            got++;
    }
    cr_expect_eq(got, 10);
    bt_socketserver_shutdown(srv);
    bt_thread_join(loop, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(loop);
    bt_socketserver_free(srv);
    bt_socket_close(c);
}
