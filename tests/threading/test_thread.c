/* Thread objects and the module functions: names, idents, daemon
 * inheritance, enumerate, dummy threads, the excepthook (its default text
 * against CPython's), exit codes, Timer, thread-local data, stack size,
 * the exit rule (shutdown and atexit) and fork. */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/threading.h>
#include <batteries/time.h>

#include "helpers.h"

static int nothing(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    return 0;
}

static int wait_event(void *arg, bt_err *err)
{
    return bt_event_wait(arg, 10, err) == 1 ? 0 : BT_ETIMEDOUT;
}

Test(thread, default_names_count_every_thread_object)
{
    bt_thread *a, *b, *c;
    cr_assert_eq(bt_thread_new(&a, nothing, NULL, "nothing"), 0);
    cr_assert_eq(bt_thread_new(&b, nothing, NULL, NULL), 0);
    cr_assert_eq(bt_timer_new(&c, 1, nothing, NULL), 0);
    unsigned n;
    cr_assert_eq(sscanf(bt_thread_name(a), "Thread-%u", &n), 1, "%s",
                 bt_thread_name(a));
    char want[64];
    snprintf(want, sizeof want, "Thread-%u (nothing)", n);
    cr_expect_str_eq(bt_thread_name(a), want);
    snprintf(want, sizeof want, "Thread-%u", n + 1);
    cr_expect_str_eq(bt_thread_name(b), want, "no target name");
    snprintf(want, sizeof want, "Thread-%u", n + 2);
    cr_expect_str_eq(bt_thread_name(c), want,
                     "a Timer is named as a Thread without target");
    cr_assert_eq(bt_thread_set_name(b, "custom"), 0);
    cr_expect_str_eq(bt_thread_name(b), "custom");
    cr_expect_str_eq(bt_thread_name(bt_threading_main_thread()), "MainThread");
    bt_thread_free(a);
    bt_thread_free(b);
    bt_thread_free(c);
    bt_thread_free(NULL);
}

Test(thread, default_name_format_is_cpythons)
{
    FILE *p = popen("python3 -c 'import threading\n"
                    "def nothing(): pass\n"
                    "print(threading.Thread(target=nothing).name)\n"
                    "print(threading.Thread().name)'",
                    "r");
    cr_assert_not_null(p);
    unsigned n1, n2;
    cr_assert_eq(fscanf(p, "Thread-%u (nothing)\nThread-%u", &n1, &n2), 2);
    pclose(p);
    cr_expect_eq(n2, n1 + 1);
}

struct seen {
    bt_thread *self;
    unsigned long ident, native_id;
    bool daemon, alive;
    size_t active;
};

static int observe(void *arg, bt_err *err)
{
    (void)err;
    struct seen *s = arg;
    s->self = bt_threading_current_thread();
    s->ident = bt_threading_get_ident();
    s->native_id = bt_threading_get_native_id();
    s->daemon = bt_thread_daemon(s->self);
    s->alive = bt_thread_is_alive(s->self);
    s->active = bt_threading_active_count();
    return 7;
}

Test(thread, identity_inside_and_out)
{
    struct seen s = {0};
    bt_thread *t;
    cr_assert_eq(bt_thread_new(&t, observe, &s, "observe"), 0);
    cr_expect_eq(bt_thread_ident(t), 0, "None before start");
    cr_expect_eq(bt_thread_native_id(t), 0);
    cr_expect_not(bt_thread_is_alive(t));
    cr_expect_not(bt_thread_daemon(t), "inherited from the main thread");
    size_t before = bt_threading_active_count();
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_expect_neq(bt_thread_ident(t), 0, "known once start returns");
    cr_expect_neq(bt_thread_native_id(t), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(s.self, t);
    cr_expect_eq(s.ident, bt_thread_ident(t));
    cr_expect_eq(s.native_id, bt_thread_native_id(t));
    cr_expect_neq(s.native_id, (unsigned long)getpid());
    cr_expect(s.alive);
    cr_expect_eq(s.active, before + 1);
    cr_expect_not(bt_thread_is_alive(t));
    cr_expect_eq(bt_threading_active_count(), before);
    cr_expect_eq(bt_thread_exitcode(t, NULL), 7);
    bt_thread_free(t);

    bt_thread *m = bt_threading_main_thread();
    cr_expect_eq(bt_threading_current_thread(), m);
    cr_expect_eq(bt_thread_ident(m), bt_threading_get_ident());
    cr_expect_eq(bt_thread_native_id(m), (unsigned long)getpid());
    cr_expect(bt_thread_is_alive(m));
    cr_expect_not(bt_thread_daemon(m));
}

static int spawn_child(void *arg, bt_err *err)
{
    (void)err;
    bt_thread *child;
    if (bt_thread_new(&child, nothing, NULL, NULL) < 0)
        return BT_ENOMEM;
    *(bool *)arg = bt_thread_daemon(child);
    bt_thread_free(child);
    return 0;
}

Test(thread, daemon_flag_is_inherited_and_fixed_at_start)
{
    bool child_daemon = false;
    bt_thread *t;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_thread_new(&t, spawn_child, &child_daemon, NULL), 0);
    cr_assert_eq(bt_thread_set_daemon(t, true, &err), 0);
    cr_expect(bt_thread_daemon(t));
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect(child_daemon, "a daemon's threads are daemons");
    cr_expect_eq(bt_thread_set_daemon(t, false, &err), BT_ERUNTIME);
    cr_expect_str_eq(err.msg, "cannot set daemon status of active thread");
    bt_thread_free(t);
}

static bool listed(bt_thread *t)
{
    bt_thread **all;
    size_t n;
    cr_assert_eq(bt_threading_enumerate(&all, &n), 0);
    bool found = false;
    for (size_t i = 0; i < n; i++)
        found |= all[i] == t;
    cr_expect_eq(all[0], bt_threading_main_thread(), "the main thread first");
    bt_threading_enumerate_free(all, n);
    return found;
}

Test(thread, enumerate_lists_the_living)
{
    bt_event *go;
    cr_assert_eq(bt_event_new(&go), 0);
    size_t before = bt_threading_active_count();
    bt_thread *t[3];
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(bt_thread_new(&t[i], wait_event, go, "wait_event"), 0);
        cr_expect_not(listed(t[i]), "not before start");
        cr_assert_eq(bt_thread_start(t[i], NULL), 0);
        cr_expect(listed(t[i]));
    }
    /* While no thread can end, enumerate and active_count agree. */
    bt_thread **all;
    size_t n;
    cr_assert_eq(bt_threading_enumerate(&all, &n), 0);
    cr_expect_eq(n, bt_threading_active_count());
    bt_threading_enumerate_free(all, n);
    cr_expect_eq(bt_threading_active_count(), before + 3);
    bt_event_set(go);
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(bt_thread_join(t[i], 30, NULL), 1);
        cr_expect_not(listed(t[i]), "not after join");
        bt_thread_free(t[i]);
    }
    cr_expect_eq(bt_threading_active_count(), before);
    bt_threading_enumerate_free(NULL, 0);
    bt_event_free(go);
}

static void *foreign(void *arg)
{
    struct seen *s = arg;
    s->self = bt_threading_current_thread();
    s->ident = bt_threading_get_ident();
    s->daemon = bt_thread_daemon(s->self);
    s->alive = listed(s->self);
    s->active = bt_threading_active_count();
    cr_expect_eq(bt_threading_current_thread(), s->self, "made once");
    cr_expect_eq(strncmp(bt_thread_name(s->self), "Dummy-", 6), 0, "%s",
                 bt_thread_name(s->self));
    return NULL;
}

Test(thread, dummy_objects_for_foreign_threads)
{
    struct seen s = {0};
    pthread_t pt;
    size_t before = bt_threading_active_count();
    cr_assert_eq(pthread_create(&pt, NULL, foreign, &s), 0);
    cr_assert_eq(pthread_join(pt, NULL), 0);
    cr_expect(s.daemon, "dummy threads are daemons");
    cr_expect(s.alive, "listed while it runs");
    cr_expect_eq(s.active, before + 1);
    cr_expect_eq(s.ident, (unsigned long)pt);
    cr_expect_eq(bt_threading_active_count(), before, "gone when it exits");
}

Test(thread, join_timeout_on_a_live_thread)
{
    bt_event *go;
    bt_thread *t;
    cr_assert_eq(bt_event_new(&go), 0);
    t = start_thread(wait_event, go);
    double t0 = bt_time_monotonic();
    cr_expect_eq(bt_thread_join(t, 0.1, NULL), 0);
    double waited = bt_time_monotonic() - t0;
    cr_expect_geq(waited, 0.1, "waited %.4f", waited);
    cr_expect_lt(waited, 3.0);
    cr_expect(bt_thread_is_alive(t));
    cr_expect_eq(bt_thread_join(t, -3, NULL), 0, "negative: only checks");
    bt_event_set(go);
    cr_expect_eq(bt_thread_join(t, BT_TIMEOUT_NONE, NULL), 1);
    cr_expect_eq(bt_thread_join(t, 0, NULL), 1, "again");
    bt_thread_free(t);
    bt_event_free(go);
}

static int set_event(void *arg, bt_err *err)
{
    (void)err;
    bt_time_sleep(0.02, NULL);
    bt_event_set(arg);
    return 0;
}

Test(thread, freed_while_running_finishes_alone)
{
    bt_event *done;
    bt_thread *t;
    cr_assert_eq(bt_event_new(&done), 0);
    t = start_thread(set_event, done);
    bt_thread_free(t);
    cr_expect_eq(bt_event_wait(done, 5, NULL), 1);
    /* Leave it time to release its memory before the leak check. */
    for (int i = 0; i < 500 && bt_threading_active_count() > 1; i++)
        bt_time_sleep(0.002, NULL);
    cr_expect_eq(bt_threading_active_count(), 1);
    bt_time_sleep(0.01, NULL);
    bt_event_free(done);
}

/* ------------------------------------------------------------------------ */
/* excepthook                                                                */
/* ------------------------------------------------------------------------ */

struct hooked {
    int calls;
    int code;
    char value[BT_ERR_MSG_SIZE];
    bt_thread *thread;
};

static void capture(const bt_threading_excepthook_args *a, void *ctx)
{
    struct hooked *h = ctx;
    h->calls++;
    h->code = a->exc_type;
    snprintf(h->value, sizeof h->value, "%s", a->exc_value);
    h->thread = a->thread;
    cr_expect_eq(a->thread, bt_threading_current_thread(),
                 "runs in the failing thread");
}

static int fail_with_message(void *arg, bt_err *err)
{
    (void)arg;
    return bt_err_setf(err, BT_EVALUE, -1, "boom %d", 42);
}

static int fail_with_errno(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    return BT_ENOENT;
}

static int run_to_end(bt_thread_fn fn, const char *target, bt_thread **out)
{
    cr_assert_eq(bt_thread_new(out, fn, NULL, target), 0);
    cr_assert_eq(bt_thread_start(*out, NULL), 0);
    cr_assert_eq(bt_thread_join(*out, 5, NULL), 1);
    return bt_thread_exitcode(*out, NULL);
}

Test(excepthook, receives_the_code_message_and_thread)
{
    struct hooked h = {0};
    bt_threading_set_excepthook(capture, &h);
    bt_threading_excepthook_fn fn;
    void *ctx;
    bt_threading_get_excepthook(&fn, &ctx);
    cr_expect_eq(fn, capture);
    cr_expect_eq(ctx, &h);

    bt_thread *t;
    cr_expect_eq(run_to_end(fail_with_message, "fail", &t), BT_EVALUE);
    cr_expect_eq(h.calls, 1);
    cr_expect_eq(h.code, BT_EVALUE);
    cr_expect_str_eq(h.value, "boom 42");
    cr_expect_eq(h.thread, t);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_thread_exitcode(t, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "boom 42");
    bt_thread_free(t);

    cr_expect_eq(run_to_end(fail_with_errno, NULL, &t), BT_ENOENT);
    cr_expect_eq(h.calls, 2);
    cr_expect_str_eq(h.value, "[Errno 2] No such file or directory",
                     "str(OSError)");
    bt_thread_free(t);

    cr_expect_eq(run_to_end(nothing, NULL, &t), 0);
    cr_expect_eq(h.calls, 2, "success reports nothing");
    bt_thread_free(t);

    bt_threading_set_excepthook(NULL, NULL);
    bt_threading_get_excepthook(&fn, &ctx);
    cr_expect_eq(fn, bt_threading_excepthook_default);
}

static int raise_value_error(void *arg, bt_err *err)
{
    (void)arg;
    return bt_err_setf(err, BT_EVALUE, -1, "boom");
}

/* The first line and the last line Python writes for a failing thread
 * (between them Python has the traceback). */
static void cpython_report(char *first, char *last, size_t cap)
{
    FILE *p = popen("python3 -c 'import threading\n"
                    "def raise_value_error(): raise ValueError(\"boom\")\n"
                    "t = threading.Thread(target=raise_value_error)\n"
                    "t.start(); t.join()' 2>&1",
                    "r");
    cr_assert_not_null(p);
    char line[512];
    first[0] = last[0] = '\0';
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = '\0';
        if (!first[0])
            snprintf(first, cap, "%s", line);
        if (line[0])
            snprintf(last, cap, "%s", line);
    }
    pclose(p);
}

Test(excepthook, default_report_reads_as_cpythons)
{
    char py_first[512], py_last[512];
    cpython_report(py_first, py_last, sizeof py_first);
    unsigned n;
    cr_assert_eq(sscanf(py_first, "Exception in thread Thread-%u", &n), 1, "%s",
                 py_first);

    /* Ours, on a temporary stderr. */
    fflush(stderr);
    int saved = dup(2);
    FILE *tmp = tmpfile();
    cr_assert_not_null(tmp);
    dup2(fileno(tmp), 2);
    bt_thread *t;
    cr_expect_eq(run_to_end(raise_value_error, "raise_value_error", &t),
                 BT_EVALUE);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    char ours[512] = "";
    rewind(tmp);
    size_t len = fread(ours, 1, sizeof ours - 1, tmp);
    ours[len] = '\0';
    fclose(tmp);

    /* Thread numbers differ between the two processes: compare the rest. */
    char want[1200];
    unsigned ours_n;
    cr_assert_eq(sscanf(bt_thread_name(t), "Thread-%u", &ours_n), 1);
    const char *after_number =
        strchr(py_first + strlen("Exception in thread Thread-"), ' ');
    snprintf(want, sizeof want, "Exception in thread Thread-%u%s\n%s\n", ours_n,
             after_number, py_last);
    cr_expect_str_eq(ours, want);
    bt_thread_free(t);
}

/* ------------------------------------------------------------------------ */
/* Timer                                                                     */
/* ------------------------------------------------------------------------ */

struct fired {
    atomic_int calls;
    double at;
};

static int fire(void *arg, bt_err *err)
{
    (void)err;
    struct fired *f = arg;
    f->at = bt_time_monotonic();
    atomic_fetch_add(&f->calls, 1);
    return 0;
}

Test(timer, fires_after_the_interval)
{
    struct fired f = {0};
    bt_thread *t;
    cr_assert_eq(bt_timer_new(&t, 0.1, fire, &f), 0);
    double t0 = bt_time_monotonic();
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(atomic_load(&f.calls), 1);
    cr_expect_geq(f.at - t0, 0.1, "fired after %.4f s", f.at - t0);
    cr_expect_lt(f.at - t0, 3.0);
    bt_thread_free(t);
}

Test(timer, cancel_before_it_fires)
{
    struct fired f = {0};
    bt_thread *t, *plain;
    cr_assert_eq(bt_timer_new(&t, 5, fire, &f), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    double t0 = bt_time_monotonic();
    cr_assert_eq(bt_timer_cancel(t), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_lt(bt_time_monotonic() - t0, 2.0, "cancel ends the wait");
    cr_expect_eq(atomic_load(&f.calls), 0);
    cr_expect_eq(bt_timer_cancel(t), 0, "cancel after the end is harmless");
    bt_thread_free(t);

    cr_assert_eq(bt_timer_new(&t, -1, fire, &f), 0);
    cr_assert_eq(bt_thread_start(t, NULL), 0);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_eq(atomic_load(&f.calls), 1, "a negative interval fires at once");
    bt_thread_free(t);

    cr_assert_eq(bt_thread_new(&plain, nothing, NULL, NULL), 0);
    cr_expect_eq(bt_timer_cancel(plain), BT_ETYPE, "not a timer");
    bt_thread_free(plain);
}

/* ------------------------------------------------------------------------ */
/* Thread-local data                                                         */
/* ------------------------------------------------------------------------ */

static atomic_int destroyed;

static void destroy_value(void *v)
{
    atomic_fetch_add(&destroyed, 1);
    free(v);
}

struct local_arg {
    bt_local *l;
    int id;
    bool saw_null, kept;
};

static int use_local(void *arg, bt_err *err)
{
    (void)err;
    struct local_arg *a = arg;
    a->saw_null = bt_local_get(a->l) == NULL;
    int *v = malloc(sizeof *v);
    *v = a->id;
    if (bt_local_set(a->l, v) < 0)
        return BT_ENOMEM;
    bt_time_sleep(0.01, NULL);
    a->kept = *(int *)bt_local_get(a->l) == a->id;
    return 0; /* the value is destroyed as the thread exits */
}

Test(local, one_value_per_thread)
{
    bt_local *l;
    atomic_store(&destroyed, 0);
    cr_assert_eq(bt_local_new(&l, destroy_value), 0);
    int *mine = malloc(sizeof *mine);
    *mine = -1;
    cr_assert_eq(bt_local_set(l, mine), 0);
    struct local_arg args[4];
    bt_thread *t[4];
    for (int i = 0; i < 4; i++) {
        args[i] = (struct local_arg){l, i, false, false};
        t[i] = start_thread(use_local, &args[i]);
    }
    for (int i = 0; i < 4; i++) {
        cr_assert_eq(bt_thread_join(t[i], 30, NULL), 1);
        cr_expect(args[i].saw_null, "a new thread starts empty");
        cr_expect(args[i].kept, "thread %d kept its own value", i);
        bt_thread_free(t[i]);
    }
    cr_expect_eq(atomic_load(&destroyed), 4,
                 "each thread's value went with it");
    cr_expect_eq(*(int *)bt_local_get(l), -1, "ours untouched");
    int *other = malloc(sizeof *other);
    cr_assert_eq(bt_local_set(l, other), 0);
    cr_expect_eq(atomic_load(&destroyed), 5, "the replaced value is destroyed");
    cr_assert_eq(bt_local_set(l, NULL), 0);
    cr_expect_eq(atomic_load(&destroyed), 6, "deleting destroys");
    cr_expect_null(bt_local_get(l));
    cr_assert_eq(bt_local_set(l, malloc(1)), 0);
    bt_local_free(l);
    cr_expect_eq(atomic_load(&destroyed), 7, "free destroys what is left");
    bt_local_free(NULL);
}

/* ------------------------------------------------------------------------ */
/* Stack size                                                                */
/* ------------------------------------------------------------------------ */

static int stack_of(void *arg, bt_err *err)
{
    (void)err;
    pthread_attr_t attr;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return BT_ERUNTIME;
    pthread_attr_getstacksize(&attr, arg);
    pthread_attr_destroy(&attr);
    return 0;
}

Test(thread, stack_size_applies_to_new_threads)
{
    cr_expect_eq(bt_threading_stack_size(-1, NULL), 0, "the default");
    cr_expect_eq(bt_threading_stack_size(1 << 20, NULL), 0,
                 "returns the old size");
    cr_expect_eq(bt_threading_stack_size(-1, NULL), 1 << 20);
    size_t got = 0;
    bt_thread *t;
    t = start_thread(stack_of, &got);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    cr_expect_geq(got, (size_t)1 << 20);
    cr_expect_lt(got, (size_t)4 << 20);
    bt_thread_free(t);
    cr_expect_eq(bt_threading_stack_size(0, NULL), 1 << 20);
}

/* ------------------------------------------------------------------------ */
/* Exit rule and fork                                                        */
/* ------------------------------------------------------------------------ */

static int slow_worker(void *arg, bt_err *err)
{
    (void)err;
    bt_time_sleep(0.15, NULL);
    atomic_fetch_add((atomic_int *)arg, 1);
    return 0;
}

Test(shutdown, joins_non_daemon_threads_only)
{
    atomic_int done = 0;
    bt_event *never;
    cr_assert_eq(bt_event_new(&never), 0);
    bt_thread *w[3], *d;
    for (int i = 0; i < 3; i++) {
        w[i] = start_thread(slow_worker, &done);
        bt_thread_free(w[i]); /* shutdown still finds them */
    }
    cr_assert_eq(bt_thread_new(&d, wait_event, never, NULL), 0);
    cr_assert_eq(bt_thread_set_daemon(d, true, NULL), 0);
    cr_assert_eq(bt_thread_start(d, NULL), 0);
    double t0 = bt_time_monotonic();
    bt_threading_shutdown();
    cr_expect_eq(atomic_load(&done), 3, "every non-daemon thread finished");
    cr_expect_lt(bt_time_monotonic() - t0, 5.0);
    cr_expect(bt_thread_is_alive(d), "the daemon is not waited for");
    bt_event_set(never);
    cr_assert_eq(bt_thread_join(d, 5, NULL), 1);
    bt_thread_free(d);
    bt_event_free(never);
}

static int write_after_sleep(void *arg, bt_err *err)
{
    (void)err;
    bt_time_sleep(0.3, NULL);
    return write(*(int *)arg, "done", 4) == 4 ? 0 : -1;
}

/* In a child: start a non-daemon thread that writes "done" late, then
 * exit() at once, with or without atexit(bt_threading_shutdown). */
static bool child_output_after_exit(bool register_atexit)
{
    int fds[2];
    cr_assert_eq(pipe(fds), 0);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        if (register_atexit)
            atexit(bt_threading_shutdown);
        bt_thread *t;
        if (bt_thread_new(&t, write_after_sleep, &fds[1], NULL) < 0 ||
            bt_thread_start(t, NULL) < 0)
            _exit(2);
        exit(0);
    }
    close(fds[1]);
    char buf[8] = "";
    ssize_t n = read(fds[0], buf, sizeof buf);
    close(fds[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    return n == 4;
}

Test(shutdown, atexit_handler_keeps_pythons_rule)
{
    cr_expect(child_output_after_exit(true), "joined at exit");
#ifndef __SANITIZE_THREAD__
    /* (Under TSan the control's deliberately unjoined thread is a report.) */
    cr_expect_not(child_output_after_exit(false),
                  "without it, exit() ends the thread");
#endif
}

Test(fork, child_keeps_only_the_forking_thread)
{
    bt_event *go;
    bt_thread *t;
    cr_assert_eq(bt_event_new(&go), 0);
    t = start_thread(wait_event, go);
    fflush(NULL);
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        int bad = 0;
        bad |= bt_thread_is_alive(t) << 0;
        bad |= (bt_threading_active_count() != 1) << 1;
        bad |= (bt_thread_join(t, 1, NULL) != 1) << 2;
        bad |= (bt_threading_current_thread() != bt_threading_main_thread())
               << 3;
        bad |= (bt_thread_native_id(bt_threading_main_thread()) !=
                (unsigned long)getpid())
               << 4;
        _exit(bad);
    }
    int status;
    waitpid(pid, &status, 0);
    cr_expect(WIFEXITED(status));
    cr_expect_eq(WEXITSTATUS(status), 0, "failed checks (bits): %d",
                 WEXITSTATUS(status));
    cr_expect(bt_thread_is_alive(t), "the parent's thread runs on");
    bt_event_set(go);
    cr_assert_eq(bt_thread_join(t, 5, NULL), 1);
    bt_thread_free(t);
    bt_event_free(go);
}

static int thread_objects(void *arg)
{
    (void)arg;
    bt_thread *t = NULL, *tm = NULL;
    bt_local *l = NULL;
    bt_thread **all = NULL;
    size_t n = 0;
    int rc = bt_thread_new(&t, nothing, NULL, "nothing");
    if (rc == 0)
        rc = bt_thread_set_name(t, "renamed");
    if (rc == 0)
        rc = bt_thread_start(t, NULL);
    if (rc == 0 && bt_thread_join(t, 5, NULL) != 1)
        rc = BT_ERUNTIME;
    if (rc == 0)
        rc = bt_timer_new(&tm, 0, nothing, NULL);
    if (rc == 0)
        rc = bt_threading_enumerate(&all, &n);
    if (rc == 0)
        rc = bt_local_new(&l, free);
    if (rc == 0) {
        void *v = malloc(1);
        rc = bt_local_set(l, v);
        if (rc < 0)
            free(v);
    }
    bt_local_free(l);
    bt_threading_enumerate_free(all, n);
    bt_thread_free(tm);
    bt_thread_free(t);
    return rc;
}

Test(allocfail, thread_objects)
{
    cr_assert_geq(bt_test_allocfail(thread_objects, NULL), 4);
}
