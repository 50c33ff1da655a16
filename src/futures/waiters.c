/* waiters.c — concurrent.futures.wait and as_completed, as CPython 3.11's
 * _base: a waiter object hooked into each watched future's list, told by
 * the future (under its lock) when it finishes or is notified cancelled. */
#include <stdlib.h>
#include <string.h>

#include "futures_int.h"

/* ---- the waiter ---- */

static int waiter_init(bt__waiter *w, int kind, size_t n)
{
    memset(w, 0, sizeof *w);
    w->kind = kind;
    w->finished = bt_malloc((n ? n : 1) * sizeof *w->finished);
    if (!w->finished)
        return BT_ENOMEM;
    int rc = bt__threading_mutex_init(&w->mu);
    if (rc == 0 && (rc = bt__threading_cond_init(&w->cv)) < 0)
        pthread_mutex_destroy(&w->mu);
    if (rc < 0)
        bt_free(w->finished);
    /* A guard call: the event cannot fire while futures are being hooked. */
    w->pending_calls = 1;
    return rc;
}

static void waiter_fini(bt__waiter *w)
{
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->cv);
    bt_free(w->finished);
}

static void set_event(bt__waiter *w)
{
    w->event = true;
    pthread_cond_broadcast(&w->cv);
}

static void decrement(bt__waiter *w)
{
    if (--w->pending_calls == 0)
        set_event(w);
}

/* Python's add_result / add_exception / add_cancelled, w->mu held. */
static void waiter_add(bt__waiter *w, bt_future *f)
{
    bool exception = f->state == BT__F_FINISHED && f->code < 0;
    w->finished[w->nfinished++] = f;
    switch (w->kind) {
    case BT__W_AS_COMPLETED:
    case BT_FUTURES_FIRST_COMPLETED:
        set_event(w);
        break;
    case BT_FUTURES_FIRST_EXCEPTION:
        if (exception)
            set_event(w);
        else
            decrement(w);
        break;
    default:
        decrement(w);
    }
}

void bt__waiters_notify(bt_future *f)
{
    for (bt__waiter_node *n = f->waiters; n; n = n->next) {
        pthread_mutex_lock(&n->w->mu);
        waiter_add(n->w, f);
        pthread_mutex_unlock(&n->w->mu);
    }
}

static bool done_state(int state)
{
    return state == BT__F_CANCELLED_AND_NOTIFIED || state == BT__F_FINISHED;
}

/* Hooks w into f: 1 when f was already done (not hooked), 0 when hooked. */
static int install(bt__waiter *w, bt__waiter_node *node, bt_future *f)
{
    pthread_mutex_lock(&f->mu);
    if (done_state(f->state)) {
        pthread_mutex_unlock(&f->mu);
        return 1;
    }
    pthread_mutex_lock(&w->mu);
    w->pending_calls++;
    pthread_mutex_unlock(&w->mu);
    node->w = w;
    node->prev = NULL;
    node->next = f->waiters;
    if (f->waiters)
        f->waiters->prev = node;
    f->waiters = node;
    node->installed = true;
    pthread_mutex_unlock(&f->mu);
    return 0;
}

static void uninstall(bt__waiter_node *node, bt_future *f)
{
    if (!node->installed)
        return;
    pthread_mutex_lock(&f->mu);
    if (node->prev)
        node->prev->next = node->next;
    else
        f->waiters = node->next;
    if (node->next)
        node->next->prev = node->prev;
    pthread_mutex_unlock(&f->mu);
    node->installed = false;
}

/* Drops the guard call (w->mu not held). */
static void release_guard(bt__waiter *w)
{
    pthread_mutex_lock(&w->mu);
    if (w->kind != BT__W_AS_COMPLETED && w->kind != BT_FUTURES_FIRST_COMPLETED)
        decrement(w);
    pthread_mutex_unlock(&w->mu);
}

/* ---- distinct futures ---- */

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t) * (bt_future *const *)a;
    uintptr_t y = (uintptr_t) * (bt_future *const *)b;
    return x < y ? -1 : x > y;
}

/* The distinct futures of fs, sorted by address; returns how many. */
static size_t distinct(bt_future *const *fs, size_t n, bt_future **out)
{
    if (n)
        memcpy(out, fs, n * sizeof *fs);
    qsort(out, n, sizeof *out, cmp_ptr);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || out[m - 1] != out[i])
            out[m++] = out[i];
    return m;
}

static size_t find(bt_future *const *sorted, size_t m, bt_future *f)
{
    bt_future **p = bsearch(&f, sorted, m, sizeof *sorted, cmp_ptr);
    return (size_t)(p - (bt_future **)sorted);
}

/* ---- wait ---- */

ptrdiff_t bt_futures_wait(bt_future *const *fs, size_t n, double timeout,
                          int return_when, bool *done, bt_err *err)
{
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    bt_future **u = bt_malloc((n ? n : 1) * sizeof *u);
    bool *isdone = bt_calloc(n ? n : 1, sizeof *isdone);
    bt__waiter_node *nodes = bt_calloc(n ? n : 1, sizeof *nodes);
    if (!u || !isdone || !nodes) {
        rc = bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
        goto out;
    }
    size_t m = distinct(fs, n, u);

    /* Python's snapshot and early returns, before any waiter exists. */
    size_t ndone = 0;
    bool any_raised = false;
    for (size_t i = 0; i < m; i++) {
        pthread_mutex_lock(&u[i]->mu);
        isdone[i] = done_state(u[i]->state);
        any_raised |= u[i]->state == BT__F_FINISHED && u[i]->code < 0;
        pthread_mutex_unlock(&u[i]->mu);
        ndone += isdone[i];
    }
    bool early = ndone == m ||
                 (return_when == BT_FUTURES_FIRST_COMPLETED && ndone) ||
                 (return_when == BT_FUTURES_FIRST_EXCEPTION && any_raised);
    if (!early) {
        if (return_when != BT_FUTURES_FIRST_COMPLETED &&
            return_when != BT_FUTURES_FIRST_EXCEPTION &&
            return_when != BT_FUTURES_ALL_COMPLETED) {
            rc = bt_err_setf(err, BT_EVALUE, -1, "Invalid return condition: %d",
                             return_when);
            goto out;
        }
        bt__waiter w;
        if ((rc = waiter_init(&w, return_when, m)) < 0) {
            bt_err_setf(err, rc, -1, "%s", "");
            goto out;
        }
        for (size_t i = 0; i < m; i++)
            if (!isdone[i] && install(&w, &nodes[i], u[i]) == 1) {
                /* Done since the snapshot: as if it finished right now. */
                pthread_mutex_lock(&w.mu);
                w.pending_calls++;
                waiter_add(&w, u[i]);
                pthread_mutex_unlock(&w.mu);
            }
        release_guard(&w);
        bt__deadline d;
        bt__threading_deadline(&d, timeout);
        pthread_mutex_lock(&w.mu);
        while (!w.event && bt__threading_cond_wait(&w.cv, &w.mu, &d) == 0)
            ;
        pthread_mutex_unlock(&w.mu);
        for (size_t i = 0; i < m; i++)
            uninstall(&nodes[i], u[i]);
        for (size_t i = 0; i < w.nfinished; i++) {
            size_t k = find(u, m, w.finished[i]);
            ndone += !isdone[k];
            isdone[k] = true;
        }
        waiter_fini(&w);
    }
    if (done)
        for (size_t i = 0; i < n; i++)
            done[i] = isdone[find(u, m, fs[i])];
    rc = 0;
    bt_free(u);
    bt_free(isdone);
    bt_free(nodes);
    return (ptrdiff_t)ndone;
out:
    bt_free(u);
    bt_free(isdone);
    bt_free(nodes);
    return rc;
}

/* ---- as_completed ---- */

struct bt_as_completed {
    bt__waiter w;
    bt_future **u;          /* distinct futures, sorted */
    bt__waiter_node *nodes; /* one per u[i] */
    size_t m;
    bt_future **ready; /* done at the start, in list order */
    size_t nready, ready_pos;
    size_t taken;   /* of w.finished */
    size_t pending; /* not yet given */
    bt__deadline d;
    bool exhausted;
};

void bt_as_completed_free(bt_as_completed *it)
{
    if (!it)
        return;
    for (size_t i = 0; i < it->m; i++)
        uninstall(&it->nodes[i], it->u[i]);
    waiter_fini(&it->w);
    bt_free(it->u);
    bt_free(it->nodes);
    bt_free(it->ready);
    bt_free(it);
}

int bt_as_completed_new(bt_as_completed **out, bt_future *const *fs, size_t n,
                        double timeout, bt_err *err)
{
    *out = NULL;
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    bt_as_completed *it = bt_calloc(1, sizeof *it);
    if (!it)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    size_t cap = n ? n : 1;
    it->u = bt_malloc(cap * sizeof *it->u);
    it->nodes = bt_calloc(cap, sizeof *it->nodes);
    it->ready = bt_malloc(cap * sizeof *it->ready);
    bool *seen = bt_calloc(cap, sizeof *seen);
    if (!it->u || !it->nodes || !it->ready || !seen ||
        waiter_init(&it->w, BT__W_AS_COMPLETED, n) < 0) {
        bt_free(it->u);
        bt_free(it->nodes);
        bt_free(it->ready);
        bt_free(it);
        bt_free(seen);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    bt__threading_deadline(&it->d, timeout);
    it->m = distinct(fs, n, it->u);
    it->pending = it->m;
    /* In list order, so the already-done ones come out as listed. */
    for (size_t i = 0; i < n; i++) {
        size_t k = find(it->u, it->m, fs[i]);
        if (seen[k])
            continue;
        seen[k] = true;
        if (install(&it->w, &it->nodes[k], it->u[k]) == 1)
            it->ready[it->nready++] = it->u[k];
    }
    bt_free(seen);
    *out = it;
    return 0;
}

int bt_as_completed_next(bt_as_completed *it, bt_future **f, bt_err *err)
{
    if (it->exhausted)
        return 0;
    if (it->ready_pos < it->nready) {
        it->pending--;
        *f = it->ready[it->ready_pos++];
        return 1;
    }
    if (it->pending == 0) {
        it->exhausted = true;
        return 0;
    }
    pthread_mutex_lock(&it->w.mu);
    while (it->taken == it->w.nfinished) {
        if (bt__threading_expired(&it->d) ||
            bt__threading_cond_wait(&it->w.cv, &it->w.mu, &it->d) != 0) {
            if (it->taken < it->w.nfinished)
                break;
            pthread_mutex_unlock(&it->w.mu);
            it->exhausted = true;
            return bt_err_setf(err, BT_ETIMEDOUT, -1,
                               "%zu (of %zu) futures unfinished", it->pending,
                               it->m);
        }
    }
    *f = it->w.finished[it->taken++];
    pthread_mutex_unlock(&it->w.mu);
    it->pending--;
    return 1;
}
