/* future.c — concurrent.futures.Future: states, results, callbacks, as
 * CPython 3.11's _base.Future. One mutex and one condition per future;
 * callbacks run outside the mutex, in the thread that completes it. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "futures_int.h"

static const char *const STATE_NAMES[] = {"PENDING", "RUNNING", "CANCELLED",
                                          "CANCELLED_AND_NOTIFIED", "FINISHED"};

/* ---- log hook ---- */

static void default_log(void *ctx, const char *what, const bt_err *e)
{
    (void)ctx;
    char line[BT_ERR_MSG_SIZE + 512];
    int n;
    if (e->msg[0])
        n = snprintf(line, sizeof line, "%s\n%s: %s\n", what,
                     bt_errname(e->code), e->msg);
    else
        n = snprintf(line, sizeof line, "%s\n%s\n", what, bt_errname(e->code));
    if (n > (int)sizeof line - 1)
        n = (int)sizeof line - 1;
    /* One write so concurrent reports do not interleave. */
    ssize_t w = write(2, line, (size_t)n);
    (void)w;
}

/* Hook and context travel together: one pointer swapped atomically. */
typedef struct log_hook {
    bt_futures_log_fn fn;
    void *ctx;
} log_hook;

static log_hook default_hook = {default_log, NULL};
static log_hook hook_slots[2];
static _Atomic(log_hook *) current_hook = &default_hook;
static pthread_mutex_t hook_mu = PTHREAD_MUTEX_INITIALIZER;
static int hook_slot;

void bt_futures_set_log_hook(bt_futures_log_fn hook, void *ctx)
{
    pthread_mutex_lock(&hook_mu);
    if (!hook) {
        atomic_store(&current_hook, &default_hook);
    } else {
        /* Alternate slots: a reader of the other slot still sees a whole
         * pair (hooks are set rarely, by configuration code). */
        hook_slot ^= 1;
        hook_slots[hook_slot].fn = hook;
        hook_slots[hook_slot].ctx = ctx;
        atomic_store(&current_hook, &hook_slots[hook_slot]);
    }
    pthread_mutex_unlock(&hook_mu);
}

void bt__futures_log(const char *what, const bt_err *e)
{
    log_hook *h = atomic_load(&current_hook);
    h->fn(h->ctx, what, e);
}

/* ---- lifecycle ---- */

static bt_future *future_alloc(void)
{
    bt_future *f = bt_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    if (bt__threading_mutex_init(&f->mu) < 0) {
        bt_free(f);
        return NULL;
    }
    if (bt__threading_cond_init(&f->cv) < 0) {
        pthread_mutex_destroy(&f->mu);
        bt_free(f);
        return NULL;
    }
    atomic_init(&f->refs, 1);
    atomic_init(&f->state, BT__F_PENDING);
    return f;
}

int bt_future_new(bt_future **out)
{
    *out = future_alloc();
    return *out ? 0 : BT_ENOMEM;
}

bt_future *bt__future_task(int kind, bt_task_fn fn, bt_bytes_task_fn bfn,
                           const void *arg, size_t arglen)
{
    bt_future *f = future_alloc();
    if (!f)
        return NULL;
    f->kind = kind;
    f->fn = fn;
    f->bfn = bfn;
    if (kind == BT__TASK_BYTES) {
        /* One byte more: a NUL after the bytes, and a real pointer for b"". */
        f->arg = bt_malloc(arglen + 1);
        if (!f->arg) {
            bt_future_free(f);
            return NULL;
        }
        if (arglen)
            memcpy(f->arg, arg, arglen);
        ((char *)f->arg)[arglen] = 0;
        f->arglen = arglen;
    } else {
        f->arg = (void *)arg;
    }
    return f;
}

void bt__future_ref(bt_future *f)
{
    atomic_fetch_add_explicit(&f->refs, 1, memory_order_relaxed);
}

void bt_future_free(bt_future *f)
{
    if (!f)
        return;
    if (atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
        return;
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    bt_free(f->msg);
    bt_free(f->bytes);
    bt_free(f->cbs);
    if (f->kind == BT__TASK_BYTES)
        bt_free(f->arg);
    bt_free(f);
}

/* ---- state ---- */

void bt__future_repr(bt_future *f, int state, char *buf, size_t n)
{
    static const char *const lower[] = {"pending", "running", "cancelled",
                                        "cancelled", "finished"};
    if (state == BT__F_FINISHED && f->code < 0)
        snprintf(buf, n, "<Future at %p state=finished raised %s>", (void *)f,
                 bt_errname(f->code));
    else if (state == BT__F_FINISHED)
        snprintf(buf, n, "<Future at %p state=finished returned %s>", (void *)f,
                 f->has_bytes ? "bytes" : "pointer");
    else
        snprintf(buf, n, "<Future at %p state=%s>", (void *)f, lower[state]);
}

static bool is_done(int state)
{
    return state >= BT__F_CANCELLED;
}

static int load_state(bt_future *f)
{
    return atomic_load_explicit(&f->state, memory_order_acquire);
}

static void store_state(bt_future *f, int state)
{
    atomic_store_explicit(&f->state, state, memory_order_release);
}

bool bt_future_cancelled(bt_future *f)
{
    int st = load_state(f);
    return st == BT__F_CANCELLED || st == BT__F_CANCELLED_AND_NOTIFIED;
}

bool bt_future_running(bt_future *f)
{
    return load_state(f) == BT__F_RUNNING;
}

bool bt_future_done(bt_future *f)
{
    return is_done(load_state(f));
}

/* Takes the callback list out (mu held) so it runs without the lock: a
 * callback may use the future. */
static bt__callback *take_callbacks(bt_future *f, size_t *n)
{
    bt__callback *cbs = f->cbs;
    *n = f->ncbs;
    f->cbs = NULL;
    f->ncbs = f->capcbs = 0;
    return cbs;
}

static void call_one(bt_future *f, const bt__callback *cb)
{
    bt_err e = BT_ERR_INIT;
    int rc = cb->fn(f, cb->ctx, &e);
    if (rc < 0) {
        char what[160];
        char repr[128];
        pthread_mutex_lock(&f->mu);
        bt__future_repr(f, f->state, repr, sizeof repr);
        pthread_mutex_unlock(&f->mu);
        snprintf(what, sizeof what, "exception calling callback for %s", repr);
        if (e.code == 0)
            e.code = rc;
        bt__futures_log(what, &e);
    }
}

static void run_callbacks(bt_future *f, bt__callback *cbs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        call_one(f, &cbs[i]);
    bt_free(cbs);
}

int bt_future_add_done_callback(bt_future *f, bt_future_callback fn, void *ctx)
{
    pthread_mutex_lock(&f->mu);
    if (!is_done(f->state)) {
        if (f->ncbs == f->capcbs) {
            size_t cap = f->capcbs ? f->capcbs * 2 : 2;
            bt__callback *p = bt_realloc(f->cbs, cap * sizeof *p);
            if (!p) {
                pthread_mutex_unlock(&f->mu);
                return BT_ENOMEM;
            }
            f->cbs = p;
            f->capcbs = cap;
        }
        f->cbs[f->ncbs++] = (bt__callback){fn, ctx};
        pthread_mutex_unlock(&f->mu);
        return 0;
    }
    pthread_mutex_unlock(&f->mu);
    bt__callback cb = {fn, ctx};
    call_one(f, &cb);
    return 0;
}

bool bt_future_cancel(bt_future *f)
{
    pthread_mutex_lock(&f->mu);
    if (f->state == BT__F_RUNNING || f->state == BT__F_FINISHED) {
        pthread_mutex_unlock(&f->mu);
        return false;
    }
    int expected = BT__F_PENDING;
    if (!atomic_compare_exchange_strong_explicit(
            &f->state, &expected, BT__F_CANCELLED, memory_order_acq_rel,
            memory_order_acquire)) {
        /* RUNNING (set without the lock just now), or already cancelled. */
        pthread_mutex_unlock(&f->mu);
        return expected != BT__F_RUNNING && expected != BT__F_FINISHED;
    }
    if (f->sleepers)
        pthread_cond_broadcast(&f->cv);
    size_t n;
    bt__callback *cbs = take_callbacks(f, &n);
    pthread_mutex_unlock(&f->mu);
    run_callbacks(f, cbs, n);
    return true;
}

int bt_future_set_running_or_notify_cancel(bt_future *f, bt_err *err)
{
    /* PENDING -> RUNNING wakes nobody: one compare-and-swap, no lock
     * (cancel() makes its own change from PENDING under the lock with a
     * compare-and-swap as well, so exactly one of the two wins). */
    int expected = BT__F_PENDING;
    if (atomic_compare_exchange_strong_explicit(
            &f->state, &expected, BT__F_RUNNING, memory_order_acq_rel,
            memory_order_acquire))
        return 1;
    pthread_mutex_lock(&f->mu);
    int rc;
    if (f->state == BT__F_CANCELLED) {
        store_state(f, BT__F_CANCELLED_AND_NOTIFIED);
        bt__waiters_notify(f);
        rc = 0;
    } else {
        /* CPython logs it critically before raising. */
        char what[128];
        snprintf(what, sizeof what, "Future %p in unexpected state: %s",
                 (void *)f, STATE_NAMES[f->state]);
        bt_err e = BT_ERR_INIT;
        rc = bt_err_setf(&e, BT_ERUNTIME, -1, "Future in unexpected state");
        pthread_mutex_unlock(&f->mu);
        bt__futures_log(what, &e);
        if (err)
            *err = e;
        return rc;
    }
    pthread_mutex_unlock(&f->mu);
    return rc;
}

/* Finishes (mu held, state checked): wakes waiters, hands back callbacks. */
static bt__callback *finish_locked(bt_future *f, size_t *n)
{
    store_state(f, BT__F_FINISHED);
    bt__waiters_notify(f);
    if (f->sleepers)
        pthread_cond_broadcast(&f->cv);
    return take_callbacks(f, n);
}

static int invalid_state(bt_future *f, bt_err *err)
{
    char repr[128];
    bt__future_repr(f, f->state, repr, sizeof repr);
    return bt_err_setf(err, BT_EINVALIDSTATE, -1, "%s: %s",
                       STATE_NAMES[f->state], repr);
}

static bool settable(int state)
{
    return state == BT__F_PENDING || state == BT__F_RUNNING;
}

int bt_future_set_result(bt_future *f, void *value, bt_err *err)
{
    pthread_mutex_lock(&f->mu);
    if (!settable(f->state)) {
        int rc = invalid_state(f, err);
        pthread_mutex_unlock(&f->mu);
        return rc;
    }
    f->code = 0;
    f->value = value;
    size_t n;
    bt__callback *cbs = finish_locked(f, &n);
    pthread_mutex_unlock(&f->mu);
    run_callbacks(f, cbs, n);
    return 0;
}

int bt_future_set_result_bytes(bt_future *f, const void *data, size_t len,
                               bt_err *err)
{
    char *copy = bt_malloc(len + 1);
    if (!copy)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    if (len)
        memcpy(copy, data, len);
    copy[len] = 0;
    pthread_mutex_lock(&f->mu);
    if (!settable(f->state)) {
        int rc = invalid_state(f, err);
        pthread_mutex_unlock(&f->mu);
        bt_free(copy);
        return rc;
    }
    f->code = 0;
    f->bytes = copy;
    f->nbytes = len;
    f->has_bytes = true;
    size_t n;
    bt__callback *cbs = finish_locked(f, &n);
    pthread_mutex_unlock(&f->mu);
    run_callbacks(f, cbs, n);
    return 0;
}

int bt_future_set_exception(bt_future *f, int code, const char *message,
                            bt_err *err)
{
    if (code >= 0)
        return bt_err_setf(err, BT_EVALUE, -1, "code must be negative");
    char *msg = NULL;
    if (message && *message && !(msg = bt_strdup(message)))
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    pthread_mutex_lock(&f->mu);
    if (!settable(f->state)) {
        int rc = invalid_state(f, err);
        pthread_mutex_unlock(&f->mu);
        bt_free(msg);
        return rc;
    }
    f->code = code;
    f->msg = msg;
    size_t n;
    bt__callback *cbs = finish_locked(f, &n);
    pthread_mutex_unlock(&f->mu);
    run_callbacks(f, cbs, n);
    return 0;
}

void bt__future_finish(bt_future *f, int code, void *value, bt_buf *buf,
                       const char *msg)
{
    char *m = NULL;
    void *bytes = NULL;
    size_t nbytes = 0;
    if (code < 0 && msg && *msg)
        m = bt_strdup(msg); /* NULL on ENOMEM: the exception keeps its class */
    if (code >= 0 && buf) {
        /* An empty result is still bytes, b"" (take gives a fresh ""). */
        bytes = bt_buf_take(buf, &nbytes);
        if (!bytes)
            code = BT_ENOMEM;
    }
    pthread_mutex_lock(&f->mu);
    if (!settable(f->state)) {
        pthread_mutex_unlock(&f->mu);
        bt_free(m);
        bt_free(bytes);
        return;
    }
    f->code = code;
    f->msg = m;
    if (code >= 0) {
        f->value = value;
        if (buf) {
            f->bytes = bytes;
            f->nbytes = nbytes;
            f->has_bytes = true;
        }
    } else {
        bt_free(bytes);
    }
    size_t n;
    bt__callback *cbs = finish_locked(f, &n);
    pthread_mutex_unlock(&f->mu);
    run_callbacks(f, cbs, n);
}

void bt__future_run(bt_future *f)
{
    if (bt_future_set_running_or_notify_cancel(f, NULL) != 1)
        return;
    bt_err e = BT_ERR_INIT;
    int rc;
    if (f->kind == BT__TASK_PTR) {
        void *value = NULL;
        rc = f->fn(f->arg, &value, &e);
        bt__future_finish(f, rc, value, NULL, e.msg);
    } else {
        bt_buf out;
        bt_buf_init(&out);
        rc = f->bfn(f->arg, f->arglen, &out, &e);
        if (rc < 0)
            bt_buf_fini(&out);
        bt__future_finish(f, rc, NULL, &out, e.msg);
        bt_buf_fini(&out);
    }
}

/* ---- waiting for the outcome ---- */

/* Waits until done or d passes (mu held). */
static void wait_done(bt_future *f, const bt__deadline *d)
{
    f->sleepers++;
    while (!is_done(f->state) &&
           bt__threading_cond_wait(&f->cv, &f->mu, d) == 0)
        ;
    f->sleepers--;
}

/* result()/exception()'s common part: 0 once the future is finished (its
 * outcome fields are then fixed and read without the lock), or an error. */
static int await_finished(bt_future *f, double timeout, bt_err *err)
{
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    int st = load_state(f);
    if (!is_done(st)) {
        pthread_mutex_lock(&f->mu);
        bt__deadline d;
        bt__threading_deadline(&d, timeout);
        wait_done(f, &d);
        pthread_mutex_unlock(&f->mu);
        st = load_state(f);
    }
    if (st == BT__F_CANCELLED || st == BT__F_CANCELLED_AND_NOTIFIED)
        return bt_err_setf(err, BT_ECANCELLED, -1, "%s", "");
    if (st != BT__F_FINISHED)
        return bt_err_setf(err, BT_ETIMEDOUT, -1, "%s", "");
    return 0;
}

static int raise_outcome(bt_future *f, bt_err *err)
{
    int code = f->code;
    if (code < 0)
        bt_err_setf(err, code, -1, "%s", f->msg ? f->msg : "");
    return code;
}

int bt_future_result(bt_future *f, double timeout, void **value, bt_err *err)
{
    int rc = await_finished(f, timeout, err);
    if (rc < 0)
        return rc;
    if (value)
        *value = f->code >= 0 ? f->value : NULL;
    return raise_outcome(f, err);
}

int bt_future_result_bytes(bt_future *f, double timeout, const void **data,
                           size_t *len, bt_err *err)
{
    int rc = await_finished(f, timeout, err);
    if (rc < 0)
        return rc;
    bool ok = f->code >= 0 && f->has_bytes;
    if (data)
        *data = ok ? f->bytes : NULL;
    if (len)
        *len = ok ? f->nbytes : 0;
    return raise_outcome(f, err);
}

int bt_future_exception(bt_future *f, double timeout, int *code, bt_err *exc,
                        bt_err *err)
{
    int rc = await_finished(f, timeout, err);
    if (rc < 0)
        return rc;
    int c = f->code < 0 ? f->code : 0;
    if (code)
        *code = c;
    if (exc) {
        bt_err_clear(exc);
        if (c < 0)
            bt_err_setf(exc, c, -1, "%s", f->msg ? f->msg : "");
    }
    return 0;
}
