/* test_process.c — Process life cycle: join with a timeout, is_alive,
 * terminate, pid, names, daemon children at the parent's exit, and the
 * failure cases. */
#include <errno.h>
#include <poll.h>
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

static int t_sleep_event(void *arg, bt_err *err)
{
    /* Runs until the parent sets the event (20 s at most). */
    CHILD_CHECK(bt_mp_event_wait(arg, 20, err) == 1);
    return 0;
}

Test(mp_process, join_timeout_then_end)
{
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    bt_mp_process *p = spawn(t_sleep_event, e);
    cr_expect(bt_mp_process_is_alive(p));
    cr_expect_gt(bt_mp_process_pid(p), 0);
    cr_expect_neq(bt_mp_process_pid(p), getpid());
    int code;
    cr_expect_eq(bt_mp_process_exitcode(p, &code), 0, "None while running");
    double t0 = now();
    cr_expect_eq(bt_mp_process_join(p, 0.1, NULL), 0);
    double waited = now() - t0;
    cr_expect_geq(waited, 0.1);
    cr_expect_lt(waited, 5.0);
    cr_expect_eq(bt_mp_process_join(p, -1.5, NULL), 0, "negative: only look");
    cr_expect(bt_mp_process_is_alive(p));
    bt_mp_event_set(e);
    join_ok(p);
    bt_mp_event_free(e);
}

Test(mp_process, join_bad_timeouts)
{
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    bt_mp_process *p = spawn(t_sleep_event, e);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_process_join(p, 0.0 / 0.0, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "Invalid value NaN (not a number)");
    cr_expect_eq(bt_mp_process_join(p, 1e300, &err), BT_EOVERFLOWERR);
    bt_mp_event_set(e);
    join_ok(p);
    bt_mp_event_free(e);
}

Test(mp_process, unstarted_process)
{
    bt_mp_process *p;
    cr_assert_eq(bt_mp_process_new(&p, t_sleep_event, NULL), 0);
    cr_expect_not(bt_mp_process_is_alive(p));
    cr_expect_eq(bt_mp_process_pid(p), 0);
    int code;
    cr_expect_eq(bt_mp_process_exitcode(p, &code), 0);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_process_terminate(p, &err), BT_ERUNTIME);
    cr_expect_eq(bt_mp_process_set_name(p, "worker"), 0);
    cr_expect_str_eq(bt_mp_process_name(p), "worker");
    cr_expect_not(bt_mp_process_daemon(p));
    cr_expect_eq(bt_mp_process_set_daemon(p, true, NULL), 0);
    cr_expect(bt_mp_process_daemon(p));
    bt_mp_process_free(p);
    bt_mp_process_free(NULL);
}

Test(mp_process, main_process)
{
    bt_mp_process *m = bt_mp_current_process();
    cr_expect_str_eq(bt_mp_process_name(m), "MainProcess");
    cr_expect_eq(bt_mp_process_pid(m), getpid());
    cr_expect(bt_mp_process_is_alive(m));
    cr_expect_not(bt_mp_process_daemon(m));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_process_start(m, &err), BT_ERUNTIME);
    cr_expect_eq(bt_mp_process_terminate(m, &err), BT_ERUNTIME);
    cr_expect_eq(bt_mp_process_kill(m, &err), BT_ERUNTIME);
    bt_mp_process_free(m); /* ignored: borrowed */
    cr_expect_str_eq(bt_mp_process_name(bt_mp_current_process()),
                     "MainProcess");
}

static int t_check_self(void *arg, bt_err *err)
{
    (void)arg;
    bt_mp_process *me = bt_mp_current_process();
    CHILD_CHECK(bt_mp_process_pid(me) == getpid());
    CHILD_CHECK(strcmp(bt_mp_process_name(me), "Process-1") == 0);
    CHILD_CHECK(bt_mp_process_is_alive(me));
    /* stdin is /dev/null, as in Python's child */
    char c;
    CHILD_CHECK(read(0, &c, 1) == 0);
    return 0;
}

Test(mp_process, child_sees_itself)
{
    join_ok(spawn(t_check_self, NULL));
}

static int t_sleep(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    sleep(30);
    return 0;
}

Test(mp_process, terminate_kill_after_end)
{
    bt_mp_process *p = spawn(t_sleep, NULL);
    cr_assert_eq(bt_mp_process_terminate(p, NULL), 0);
    cr_expect_eq(join_code(p), -SIGTERM);
    /* Once reaped, signals are not sent (the pid may belong to another). */
    cr_expect_eq(bt_mp_process_kill(p, NULL), 0);
    cr_expect_eq(bt_mp_process_terminate(p, NULL), 0);
    cr_expect_not(bt_mp_process_is_alive(p));
    cr_expect_eq(bt_mp_process_join(p, 0, NULL), 1);
    bt_mp_process_free(p);
}

Test(mp_process, free_while_running_is_reaped)
{
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    bt_mp_process *p = spawn(t_sleep_event, e);
    pid_t pid = bt_mp_process_pid(p);
    bt_mp_process_free(p); /* still running: not killed, reaped later */
    cr_expect_eq(kill(pid, 0), 0);
    bt_mp_event_set(e);
    bt_mp_shutdown(); /* joins it */
    errno = 0;
    cr_expect_eq(kill(pid, 0), -1, "no zombie left");
    cr_expect_eq(errno, ESRCH);
    bt_mp_event_free(e);
}

/* ---- daemon children at exit ---- */

struct family {
    bt_mp_array *pids; /* [daemon pid, non-daemon done flag] */
    bt_mp_event *ready;
};

static int t_grandchild_slow(void *arg, bt_err *err)
{
    struct family *f = arg;
    usleep(200000);
    CHILD_CHECK(bt_mp_array_set_long(f->pids, 1, 1, err) == 0);
    return 0;
}

static int t_middle(void *arg, bt_err *err)
{
    struct family *f = arg;
    bt_mp_process *d, *n;
    CHILD_CHECK(bt_mp_process_new(&d, t_sleep, NULL) == 0);
    CHILD_CHECK(bt_mp_process_set_daemon(d, true, err) == 0);
    CHILD_CHECK(bt_mp_process_start(d, err) == 0);
    CHILD_CHECK(bt_mp_process_new(&n, t_grandchild_slow, f) == 0);
    CHILD_CHECK(bt_mp_process_start(n, err) == 0);
    CHILD_CHECK(bt_mp_array_set_long(f->pids, 0, bt_mp_process_pid(d), err) ==
                0);
    /* Returning ends the child through the exit handler: the daemon is
     * terminated, the other child joined. */
    return 0;
}

Test(mp_process, daemon_terminated_nondaemon_joined_at_exit)
{
    struct family f;
    cr_assert_eq(bt_mp_array_new(&f.pids, 'q', 2, true, NULL), 0);
    join_ok(spawn(t_middle, &f));
    long long dpid = 0, done = 0;
    bt_mp_array_get_long(f.pids, 0, &dpid, NULL);
    bt_mp_array_get_long(f.pids, 1, &done, NULL);
    cr_expect_gt(dpid, 0);
    cr_expect_eq(done, 1, "the non-daemon child ran to its end");
    errno = 0;
    cr_expect_eq(kill((pid_t)dpid, 0), -1, "the daemon child is gone");
    cr_expect_eq(errno, ESRCH);
    bt_mp_array_free(f.pids);
}

static int t_daemon_starts(void *arg, bt_err *err)
{
    (void)arg;
    bt_mp_process *p;
    CHILD_CHECK(bt_mp_process_new(&p, t_sleep, NULL) == 0);
    int rc = bt_mp_process_start(p, err);
    CHILD_CHECK(rc == BT_ERUNTIME);
    CHILD_CHECK(strcmp(err->msg, "daemonic processes are not allowed to have "
                                 "children") == 0);
    return 0;
}

Test(mp_process, daemon_may_not_have_children)
{
    bt_mp_process *p;
    cr_assert_eq(bt_mp_process_new(&p, t_daemon_starts, NULL), 0);
    cr_assert_eq(bt_mp_process_set_daemon(p, true, NULL), 0);
    cr_assert_eq(bt_mp_process_start(p, NULL), 0);
    join_ok(p);
}

static int t_start_parents(void *arg, bt_err *err)
{
    int rc = bt_mp_process_start(arg, err);
    CHILD_CHECK(rc == BT_ERUNTIME);
    CHILD_CHECK(strcmp(err->msg, "can only start a process object created by "
                                 "current process") == 0);
    rc = bt_mp_process_join(arg, 0, err);
    CHILD_CHECK(rc == BT_ERUNTIME);
    CHILD_CHECK(strcmp(err->msg, "can only join a child process") == 0);
    return 0;
}

Test(mp_process, start_in_another_process)
{
    bt_mp_process *q;
    cr_assert_eq(bt_mp_process_new(&q, t_sleep, NULL), 0);
    join_ok(spawn(t_start_parents, q));
    bt_mp_process_free(q);
}

Test(mp_process, cpu_count)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    cr_expect_eq(bt_mp_cpu_count(NULL), n);
    cr_expect_geq(bt_mp_cpu_count(NULL), 1);
}

static int t_cpu_count_python(void)
{
    FILE *f = popen("python3 -c 'import multiprocessing as m; "
                    "print(m.cpu_count())'",
                    "r");
    int n = -1;
    if (f) {
        if (fscanf(f, "%d", &n) != 1)
            n = -1;
        pclose(f);
    }
    return n;
}

Test(mp_process, cpu_count_as_cpython)
{
    int py = t_cpu_count_python();
    if (py < 0)
        cr_skip_test("python3 not available");
    cr_expect_eq(bt_mp_cpu_count(NULL), py);
}

/* ---- fork from a threaded parent ---- */

#if !defined(__SANITIZE_THREAD__)
static int t_parent_thread(void *arg, bt_err *err)
{
    /* A non-daemon thread of the parent, alive across the fork. */
    return bt_mp_event_wait(arg, 20, err) == 1 ? 0 : BT_ERUNTIME;
}

static int t_child_of_threaded(void *arg, bt_err *err)
{
    (void)arg;
    /* Only the forking thread exists here; the child's exit path joins
     * the child's threads (bt_threading_shutdown) and must not wait for
     * the parent's. */
    CHILD_CHECK(bt_threading_active_count() == 1);
    CHILD_CHECK(strcmp(bt_thread_name(bt_threading_current_thread()),
                       "MainThread") == 0);
    char *p = malloc(100); /* malloc is usable after fork in glibc */
    CHILD_CHECK(p != NULL);
    free(p);
    return 0;
}
#endif

Test(mp_process, fork_from_a_threaded_parent)
{
#if defined(__SANITIZE_THREAD__)
    cr_skip_test("TSan's runtime may deadlock in a child forked from a "
                 "threaded parent");
#else
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, t_parent_thread, e, NULL), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    bt_mp_process *p = spawn(t_child_of_threaded, NULL);
    cr_expect_eq(join_code(p), 0,
                 "the child ended without waiting for the "
                 "parent's thread");
    bt_mp_process_free(p);
    bt_mp_event_set(e);
    cr_expect_eq(bt_thread_join(t, 20, NULL), 1);
    bt_thread_free(t);
    bt_mp_event_free(e);
#endif
}

Test(mp_process, active_children_and_sentinel)
{
    bt_mp_event *e;
    cr_assert_eq(bt_mp_event_new(&e), 0);
    bt_mp_process *quick = spawn(t_check_self, NULL);
    bt_mp_process *slow = spawn(t_sleep_event, e);
    cr_expect_eq(join_code(quick), 0);
    bt_mp_process **list;
    size_t n;
    cr_assert_eq(bt_mp_active_children(&list, &n), 0);
    cr_expect_eq(n, 1, "the ended child is not active");
    if (n == 1)
        cr_expect_eq(list[0], slow);
    bt_free(list);
    int fd = bt_mp_process_sentinel(slow, NULL);
    cr_assert_geq(fd, 0);
    struct pollfd pf = {fd, POLLIN, 0};
    cr_expect_eq(poll(&pf, 1, 0), 0, "not ready while the child runs");
    bt_mp_event_set(e);
    cr_expect_eq(poll(&pf, 1, 20000), 1, "ready once it ends");
    join_ok(slow);
    cr_assert_eq(bt_mp_active_children(&list, &n), 0);
    cr_expect_eq(n, 0);
    cr_expect_null(list);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_mp_process_sentinel(bt_mp_current_process(), &err),
                 BT_EVALUE);
    cr_expect_str_eq(err.msg, "process not started");
    bt_mp_process_free(quick);
    bt_mp_event_free(e);
}
