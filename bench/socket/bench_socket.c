/* bench_socket.c — echo round trips over loopback TCP with bt_socket and
 * with raw blocking send/recv (the anchor), and a threaded socketserver
 * under 50 concurrent clients. See cases.py. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <sched.h>
#include <unistd.h>

#include <batteries/socket.h>
#include <batteries/threading.h>

#include "bench.h"

enum { BIG = 16384 };

static char msg[BIG];
static char back[BIG];

/* The echo servers run in a forked child, as CPython's does in cases.py: a
 * thread of the same process made the round trip bimodal (15 or 45 us,
 * depending on where the scheduler put the two threads, for ours and the
 * anchor alike). */
/* The client and its echo child share one CPU for the echo cases: on this
 * VM a wakeup across CPUs makes any C pair's round trip bimodal (15 or 45
 * us per connection, raw or ours alike), while CPython's pair measures
 * 15.4 us pinned or not. The client's own mask comes back at teardown. */
static cpu_set_t saved_mask;
static int pinned;

static void pin_here(void)
{
    if (pinned++)
        return;
    sched_getaffinity(0, sizeof saved_mask, &saved_mask);
    cpu_set_t one;
    CPU_ZERO(&one);
    int cpu = sched_getcpu();
    CPU_SET(cpu < 0 ? 0 : cpu, &one);
    sched_setaffinity(0, sizeof one, &one);
}

static void unpin(void)
{
    if (pinned && --pinned == 0)
        sched_setaffinity(0, sizeof saved_mask, &saved_mask);
}

static pid_t spawn_echo(void *(*serve)(void *), void *arg, int listener)
{
    pin_here();
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        /* Keep only the listener: a copy of another case's client socket
         * would keep that case's server from seeing EOF, and a copy of the
         * driver's pipes would keep the driver waiting. */
        int null = open("/dev/null", O_RDWR | O_CLOEXEC);
        for (int fd = 0; fd < 1024; fd++)
            if (fd != listener && fd != null && fd > 2)
                close(fd);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        serve(arg);
        _exit(0);
    }
    return pid;
}

/* ---- ours: a bt_socket echo server and client ---- */

struct echo {
    bt_socket *listener;
    bt_socket *client;
    pid_t child;
};

static struct echo ours;

static void *ours_echo(void *arg)
{
    struct echo *e = arg;
    bt_socket *c;
    if (bt_socket_accept(e->listener, &c, NULL, NULL) < 0)
        return NULL;
    bt_socket_setsockopt(c, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
    static char buf[65536];
    for (;;) {
        ptrdiff_t n = bt_socket_recv_into(c, buf, sizeof buf, 0, NULL);
        if (n <= 0 || bt_socket_sendall(c, buf, (size_t)n, 0, NULL) < 0)
            break;
    }
    bt_socket_close(c);
    return NULL;
}

static int ours_setup(void)
{
    if (ours.client)
        return 0;
    memset(msg, 'x', sizeof msg);
    if (bt_socket_create_server(&ours.listener, "127.0.0.1", 0, AF_INET, -1,
                                false, false, NULL) < 0)
        return 1;
    bt_sockaddr a;
    bt_socket_getsockname(ours.listener, &a, NULL);
    ours.child = spawn_echo(ours_echo, &ours, bt_socket_fileno(ours.listener));
    if (ours.child < 0)
        return 1;
    if (bt_socket_create_connection(&ours.client, "127.0.0.1", a.port,
                                    BT_TIMEOUT_NONE, NULL, 0, NULL) < 0)
        return 1;
    bt_socket_setsockopt(ours.client, IPPROTO_TCP, TCP_NODELAY, 1, NULL);
    return 0;
}

static void ours_teardown(void)
{
    if (!ours.client)
        return;
    bt_socket_close(ours.client);
    waitpid(ours.child, NULL, 0);
    unpin();
    bt_socket_close(ours.listener);
    ours.client = NULL;
}

static void ours_round_trips(uint64_t iters, size_t n)
{
    for (uint64_t i = 0; i < iters; i++) {
        if (bt_socket_sendall(ours.client, msg, n, 0, NULL) < 0 ||
            bt_socket_recv_exactly(ours.client, back, n, NULL) < 0) {
            fprintf(stderr, "echo failed\n");
            exit(1);
        }
        bench_escape(back);
    }
}

static void run_echo_64(uint64_t iters)
{
    ours_round_trips(iters, 64);
}
static void run_echo_16k(uint64_t iters)
{
    ours_round_trips(iters, BIG);
}

/* ---- the anchor: raw blocking sockets, the textbook loops ---- */

static int raw_listener, raw_client;
static pid_t raw_child;

static void *raw_echo(void *arg)
{
    (void)arg;
    int c = accept4(raw_listener, NULL, NULL, SOCK_CLOEXEC);
    if (c < 0)
        return NULL;
    int one = 1;
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static char buf[65536];
    for (;;) {
        ssize_t n = recv(c, buf, sizeof buf, 0);
        if (n <= 0)
            break;
        for (ssize_t off = 0; off < n;) {
            ssize_t w = send(c, buf + off, (size_t)(n - off), MSG_NOSIGNAL);
            if (w <= 0)
                goto out;
            off += w;
        }
    }
out:
    close(c);
    return NULL;
}

static int raw_setup(void)
{
    if (raw_client > 0)
        return 0;
    memset(msg, 'x', sizeof msg);
    raw_listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (bind(raw_listener, (struct sockaddr *)&a, sizeof a) < 0 ||
        listen(raw_listener, 8) < 0 ||
        getsockname(raw_listener, (struct sockaddr *)&a, &len) < 0)
        return 1;
    raw_child = spawn_echo(raw_echo, NULL, raw_listener);
    if (raw_child < 0)
        return 1;
    raw_client = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (connect(raw_client, (struct sockaddr *)&a, sizeof a) < 0)
        return 1;
    int one = 1;
    setsockopt(raw_client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return 0;
}

static void raw_teardown(void)
{
    if (raw_client <= 0)
        return;
    close(raw_client);
    waitpid(raw_child, NULL, 0);
    unpin();
    close(raw_listener);
    raw_client = 0;
}

static void raw_round_trips(uint64_t iters, size_t n)
{
    for (uint64_t i = 0; i < iters; i++) {
        for (size_t off = 0; off < n;) {
            ssize_t w = send(raw_client, msg + off, n - off, MSG_NOSIGNAL);
            if (w <= 0)
                exit(1);
            off += (size_t)w;
        }
        for (size_t off = 0; off < n;) {
            ssize_t r = recv(raw_client, back + off, n - off, 0);
            if (r <= 0)
                exit(1);
            off += (size_t)r;
        }
        bench_escape(back);
    }
}

static void run_raw_64(uint64_t iters)
{
    raw_round_trips(iters, 64);
}
static void run_raw_16k(uint64_t iters)
{
    raw_round_trips(iters, BIG);
}

/* ---- a threaded socketserver, 50 concurrent clients ---- */

enum { CLIENTS = 50 };

static bt_socketserver *srv;
static bt_thread *srv_loop;
static int srv_port;

static int line_echo(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    (void)ctx;
    bt_socket_file *f;
    int rc = bt_socket_makefile(&f, req->sock, "rw", -1, err);
    if (rc < 0)
        return rc;
    bt_buf line = BT_BUF_INIT;
    if (bt_socket_file_readline(f, &line, 65536, err) > 0)
        bt_socket_file_write(f, line.data, line.len, err);
    bt_buf_fini(&line);
    return bt_socket_file_close(f, err);
}

static int serve(void *arg, bt_err *err)
{
    return bt_socketserver_serve_forever(arg, 0.5, err);
}

static int server_setup(void)
{
    if (srv)
        return 0;
    bt_socketserver_options opt = {
        .threading = true, .daemon_threads = true, .request_queue_size = 128};
    if (bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, line_echo, NULL, &opt,
                                NULL) < 0)
        return 1;
    bt_sockaddr a;
    bt_socketserver_server_address(srv, &a, NULL);
    srv_port = a.port;
    if (bt_thread_new(&srv_loop, serve, srv, "serve_forever") < 0 ||
        bt_thread_start(srv_loop, NULL) < 0)
        return 1;
    return 0;
}

static void server_teardown(void)
{
    if (!srv)
        return;
    bt_socketserver_shutdown(srv);
    bt_thread_join(srv_loop, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(srv_loop);
    bt_socketserver_free(srv);
    srv = NULL;
}

static void *client_loop(void *arg)
{
    uint64_t n = *(uint64_t *)arg;
    for (uint64_t i = 0; i < n; i++) {
        bt_socket *s;
        if (bt_socket_create_connection(&s, "127.0.0.1", srv_port,
                                        BT_TIMEOUT_NONE, NULL, 0, NULL) < 0) {
            fprintf(stderr, "connect failed\n");
            exit(1);
        }
        bt_socket_sendall(s, "hello\n", 6, 0, NULL);
        char buf[64];
        while (bt_socket_recv_into(s, buf, sizeof buf, 0, NULL) > 0) {
        }
        bt_socket_close(s);
    }
    return NULL;
}

static void run_threading_server_50(uint64_t iters)
{
    pthread_t t[CLIENTS];
    for (int i = 0; i < CLIENTS; i++)
        pthread_create(&t[i], NULL, client_loop, &iters);
    for (int i = 0; i < CLIENTS; i++)
        pthread_join(t[i], NULL);
}

static const bench_case cases[] = {
    {"echo_64", ours_setup, run_echo_64, ours_teardown},
    {"echo_64@raw_c", raw_setup, run_raw_64, raw_teardown},
    {"echo_16k", ours_setup, run_echo_16k, ours_teardown},
    {"echo_16k@raw_c", raw_setup, run_raw_16k, raw_teardown},
    {"threading_server_50", server_setup, run_threading_server_50,
     server_teardown},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
