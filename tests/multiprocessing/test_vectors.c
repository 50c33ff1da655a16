/* test_vectors.c — exit codes, names and error messages against CPython's
 * (tools/gen_vectors/multiprocessing.py). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../threading/helpers.h"
#include "helpers.h"

/* ---- exit codes ---- */

static int t_return(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    return 42;
}

static int t_exit3(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    exit(3);
}

static int t_exit255(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    exit(255);
}

static int t_exit256(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    _exit(256);
}

static int t_fail(void *arg, bt_err *err)
{
    (void)arg;
    /* Python prints the traceback on stderr; keep the test log quiet. */
    freopen("/dev/null", "w", stderr);
    return bt_err_setf(err, BT_EVALUE, -1, "boom");
}

static int t_segv(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    signal(SIGSEGV, SIG_DFL); /* sanitizers catch it otherwise */
    kill(getpid(), SIGSEGV);
    return 0;
}

static int t_abort(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    signal(SIGABRT, SIG_DFL);
    kill(getpid(), SIGABRT);
    return 0;
}

static int t_sleep(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    sleep(30);
    return 0;
}

static const struct {
    const char *name;
    bt_thread_fn fn;
    int then; /* 0, or the signal the parent sends once started */
} exit_cases[] = {
    {"return", t_return, 0},    {"exit3", t_exit3, 0},
    {"exit255", t_exit255, 0},  {"exit256", t_exit256, 0},
    {"fail", t_fail, 0},        {"segv", t_segv, 0},
    {"abort", t_abort, 0},      {"terminate", t_sleep, SIGTERM},
    {"kill", t_sleep, SIGKILL},
};
#define NCASES (sizeof exit_cases / sizeof exit_cases[0])

Test(mp_vectors, exitcodes)
{
    /* Read every row first: a child that calls exit() flushes the stdio
     * streams it inherited, and fclose of a read stream moves the shared
     * file offset under the parent's FILE. */
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    char names[16][32];
    int want[16];
    size_t rows = 0;
    bt_test_vectors_open(&v, "multiprocessing", "exitcodes");
    while (rows < 16 && bt_test_vectors_next(&v, f) > 0) {
        snprintf(names[rows], sizeof names[rows], "%s", f[0]);
        want[rows++] = atoi(f[1]);
    }
    bt_test_vectors_close(&v);
    cr_assert_eq(rows, NCASES);
    for (size_t r = 0; r < rows; r++) {
        size_t i = 0;
        while (i < NCASES && strcmp(exit_cases[i].name, names[r]))
            i++;
        cr_assert_lt(i, NCASES, "no C case for %s", names[r]);
        bt_mp_process *p = spawn(exit_cases[i].fn, NULL);
        if (exit_cases[i].then == SIGTERM)
            cr_assert_eq(bt_mp_process_terminate(p, NULL), 0);
        else if (exit_cases[i].then == SIGKILL)
            cr_assert_eq(bt_mp_process_kill(p, NULL), 0);
        int code = join_code(p);
        cr_expect_eq(code, want[r], "%s: exitcode %d, CPython %d", names[r],
                     code, want[r]);
        bt_mp_process_free(p);
    }
}

/* ---- names ---- */

static int child_names(void *arg, bt_err *err)
{
    bt_mp_connection *c = arg;
    bt_mp_process *a, *b;
    CHILD_CHECK(bt_mp_process_new(&a, t_return, NULL) == 0);
    CHILD_CHECK(bt_mp_process_new(&b, t_return, NULL) == 0);
    char line[256];
    snprintf(line, sizeof line, "%s %s %s",
             bt_mp_process_name(bt_mp_current_process()), bt_mp_process_name(a),
             bt_mp_process_name(b));
    CHILD_CHECK(bt_mp_connection_send_bytes(c, line, strlen(line), err) == 0);
    bt_mp_process_free(a);
    bt_mp_process_free(b);
    return 0;
}

Test(mp_vectors, names)
{
    /* Criterion runs each test in a fresh process, so the counter starts
     * at 1 here as in CPython's fresh interpreter. */
    bt_mp_connection *r, *w;
    cr_assert_eq(bt_mp_pipe(&r, &w, false), 0);
    bt_mp_process *p1, *p2;
    cr_assert_eq(bt_mp_process_new(&p1, t_return, NULL), 0);
    cr_assert_eq(bt_mp_process_new(&p2, child_names, w), 0);
    cr_assert_eq(bt_mp_process_start(p2, NULL), 0);
    bt_buf got = BT_BUF_INIT;
    cr_assert_gt(bt_mp_connection_recv_bytes(r, &got, 0, NULL), 0);
    join_ok(p2);
    char cur[64], first[64], second[64];
    cr_assert_eq(sscanf(got.data, "%63s %63s %63s", cur, first, second), 3);
    const char *ours[][2] = {
        {"main", bt_mp_process_name(bt_mp_current_process())},
        {"first", bt_mp_process_name(p1)},
        {"child_current", cur},
        {"child_first", first},
        {"child_second", second},
    };
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    size_t seen = 0;
    bt_test_vectors_open(&v, "multiprocessing", "names");
    while (bt_test_vectors_next(&v, f) > 0) {
        if (!strcmp(f[0], "second")) {
            cr_expect_str_eq(f[1], "Process-2");
            continue; /* p2 is freed: its name was read inside the child */
        }
        for (size_t i = 0; i < sizeof ours / sizeof ours[0]; i++)
            if (!strcmp(ours[i][0], f[0])) {
                cr_expect_str_eq(ours[i][1], f[1], "%s", f[0]);
                seen++;
            }
    }
    bt_test_vectors_close(&v);
    cr_assert_eq(seen, 5);
    bt_buf_fini(&got);
    bt_mp_process_free(p1);
    bt_mp_connection_free(r);
    bt_mp_connection_free(w);
}

/* ---- errors and small results ---- */

static const char *python_class(int code)
{
    /* Python's AssertionError for misuse is BT_ERUNTIME here. */
    return code == BT_ERUNTIME ? "AssertionError" : bt_errname(code);
}

/* Replaces every "0x<hex>" in s by "ADDR", as the generator does. */
static void mask_addresses(char *s)
{
    char *p;
    while ((p = strstr(s, "0x")) != NULL) {
        char *e = p + 2;
        while ((*e >= '0' && *e <= '9') || (*e >= 'a' && *e <= 'f'))
            e++;
        memmove(p + 4, e, strlen(e) + 1);
        memcpy(p, "ADDR", 4);
    }
}

static const char *tf(int rc)
{
    return rc ? "True" : "False";
}

static int lock_release_unheld(bt_err *err, char *out)
{
    (void)out;
    bt_mp_lock *l;
    bt_mp_lock_new(&l);
    int rc = bt_mp_lock_release(l, err);
    bt_mp_lock_free(l);
    return rc;
}

static int rlock_release_unowned(bt_err *err, char *out)
{
    (void)out;
    bt_mp_rlock *l;
    bt_mp_rlock_new(&l);
    int rc = bt_mp_lock_release(l, err);
    bt_mp_lock_free(l);
    return rc;
}

static int bsem_over_release(bt_err *err, char *out)
{
    (void)out;
    bt_mp_semaphore *s;
    bt_mp_bounded_semaphore_new(&s, 2, err);
    int rc = bt_mp_lock_release(s, err);
    bt_mp_lock_free(s);
    return rc;
}

static int sem_negative(bt_err *err, char *out)
{
    (void)out;
    bt_mp_semaphore *s;
    int rc = bt_mp_semaphore_new(&s, -1, err);
    cr_expect_null(s);
    return rc;
}

static int sem_release_above_initial(bt_err *err, char *out)
{
    bt_mp_semaphore *s;
    bt_mp_semaphore_new(&s, 1, err);
    int rc = bt_mp_lock_release(s, err);
    cr_expect_eq(bt_mp_semaphore_get_value(s), 2);
    bt_mp_lock_free(s);
    strcpy(out, "None");
    return rc;
}

static int lock_acquire_negative_timeout(bt_err *err, char *out)
{
    bt_mp_lock *l;
    bt_mp_lock_new(&l);
    bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, err);
    int rc = bt_mp_lock_acquire(l, true, -5, err);
    bt_mp_lock_free(l);
    strcpy(out, tf(rc));
    return rc;
}

static int lock_acquire_nonblocking_free(bt_err *err, char *out)
{
    bt_mp_lock *l;
    bt_mp_lock_new(&l);
    int rc = bt_mp_lock_acquire(l, false, BT_TIMEOUT_NONE, err);
    bt_mp_lock_free(l);
    strcpy(out, tf(rc));
    return rc;
}

static int lock_acquire_nonblocking_nan(bt_err *err, char *out)
{
    bt_mp_lock *l;
    bt_mp_lock_new(&l);
    int rc = bt_mp_lock_acquire(l, false, 0.0 / 0.0, err);
    bt_mp_lock_free(l);
    strcpy(out, tf(rc));
    return rc;
}

static int rlock_reenter(bt_err *err, char *out)
{
    bt_mp_rlock *l;
    bt_mp_rlock_new(&l);
    bt_mp_lock_acquire(l, true, BT_TIMEOUT_NONE, err);
    int rc = bt_mp_lock_acquire(l, false, BT_TIMEOUT_NONE, err);
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    cr_expect_eq(bt_mp_lock_release(l, NULL), 0);
    cr_expect_eq(bt_mp_lock_release(l, NULL), BT_ERUNTIME);
    bt_mp_lock_free(l);
    strcpy(out, tf(rc));
    return rc;
}

static int sem_acquire_zero(bt_err *err, char *out)
{
    bt_mp_semaphore *s;
    bt_mp_semaphore_new(&s, 0, err);
    int rc = bt_mp_lock_acquire(s, true, 0.01, err);
    bt_mp_lock_free(s);
    strcpy(out, tf(rc));
    return rc;
}

static int event_wait_timeout(bt_err *err, char *out)
{
    bt_mp_event *e;
    bt_mp_event_new(&e);
    int rc = bt_mp_event_wait(e, 0.01, err);
    bt_mp_event_free(e);
    strcpy(out, tf(rc));
    return rc;
}

static int event_wait_set(bt_err *err, char *out)
{
    bt_mp_event *e;
    bt_mp_event_new(&e);
    bt_mp_event_set(e);
    int rc = bt_mp_event_wait(e, 0, err);
    bt_mp_event_free(e);
    strcpy(out, tf(rc));
    return rc;
}

static int cond_wait_unowned(bt_err *err, char *out)
{
    (void)out;
    bt_mp_condition *c;
    bt_mp_condition_new(&c, NULL);
    int rc = bt_mp_condition_wait(c, 0.01, err);
    bt_mp_condition_free(c);
    return rc;
}

static int cond_notify_unowned(bt_err *err, char *out)
{
    (void)out;
    bt_mp_condition *c;
    bt_mp_condition_new(&c, NULL);
    int rc = bt_mp_condition_notify(c, 1, err);
    bt_mp_condition_free(c);
    return rc;
}

static int cond_wait_timeout(bt_err *err, char *out)
{
    bt_mp_condition *c;
    bt_mp_condition_new(&c, NULL);
    bt_mp_condition_acquire(c, true, BT_TIMEOUT_NONE, err);
    int rc = bt_mp_condition_wait(c, 0.01, err);
    cr_expect_eq(bt_mp_condition_release(c, NULL), 0, "wait took it back");
    bt_mp_condition_free(c);
    strcpy(out, tf(rc));
    return rc;
}

static int start_twice(bt_err *err, char *out)
{
    (void)out;
    bt_mp_process *p = spawn(t_return, NULL);
    int rc = bt_mp_process_start(p, err);
    join_ok(p);
    return rc;
}

static int join_unstarted(bt_err *err, char *out)
{
    (void)out;
    bt_mp_process *p;
    bt_mp_process_new(&p, t_return, NULL);
    int rc = bt_mp_process_join(p, BT_TIMEOUT_NONE, err);
    bt_mp_process_free(p);
    return rc;
}

static int join_self(bt_err *err, char *out)
{
    (void)out;
    return bt_mp_process_join(bt_mp_current_process(), BT_TIMEOUT_NONE, err);
}

static int daemon_after_start(bt_err *err, char *out)
{
    (void)out;
    bt_mp_process *p = spawn(t_return, NULL);
    int rc = bt_mp_process_set_daemon(p, true, err);
    join_ok(p);
    return rc;
}

static int queue_closed(bt_err *err, bool put)
{
    bt_mp_queue *q;
    bt_mp_queue_new(&q, 0);
    bt_mp_queue_close(q);
    bt_buf b = BT_BUF_INIT;
    int rc = put ? bt_mp_queue_put(q, "x", 1, true, BT_TIMEOUT_NONE, err)
                 : (int)bt_mp_queue_get(q, &b, true, BT_TIMEOUT_NONE, err);
    bt_mp_queue_free(q);
    mask_addresses(err->msg);
    /* Our object is a bt_mp_queue: name it as Python's class to compare. */
    return rc;
}

static int queue_closed_put(bt_err *err, char *out)
{
    (void)out;
    return queue_closed(err, true);
}

static int queue_closed_get(bt_err *err, char *out)
{
    (void)out;
    return queue_closed(err, false);
}

static int queue_full(bt_err *err, char *out)
{
    (void)out;
    bt_mp_queue *q;
    bt_mp_queue_new(&q, 1);
    bt_mp_queue_put(q, "a", 1, true, BT_TIMEOUT_NONE, err);
    int rc = bt_mp_queue_put(q, "b", 1, true, 0.05, err);
    bt_mp_queue_free(q);
    return rc;
}

static int queue_empty(bt_err *err, char *out)
{
    (void)out;
    bt_mp_queue *q;
    bt_mp_queue_new(&q, 0);
    bt_buf b = BT_BUF_INIT;
    int rc = (int)bt_mp_queue_get(q, &b, true, 0.05, err);
    bt_mp_queue_free(q);
    bt_buf_fini(&b);
    return rc;
}

static int queue_put_negative_timeout(bt_err *err, char *out)
{
    bt_mp_queue *q;
    bt_mp_queue_new(&q, 0);
    int rc = bt_mp_queue_put(q, "x", 1, true, -1, err);
    bt_mp_queue_free(q);
    strcpy(out, "None");
    return rc;
}

static int pipe_send_readonly(bt_err *err, char *out)
{
    (void)out;
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, false);
    int rc = bt_mp_connection_send_bytes(a, "x", 1, err);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int pipe_recv_writeonly(bt_err *err, char *out)
{
    (void)out;
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, false);
    bt_buf got = BT_BUF_INIT;
    int rc = (int)bt_mp_connection_recv_bytes(b, &got, 0, err);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int pipe_closed(bt_err *err, char *out)
{
    (void)out;
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, true);
    bt_mp_connection_close(a);
    int rc = bt_mp_connection_send_bytes(a, "x", 1, err);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int pipe_eof(bt_err *err, char *out)
{
    (void)out;
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, true);
    bt_mp_connection_close(b);
    bt_buf got = BT_BUF_INIT;
    int rc = (int)bt_mp_connection_recv_bytes(a, &got, 0, err);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int pipe_maxlength(bt_err *err, char *out)
{
    (void)out;
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, true);
    bt_mp_connection_send_bytes(b, "0123456789", 10, err);
    bt_buf got = BT_BUF_INIT;
    int rc = (int)bt_mp_connection_recv_bytes(a, &got, 5, err);
    bt_buf_fini(&got);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int roundtrip(bt_err *err, char *out, const char *msg)
{
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, true);
    bt_mp_connection_send_bytes(b, msg, strlen(msg), err);
    bt_buf got = BT_BUF_INIT;
    int rc = (int)bt_mp_connection_recv_bytes(a, &got, 0, err);
    bt_buf r = BT_BUF_INIT;
    if (rc >= 0) {
        bt_repr_bytes(&r, got.data ? got.data : "", got.len);
        snprintf(out, 64, "%s", r.data);
    }
    bt_buf_fini(&r);
    bt_buf_fini(&got);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    return rc;
}

static int pipe_roundtrip(bt_err *err, char *out)
{
    return roundtrip(err, out, "hello");
}

static int pipe_empty_message(bt_err *err, char *out)
{
    return roundtrip(err, out, "");
}

static int pipe_poll_empty(bt_err *err, char *out)
{
    bt_mp_connection *a, *b;
    bt_mp_pipe(&a, &b, true);
    int rc = bt_mp_connection_poll(a, 0.01, err);
    bt_mp_connection_free(a);
    bt_mp_connection_free(b);
    strcpy(out, tf(rc));
    return rc;
}

static int value_typecode(bt_err *err, char *out)
{
    (void)out;
    bt_mp_array *v;
    return bt_mp_value_new(&v, 'x', true, err);
}

static int value_wrap(bt_err *err, char *out)
{
    bt_mp_array *v;
    bt_mp_value_new(&v, 'i', true, err);
    bt_mp_array_set_long(v, 0, (1LL << 40) + 5, err);
    long long x = 0;
    int rc = bt_mp_array_get_long(v, 0, &x, err);
    bt_mp_array_free(v);
    snprintf(out, 64, "%lld", x);
    return rc;
}

static int value_float_into_int(bt_err *err, char *out)
{
    (void)out;
    bt_mp_array *v;
    bt_mp_value_new(&v, 'i', true, err);
    int rc = bt_mp_array_set_double(v, 0, 1.5, err);
    bt_mp_array_free(v);
    return rc;
}

static int value_int_into_double(bt_err *err, char *out)
{
    bt_mp_array *v;
    bt_mp_value_new(&v, 'd', true, err);
    bt_mp_array_set_long(v, 0, 3, err);
    double x = 0;
    int rc = bt_mp_array_get_double(v, 0, &x, err);
    bt_mp_array_free(v);
    snprintf(out, 64, "%.1f", x);
    return rc;
}

static int array_index(bt_err *err, char *out)
{
    (void)out;
    bt_mp_array *a;
    bt_mp_array_new(&a, 'i', 3, true, err);
    long long x;
    int rc = bt_mp_array_get_long(a, 3, &x, err);
    bt_mp_array_free(a);
    return rc;
}

static int array_negative_index(bt_err *err, char *out)
{
    bt_mp_array *a;
    bt_mp_array_new(&a, 'h', 3, true, err);
    bt_mp_array_set_long(a, -1, -7, err);
    long long x = 0;
    int rc = bt_mp_array_get_long(a, 2, &x, err);
    bt_mp_array_free(a);
    snprintf(out, 64, "%lld", x);
    return rc;
}

static int array_index_too_negative(bt_err *err, char *out)
{
    (void)out;
    bt_mp_array *a;
    bt_mp_array_new(&a, 'i', 3, false, err);
    long long x;
    int rc = bt_mp_array_get_long(a, -4, &x, err);
    bt_mp_array_free(a);
    return rc;
}

static const named_case cases[] = {
    NAMED_CASE(lock_release_unheld),
    NAMED_CASE(rlock_release_unowned),
    NAMED_CASE(bsem_over_release),
    NAMED_CASE(sem_negative),
    NAMED_CASE(sem_release_above_initial),
    NAMED_CASE(lock_acquire_negative_timeout),
    NAMED_CASE(lock_acquire_nonblocking_free),
    NAMED_CASE(lock_acquire_nonblocking_nan),
    NAMED_CASE(rlock_reenter),
    NAMED_CASE(sem_acquire_zero),
    NAMED_CASE(event_wait_timeout),
    NAMED_CASE(event_wait_set),
    NAMED_CASE(cond_wait_unowned),
    NAMED_CASE(cond_notify_unowned),
    NAMED_CASE(cond_wait_timeout),
    NAMED_CASE(start_twice),
    NAMED_CASE(join_unstarted),
    NAMED_CASE(join_self),
    NAMED_CASE(daemon_after_start),
    NAMED_CASE(queue_closed_put),
    NAMED_CASE(queue_closed_get),
    NAMED_CASE(queue_full),
    NAMED_CASE(queue_empty),
    NAMED_CASE(queue_put_negative_timeout),
    NAMED_CASE(pipe_send_readonly),
    NAMED_CASE(pipe_recv_writeonly),
    NAMED_CASE(pipe_closed),
    NAMED_CASE(pipe_eof),
    NAMED_CASE(pipe_maxlength),
    NAMED_CASE(pipe_roundtrip),
    NAMED_CASE(pipe_empty_message),
    NAMED_CASE(pipe_poll_empty),
    NAMED_CASE(value_typecode),
    NAMED_CASE(value_wrap),
    NAMED_CASE(value_float_into_int),
    NAMED_CASE(value_int_into_double),
    NAMED_CASE(array_index),
    NAMED_CASE(array_negative_index),
    NAMED_CASE(array_index_too_negative),
};

Test(mp_vectors, errors)
{
    replay_cases("multiprocessing", "errors", cases,
                 sizeof cases / sizeof cases[0], python_class);
}
