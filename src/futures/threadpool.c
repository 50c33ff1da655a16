/* threadpool.c — ThreadPoolExecutor, as CPython 3.11's thread.py: a FIFO of
 * futures (each future carries its task), worker threads started on
 * demand while none is idle, an initializer whose failure breaks the pool.
 *
 * The queue is an intrusive list under one mutex: a submit is one lock, one
 * link and, only when a worker sleeps and none is spinning, one signal. A worker that finds the
 * queue empty spins briefly before sleeping, because a burst of small tasks
 * otherwise costs a futex wake-up per task. */
#include <sched.h>
#include <stdio.h>
#include <string.h>

#include <batteries/os.h>

#include "futures_int.h"

static const char BROKEN_MSG[] =
    "A thread initializer failed, the thread pool is not usable anymore";

typedef struct tpool {
    bt_executor base;
    pthread_mutex_t mu;
    pthread_cond_t cv; /* workers wait here for work */
    bt_future *head, *tail;
    atomic_size_t queued; /* read without the lock by spinning workers */
    size_t nsleeping;
    size_t nspinning; /* idle workers still looking: they need no signal */
    size_t idle;      /* Python's _idle_semaphore */
    bt_thread **threads;
    size_t nthreads;
    char *prefix;
    bt_thread_fn init;
    void *initarg;
    bool shutdown;
    bool broken;
} tpool;

static atomic_uint pool_counter;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
} /* ThreadPoolExecutor-N */

static bt_future *pop_locked(tpool *p)
{
    bt_future *f = p->head;
    if (f) {
        p->head = f->next;
        if (!p->head)
            p->tail = NULL;
        f->next = NULL;
        atomic_store_explicit(
            &p->queued,
            atomic_load_explicit(&p->queued, memory_order_relaxed) - 1,
            memory_order_relaxed);
    }
    return f;
}

/* Takes the whole queue out (mu held), for draining outside the lock. */
static bt_future *take_all_locked(tpool *p)
{
    bt_future *f = p->head;
    p->head = p->tail = NULL;
    atomic_store_explicit(&p->queued, 0, memory_order_relaxed);
    return f;
}

static void initializer_failed(tpool *p)
{
    pthread_mutex_lock(&p->mu);
    p->broken = true;
    bt_future *f = take_all_locked(p);
    pthread_mutex_unlock(&p->mu);
    while (f) {
        bt_future *next = f->next;
        /* A future cancelled meanwhile stays cancelled. */
        bt_future_set_exception(f, BT_EBROKEN, BROKEN_MSG, NULL);
        bt_future_free(f);
        f = next;
    }
}

/* How long an idle worker looks for work before sleeping, and how often it
 * yields meanwhile: the submitting thread usually shares the cores with the
 * workers, and a spinner that never yields slows the very thread it waits
 * for (measured on 2 cores: 400/16 beat both 2000 pure spins and none). */
enum { SPIN_ITERS = 400, YIELD_EVERY = 16 };

static int worker(void *arg, bt_err *err)
{
    (void)err;
    tpool *p = arg;
    if (p->init) {
        bt_err e = BT_ERR_INIT;
        int rc = p->init(p->initarg, &e);
        if (rc < 0) {
            if (e.code == 0)
                e.code = rc;
            bt__futures_log("Exception in initializer:", &e);
            initializer_failed(p);
            return 0;
        }
    }
    pthread_mutex_lock(&p->mu);
    for (;;) {
        bt_future *f = pop_locked(p);
        if (!f) {
            if (p->shutdown)
                break;
            p->nspinning++;
            pthread_mutex_unlock(&p->mu);
            for (int i = 0;
                 i < SPIN_ITERS &&
                 !atomic_load_explicit(&p->queued, memory_order_relaxed);
                 i++) {
                if (i % YIELD_EVERY == YIELD_EVERY - 1)
                    sched_yield();
                else
                    cpu_relax();
            }
            pthread_mutex_lock(&p->mu);
            p->nspinning--;
            if (p->head || p->shutdown)
                continue;
            p->nsleeping++;
            pthread_cond_wait(&p->cv, &p->mu);
            p->nsleeping--;
            continue;
        }
        /* More work than this worker and the spinners can take: wake the
         * next sleeper (a submit signals only when nobody spins). */
        if (p->head && p->nsleeping && !p->nspinning)
            pthread_cond_signal(&p->cv);
        pthread_mutex_unlock(&p->mu);
        bt__future_run(f);
        bt_future_free(f);
        pthread_mutex_lock(&p->mu);
        p->idle++;
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

/* Python's _adjust_thread_count (mu held). Returns 0 or a start error. */
static int adjust_thread_count(tpool *p, bt_err *err)
{
    if (p->idle) {
        p->idle--;
        return 0;
    }
    if (p->nthreads >= p->base.max_workers)
        return 0;
    bt_thread *t;
    int rc = bt_thread_new(&t, worker, p, NULL);
    if (rc < 0)
        return bt_err_setf(err, rc, -1, "%s", "");
    char name[256];
    snprintf(name, sizeof name, "%s_%zu", p->prefix, p->nthreads);
    if ((rc = bt_thread_set_name(t, name)) < 0 ||
        (rc = bt_thread_set_daemon(t, true, err)) < 0 ||
        (rc = bt_thread_start(t, err)) < 0) {
        bt_thread_free(t);
        return rc;
    }
    p->threads[p->nthreads++] = t;
    return 0;
}

static int tp_submit(bt_executor *ex, bt_future *f, bt_err *err)
{
    tpool *p = (tpool *)ex;
    pthread_mutex_lock(&p->mu);
    if (p->broken) {
        pthread_mutex_unlock(&p->mu);
        return bt_err_setf(err, BT_EBROKEN, -1, "%s", BROKEN_MSG);
    }
    if (p->shutdown) {
        pthread_mutex_unlock(&p->mu);
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot schedule new futures after shutdown");
    }
    f->next = NULL;
    if (p->tail)
        p->tail->next = f;
    else
        p->head = f;
    p->tail = f;
    atomic_store_explicit(
        &p->queued, atomic_load_explicit(&p->queued, memory_order_relaxed) + 1,
        memory_order_relaxed);
    if (p->nsleeping && !p->nspinning)
        pthread_cond_signal(&p->cv);
    int rc = adjust_thread_count(p, err);
    if (rc < 0 && p->nthreads == 0) {
        /* Nobody would ever run it: take it back (it is the only one, as
         * every earlier submit started a thread). */
        take_all_locked(p);
        pthread_mutex_unlock(&p->mu);
        return rc;
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

static void tp_shutdown(bt_executor *ex, bool wait, bool cancel_futures)
{
    tpool *p = (tpool *)ex;
    pthread_mutex_lock(&p->mu);
    p->shutdown = true;
    bt_future *f = cancel_futures ? take_all_locked(p) : NULL;
    pthread_cond_broadcast(&p->cv);
    size_t n = p->nthreads; /* no thread starts after shutdown */
    pthread_mutex_unlock(&p->mu);
    while (f) {
        bt_future *next = f->next;
        bt_future_cancel(f);
        bt_future_free(f);
        f = next;
    }
    if (wait)
        for (size_t i = 0; i < n; i++)
            bt_thread_join(p->threads[i], BT_TIMEOUT_NONE, NULL);
}

static void tp_destroy(bt_executor *ex)
{
    tpool *p = (tpool *)ex;
    tp_shutdown(ex, true, false);
    for (size_t i = 0; i < p->nthreads; i++)
        bt_thread_free(p->threads[i]);
    bt_free(p->threads);
    bt_free(p->prefix);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    bt_free(p);
}

static const bt__executor_ops tp_ops = {tp_submit, tp_shutdown, tp_destroy,
                                        true};

int bt_threadpool_new(bt_executor **out, ptrdiff_t max_workers,
                      const char *thread_name_prefix, bt_thread_fn initializer,
                      void *initarg, bt_err *err)
{
    *out = NULL;
    if (max_workers == BT_FUTURES_DEFAULT) {
        int cpus = bt_os_cpu_count();
        max_workers = (cpus > 0 ? cpus : 1) + 4;
        if (max_workers > 32)
            max_workers = 32;
    } else if (max_workers <= 0) {
        return bt_err_setf(err, BT_EVALUE, -1,
                           "max_workers must be greater than 0");
    }
    tpool *p = bt_calloc(1, sizeof *p);
    if (!p)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    p->base.ops = &tp_ops;
    p->base.max_workers = (size_t)max_workers;
    p->init = initializer;
    p->initarg = initarg;
    p->threads = bt_calloc((size_t)max_workers, sizeof *p->threads);
    if (thread_name_prefix && *thread_name_prefix) {
        p->prefix = bt_strdup(thread_name_prefix);
    } else {
        char name[64];
        snprintf(name, sizeof name, "ThreadPoolExecutor-%u",
                 atomic_fetch_add(&pool_counter, 1));
        p->prefix = bt_strdup(name);
    }
    if (!p->threads || !p->prefix || bt__threading_mutex_init(&p->mu) < 0) {
        bt_free(p->threads);
        bt_free(p->prefix);
        bt_free(p);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    if (bt__threading_cond_init(&p->cv) < 0) {
        pthread_mutex_destroy(&p->mu);
        bt_free(p->threads);
        bt_free(p->prefix);
        bt_free(p);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    *out = &p->base;
    return 0;
}
