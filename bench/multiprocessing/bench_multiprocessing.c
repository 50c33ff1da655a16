/* bench_multiprocessing.c — round trips to an echo child through Queues
 * and a Pipe, and Process start + join; the anchors are the raw system
 * calls. See cases.py. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/multiprocessing.h>

#include "bench.h"

static const char MSG[16] = "xxxxxxxxxxxxxxxx";

/* ---- Queue ---- */

static bt_mp_queue *q1, *q2;
static bt_mp_process *echo;

static int queue_echo(void *arg, bt_err *err)
{
    (void)arg;
    bt_buf b = BT_BUF_INIT;
    for (;;) {
        ptrdiff_t n = bt_mp_queue_get(q1, &b, true, BT_TIMEOUT_NONE, err);
        if (n <= 0)
            break; /* the empty message says stop */
        if (bt_mp_queue_put(q2, b.data, b.len, true, BT_TIMEOUT_NONE, err) < 0)
            break;
    }
    bt_buf_fini(&b);
    return 0;
}

static int queue_setup(void)
{
    if (bt_mp_queue_new(&q1, 0) < 0 || bt_mp_queue_new(&q2, 0) < 0 ||
        bt_mp_process_new(&echo, queue_echo, NULL) < 0 ||
        bt_mp_process_start(echo, NULL) < 0)
        return 1;
    return 0;
}

static void queue_run(uint64_t iters)
{
    bt_buf b = BT_BUF_INIT;
    for (uint64_t i = 0; i < iters; i++) {
        bt_mp_queue_put(q1, MSG, sizeof MSG, true, BT_TIMEOUT_NONE, NULL);
        bt_mp_queue_get(q2, &b, true, BT_TIMEOUT_NONE, NULL);
        bench_escape(b.data);
    }
    bt_buf_fini(&b);
}

static void queue_teardown(void)
{
    bt_mp_queue_put(q1, "", 0, true, BT_TIMEOUT_NONE, NULL);
    bt_mp_process_join(echo, BT_TIMEOUT_NONE, NULL);
    bt_mp_process_free(echo);
    bt_mp_queue_free(q1);
    bt_mp_queue_free(q2);
}

/* ---- Pipe ---- */

static bt_mp_connection *pa, *pb;
static bt_mp_process *pecho;

static int pipe_echo(void *arg, bt_err *err)
{
    (void)arg;
    bt_mp_connection_close(pa);
    bt_buf b = BT_BUF_INIT;
    while (bt_mp_connection_recv_bytes(pb, &b, 0, err) >= 0)
        if (bt_mp_connection_send_bytes(pb, b.data, b.len, err) < 0)
            break;
    bt_buf_fini(&b);
    return 0;
}

static int pipe_setup(void)
{
    if (bt_mp_pipe(&pa, &pb, true) < 0 ||
        bt_mp_process_new(&pecho, pipe_echo, NULL) < 0 ||
        bt_mp_process_start(pecho, NULL) < 0)
        return 1;
    bt_mp_connection_close(pb);
    return 0;
}

static void pipe_run(uint64_t iters)
{
    bt_buf b = BT_BUF_INIT;
    for (uint64_t i = 0; i < iters; i++) {
        bt_mp_connection_send_bytes(pa, MSG, sizeof MSG, NULL);
        bt_mp_connection_recv_bytes(pa, &b, 0, NULL);
        bench_escape(b.data);
    }
    bt_buf_fini(&b);
}

static void pipe_teardown(void)
{
    shutdown(bt_mp_connection_fileno(pa), SHUT_RDWR); /* see raw_teardown */
    bt_mp_connection_close(pa);
    bt_mp_process_join(pecho, BT_TIMEOUT_NONE, NULL);
    bt_mp_process_free(pecho);
    bt_mp_connection_free(pa);
    bt_mp_connection_free(pb);
}

/* ---- the anchor: write + read on a socket pair, no framing, no locks ---- */

struct raw {
    int fd[2];
    pid_t pid;
};
/* One echo child per anchor case: the harness may set both up at once. */
static struct raw raws[2];

static int raw_setup_one(struct raw *r)
{
    int *raw = r->fd;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, raw) < 0)
        return 1;
    r->pid = fork();
    if (r->pid < 0)
        return 1;
    if (r->pid == 0) {
        close(raw[0]);
        char buf[sizeof MSG];
        while (read(raw[1], buf, sizeof buf) == (ssize_t)sizeof buf)
            if (write(raw[1], buf, sizeof buf) != (ssize_t)sizeof buf)
                break;
        _exit(0);
    }
    close(raw[1]);
    return 0;
}

static void raw_run_one(int fd, uint64_t iters)
{
    char buf[sizeof MSG];
    for (uint64_t i = 0; i < iters; i++) {
        if (write(fd, MSG, sizeof MSG) != (ssize_t)sizeof MSG ||
            read(fd, buf, sizeof buf) != (ssize_t)sizeof buf)
            abort();
        bench_escape(buf);
    }
}

/* shutdown, not just close: other echo children forked later hold copies
 * of the descriptor, and only shutdown makes the peer see end of file. */
static void raw_teardown_one(struct raw *r)
{
    shutdown(r->fd[0], SHUT_RDWR);
    close(r->fd[0]);
    waitpid(r->pid, NULL, 0);
}

#define RAW_CASE(i)                                                            \
    static int raw_setup##i(void)                                              \
    {                                                                          \
        return raw_setup_one(&raws[i]);                                        \
    }                                                                          \
    static void raw_run##i(uint64_t n)                                         \
    {                                                                          \
        raw_run_one(raws[i].fd[0], n);                                         \
    }                                                                          \
    static void raw_teardown##i(void)                                          \
    {                                                                          \
        raw_teardown_one(&raws[i]);                                            \
    }
RAW_CASE(0)
RAW_CASE(1)

/* ---- Process start + join ---- */

static int noop(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    return 0;
}

static void start_join_run(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        bt_mp_process *p;
        if (bt_mp_process_new(&p, noop, NULL) < 0 ||
            bt_mp_process_start(p, NULL) < 0)
            abort();
        bt_mp_process_join(p, BT_TIMEOUT_NONE, NULL);
        bt_mp_process_free(p);
    }
}

static void fork_waitpid_run(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        pid_t pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
    }
}

static const bench_case cases[] = {
    {"queue_roundtrip", queue_setup, queue_run, queue_teardown},
    {"queue_roundtrip@socketpair", raw_setup0, raw_run0, raw_teardown0},
    {"pipe_roundtrip", pipe_setup, pipe_run, pipe_teardown},
    {"pipe_roundtrip@socketpair", raw_setup1, raw_run1, raw_teardown1},
    {"process_start_join", NULL, start_join_run, NULL},
    {"process_start_join@fork_waitpid", NULL, fork_waitpid_run, NULL},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
