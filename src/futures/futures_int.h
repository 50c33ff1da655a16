/*
 * futures_int.h — what the futures sources share: the Future's insides, the
 * waiters wait()/as_completed() install on futures, and the executor vtable
 * every backend (thread pool, process pool, a remote one later) implements.
 */
#ifndef BATTERIES_FUTURES_INT_H
#define BATTERIES_FUTURES_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include <batteries/futures.h>

#include "core_int.h"
#include "../threading/threading_int.h"

/* Python's _base states, in its order. */
enum {
    BT__F_PENDING,
    BT__F_RUNNING,
    BT__F_CANCELLED,
    BT__F_CANCELLED_AND_NOTIFIED,
    BT__F_FINISHED,
};

/* What a future's task is (the executors keep the task in the future, so a
 * submit is one allocation). */
enum { BT__TASK_NONE, BT__TASK_PTR, BT__TASK_BYTES };

typedef struct bt__waiter bt__waiter;

/* A waiter's hook in one future's list. */
typedef struct bt__waiter_node {
    bt__waiter *w;
    struct bt__waiter_node *prev, *next;
    bool installed;
} bt__waiter_node;

typedef struct bt__callback {
    bt_future_callback fn;
    void *ctx;
} bt__callback;

struct bt_future {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    atomic_size_t refs;
    /* Written under mu, with release order; read under mu, or lock-free
     * with acquire order: once FINISHED the outcome fields never change,
     * so result() of a finished future takes no lock. */
    atomic_int state;
    unsigned sleepers; /* threads in result()/exception() */
    int code;          /* the task's code once finished */
    char *msg;         /* its message when code < 0 (NULL: empty) */
    void *value;       /* pointer result */
    void *bytes;       /* bytes result (bt_malloc'd) */
    size_t nbytes;
    bool has_bytes;
    bt__callback *cbs;
    size_t ncbs, capcbs;
    bt__waiter_node *waiters;
    /* The task, for executors. */
    int kind;
    bt_task_fn fn;
    bt_bytes_task_fn bfn;
    void *arg; /* pointer argument, or the copied bytes */
    size_t arglen;
    bt_future *next; /* an executor's queue */
};

/* Takes one more reference. */
void bt__future_ref(bt_future *f);

/* Makes a pending future holding a task; bytes are copied. NULL on ENOMEM. */
bt_future *bt__future_task(int kind, bt_task_fn fn, bt_bytes_task_fn bfn,
                           const void *arg, size_t arglen);

/* Runs the future's task as Python's _WorkItem.run: set running (or skip a
 * cancelled one), call, then set the result or the exception. */
void bt__future_run(bt_future *f);

/* Finishes with the task's outcome: code >= 0 takes *buf (bytes task) or
 * value; code < 0 records the message. Never fails for want of memory (the
 * message is then dropped). Ignores a future already done. */
void bt__future_finish(bt_future *f, int code, void *value, bt_buf *buf,
                       const char *msg);

/* Sends a message to the log hook. */
void bt__futures_log(const char *what, const bt_err *e);

/* "<Future at 0x... state=pending>" into buf (size n). */
void bt__future_repr(bt_future *f, int state, char *buf, size_t n);

/* ---- waiters (wait, as_completed) ---- */

enum { BT__W_AS_COMPLETED = 0 };

struct bt__waiter {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int kind;             /* BT__W_AS_COMPLETED or a return_when */
    size_t pending_calls; /* ALL_COMPLETED / FIRST_EXCEPTION */
    bool event;
    bt_future **finished; /* capacity: the number of futures watched */
    size_t nfinished;
};

/* Called with f->mu held when f finishes (state already set) or is
 * notified as cancelled. */
void bt__waiters_notify(bt_future *f);

/* ---- executors ---- */

typedef struct bt__executor_ops {
    /* Queues f (a task future, one reference given to the executor) or
     * fails with err filled, leaving f to the caller. */
    int (*submit)(bt_executor *ex, bt_future *f, bt_err *err);
    void (*shutdown)(bt_executor *ex, bool wait, bool cancel_futures);
    void (*destroy)(bt_executor *ex);
    /* Whether the backend can run pointer tasks (only in-process ones). */
    bool runs_pointer_tasks;
} bt__executor_ops;

struct bt_executor {
    const bt__executor_ops *ops;
    size_t max_workers;
};

/* Looks up a registered task. */
bt_bytes_task_fn bt__futures_lookup(const char *name);

#endif /* BATTERIES_FUTURES_INT_H */
