/* ProcessPoolExecutor: round trips, exceptions across the process
 * boundary, named tasks, map, a worker killed mid-task (BrokenProcessPool,
 * no hang), max_tasks_per_child, initializer, shutdown. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "helpers.h"

static const char BROKEN_FUTURE[] =
    "A process in the process pool was terminated abruptly while the future "
    "was running or pending.";
static const char BROKEN_POOL[] =
    "A child process terminated abruptly, the process pool is not usable "
    "anymore";

/* Returns "<pid>:<sum of the bytes>". */
static int task_pid_sum(const void *arg, size_t len, bt_buf *out, bt_err *err)
{
    (void)err;
    long sum = 0;
    for (size_t i = 0; i < len; i++)
        sum += ((const unsigned char *)arg)[i];
    return bt_buf_printf(out, "%d:%ld", (int)getpid(), sum) < 0 ? BT_ENOMEM : 0;
}

static int task_fail(const void *arg, size_t len, bt_buf *out, bt_err *err)
{
    (void)out;
    return bt_err_setf(err, BT_EVALUE, -1, "bad input %.*s", (int)len,
                       (const char *)arg);
}

static bt_executor *ppool(ptrdiff_t n, ptrdiff_t max_tasks)
{
    bt_executor *ex;
    cr_assert_eq(bt_processpool_new(&ex, n, max_tasks, NULL, NULL, NULL), 0);
    return ex;
}

static int pid_of(bt_future *f)
{
    const void *d;
    size_t n;
    cr_assert_eq(bt_future_result_bytes(f, 20, &d, &n, NULL), 0);
    return atoi(d);
}

Test(processpool, round_trip)
{
    bt_executor *ex = ppool(2, BT_FUTURES_DEFAULT);
    bt_future *f;
    cr_assert_eq(
        bt_executor_submit_bytes(ex, task_pid_sum, "\x01\x02\x03", 3, &f, NULL),
        0);
    const void *d;
    size_t n;
    cr_assert_eq(bt_future_result_bytes(f, 20, &d, &n, NULL), 0);
    int pid;
    long sum;
    cr_assert_eq(sscanf(d, "%d:%ld", &pid, &sum), 2);
    cr_assert_neq(pid, getpid());
    cr_assert_eq(sum, 6);
    bt_future_free(f);

    cr_assert_eq(bt_executor_submit_bytes(ex, task_fail, "xy", 2, &f, NULL), 0);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_future_result_bytes(f, 20, &d, &n, &e), BT_EVALUE);
    cr_assert_str_eq(e.msg, "bad input xy");
    bt_future_free(f);

    cr_assert_eq(bt_executor_submit(ex, task_identity, NULL, &f, &e), BT_ETYPE);
    cr_assert_str_eq(e.msg, "a process pool runs bytes tasks only");
    bt_executor_free(ex);
}

Test(processpool, named_and_map)
{
    cr_assert_eq(bt_futures_register("pp.pid_sum", task_pid_sum, NULL), 0);
    bt_executor *ex = ppool(3, BT_FUTURES_DEFAULT);
    bt_future *f;
    cr_assert_eq(
        bt_executor_submit_named(ex, "pp.pid_sum", "\x05", 1, &f, NULL), 0);
    const void *d;
    size_t n;
    cr_assert_eq(bt_future_result_bytes(f, 20, &d, &n, NULL), 0);
    cr_assert(strstr(d, ":5") != NULL);
    bt_future_free(f);

    enum { N = 40 };
    unsigned char bytes[N];
    const void *args[N];
    size_t lens[N];
    for (int i = 0; i < N; i++) {
        bytes[i] = (unsigned char)i;
        args[i] = &bytes[i];
        lens[i] = 1;
    }
    bt_map *m;
    cr_assert_eq(
        bt_executor_map_bytes(&m, ex, task_pid_sum, args, lens, N, 20, NULL),
        0);
    for (int i = 0; i < N; i++) {
        cr_assert_eq(bt_map_next_bytes(m, &d, &n, NULL), 1);
        int pid;
        long sum;
        cr_assert_eq(sscanf(d, "%d:%ld", &pid, &sum), 2);
        cr_assert_eq(sum, i);
    }
    cr_assert_eq(bt_map_next_bytes(m, &d, &n, NULL), 0);
    bt_map_free(m);
    bt_executor_free(ex);
}

static int pid_pipe[2];

/* Tells the test its pid, then waits to be killed (20 s at most, so a
 * failed test leaves no process behind for long). */
static int task_report_and_hang(const void *arg, size_t len, bt_buf *out,
                                bt_err *err)
{
    (void)arg;
    (void)len;
    (void)out;
    (void)err;
    int pid = getpid();
    if (write(pid_pipe[1], &pid, sizeof pid) != sizeof pid)
        return BT_EIO;
    for (int i = 0; i < 200; i++)
        usleep(100000);
    return BT_ETIMEDOUT;
}

Test(processpool, worker_killed_mid_task_breaks_pool)
{
    cr_assert_eq(pipe(pid_pipe), 0);
    bt_executor *ex = ppool(2, BT_FUTURES_DEFAULT);
    bt_future *f[6];
    cr_assert_eq(
        bt_executor_submit_bytes(ex, task_report_and_hang, "", 0, &f[0], NULL),
        0);
    for (int i = 1; i < 6; i++)
        cr_assert_eq(
            bt_executor_submit_bytes(ex, task_pid_sum, "a", 1, &f[i], NULL), 0);
    int pid;
    cr_assert_eq(read(pid_pipe[0], &pid, sizeof pid), (ssize_t)sizeof pid);
    cr_assert_eq(kill(pid, SIGKILL), 0);
    bt_err e = BT_ERR_INIT;
    /* The killed call fails as BrokenProcessPool, and so does every other
     * call still pending; none hangs. */
    cr_assert_eq(bt_future_result_bytes(f[0], 20, NULL, NULL, &e), BT_EBROKEN);
    cr_assert_str_eq(e.msg, BROKEN_FUTURE);
    for (int i = 1; i < 6; i++) {
        int rc = bt_future_result_bytes(f[i], 20, NULL, NULL, &e);
        cr_assert(rc == 0 || rc == BT_EBROKEN, "rc %d", rc);
        if (rc < 0)
            cr_assert_str_eq(e.msg, BROKEN_FUTURE);
    }
    bt_future *g;
    cr_assert_eq(bt_executor_submit_bytes(ex, task_pid_sum, "", 0, &g, &e),
                 BT_EBROKEN);
    cr_assert_str_eq(e.msg, BROKEN_POOL);
    for (int i = 0; i < 6; i++)
        bt_future_free(f[i]);
    bt_executor_free(ex);
    close(pid_pipe[0]);
    close(pid_pipe[1]);
}

static int task_exit(const void *arg, size_t len, bt_buf *out, bt_err *err)
{
    (void)arg;
    (void)len;
    (void)out;
    (void)err;
    _exit(3);
}

Test(processpool, worker_exiting_breaks_pool)
{
    bt_executor *ex = ppool(1, BT_FUTURES_DEFAULT);
    bt_future *f;
    cr_assert_eq(bt_executor_submit_bytes(ex, task_exit, "", 0, &f, NULL), 0);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_future_result_bytes(f, 20, NULL, NULL, &e), BT_EBROKEN);
    cr_assert_str_eq(e.msg, BROKEN_FUTURE);
    bt_future_free(f);
    bt_executor_free(ex);
}

Test(processpool, max_tasks_per_child)
{
    bt_executor *ex = ppool(1, 2);
    int pids[6];
    for (int i = 0; i < 6; i++) {
        bt_future *f;
        cr_assert_eq(
            bt_executor_submit_bytes(ex, task_pid_sum, "", 0, &f, NULL), 0);
        pids[i] = pid_of(f);
        bt_future_free(f);
    }
    for (int i = 0; i < 6; i += 2) {
        cr_assert_eq(pids[i], pids[i + 1]);
        if (i)
            cr_assert_neq(pids[i], pids[i - 1]);
    }
    bt_executor_free(ex);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_processpool_new(&ex, 1, 0, NULL, NULL, &e), BT_EVALUE);
    cr_assert_str_eq(e.msg, "max_tasks_per_child must be >= 1");
    cr_assert_eq(bt_processpool_new(&ex, 0, BT_FUTURES_DEFAULT, NULL, NULL, &e),
                 BT_EVALUE);
    cr_assert_str_eq(e.msg, "max_workers must be greater than 0");
}

static int init_fail(void *arg, bt_err *err)
{
    (void)arg;
    return bt_err_setf(err, BT_ERUNTIME, -1, "no init");
}

Test(processpool, failing_initializer_breaks_pool)
{
    quiet_log(); /* the child logs through its copy of the hook */
    bt_executor *ex;
    cr_assert_eq(
        bt_processpool_new(&ex, 1, BT_FUTURES_DEFAULT, init_fail, NULL, NULL),
        0);
    bt_future *f;
    cr_assert_eq(bt_executor_submit_bytes(ex, task_pid_sum, "", 0, &f, NULL),
                 0);
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_future_result_bytes(f, 20, NULL, NULL, &e), BT_EBROKEN);
    bt_future_free(f);
    bt_executor_free(ex);
    bt_futures_set_log_hook(NULL, NULL);
}

Test(processpool, shutdown_cancel_and_wait)
{
    cr_assert_eq(pipe(pid_pipe), 0);
    bt_executor *ex = ppool(1, BT_FUTURES_DEFAULT);
    bt_future *f[4];
    for (int i = 0; i < 4; i++)
        cr_assert_eq(
            bt_executor_submit_bytes(ex, task_pid_sum, "b", 1, &f[i], NULL), 0);
    bt_executor_shutdown(ex, true, false);
    for (int i = 0; i < 4; i++) {
        cr_assert(bt_future_done(f[i]));
        bt_future_free(f[i]);
    }
    bt_err e = BT_ERR_INIT;
    cr_assert_eq(bt_executor_submit_bytes(ex, task_pid_sum, "", 0, &f[0], &e),
                 BT_ERUNTIME);
    cr_assert_str_eq(e.msg, "cannot schedule new futures after shutdown");
    bt_executor_free(ex);

    /* cancel_futures: the hanging call runs on; the queued ones are
     * cancelled, except one that may already wait in the worker's socket
     * (as CPython's call queue holds one call more: it is "running" and
     * cannot be cancelled); then the hanging worker is killed to end the
     * pool. */
    ex = ppool(1, BT_FUTURES_DEFAULT);
    cr_assert_eq(
        bt_executor_submit_bytes(ex, task_report_and_hang, "", 0, &f[0], NULL),
        0);
    for (int i = 1; i < 4; i++)
        cr_assert_eq(
            bt_executor_submit_bytes(ex, task_pid_sum, "", 0, &f[i], NULL), 0);
    int pid;
    cr_assert_eq(read(pid_pipe[0], &pid, sizeof pid), (ssize_t)sizeof pid);
    bt_executor_shutdown(ex, false, true);
    cr_assert(bt_future_cancelled(f[1]) || bt_future_running(f[1]));
    for (int i = 2; i < 4; i++)
        cr_assert(bt_future_cancelled(f[i]));
    cr_assert(bt_future_running(f[0]));
    kill(pid, SIGKILL);
    cr_assert_eq(bt_future_result_bytes(f[0], 20, NULL, NULL, &e), BT_EBROKEN);
    for (int i = 0; i < 4; i++)
        bt_future_free(f[i]);
    bt_executor_free(ex);
    close(pid_pipe[0]);
    close(pid_pipe[1]);
}

Test(processpool, free_without_submit)
{
    bt_executor *ex = ppool(BT_FUTURES_DEFAULT, BT_FUTURES_DEFAULT);
    cr_assert_geq(bt_executor_max_workers(ex), 1);
    bt_executor_free(ex);
}
