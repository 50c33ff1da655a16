/* test_queue.c — Queue, SimpleQueue and Pipe between processes: order,
 * maxsize and timeouts, large messages, end of file, a closed peer, and
 * several producers and consumers delivering every item exactly once. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

Test(mp_queue, fifo_qsize_empty_full)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_queue_new(&q, 3), 0);
    cr_expect(bt_mp_queue_empty(q));
    cr_expect_not(bt_mp_queue_full(q));
    for (int i = 0; i < 3; i++) {
        char m[16];
        int n = snprintf(m, sizeof m, "item %d", i);
        cr_assert_eq(bt_mp_queue_put(q, m, (size_t)n, true, 1, NULL), 0);
    }
    cr_expect_eq(bt_mp_queue_qsize(q), 3);
    cr_expect(bt_mp_queue_full(q));
    cr_expect_not(bt_mp_queue_empty(q));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_queue_put(q, "x", 1, false, 0, &err), BT_EFULL);
    double t0 = now();
    cr_expect_eq(bt_mp_queue_put(q, "x", 1, true, 0.1, &err), BT_EFULL);
    cr_expect_geq(now() - t0, 0.1);
    bt_buf b = BT_BUF_INIT;
    for (int i = 0; i < 3; i++) {
        char m[16];
        snprintf(m, sizeof m, "item %d", i);
        cr_assert_eq(bt_mp_queue_get(q, &b, true, 1, NULL),
                     (ptrdiff_t)strlen(m));
        cr_expect_str_eq(b.data, m);
    }
    cr_expect_eq(bt_mp_queue_qsize(q), 0);
    cr_expect_eq(bt_mp_queue_get(q, &b, false, 0, &err), BT_EEMPTY);
    t0 = now();
    cr_expect_eq(bt_mp_queue_get(q, &b, true, 0.1, &err), BT_EEMPTY);
    cr_expect_geq(now() - t0, 0.1);
    cr_expect_eq(bt_mp_queue_get(q, &b, true, 0.0 / 0.0, &err), BT_EVALUE);
    cr_expect_eq(bt_mp_queue_put(q, "", 0, true, 1e300, &err), BT_EOVERFLOWERR);
    bt_buf_fini(&b);
    bt_mp_queue_free(q);
    bt_mp_queue_free(NULL);
}

static int t_put_later(void *arg, bt_err *err)
{
    usleep(100000);
    CHILD_CHECK(bt_mp_queue_put(arg, "late", 4, true, 20, err) == 0);
    return 0;
}

Test(mp_queue, get_waits_for_a_child)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_queue_new(&q, 0), 0);
    bt_mp_process *p = spawn(t_put_later, q);
    bt_buf b = BT_BUF_INIT;
    cr_expect_eq(bt_mp_queue_get(q, &b, true, 20, NULL), 4);
    cr_expect_str_eq(b.data, "late");
    join_ok(p);
    bt_buf_fini(&b);
    bt_mp_queue_free(q);
}

static int t_get_one(void *arg, bt_err *err)
{
    bt_buf b = BT_BUF_INIT;
    usleep(100000);
    CHILD_CHECK(bt_mp_queue_get(arg, &b, true, 20, err) == 1);
    bt_buf_fini(&b);
    return 0;
}

Test(mp_queue, put_waits_for_a_free_slot)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_queue_new(&q, 1), 0);
    cr_assert_eq(bt_mp_queue_put(q, "a", 1, true, 1, NULL), 0);
    bt_mp_process *p = spawn(t_get_one, q);
    cr_expect_eq(bt_mp_queue_put(q, "b", 1, true, 20, NULL), 0);
    join_ok(p);
    bt_buf b = BT_BUF_INIT;
    cr_expect_eq(bt_mp_queue_get(q, &b, false, 0, NULL), 1);
    cr_expect_str_eq(b.data, "b");
    bt_buf_fini(&b);
    bt_mp_queue_free(q);
}

enum { BIG = 3 << 20 };

static int t_big_reader(void *arg, bt_err *err)
{
    bt_buf b = BT_BUF_INIT;
    CHILD_CHECK(bt_mp_queue_get(arg, &b, true, 20, err) == BIG);
    for (size_t i = 0; i < BIG; i++)
        CHILD_CHECK((unsigned char)b.data[i] == (unsigned char)(i * 7));
    bt_buf_fini(&b);
    return 0;
}

Test(mp_queue, message_larger_than_the_kernel_buffer)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_queue_new(&q, 0), 0);
    bt_mp_process *p = spawn(t_big_reader, q);
    unsigned char *m = malloc(BIG);
    for (size_t i = 0; i < BIG; i++)
        m[i] = (unsigned char)(i * 7);
    cr_expect_eq(bt_mp_queue_put(q, m, BIG, true, 20, NULL), 0);
    join_ok(p);
    free(m);
    bt_mp_queue_free(q);
}

Test(mp_queue, closed)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_queue_new(&q, 0), 0);
    bt_mp_queue_close(q);
    bt_mp_queue_close(q);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_queue_put(q, "x", 1, true, 1, &err), BT_EVALUE);
    cr_expect(strstr(err.msg, "is closed") != NULL);
    bt_mp_queue_free(q);
}

Test(mp_queue, simple_queue)
{
    bt_mp_queue *q;
    cr_assert_eq(bt_mp_simple_queue_new(&q), 0);
    cr_expect(bt_mp_queue_empty(q));
    cr_expect_eq(bt_mp_queue_qsize(q), BT_ENOTIMPL);
    bt_mp_process *p = spawn(t_put_later, q);
    bt_buf b = BT_BUF_INIT;
    cr_expect_eq(bt_mp_queue_get(q, &b, true, BT_TIMEOUT_NONE, NULL), 4);
    cr_expect_str_eq(b.data, "late");
    cr_expect_not(bt_mp_queue_full(q));
    join_ok(p);
    bt_buf_fini(&b);
    bt_mp_queue_free(q);
}

/* ---- many producers and consumers ---- */

enum { PRODUCERS = 3, CONSUMERS = 3, PER_PRODUCER = 3000 };

struct stress {
    bt_mp_queue *q;
    bt_mp_array *seen; /* one counter per item */
    int id;
};

static int t_produce(void *arg, bt_err *err)
{
    struct stress *s = arg;
    for (int i = 0; i < PER_PRODUCER; i++) {
        int item = s->id * PER_PRODUCER + i;
        CHILD_CHECK(bt_mp_queue_put(s->q, &item, sizeof item, true, 20, err) ==
                    0);
    }
    return 0;
}

static int t_consume(void *arg, bt_err *err)
{
    struct stress *s = arg;
    int *seen = bt_mp_array_get_obj(s->seen);
    bt_buf b = BT_BUF_INIT;
    for (;;) {
        CHILD_CHECK(bt_mp_queue_get(s->q, &b, true, 20, err) == sizeof(int));
        int item;
        memcpy(&item, b.data, sizeof item);
        if (item < 0)
            break;
        CHILD_CHECK(item < PRODUCERS * PER_PRODUCER);
        __atomic_fetch_add(&seen[item], 1, __ATOMIC_RELAXED);
    }
    bt_buf_fini(&b);
    return 0;
}

Test(mp_queue, producers_consumers_exactly_once)
{
    bt_mp_queue *q;
    bt_mp_array *seen;
    cr_assert_eq(bt_mp_queue_new(&q, 64), 0);
    cr_assert_eq(
        bt_mp_array_new(&seen, 'i', PRODUCERS * PER_PRODUCER, false, NULL), 0);
    struct stress jobs[PRODUCERS + CONSUMERS];
    bt_mp_process *p[PRODUCERS + CONSUMERS];
    for (int i = 0; i < PRODUCERS + CONSUMERS; i++) {
        jobs[i] = (struct stress){q, seen, i};
        p[i] = spawn(i < PRODUCERS ? t_produce : t_consume, &jobs[i]);
    }
    for (int i = 0; i < PRODUCERS; i++)
        join_ok(p[i]);
    for (int i = 0; i < CONSUMERS; i++) {
        int stop = -1;
        cr_assert_eq(bt_mp_queue_put(q, &stop, sizeof stop, true, 20, NULL), 0);
    }
    for (int i = PRODUCERS; i < PRODUCERS + CONSUMERS; i++)
        join_ok(p[i]);
    int *counts = bt_mp_array_get_obj(seen);
    int wrong = 0;
    for (int i = 0; i < PRODUCERS * PER_PRODUCER; i++)
        wrong += counts[i] != 1;
    cr_expect_eq(wrong, 0, "%d items not delivered exactly once", wrong);
    cr_expect(bt_mp_queue_empty(q));
    cr_expect_eq(bt_mp_queue_qsize(q), 0);
    bt_mp_array_free(seen);
    bt_mp_queue_free(q);
}

/* ---- Pipe ---- */

static int t_echo(void *arg, bt_err *err)
{
    bt_mp_connection **ends = arg;
    bt_mp_connection *c = ends[1];
    bt_mp_connection_close(ends[0]); /* the parent's end: or no EOF here */
    bt_buf b = BT_BUF_INIT;
    for (;;) {
        ptrdiff_t n = bt_mp_connection_recv_bytes(c, &b, 0, err);
        if (n == BT_EEOF)
            break;
        CHILD_CHECK(n >= 0);
        CHILD_CHECK(bt_mp_connection_send_bytes(c, b.data, b.len, err) == 0);
    }
    bt_buf_fini(&b);
    return 0;
}

Test(mp_pipe, duplex_echo_until_eof)
{
    bt_mp_connection *a, *b;
    cr_assert_eq(bt_mp_pipe(&a, &b, true), 0);
    bt_mp_connection *ends[2] = {a, b};
    bt_mp_process *p = spawn(t_echo, ends);
    bt_mp_connection_close(b); /* or the child never sees end of file */
    cr_expect_eq(bt_mp_connection_fileno(b), -1);
    bt_buf got = BT_BUF_INIT;
    const char *msgs[] = {"", "x", "hello world"};
    for (int i = 0; i < 3; i++) {
        size_t n = strlen(msgs[i]);
        cr_assert_eq(bt_mp_connection_send_bytes(a, msgs[i], n, NULL), 0);
        cr_expect_eq(bt_mp_connection_poll(a, 20, NULL), 1);
        cr_assert_eq(bt_mp_connection_recv_bytes(a, &got, 0, NULL),
                     (ptrdiff_t)n);
        cr_expect_eq(memcmp(got.data, msgs[i], n), 0);
    }
    /* larger than the socket buffers: the echo streams it back */
    size_t big = 1 << 20;
    char *m = malloc(big);
    memset(m, 'z', big);
    cr_assert_eq(bt_mp_connection_send_bytes(a, m, big, NULL), 0);
    cr_assert_eq(bt_mp_connection_recv_bytes(a, &got, 0, NULL), (ptrdiff_t)big);
    cr_expect_eq(memcmp(got.data, m, big), 0);
    free(m);
    bt_mp_connection_close(a);
    join_ok(p);
    bt_buf_fini(&got);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
}

static int t_send_then_exit(void *arg, bt_err *err)
{
    CHILD_CHECK(bt_mp_connection_send_bytes(arg, "bye", 3, err) == 0);
    return 0;
}

Test(mp_pipe, one_way_then_eof)
{
    bt_mp_connection *r, *w;
    cr_assert_eq(bt_mp_pipe(&r, &w, false), 0);
    cr_expect_eq(bt_mp_connection_poll(r, 0, NULL), 0);
    double t0 = now();
    cr_expect_eq(bt_mp_connection_poll(r, 0.1, NULL), 0);
    cr_expect_geq(now() - t0, 0.1);
    bt_mp_process *p = spawn(t_send_then_exit, w);
    bt_mp_connection_free(w);
    bt_buf got = BT_BUF_INIT;
    cr_expect_eq(bt_mp_connection_recv_bytes(r, &got, 0, NULL), 3);
    join_ok(p);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_connection_poll(r, 1, NULL), 1, "end of file is ready");
    cr_expect_eq(bt_mp_connection_recv_bytes(r, &got, 0, &err), BT_EEOF);
    cr_expect_str_eq(bt_errname(BT_EEOF), "EOFError");
    bt_buf_fini(&got);
    bt_mp_connection_free(r);
}

Test(mp_pipe, send_to_closed_peer_is_epipe_not_sigpipe)
{
    bt_mp_connection *a, *b;
    cr_assert_eq(bt_mp_pipe(&a, &b, true), 0);
    bt_mp_connection_free(b);
    bt_err err = BT_ERR_INIT;
    int rc = bt_mp_connection_send_bytes(a, "x", 1, &err);
    cr_expect(rc == BT_EPIPE || rc == BT_ECONNRESET, "got %d", rc);
    cr_expect_str_eq(bt_errname(rc), rc == BT_EPIPE ? "BrokenPipeError"
                                                    : "ConnectionResetError");
    bt_mp_connection_free(a);
    bt_mp_connection_free(NULL);
}

static int t_truncated(void *arg, bt_err *err)
{
    /* A header announcing 10 bytes, then only 3, then the end. */
    (void)err;
    int fd = bt_mp_connection_fileno(arg);
    CHILD_CHECK(write(fd,
                      "\0\0\0\x0a"
                      "abc",
                      7) == 7);
    return 0;
}

Test(mp_pipe, end_of_file_inside_a_message)
{
    bt_mp_connection *r, *w;
    cr_assert_eq(bt_mp_pipe(&r, &w, false), 0);
    bt_mp_process *p = spawn(t_truncated, w);
    bt_mp_connection_free(w);
    join_ok(p);
    bt_buf got = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_connection_recv_bytes(r, &got, 0, &err), BT_EIO);
    cr_expect_str_eq(err.msg, "got end of file during message");
    bt_buf_fini(&got);
    bt_mp_connection_free(r);
}

Test(mp_pipe, bad_poll_timeouts)
{
    bt_mp_connection *a, *b;
    cr_assert_eq(bt_mp_pipe(&a, &b, true), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_connection_poll(a, 0.0 / 0.0, &err), BT_EVALUE);
    cr_expect_eq(bt_mp_connection_poll(b, 1e300, &err), BT_EOVERFLOWERR);
    bt_mp_connection_close(a);
    cr_expect_eq(bt_mp_connection_poll(a, 0, &err), BT_EBADF);
    cr_expect_str_eq(err.msg, "handle is closed");
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
}
