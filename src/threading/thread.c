/* thread.c — threading.Thread, Timer, the registry behind current_thread,
 * enumerate and active_count, the excepthook, and the exit rule. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "threading_int.h"

/* Python's _started / _is_stopped, as one state. */
enum { T_NEW, T_STARTING, T_RUNNING, T_DONE };
enum { K_THREAD, K_TIMER, K_MAIN, K_DUMMY };

struct bt_thread {
    atomic_int refs;
    atomic_int state;
    int kind;
    pthread_mutex_t mu; /* guards the handle, reaped, and the waits below */
    pthread_cond_t cv;  /* broadcast on every state change and cancel */
    pthread_t handle;
    bool has_handle;
    bool reaped; /* pthread_join'ed or detached */
    atomic_ulong ident;
    atomic_ulong native_id;
    atomic_bool daemon;
    char *name;
    bool name_static;
    bt_thread_fn target;
    void *arg;
    int exitcode;
    bt_err err;
    /* Timer */
    double interval;
    bool cancelled;
    /* The registry of threads alive (under reg_mu). */
    bt_thread *prev, *next;
    bool registered;
};

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static bt_thread *reg_head, *reg_tail;
static size_t reg_count;
static atomic_ulong name_counter;
static atomic_size_t stack_size_setting;

static _Thread_local bt_thread *tls_self;
static pthread_key_t dummy_key;
static bool dummy_key_ok;

static char main_name[] = "MainThread";
static bt_thread main_obj;
static bt_thread *_Atomic main_ptr = &main_obj;

static void reg_add(bt_thread *t)
{
    pthread_mutex_lock(&reg_mu);
    t->prev = reg_tail;
    t->next = NULL;
    if (reg_tail)
        reg_tail->next = t;
    else
        reg_head = t;
    reg_tail = t;
    t->registered = true;
    reg_count++;
    pthread_mutex_unlock(&reg_mu);
}

/* reg_mu held. */
static void reg_unlink(bt_thread *t)
{
    if (!t->registered)
        return;
    if (t->prev)
        t->prev->next = t->next;
    else
        reg_head = t->next;
    if (t->next)
        t->next->prev = t->prev;
    else
        reg_tail = t->prev;
    t->registered = false;
    reg_count--;
}

static void reg_remove(bt_thread *t)
{
    pthread_mutex_lock(&reg_mu);
    reg_unlink(t);
    pthread_mutex_unlock(&reg_mu);
}

static void set_state(bt_thread *t, int state)
{
    pthread_mutex_lock(&t->mu);
    atomic_store_explicit(&t->state, state, memory_order_release);
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
}

static void destroy(bt_thread *t)
{
    if (t->has_handle && !t->reaped) {
        /* The thread has dropped its reference, its last act: it is
         * returning. A thread that drops the last reference itself cannot
         * join itself, so it detaches. */
        if (pthread_equal(t->handle, pthread_self()))
            pthread_detach(t->handle);
        else
            pthread_join(t->handle, NULL);
    }
    if (!t->name_static)
        bt_free(t->name);
    pthread_cond_destroy(&t->cv);
    pthread_mutex_destroy(&t->mu);
    bt_free(t);
}

static void decref(bt_thread *t)
{
    if (t == &main_obj)
        return;
    if (atomic_fetch_sub_explicit(&t->refs, 1, memory_order_acq_rel) == 1)
        destroy(t);
}

static void incref(bt_thread *t)
{
    atomic_fetch_add_explicit(&t->refs, 1, memory_order_relaxed);
}

/* A new object, "<prefix>-N" or "<prefix>-N (target)". */
static bt_thread *alloc_thread(int kind, const char *prefix,
                               const char *target_name)
{
    bt_thread *t = bt_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    unsigned long n = atomic_fetch_add(&name_counter, 1) + 1;
    bt_buf name = BT_BUF_INIT;
    int rc = target_name
                 ? bt_buf_printf(&name, "%s-%lu (%s)", prefix, n, target_name)
                 : bt_buf_printf(&name, "%s-%lu", prefix, n);
    if (rc == 0 && bt__threading_mutex_init(&t->mu) < 0)
        rc = BT_ENOMEM;
    else if (rc == 0 && bt__threading_cond_init(&t->cv) < 0) {
        pthread_mutex_destroy(&t->mu);
        rc = BT_ENOMEM;
    }
    if (rc < 0) {
        bt_buf_fini(&name);
        bt_free(t);
        return NULL;
    }
    t->name = bt_buf_take(&name, NULL);
    atomic_init(&t->refs, 1);
    atomic_init(&t->state, T_NEW);
    t->kind = kind;
    return t;
}

/* ------------------------------------------------------------------------ */
/* The main thread, fork, and dummy threads                                  */
/* ------------------------------------------------------------------------ */

static void dummy_exit(void *p);

static void atfork_prepare(void)
{
    pthread_mutex_lock(&reg_mu);
}

static void atfork_parent(void)
{
    pthread_mutex_unlock(&reg_mu);
}

/* In the child only the forking thread exists: every other thread object
 * ends (join returns at once) and the forking thread becomes the main
 * thread, as Python's _after_fork does. */
static void atfork_child(void)
{
    bt_thread *self = tls_self;
    if (!self || self->kind == K_DUMMY) {
        if (self) {
            pthread_setspecific(dummy_key, NULL);
            reg_unlink(self);
            atomic_store(&self->state, T_DONE);
            decref(self);
        }
        self = &main_obj;
        tls_self = self;
        if (!main_obj.registered) {
            main_obj.prev = reg_tail;
            main_obj.next = NULL;
            if (reg_tail)
                reg_tail->next = &main_obj;
            else
                reg_head = &main_obj;
            reg_tail = &main_obj;
            main_obj.registered = true;
            reg_count++;
        }
    }
    bt_thread *t = reg_head;
    while (t) {
        bt_thread *next = t->next;
        if (t != self) {
            reg_unlink(t);
            pthread_mutex_init(&t->mu, NULL);
            bt__threading_cond_init(&t->cv);
            t->reaped = true; /* no thread left to join or detach */
            atomic_store(&t->state, T_DONE);
            if (t->kind == K_THREAD || t->kind == K_TIMER || t->kind == K_DUMMY)
                decref(t); /* the reference the vanished thread held */
        }
        t = next;
    }
    pthread_mutex_init(&self->mu, NULL);
    bt__threading_cond_init(&self->cv);
    atomic_store(&self->ident, bt__threading_ident());
    atomic_store(&self->native_id, (unsigned long)gettid());
    atomic_store(&self->state, T_RUNNING);
    atomic_store(&main_ptr, self);
    pthread_mutex_unlock(&reg_mu);
}

/* Runs in the thread that loads the library: the program's main thread.
 * No allocation here (the allocator hook may not be installed yet). */
__attribute__((constructor)) static void threading_init(void)
{
    bt_thread *m = &main_obj;
    atomic_init(&m->refs, 1);
    atomic_init(&m->state, T_RUNNING);
    m->kind = K_MAIN;
    pthread_mutex_init(&m->mu, NULL);
    bt__threading_cond_init(&m->cv);
    atomic_init(&m->ident, bt__threading_ident());
    atomic_init(&m->native_id, (unsigned long)gettid());
    atomic_init(&m->daemon, false);
    m->name = main_name;
    m->name_static = true;
    tls_self = m;
    reg_add(m);
    dummy_key_ok = pthread_key_create(&dummy_key, dummy_exit) == 0;
    pthread_atfork(atfork_prepare, atfork_parent, atfork_child);
}

/* A dummy object's thread exits: it is no longer alive. */
static void dummy_exit(void *p)
{
    bt_thread *t = p;
    reg_remove(t);
    set_state(t, T_DONE);
    tls_self = NULL;
    decref(t);
}

bt_thread *bt_threading_current_thread(void)
{
    bt_thread *t = tls_self;
    if (t)
        return t;
    t = alloc_thread(K_DUMMY, "Dummy", NULL);
    if (!t)
        return NULL;
    atomic_store(&t->state, T_RUNNING);
    atomic_store(&t->daemon, true);
    atomic_store(&t->ident, bt__threading_ident());
    atomic_store(&t->native_id, (unsigned long)gettid());
    if (dummy_key_ok)
        pthread_setspecific(dummy_key, t);
    reg_add(t);
    tls_self = t;
    return t;
}

bt_thread *bt_threading_main_thread(void)
{
    return atomic_load(&main_ptr);
}

unsigned long bt_threading_get_ident(void)
{
    return bt__threading_ident();
}

unsigned long bt_threading_get_native_id(void)
{
    return (unsigned long)gettid();
}

size_t bt_threading_active_count(void)
{
    pthread_mutex_lock(&reg_mu);
    size_t n = reg_count;
    pthread_mutex_unlock(&reg_mu);
    return n;
}

int bt_threading_enumerate(bt_thread ***out, size_t *n)
{
    pthread_mutex_lock(&reg_mu);
    bt_thread **list = bt_malloc((reg_count ? reg_count : 1) * sizeof *list);
    if (!list) {
        pthread_mutex_unlock(&reg_mu);
        return BT_ENOMEM;
    }
    size_t i = 0;
    for (bt_thread *t = reg_head; t; t = t->next) {
        incref(t);
        list[i++] = t;
    }
    pthread_mutex_unlock(&reg_mu);
    *out = list;
    *n = i;
    return 0;
}

void bt_threading_enumerate_free(bt_thread **threads, size_t n)
{
    if (!threads)
        return;
    for (size_t i = 0; i < n; i++)
        decref(threads[i]);
    bt_free(threads);
}

void bt_threading_shutdown(void)
{
    for (;;) {
        bt_thread *wait_for = NULL;
        pthread_mutex_lock(&reg_mu);
        for (bt_thread *t = reg_head; t; t = t->next)
            if ((t->kind == K_THREAD || t->kind == K_TIMER) && t != tls_self &&
                !atomic_load(&t->daemon)) {
                incref(t);
                wait_for = t;
                break;
            }
        pthread_mutex_unlock(&reg_mu);
        if (!wait_for)
            return;
        bt_thread_join(wait_for, BT_TIMEOUT_NONE, NULL);
        decref(wait_for);
    }
}

ptrdiff_t bt_threading_stack_size(ptrdiff_t size, bt_err *err)
{
    size_t old = atomic_load(&stack_size_setting);
    if (size < 0)
        return (ptrdiff_t)old;
    /* CPython's THREAD_STACK_MIN. */
    if (size != 0 && size < 0x8000)
        return bt_err_setf(err, BT_EVALUE, -1, "size not valid: %td bytes",
                           size);
    atomic_store(&stack_size_setting, (size_t)size);
    return (ptrdiff_t)old;
}

/* ------------------------------------------------------------------------ */
/* excepthook                                                                */
/* ------------------------------------------------------------------------ */

static pthread_mutex_t hook_mu = PTHREAD_MUTEX_INITIALIZER;
static bt_threading_excepthook_fn hook_fn;
static void *hook_ctx;

void bt_threading_set_excepthook(bt_threading_excepthook_fn hook, void *ctx)
{
    pthread_mutex_lock(&hook_mu);
    hook_fn = hook;
    hook_ctx = hook ? ctx : NULL;
    pthread_mutex_unlock(&hook_mu);
}

void bt_threading_get_excepthook(bt_threading_excepthook_fn *hook, void **ctx)
{
    pthread_mutex_lock(&hook_mu);
    if (hook)
        *hook = hook_fn ? hook_fn : bt_threading_excepthook_default;
    if (ctx)
        *ctx = hook_ctx;
    pthread_mutex_unlock(&hook_mu);
}

void bt_threading_excepthook_default(const bt_threading_excepthook_args *args,
                                     void *ctx)
{
    (void)ctx;
    const char *name =
        args->thread ? bt_thread_name(args->thread) : "<unknown>";
    const char *value = args->exc_value ? args->exc_value : "";
    /* One call, so the lines of two failing threads do not mix. */
    if (*value)
        fprintf(stderr, "Exception in thread %s:\n%s: %s\n", name,
                bt_errname(args->exc_type), value);
    else
        fprintf(stderr, "Exception in thread %s:\n%s\n", name,
                bt_errname(args->exc_type));
    fflush(stderr);
}

static void report_failure(bt_thread *t, int rc)
{
    char text[BT_ERR_MSG_SIZE];
    const char *value = text;
    if (t->err.code == rc)
        value = t->err.msg; /* what the target said, possibly nothing */
    else if (rc > -1000)
        snprintf(text, sizeof text, "[Errno %d] %s", -rc, bt_strerror(rc));
    else
        snprintf(text, sizeof text, "%s", bt_strerror(rc));
    bt_threading_excepthook_args args = {rc, value, t};
    bt_threading_excepthook_fn fn;
    void *ctx;
    bt_threading_get_excepthook(&fn, &ctx);
    fn(&args, ctx);
}

/* ------------------------------------------------------------------------ */
/* Thread                                                                    */
/* ------------------------------------------------------------------------ */

static bool inherited_daemon(void)
{
    /* A thread the library did not start is a dummy: a daemon. */
    bt_thread *self = tls_self;
    return self ? atomic_load(&self->daemon) : true;
}

int bt_thread_new(bt_thread **out, bt_thread_fn target, void *arg,
                  const char *target_name)
{
    bt_thread *t = alloc_thread(K_THREAD, "Thread", target_name);
    if (!t)
        return BT_ENOMEM;
    t->target = target;
    t->arg = arg;
    atomic_store(&t->daemon, inherited_daemon());
    *out = t;
    return 0;
}

int bt_timer_new(bt_thread **out, double interval, bt_thread_fn function,
                 void *arg)
{
    int rc = bt_thread_new(out, function, arg, NULL);
    if (rc == 0) {
        (*out)->kind = K_TIMER;
        (*out)->interval = interval;
    }
    return rc;
}

int bt_timer_cancel(bt_thread *t)
{
    if (t->kind != K_TIMER)
        return BT_ETYPE;
    pthread_mutex_lock(&t->mu);
    t->cancelled = true;
    pthread_cond_broadcast(&t->cv);
    pthread_mutex_unlock(&t->mu);
    return 0;
}

/* Timer.run: wait for the interval unless cancelled, then run. */
static int timer_run(bt_thread *t)
{
    bt__deadline d;
    double secs = t->interval;
    if (!(secs > 0))
        secs = 0;
    bt__threading_deadline(&d, secs);
    pthread_mutex_lock(&t->mu);
    while (!t->cancelled)
        if (bt__threading_cond_wait(&t->cv, &t->mu, &d) == ETIMEDOUT)
            break;
    bool run = !t->cancelled;
    t->cancelled = true;
    pthread_mutex_unlock(&t->mu);
    return run ? t->target(t->arg, &t->err) : 0;
}

static void *bootstrap(void *p)
{
    bt_thread *t = p;
    tls_self = t;
    atomic_store(&t->ident, bt__threading_ident());
    atomic_store(&t->native_id, (unsigned long)gettid());
    set_state(t, T_RUNNING);

    int rc = t->kind == K_TIMER ? timer_run(t) : t->target(t->arg, &t->err);
    if (rc < 0)
        report_failure(t, rc);
    else
        bt_err_clear(&t->err);
    t->exitcode = rc;

    reg_remove(t);
    set_state(t, T_DONE);
    tls_self = NULL;
    decref(t); /* the thread's own reference: possibly the last */
    return NULL;
}

void bt_thread_free(bt_thread *t)
{
    if (t)
        decref(t);
}

int bt_thread_start(bt_thread *t, bt_err *err)
{
    int expected = T_NEW;
    if (!atomic_compare_exchange_strong(&t->state, &expected, T_STARTING))
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "threads can only be started once");
    incref(t); /* the running thread's */
    reg_add(t);
    pthread_attr_t attr;
    int rc = pthread_attr_init(&attr);
    size_t stack = atomic_load(&stack_size_setting);
    if (rc == 0 && stack)
        rc = pthread_attr_setstacksize(&attr, stack);
    pthread_t h;
    if (rc == 0)
        rc = pthread_create(&h, &attr, bootstrap, t);
    pthread_attr_destroy(&attr);
    if (rc != 0) {
        reg_remove(t);
        atomic_store(&t->state, T_NEW);
        atomic_fetch_sub(&t->refs, 1);
        return bt_err_setf(err, BT_ERUNTIME, -1, "can't start new thread");
    }
    /* Python's start() waits for the thread's _started event. */
    pthread_mutex_lock(&t->mu);
    t->handle = h;
    t->has_handle = true;
    while (atomic_load(&t->state) == T_STARTING)
        pthread_cond_wait(&t->cv, &t->mu);
    pthread_mutex_unlock(&t->mu);
    return 0;
}

int bt_thread_join(bt_thread *t, double timeout, bt_err *err)
{
    int state = atomic_load_explicit(&t->state, memory_order_acquire);
    if (state == T_NEW || state == T_STARTING)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot join thread before it is started");
    if (t == tls_self)
        return bt_err_setf(err, BT_ERUNTIME, -1, "cannot join current thread");
    /* Python: lock.acquire(True, max(timeout, 0)), on a thread still alive
     * (the timeout of a thread that has ended is never looked at). */
    int rc = state == T_DONE ? 0 : bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    bt__deadline d;
    bt__threading_deadline(
        &d, timeout == BT_TIMEOUT_NONE || timeout > 0 ? timeout : 0);
    pthread_mutex_lock(&t->mu);
    while (atomic_load(&t->state) != T_DONE)
        if (bt__threading_cond_wait(&t->cv, &t->mu, &d) == ETIMEDOUT)
            break;
    bool done = atomic_load(&t->state) == T_DONE;
    bool reap = done && t->has_handle && !t->reaped;
    if (reap)
        t->reaped = true;
    pthread_mutex_unlock(&t->mu);
    if (reap)
        pthread_join(t->handle, NULL);
    return done;
}

bool bt_thread_is_alive(const bt_thread *t)
{
    return atomic_load_explicit(&((bt_thread *)t)->state,
                                memory_order_acquire) == T_RUNNING;
}

const char *bt_thread_name(const bt_thread *t)
{
    return t->name;
}

int bt_thread_set_name(bt_thread *t, const char *name)
{
    char *copy = bt_strdup(name);
    if (!copy)
        return BT_ENOMEM;
    if (!t->name_static)
        bt_free(t->name);
    t->name = copy;
    t->name_static = false;
    return 0;
}

unsigned long bt_thread_ident(const bt_thread *t)
{
    return atomic_load(&((bt_thread *)t)->ident);
}

unsigned long bt_thread_native_id(const bt_thread *t)
{
    return atomic_load(&((bt_thread *)t)->native_id);
}

bool bt_thread_daemon(const bt_thread *t)
{
    return atomic_load(&((bt_thread *)t)->daemon);
}

int bt_thread_set_daemon(bt_thread *t, bool daemon, bt_err *err)
{
    if (atomic_load(&t->state) != T_NEW)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot set daemon status of active thread");
    atomic_store(&t->daemon, daemon);
    return 0;
}

int bt_thread_exitcode(const bt_thread *t, bt_err *err)
{
    if (atomic_load_explicit(&((bt_thread *)t)->state, memory_order_acquire) !=
            T_DONE ||
        t->kind == K_MAIN || t->kind == K_DUMMY) {
        bt_err_clear(err);
        return 0;
    }
    if (err)
        *err = t->err;
    return t->exitcode;
}
