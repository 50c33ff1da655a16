/* processpool_linux.c — ProcessPoolExecutor on forked workers.
 *
 * A manager thread (Python's executor manager thread) forks the workers,
 * hands tasks to them over one socketpair each, and polls the sockets and
 * the workers' pidfds. A worker has at most DEPTH calls in flight: the
 * next one waits in its socket while it runs one, as CPython's call queue
 * holds a call more than it has workers. Only small arguments are queued
 * ahead, so a send never blocks while the worker blocks sending a result. A
 * frame is a fixed header then bytes: parent -> child {function pointer,
 * length} + argument; child -> parent {code, length} + result bytes or message.
 * A pointer is good in the child because the child is a fork of this very
 * program.
 *
 * A worker that dies without being asked to (a signal, _exit, an
 * initializer that failed) breaks the pool, as CPython's: every pending
 * future fails with BrokenProcessPool and the other workers are killed.
 * Death shows as the pidfd becoming readable (or, without pidfd, as EOF on
 * the socket), so a child that inherited the socket by some other fork
 * cannot hide it. Sockets (not pipes) so every send can say MSG_NOSIGNAL:
 * no SIGPIPE, whatever the program's disposition. Linux: eventfd, pidfd
 * (the pidfd is optional: without it, EOF on the socket tells). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/os.h>

#include "futures_int.h"

static const char BROKEN_FUTURE[] =
    "A process in the process pool was terminated abruptly while the "
    "future was running or pending.";
static const char BROKEN_POOL[] = "A child process terminated abruptly, the "
                                  "process pool is not usable anymore";

typedef struct task_hdr {
    uint64_t fn;
    uint64_t len;
} task_hdr;

typedef struct result_hdr {
    int64_t code;
    uint64_t len;
} result_hdr;

enum { DEPTH = 2, AHEAD_MAX = 4096 };

typedef struct pworker {
    pid_t pid;           /* 0: none */
    int fd;              /* our end of the socketpair, -1: none */
    int pidfd;           /* -1: none (or no pidfd support) */
    bt_future *q[DEPTH]; /* in flight, oldest first */
    size_t n, nsent;
    size_t ntasks; /* results received */
} pworker;

typedef struct ppool {
    bt_executor base;
    pthread_mutex_t mu;
    bt_future *head, *tail; /* submitted, not yet sent */
    int wakefd;
    pworker *w;
    size_t nw;
    ptrdiff_t max_tasks; /* <= 0: no limit */
    bt_thread_fn init;
    void *initarg;
    bt_thread *manager;
    bool shutdown, broken;
    bool idle; /* the manager is (about to be) in poll: wake it */
} ppool;

/* ---- I/O ---- */

static int send_all(int fd, const void *p, size_t n, int more)
{
    const char *c = p;
    while (n) {
        ssize_t k = send(fd, c, n, MSG_NOSIGNAL | more);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        c += k;
        n -= (size_t)k;
    }
    return 0;
}

/* 1 read all, 0 EOF (before or inside), -errno. */
static int recv_all(int fd, void *p, size_t n)
{
    char *c = p;
    while (n) {
        ssize_t k = recv(fd, c, n, MSG_WAITALL);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -errno;
        }
        if (k == 0)
            return 0;
        c += k;
        n -= (size_t)k;
    }
    return 1;
}

/* ---- the worker process ---- */

static int child_reply(int fd, int64_t code, const void *p, size_t n)
{
    result_hdr h = {code, n};
    int rc = send_all(fd, &h, sizeof h, n ? MSG_MORE : 0);
    return rc < 0 || !n ? rc : send_all(fd, p, n, 0);
}

static _Noreturn void child_main(ppool *p, int fd)
{
    for (size_t i = 0; i < p->nw; i++) {
        if (p->w[i].fd >= 0)
            close(p->w[i].fd);
        if (p->w[i].pidfd >= 0)
            close(p->w[i].pidfd);
    }
    close(p->wakefd);
    if (p->init) {
        bt_err e = BT_ERR_INIT;
        int rc = p->init(p->initarg, &e);
        if (rc < 0) {
            if (e.code == 0)
                e.code = rc;
            bt__futures_log("Exception in initializer:", &e);
            _exit(1);
        }
    }
    for (ptrdiff_t done = 0; p->max_tasks <= 0 || done < p->max_tasks; done++) {
        task_hdr h;
        if (recv_all(fd, &h, sizeof h) != 1)
            _exit(0);
        char *arg = bt_malloc(h.len + 1);
        if (!arg)
            _exit(1); /* the parent sees the pool break, not a hang */
        if (recv_all(fd, arg, h.len) != 1)
            _exit(0);
        arg[h.len] = 0;
        bt_bytes_task_fn fn = (bt_bytes_task_fn)(uintptr_t)h.fn;
        bt_buf out;
        bt_buf_init(&out);
        bt_err e = BT_ERR_INIT;
        int rc = fn(arg, h.len, &out, &e);
        bt_free(arg);
        if (rc >= 0)
            rc = child_reply(fd, rc, out.data, out.len);
        else
            rc = child_reply(fd, rc, e.msg, strlen(e.msg));
        bt_buf_fini(&out);
        if (rc < 0)
            _exit(0);
    }
    _exit(0);
}

/* ---- the manager's side ---- */

static int pidfd_open_(pid_t pid)
{
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, pid, 0);
#else
    (void)pid;
    return -1;
#endif
}

static int spawn(ppool *p, size_t i)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return -errno;
    pid_t pid = fork();
    if (pid < 0) {
        int rc = -errno;
        close(sv[0]);
        close(sv[1]);
        return rc;
    }
    if (pid == 0) {
        close(sv[0]);
        child_main(p, sv[1]);
    }
    close(sv[1]);
    pworker *w = &p->w[i];
    w->pid = pid;
    w->fd = sv[0];
    w->pidfd = pidfd_open_(pid); /* close-on-exec by the kernel's rule */
    w->n = w->nsent = 0;
    w->ntasks = 0;
    return 0;
}

/* Ends worker i's process: asks it to go (closes its socket) or kills it,
 * then reaps it. */
static void retire(pworker *w, bool kill_it)
{
    if (!w->pid)
        return;
    if (kill_it)
        kill(w->pid, SIGKILL);
    if (w->fd >= 0)
        close(w->fd);
    if (w->pidfd >= 0)
        close(w->pidfd);
    while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    w->pid = 0;
    w->fd = w->pidfd = -1;
}

static bt_future *pop_locked(ppool *p)
{
    bt_future *f = p->head;
    if (f) {
        p->head = f->next;
        if (!p->head)
            p->tail = NULL;
        f->next = NULL;
    }
    return f;
}

/* The pool is broken: fail everything pending or running, kill the rest. */
static void break_pool(ppool *p, int code, const char *msg)
{
    pthread_mutex_lock(&p->mu);
    p->broken = true;
    bt_future *pending = p->head;
    p->head = p->tail = NULL;
    pthread_mutex_unlock(&p->mu);
    for (size_t i = 0; i < p->nw; i++)
        retire(&p->w[i], true);
    for (size_t i = 0; i < p->nw; i++) {
        pworker *w = &p->w[i];
        for (size_t k = 0; k < w->n; k++) {
            bt_future_set_exception(w->q[k], code, msg, NULL);
            bt_future_free(w->q[k]);
        }
        w->n = w->nsent = 0;
    }
    while (pending) {
        bt_future *next = pending->next;
        /* A cancelled one stays cancelled (InvalidStateError ignored). */
        bt_future_set_exception(pending, code, msg, NULL);
        bt_future_free(pending);
        pending = next;
    }
}

/* Reads one result from worker w. 1 done, 0 the worker is gone. */
static int read_result(pworker *w)
{
    result_hdr h;
    if (!w->nsent || recv_all(w->fd, &h, sizeof h) != 1)
        return 0;
    char *body = bt_malloc(h.len + 1);
    if (!body)
        return 0;
    if (recv_all(w->fd, body, h.len) != 1) {
        bt_free(body);
        return 0;
    }
    body[h.len] = 0;
    bt_future *f = w->q[0];
    for (size_t k = 1; k < w->n; k++)
        w->q[k - 1] = w->q[k];
    w->n--;
    w->nsent--;
    w->ntasks++;
    int rc;
    if (h.code >= 0)
        rc = bt_future_set_result_bytes(f, body, h.len, NULL);
    else
        rc = bt_future_set_exception(f, (int)h.code, body, NULL);
    if (rc == BT_ENOMEM)
        bt_future_set_exception(f, BT_ENOMEM, NULL, NULL);
    bt_free(body);
    bt_future_free(f);
    return 1;
}

/* Gives worker w one more call if it has fewer than depth in flight (mu
 * held). A call goes ahead of a running one only with a small argument,
 * and never beyond the worker's max_tasks_per_child. */
static void assign_locked(ppool *p, pworker *w, size_t depth)
{
    while (w->pid && w->n < depth) {
        if (p->max_tasks > 0 && w->ntasks + w->n >= (size_t)p->max_tasks)
            return;
        if (w->n && (!p->head || p->head->arglen > AHEAD_MAX))
            return;
        bt_future *f = pop_locked(p);
        if (!f)
            return;
        if (bt_future_set_running_or_notify_cancel(f, NULL) == 1)
            w->q[w->n++] = f;
        else
            bt_future_free(f);
    }
}

/* Writes the calls assigned to w and not sent yet. 0 or -errno. */
static int send_tasks(pworker *w)
{
    for (; w->nsent < w->n; w->nsent++) {
        bt_future *f = w->q[w->nsent];
        task_hdr h = {(uint64_t)(uintptr_t)f->bfn, f->arglen};
        int rc = send_all(w->fd, &h, sizeof h, h.len ? MSG_MORE : 0);
        if (rc == 0)
            rc = send_all(w->fd, f->arg, h.len, 0);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static bool readable(int fd)
{
    struct pollfd q = {fd, POLLIN, 0};
    return poll(&q, 1, 0) > 0;
}

static int manager(void *arg, bt_err *err)
{
    (void)err;
    ppool *p = arg;
    struct pollfd *pfds = bt_malloc((1 + 2 * p->nw) * sizeof *pfds);
    if (!pfds) {
        break_pool(p, BT_ENOMEM, NULL);
        return 0;
    }
    for (size_t i = 0; i < p->nw; i++) {
        int rc = spawn(p, i);
        if (rc < 0) {
            bt_err e;
            bt_err_oserror(&e, rc, NULL, NULL);
            break_pool(p, rc, e.msg);
            bt_free(pfds);
            return 0;
        }
    }
    for (;;) {
        /* Hand out work to idle workers. */
        pthread_mutex_lock(&p->mu);
        bool busy = false;
        /* First one call per idle worker, then calls queued ahead. */
        for (size_t depth = 1; depth <= DEPTH; depth++)
            for (size_t i = 0; i < p->nw; i++)
                assign_locked(p, &p->w[i], depth);
        for (size_t i = 0; i < p->nw; i++)
            busy |= p->w[i].n > 0;
        bool stop = p->shutdown && !p->head && !busy;
        p->idle = !stop;
        pthread_mutex_unlock(&p->mu);
        for (size_t i = 0; i < p->nw; i++) {
            if (send_tasks(&p->w[i]) < 0) {
                break_pool(p, BT_EBROKEN, BROKEN_FUTURE);
                bt_free(pfds);
                return 0;
            }
        }
        if (stop)
            break;
        pfds[0] = (struct pollfd){p->wakefd, POLLIN, 0};
        for (size_t i = 0; i < p->nw; i++) {
            pfds[1 + 2 * i] = (struct pollfd){p->w[i].fd, POLLIN, 0};
            pfds[2 + 2 * i] = (struct pollfd){p->w[i].pidfd, POLLIN, 0};
        }
        int ready = poll(pfds, 1 + 2 * p->nw, -1);
        pthread_mutex_lock(&p->mu);
        p->idle = false;
        pthread_mutex_unlock(&p->mu);
        if (ready < 0)
            continue; /* EINTR */
        if (pfds[0].revents) {
            uint64_t v;
            ssize_t k = read(p->wakefd, &v, sizeof v);
            (void)k;
        }
        for (size_t i = 0; i < p->nw; i++) {
            pworker *w = &p->w[i];
            bool sock = pfds[1 + 2 * i].revents != 0;
            bool died = pfds[2 + 2 * i].revents != 0;
            if (died)
                /* Take what it said before it went. */
                while (w->nsent && readable(w->fd) && read_result(w))
                    ;
            else if (sock && !read_result(w))
                died = true;
            if (p->max_tasks > 0 && w->ntasks == (size_t)p->max_tasks &&
                !w->n) {
                /* It leaves by itself after its last task: replace it. */
                retire(w, false);
                int rc = spawn(p, i);
                if (rc < 0) {
                    bt_err e;
                    bt_err_oserror(&e, rc, NULL, NULL);
                    break_pool(p, rc, e.msg);
                    bt_free(pfds);
                    return 0;
                }
                continue;
            }
            if (died) {
                break_pool(p, BT_EBROKEN, BROKEN_FUTURE);
                bt_free(pfds);
                return 0;
            }
        }
    }
    for (size_t i = 0; i < p->nw; i++)
        retire(&p->w[i], false);
    bt_free(pfds);
    return 0;
}

static void wake(ppool *p)
{
    uint64_t one = 1;
    ssize_t k;
    BT__RETRY(k, write(p->wakefd, &one, sizeof one));
}

static int pp_submit(bt_executor *ex, bt_future *f, bt_err *err)
{
    ppool *p = (ppool *)ex;
    pthread_mutex_lock(&p->mu);
    if (p->broken) {
        pthread_mutex_unlock(&p->mu);
        return bt_err_setf(err, BT_EBROKEN, -1, "%s", BROKEN_POOL);
    }
    if (p->shutdown) {
        pthread_mutex_unlock(&p->mu);
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot schedule new futures after shutdown");
    }
    if (!p->manager) {
        bt_thread *t;
        int rc = bt_thread_new(&t, manager, p, NULL);
        if (rc == 0 && (rc = bt_thread_set_daemon(t, true, err)) == 0 &&
            (rc = bt_thread_start(t, err)) == 0) {
            p->manager = t;
        } else {
            bt_thread_free(t);
            pthread_mutex_unlock(&p->mu);
            return bt_err_setf(err, rc, -1, "%s", "can't start new thread");
        }
    }
    f->next = NULL;
    if (p->tail)
        p->tail->next = f;
    else
        p->head = f;
    p->tail = f;
    /* A busy manager looks at the queue again before it polls. */
    bool idle = p->idle;
    p->idle = false;
    pthread_mutex_unlock(&p->mu);
    if (idle)
        wake(p);
    return 0;
}

static void pp_shutdown(bt_executor *ex, bool wait, bool cancel_futures)
{
    ppool *p = (ppool *)ex;
    pthread_mutex_lock(&p->mu);
    p->shutdown = true;
    bt_future *f = NULL;
    if (cancel_futures) {
        f = p->head;
        p->head = p->tail = NULL;
    }
    bt_thread *t = p->manager;
    pthread_mutex_unlock(&p->mu);
    while (f) {
        bt_future *next = f->next;
        bt_future_cancel(f);
        bt_future_free(f);
        f = next;
    }
    wake(p);
    if (wait && t)
        bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
}

static void pp_destroy(bt_executor *ex)
{
    ppool *p = (ppool *)ex;
    pp_shutdown(ex, true, false);
    bt_thread_free(p->manager);
    close(p->wakefd);
    pthread_mutex_destroy(&p->mu);
    bt_free(p->w);
    bt_free(p);
}

static const bt__executor_ops pp_ops = {pp_submit, pp_shutdown, pp_destroy,
                                        false};

int bt_processpool_new(bt_executor **out, ptrdiff_t max_workers,
                       ptrdiff_t max_tasks_per_child, bt_thread_fn initializer,
                       void *initarg, bt_err *err)
{
    *out = NULL;
    if (max_workers == BT_FUTURES_DEFAULT) {
        int cpus = bt_os_cpu_count();
        max_workers = cpus > 0 ? cpus : 1;
    } else if (max_workers <= 0) {
        return bt_err_setf(err, BT_EVALUE, -1,
                           "max_workers must be greater than 0");
    }
    if (max_tasks_per_child != BT_FUTURES_DEFAULT && max_tasks_per_child <= 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "max_tasks_per_child must be >= 1");
    ppool *p = bt_calloc(1, sizeof *p);
    if (!p)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    p->base.ops = &pp_ops;
    p->base.max_workers = (size_t)max_workers;
    p->nw = (size_t)max_workers;
    p->max_tasks = max_tasks_per_child;
    p->init = initializer;
    p->initarg = initarg;
    p->w = bt_calloc(p->nw, sizeof *p->w);
    if (!p->w || bt__threading_mutex_init(&p->mu) < 0) {
        bt_free(p->w);
        bt_free(p);
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    }
    for (size_t i = 0; i < p->nw; i++)
        p->w[i].fd = p->w[i].pidfd = -1;
    p->wakefd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (p->wakefd < 0) {
        int rc = -errno;
        pthread_mutex_destroy(&p->mu);
        bt_free(p->w);
        bt_free(p);
        return bt_err_oserror(err, rc, NULL, NULL);
    }
    *out = &p->base;
    return 0;
}
