/* process.c — Process objects on fork(), Python's naming and exit codes,
 * reaping without SIGCHLD (pidfd when the kernel has it), and the exit
 * handler that terminates daemon children and joins the rest. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mp_int.h"

struct bt_mp_process {
    bt_thread_fn target;
    void *arg;
    char *name;
    char *ident; /* "3" for Process-3, "3:1" for its first child's child */
    bool daemon;
    bool static_name; /* MainProcess's, never freed */
    bool started, reaped, known, orphan, listed;
    int exitcode;
    pid_t pid;
    pid_t creator;      /* the process that made the object (0: MainProcess) */
    int pidfd;          /* -1 when the kernel has no pidfd_open */
    pthread_mutex_t mu; /* reaping */
    struct bt_mp_process *next; /* in the creator's children list */
};

/* The calling process's view: its own object, its children, its counter.
 * Reset in a child (only the forking thread lives on there). */
static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static bt_mp_process main_process = {.name = "MainProcess",
                                     .static_name = true,
                                     .ident = "",
                                     .started = true,
                                     .pidfd = -1,
                                     .mu = PTHREAD_MUTEX_INITIALIZER};
static bt_mp_process *current = &main_process;
static bt_mp_process *children;
static unsigned long counter;
static bool atexit_done;

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = bt_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

int bt_mp_process_new(bt_mp_process **out, bt_thread_fn target, void *arg)
{
    *out = NULL;
    bt_mp_process *p = bt_malloc(sizeof *p);
    if (!p)
        return BT_ENOMEM;
    memset(p, 0, sizeof *p);
    char ident[256], name[300];
    pthread_mutex_lock(&reg_mu);
    unsigned long n = ++counter;
    snprintf(ident, sizeof ident, "%s%s%lu", current->ident,
             *current->ident ? ":" : "", n);
    p->daemon = current->daemon;
    pthread_mutex_unlock(&reg_mu);
    snprintf(name, sizeof name, "Process-%s", ident);
    p->ident = dup_str(ident);
    p->name = dup_str(name);
    if (!p->ident || !p->name) {
        bt_free(p->ident);
        bt_free(p->name);
        bt_free(p);
        return BT_ENOMEM;
    }
    p->target = target;
    p->arg = arg;
    p->creator = getpid();
    p->pidfd = -1;
    pthread_mutex_init(&p->mu, NULL);
    *out = p;
    return 0;
}

static void destroy(bt_mp_process *p)
{
    if (p->pidfd >= 0)
        close(p->pidfd);
    pthread_mutex_destroy(&p->mu);
    bt_free(p->ident);
    bt_free(p->name);
    bt_free(p);
}

/* Collects the child's status if it has ended. Never blocks. */
static bool reap(bt_mp_process *p)
{
    pthread_mutex_lock(&p->mu);
    if (!p->reaped) {
        int st;
        pid_t r;
        BT__RETRY(r, waitpid(p->pid, &st, WNOHANG));
        if (r == p->pid) {
            p->reaped = p->known = true;
            p->exitcode = WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st);
        } else if (r < 0) {
            /* Reaped behind our back (waitpid(-1), SIGCHLD ignored): ended,
             * exit code unknown, as CPython's poll() leaves it None. */
            p->reaped = true;
        }
    }
    bool done = p->reaped;
    pthread_mutex_unlock(&p->mu);
    return done;
}

/* Unlinks reaped children (and frees those the caller has freed); with
 * reg_mu held. */
static void cleanup_locked(void)
{
    for (bt_mp_process **pp = &children; *pp;) {
        bt_mp_process *p = *pp;
        if (reap(p)) {
            *pp = p->next;
            p->listed = false;
            if (p->orphan)
                destroy(p);
        } else {
            pp = &p->next;
        }
    }
}

void bt_mp_process_free(bt_mp_process *p)
{
    if (!p || p == &main_process || p == current)
        return;
    pthread_mutex_lock(&reg_mu);
    if (p->listed && !reap(p)) {
        p->orphan = true; /* reaped by the next start or shutdown */
        pthread_mutex_unlock(&reg_mu);
        return;
    }
    if (p->listed) {
        for (bt_mp_process **pp = &children; *pp; pp = &(*pp)->next)
            if (*pp == p) {
                *pp = p->next;
                break;
            }
    }
    pthread_mutex_unlock(&reg_mu);
    destroy(p);
}

static void report_failure(bt_mp_process *p, int rc, const bt_err *err)
{
    char text[BT_ERR_MSG_SIZE];
    const char *value = text;
    if (err->code == rc)
        value = err->msg;
    else if (rc > -1000)
        snprintf(text, sizeof text, "[Errno %d] %s", -rc, bt_strerror(rc));
    else
        snprintf(text, sizeof text, "%s", bt_strerror(rc));
    /* Python prints "Process <name>:" and the traceback, whose last line
     * is "<Exception>: <message>". */
    if (*value)
        fprintf(stderr, "Process %s:\n%s: %s\n", p->name, bt_errname(rc),
                value);
    else
        fprintf(stderr, "Process %s:\n%s\n", p->name, bt_errname(rc));
}

static _Noreturn void child_main(bt_mp_process *p)
{
    /* Only this thread exists now: nothing else can hold reg_mu, but it
     * may have been held by another thread at the fork. */
    pthread_mutex_init(&reg_mu, NULL);
    pthread_mutex_init(&p->mu, NULL);
    current = p;
    p->pid = getpid();
    children = NULL; /* the parent's; its copies here are never freed */
    counter = 0;
    /* As Python's _close_stdin: the child reads /dev/null on fd 0. */
    int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (fd != 0) {
            dup2(fd, 0);
            close(fd);
        } else {
            fcntl(0, F_SETFD, 0);
        }
    }
    bt_err err;
    bt_err_clear(&err);
    int rc = p->target(p->arg, &err);
    int code = 0;
    if (rc < 0) {
        report_failure(p, rc, &err);
        code = 1;
    }
    bt_threading_shutdown();
    bt_mp_shutdown();
    fflush(stdout);
    fflush(stderr);
    _exit(code);
}

int bt_mp_process_start(bt_mp_process *p, bt_err *err)
{
    if (p == &main_process || p == current || p->started)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "cannot start a process twice");
    if (p->creator != getpid())
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "can only start a process object created by "
                           "current process");
    if (current->daemon)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "daemonic processes are not allowed to have "
                           "children");
    pthread_mutex_lock(&reg_mu);
    cleanup_locked();
    if (!atexit_done && atexit(bt_mp_shutdown) == 0)
        atexit_done = true;
    pthread_mutex_unlock(&reg_mu);
    /* Python flushes the standard streams so the child does not write
     * the parent's buffered output a second time. */
    fflush(stdout);
    fflush(stderr);
    p->started = true;
    pid_t pid = fork();
    if (pid < 0) {
        int e = -errno;
        p->started = false;
        return bt_err_oserror(err, e, NULL, NULL);
    }
    if (pid == 0)
        child_main(p);
    p->pid = pid;
#ifdef SYS_pidfd_open
    p->pidfd = (int)syscall(SYS_pidfd_open, pid, 0); /* O_CLOEXEC always */
#endif
    pthread_mutex_lock(&reg_mu);
    p->next = children;
    children = p;
    p->listed = true;
    pthread_mutex_unlock(&reg_mu);
    return 0;
}

/* Waits until the child may have ended or d passes; 0, or ETIMEDOUT. */
static int wait_exit(bt_mp_process *p, const bt__deadline *d, long *backoff)
{
    if (p->pidfd >= 0) {
        int rc = bt__mp_poll_in(p->pidfd, d);
        if (rc >= 0)
            return rc == 0 ? ETIMEDOUT : 0;
        /* poll refused the pidfd (it should not): fall back to polling. */
    }
    /* No pidfd: poll the status with a growing pause (capped at 50 ms). */
    if (bt__threading_expired(d))
        return ETIMEDOUT;
    struct timespec ts = {0, *backoff};
    nanosleep(&ts, NULL);
    if (*backoff < 50000000)
        *backoff *= 2;
    return 0;
}

int bt_mp_process_join(bt_mp_process *p, double timeout, bt_err *err)
{
    if (p->creator != getpid() || p == current)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "can only join a child process");
    if (!p->started)
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "can only join a started process");
    int rc = bt__threading_check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    bt__deadline d;
    bt__threading_deadline(&d, timeout);
    long backoff = 100000;
    for (;;) {
        if (reap(p))
            return 1;
        if (wait_exit(p, &d, &backoff) == ETIMEDOUT)
            return reap(p);
    }
}

bool bt_mp_process_is_alive(bt_mp_process *p)
{
    if (p == current)
        return true;
    if (!p->started || p->creator != getpid())
        return false;
    return !reap(p);
}

int bt_mp_process_exitcode(bt_mp_process *p, int *code)
{
    if (p == current || !p->started || !reap(p) || !p->known)
        return 0;
    *code = p->exitcode;
    return 1;
}

static int send_signal(bt_mp_process *p, int sig, bt_err *err)
{
    /* The current process has no Popen in Python either (AttributeError). */
    if (p == current || !p->started)
        return bt_err_setf(err, BT_ERUNTIME, -1, "process not started");
    pthread_mutex_lock(&p->mu);
    if (!p->reaped) {
        /* Not reaped, so the pid is still ours (a zombie at worst). */
        if (kill(p->pid, sig) < 0 && errno != ESRCH) {
            int e = -errno;
            pthread_mutex_unlock(&p->mu);
            return bt_err_oserror(err, e, NULL, NULL);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int bt_mp_process_terminate(bt_mp_process *p, bt_err *err)
{
    return send_signal(p, SIGTERM, err);
}

int bt_mp_process_kill(bt_mp_process *p, bt_err *err)
{
    return send_signal(p, SIGKILL, err);
}

pid_t bt_mp_process_pid(const bt_mp_process *p)
{
    if (p == current)
        return getpid();
    return p->started ? p->pid : 0;
}

const char *bt_mp_process_name(const bt_mp_process *p)
{
    return p->name;
}

int bt_mp_process_set_name(bt_mp_process *p, const char *name)
{
    char *n = dup_str(name);
    if (!n)
        return BT_ENOMEM;
    if (!p->static_name)
        bt_free(p->name);
    p->name = n;
    p->static_name = false;
    return 0;
}

bool bt_mp_process_daemon(const bt_mp_process *p)
{
    return p->daemon;
}

int bt_mp_process_set_daemon(bt_mp_process *p, bool daemon, bt_err *err)
{
    if (p->started)
        return bt_err_setf(err, BT_ERUNTIME, -1, "process has already started");
    p->daemon = daemon;
    return 0;
}

bt_mp_process *bt_mp_current_process(void)
{
    return current;
}

int bt_mp_active_children(bt_mp_process ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    pthread_mutex_lock(&reg_mu);
    cleanup_locked();
    size_t count = 0;
    for (bt_mp_process *p = children; p; p = p->next)
        count += !p->orphan;
    bt_mp_process **list = count ? bt_malloc(count * sizeof *list) : NULL;
    if (count && !list) {
        pthread_mutex_unlock(&reg_mu);
        return BT_ENOMEM;
    }
    size_t i = 0;
    for (bt_mp_process *p = children; p; p = p->next)
        if (!p->orphan)
            list[i++] = p;
    pthread_mutex_unlock(&reg_mu);
    *out = list;
    *n = count;
    return 0;
}

int bt_mp_process_sentinel(const bt_mp_process *p, bt_err *err)
{
    if (p == current || !p->started)
        return bt_err_setf(err, BT_EVALUE, -1, "process not started");
    if (p->pidfd < 0)
        return bt_err_oserror(err, BT_ENOSYS, NULL, NULL);
    return p->pidfd;
}

void bt_mp_shutdown(void)
{
    pthread_mutex_lock(&reg_mu);
    cleanup_locked();
    for (bt_mp_process *p = children; p; p = p->next)
        if (p->daemon)
            send_signal(p, SIGTERM, NULL);
    for (bt_mp_process *p = children; p; p = p->next) {
        bt__deadline d = {.forever = true};
        long backoff = 100000;
        while (!reap(p))
            wait_exit(p, &d, &backoff);
    }
    cleanup_locked();
    pthread_mutex_unlock(&reg_mu);
}

int bt_mp_cpu_count(bt_err *err)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        return bt_err_setf(err, BT_ENOTIMPL, -1,
                           "cannot determine number of cpus");
    return n > 1 << 30 ? 1 << 30 : (int)n;
}
