/* sync.c — threading.Semaphore, BoundedSemaphore, Event and Barrier, each
 * on one mutex and one condition variable (CLOCK_MONOTONIC). */
#include <errno.h>

#include "threading_int.h"

/* A mutex and a monotonic condition variable, set up together. */
static int pair_init(pthread_mutex_t *mu, pthread_cond_t *cv)
{
    int rc = bt__threading_mutex_init(mu);
    if (rc < 0)
        return rc;
    rc = bt__threading_cond_init(cv);
    if (rc < 0)
        pthread_mutex_destroy(mu);
    return rc;
}

static void pair_fini(pthread_mutex_t *mu, pthread_cond_t *cv)
{
    pthread_cond_destroy(cv);
    pthread_mutex_destroy(mu);
}

/* Python's cond.wait(timeout) converts only a positive timeout. */
static int check_positive(double timeout, bt_err *err)
{
    return timeout > 0 ? bt__threading_check_timeout(timeout, err) : 0;
}

/* ------------------------------------------------------------------------ */
/* Semaphore                                                                 */
/* ------------------------------------------------------------------------ */

struct bt_semaphore {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    ptrdiff_t value;
    ptrdiff_t initial;
    bool bounded;
};

static int semaphore_make(bt_semaphore **out, ptrdiff_t value, bool bounded,
                          bt_err *err)
{
    if (value < 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "semaphore initial value must be >= 0");
    bt_semaphore *s = bt_malloc(sizeof *s);
    if (!s)
        return BT_ENOMEM;
    int rc = pair_init(&s->mu, &s->cv);
    if (rc < 0) {
        bt_free(s);
        return rc;
    }
    s->value = s->initial = value;
    s->bounded = bounded;
    *out = s;
    return 0;
}

int bt_semaphore_new(bt_semaphore **out, ptrdiff_t value, bt_err *err)
{
    return semaphore_make(out, value, false, err);
}

int bt_bounded_semaphore_new(bt_semaphore **out, ptrdiff_t value, bt_err *err)
{
    return semaphore_make(out, value, true, err);
}

void bt_semaphore_free(bt_semaphore *s)
{
    if (!s)
        return;
    pair_fini(&s->mu, &s->cv);
    bt_free(s);
}

int bt_semaphore_acquire(bt_semaphore *s, bool blocking, double timeout,
                         bt_err *err)
{
    if (!blocking && timeout != BT_TIMEOUT_NONE)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "can't specify timeout for non-blocking acquire");
    pthread_mutex_lock(&s->mu);
    if (s->value == 0 && blocking) {
        /* The deadline is fixed at the first wait, as Python's endtime. */
        int rc = check_positive(timeout, err);
        if (rc < 0) {
            pthread_mutex_unlock(&s->mu);
            return rc;
        }
        bt__deadline d;
        bt__threading_deadline(
            &d, timeout == BT_TIMEOUT_NONE || timeout > 0 ? timeout : 0);
        while (s->value == 0)
            if (bt__threading_cond_wait(&s->cv, &s->mu, &d) == ETIMEDOUT)
                break;
    }
    int got = s->value > 0;
    if (got)
        s->value--;
    pthread_mutex_unlock(&s->mu);
    return got;
}

int bt_semaphore_release(bt_semaphore *s, ptrdiff_t n, bt_err *err)
{
    if (n < 1)
        return bt_err_setf(err, BT_EVALUE, -1, "n must be one or more");
    pthread_mutex_lock(&s->mu);
    if (s->bounded && s->value > s->initial - n) {
        pthread_mutex_unlock(&s->mu);
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Semaphore released too many times");
    }
    s->value += n;
    if (n == 1)
        pthread_cond_signal(&s->cv);
    else
        pthread_cond_broadcast(&s->cv);
    pthread_mutex_unlock(&s->mu);
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Event                                                                     */
/* ------------------------------------------------------------------------ */

struct bt_event {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool flag;
    unsigned long sets; /* counts set() calls that raised the flag */
};

int bt_event_new(bt_event **out)
{
    bt_event *e = bt_malloc(sizeof *e);
    if (!e)
        return BT_ENOMEM;
    int rc = pair_init(&e->mu, &e->cv);
    if (rc < 0) {
        bt_free(e);
        return rc;
    }
    e->flag = false;
    e->sets = 0;
    *out = e;
    return 0;
}

void bt_event_free(bt_event *e)
{
    if (!e)
        return;
    pair_fini(&e->mu, &e->cv);
    bt_free(e);
}

void bt_event_set(bt_event *e)
{
    pthread_mutex_lock(&e->mu);
    if (!e->flag) {
        e->flag = true;
        e->sets++;
        pthread_cond_broadcast(&e->cv);
    }
    pthread_mutex_unlock(&e->mu);
}

void bt_event_clear(bt_event *e)
{
    pthread_mutex_lock(&e->mu);
    e->flag = false;
    pthread_mutex_unlock(&e->mu);
}

bool bt_event_is_set(bt_event *e)
{
    pthread_mutex_lock(&e->mu);
    bool flag = e->flag;
    pthread_mutex_unlock(&e->mu);
    return flag;
}

int bt_event_wait(bt_event *e, double timeout, bt_err *err)
{
    pthread_mutex_lock(&e->mu);
    int got = e->flag;
    if (!got) {
        int rc = check_positive(timeout, err);
        if (rc < 0) {
            pthread_mutex_unlock(&e->mu);
            return rc;
        }
        bt__deadline d;
        bt__threading_deadline(
            &d, timeout == BT_TIMEOUT_NONE || timeout > 0 ? timeout : 0);
        unsigned long seen = e->sets;
        while (e->sets == seen)
            if (bt__threading_cond_wait(&e->cv, &e->mu, &d) == ETIMEDOUT)
                break;
        got = e->sets != seen;
    }
    pthread_mutex_unlock(&e->mu);
    return got;
}

/* ------------------------------------------------------------------------ */
/* Barrier                                                                   */
/* ------------------------------------------------------------------------ */

/* Python's states: filling, draining, resetting, broken. */
enum { FILLING = 0, DRAINING = 1, RESETTING = -1, BROKEN = -2 };

struct bt_barrier {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t parties;
    size_t count;
    int state;
    bt_thread_fn action;
    void *arg;
    double timeout;
};

int bt_barrier_new(bt_barrier **out, size_t parties, bt_thread_fn action,
                   void *arg, double timeout, bt_err *err)
{
    if (parties < 1)
        return bt_err_setf(err, BT_EVALUE, -1, "parties must be >= 1");
    bt_barrier *b = bt_malloc(sizeof *b);
    if (!b)
        return BT_ENOMEM;
    int rc = pair_init(&b->mu, &b->cv);
    if (rc < 0) {
        bt_free(b);
        return rc;
    }
    b->parties = parties;
    b->count = 0;
    b->state = FILLING;
    b->action = action;
    b->arg = arg;
    b->timeout = timeout;
    *out = b;
    return 0;
}

void bt_barrier_free(bt_barrier *b)
{
    if (!b)
        return;
    pair_fini(&b->mu, &b->cv);
    bt_free(b);
}

static void barrier_break(bt_barrier *b)
{
    b->state = BROKEN;
    pthread_cond_broadcast(&b->cv);
}

static ptrdiff_t broken_error(bt_err *err)
{
    return bt_err_setf(err, BT_EBROKEN, -1, "%s", "");
}

ptrdiff_t bt_barrier_wait(bt_barrier *b, double timeout, bt_err *err)
{
    if (timeout == BT_TIMEOUT_NONE)
        timeout = b->timeout;
    pthread_mutex_lock(&b->mu);
    /* Wait while the previous round drains or a reset completes. */
    while (b->state == DRAINING || b->state == RESETTING)
        pthread_cond_wait(&b->cv, &b->mu);
    if (b->state < 0) {
        pthread_mutex_unlock(&b->mu);
        return broken_error(err);
    }
    ptrdiff_t rc = (ptrdiff_t)b->count++;
    if (b->count == b->parties) {
        /* The last to arrive runs the action, then releases everyone. */
        int arc = b->action ? b->action(b->arg, err) : 0;
        if (arc < 0) {
            barrier_break(b);
            rc = arc;
        } else {
            b->state = DRAINING;
            pthread_cond_broadcast(&b->cv);
        }
    } else {
        int crc = check_positive(timeout, err);
        if (crc < 0) {
            rc = crc;
        } else {
            bt__deadline d;
            bt__threading_deadline(
                &d, timeout == BT_TIMEOUT_NONE || timeout > 0 ? timeout : 0);
            while (b->state == FILLING)
                if (bt__threading_cond_wait(&b->cv, &b->mu, &d) == ETIMEDOUT) {
                    if (b->state == FILLING)
                        barrier_break(b); /* a timeout breaks the barrier */
                    break;
                }
            if (b->state < 0)
                rc = broken_error(err);
        }
    }
    /* The last one out of a draining or resetting barrier refills it. */
    if (--b->count == 0 && (b->state == DRAINING || b->state == RESETTING)) {
        b->state = FILLING;
        pthread_cond_broadcast(&b->cv);
    }
    pthread_mutex_unlock(&b->mu);
    return rc;
}

void bt_barrier_reset(bt_barrier *b)
{
    pthread_mutex_lock(&b->mu);
    if (b->count > 0) {
        if (b->state == FILLING || b->state == BROKEN)
            b->state = RESETTING;
    } else {
        b->state = FILLING;
    }
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

void bt_barrier_abort(bt_barrier *b)
{
    pthread_mutex_lock(&b->mu);
    barrier_break(b);
    pthread_mutex_unlock(&b->mu);
}

size_t bt_barrier_parties(bt_barrier *b)
{
    return b->parties;
}

size_t bt_barrier_n_waiting(bt_barrier *b)
{
    pthread_mutex_lock(&b->mu);
    size_t n = b->state == FILLING ? b->count : 0;
    pthread_mutex_unlock(&b->mu);
    return n;
}

bool bt_barrier_broken(bt_barrier *b)
{
    pthread_mutex_lock(&b->mu);
    bool broken = b->state == BROKEN;
    pthread_mutex_unlock(&b->mu);
    return broken;
}
