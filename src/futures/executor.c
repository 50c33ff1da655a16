/* executor.c — the one submit/future API over the backends' vtable,
 * Executor.map, and the registry of named tasks (the shape a task has when
 * it travels: a name plus argument bytes). */
#include <string.h>

#include "futures_int.h"

/* ---- submit ---- */

static int submit(bt_executor *ex, int kind, bt_task_fn fn,
                  bt_bytes_task_fn bfn, const void *arg, size_t len,
                  bt_future **out, bt_err *err)
{
    *out = NULL;
    bt_future *f = bt__future_task(kind, fn, bfn, arg, len);
    if (!f)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    bt__future_ref(f); /* the executor's, until the call is done */
    int rc = ex->ops->submit(ex, f, err);
    if (rc < 0) {
        bt_future_free(f);
        bt_future_free(f);
        return rc;
    }
    *out = f;
    return 0;
}

int bt_executor_submit(bt_executor *ex, bt_task_fn fn, void *arg,
                       bt_future **out, bt_err *err)
{
    if (!ex->ops->runs_pointer_tasks) {
        *out = NULL;
        return bt_err_setf(err, BT_ETYPE, -1,
                           "a process pool runs bytes tasks only");
    }
    return submit(ex, BT__TASK_PTR, fn, NULL, arg, 0, out, err);
}

int bt_executor_submit_bytes(bt_executor *ex, bt_bytes_task_fn fn,
                             const void *arg, size_t len, bt_future **out,
                             bt_err *err)
{
    return submit(ex, BT__TASK_BYTES, NULL, fn, arg, len, out, err);
}

int bt_executor_submit_named(bt_executor *ex, const char *name, const void *arg,
                             size_t len, bt_future **out, bt_err *err)
{
    bt_bytes_task_fn fn = bt__futures_lookup(name);
    if (!fn) {
        *out = NULL;
        return bt_err_setf(err, BT_EKEY, -1, "no task registered as '%s'",
                           name);
    }
    return submit(ex, BT__TASK_BYTES, NULL, fn, arg, len, out, err);
}

void bt_executor_shutdown(bt_executor *ex, bool wait, bool cancel_futures)
{
    ex->ops->shutdown(ex, wait, cancel_futures);
}

void bt_executor_free(bt_executor *ex)
{
    if (ex)
        ex->ops->destroy(ex);
}

size_t bt_executor_max_workers(bt_executor *ex)
{
    return ex->max_workers;
}

/* ---- registry ---- */

typedef struct named {
    char *name;
    bt_bytes_task_fn fn;
} named;

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static named *reg;
static size_t nreg, capreg;

int bt_futures_register(const char *name, bt_bytes_task_fn fn, bt_err *err)
{
    pthread_mutex_lock(&reg_mu);
    for (size_t i = 0; i < nreg; i++)
        if (strcmp(reg[i].name, name) == 0) {
            pthread_mutex_unlock(&reg_mu);
            if (reg[i].fn == fn)
                return 0;
            return bt_err_setf(err, BT_EVALUE, -1,
                               "task '%s' is already registered", name);
        }
    if (nreg == capreg) {
        size_t cap = capreg ? capreg * 2 : 8;
        /* The table lives as long as the process (still reachable). */
        named *p = bt_realloc(reg, cap * sizeof *p);
        if (!p) {
            pthread_mutex_unlock(&reg_mu);
            return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
        }
        reg = p;
        capreg = cap;
    }
    char *copy = bt_strdup(name);
    if (!copy) {
        pthread_mutex_unlock(&reg_mu);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    reg[nreg++] = (named){copy, fn};
    pthread_mutex_unlock(&reg_mu);
    return 0;
}

bt_bytes_task_fn bt__futures_lookup(const char *name)
{
    bt_bytes_task_fn fn = NULL;
    pthread_mutex_lock(&reg_mu);
    for (size_t i = 0; i < nreg && !fn; i++)
        if (strcmp(reg[i].name, name) == 0)
            fn = reg[i].fn;
    pthread_mutex_unlock(&reg_mu);
    return fn;
}

/* ---- map ---- */

struct bt_map {
    bt_future **fs;
    size_t n, next;
    bt__deadline d;
    bool timed;
    bt_future *last; /* the future whose result was given last */
};

void bt_map_free(bt_map *m)
{
    if (!m)
        return;
    /* The generator's finally: cancel what has not been given. */
    for (size_t i = m->next; i < m->n; i++) {
        bt_future_cancel(m->fs[i]);
        bt_future_free(m->fs[i]);
    }
    bt_future_free(m->last);
    bt_free(m->fs);
    bt_free(m);
}

static int map_new(bt_map **out, bt_executor *ex, int kind, bt_task_fn fn,
                   bt_bytes_task_fn bfn, const void *const *args,
                   const size_t *lens, size_t n, double timeout, bt_err *err)
{
    *out = NULL;
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    if (kind == BT__TASK_PTR && !ex->ops->runs_pointer_tasks)
        return bt_err_setf(err, BT_ETYPE, -1,
                           "a process pool runs bytes tasks only");
    bt_map *m = bt_calloc(1, sizeof *m);
    if (m)
        m->fs = bt_calloc(n ? n : 1, sizeof *m->fs);
    if (!m || !m->fs) {
        bt_free(m);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    /* Python fixes end_time before submitting. */
    m->timed = timeout != BT_TIMEOUT_NONE;
    bt__threading_deadline(&m->d, timeout);
    for (size_t i = 0; i < n; i++) {
        rc = submit(ex, kind, fn, bfn, args[i], lens ? lens[i] : 0, &m->fs[i],
                    err);
        if (rc < 0) {
            m->n = i;
            bt_map_free(m);
            return rc;
        }
    }
    m->n = n;
    *out = m;
    return 0;
}

int bt_executor_map(bt_map **out, bt_executor *ex, bt_task_fn fn,
                    void *const *args, size_t n, double timeout, bt_err *err)
{
    return map_new(out, ex, BT__TASK_PTR, fn, NULL, (const void *const *)args,
                   NULL, n, timeout, err);
}

int bt_executor_map_bytes(bt_map **out, bt_executor *ex, bt_bytes_task_fn fn,
                          const void *const *args, const size_t *lens, size_t n,
                          double timeout, bt_err *err)
{
    return map_new(out, ex, BT__TASK_BYTES, NULL, fn, args, lens, n, timeout,
                   err);
}

/* The remaining time as result() takes it: Python passes
 * end_time - monotonic(), which may be negative (then only a check). */
static double remaining(const bt_map *m)
{
    if (!m->timed)
        return BT_TIMEOUT_NONE;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double r = (double)(m->d.at.tv_sec - now.tv_sec) +
               (double)(m->d.at.tv_nsec - now.tv_nsec) / 1e9;
    /* -1.0 would read as None: any negative value only checks. */
    return r < 0 ? -0.5 : r;
}

/* Moves to the next future; 0 at the end. */
static bt_future *map_step(bt_map *m)
{
    if (m->next >= m->n)
        return NULL;
    bt_future_free(m->last);
    m->last = m->fs[m->next++];
    return m->last;
}

static int map_failed(bt_map *m, int rc)
{
    /* _result_or_cancel cancels the future it waited for. */
    bt_future_cancel(m->last);
    /* The generator is done: cancel the rest now, and stop. */
    for (size_t i = m->next; i < m->n; i++) {
        bt_future_cancel(m->fs[i]);
        bt_future_free(m->fs[i]);
    }
    m->n = m->next;
    return rc;
}

int bt_map_next(bt_map *m, void **value, bt_err *err)
{
    bt_future *f = map_step(m);
    if (!f)
        return 0;
    int rc = bt_future_result(f, remaining(m), value, err);
    return rc < 0 ? map_failed(m, rc) : 1;
}

int bt_map_next_bytes(bt_map *m, const void **data, size_t *len, bt_err *err)
{
    bt_future *f = map_step(m);
    if (!f)
        return 0;
    int rc = bt_future_result_bytes(f, remaining(m), data, len, err);
    return rc < 0 ? map_failed(m, rc) : 1;
}
