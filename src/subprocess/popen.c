/*
 * popen.c — Popen: preparing the child (argv, the PATH candidates, the
 * standard streams), then poll, wait and the signals.
 */
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "subprocess_int.h"

#define DEFPATH "/bin:/usr/bin" /* os.defpath */

static const bt_subprocess_opts defaults = BT_SUBPROCESS_OPTS_INIT;

/* os.get_exec_path(env): env's PATH when env is given. */
static const char *exec_path(char *const *env)
{
    if (!env) {
        const char *p = getenv("PATH");
        return p ? p : DEFPATH;
    }
    for (char *const *e = env; *e; e++)
        if (strncmp(*e, "PATH=", 5) == 0)
            return *e + 5;
    return DEFPATH;
}

/* Python's executable_list: the name itself when it holds a '/', else
 * os.path.join(dir, name) for every directory of PATH. */
static int exec_candidates(const char *name, char *const *env, bt_strvec *out)
{
    if (strchr(name, '/'))
        return bt_strvec_append_str(out, name);
    const char *path = exec_path(env);
    bt_buf b = BT_BUF_INIT;
    for (const char *d = path;;) {
        const char *end = strchr(d, ':');
        size_t n = end ? (size_t)(end - d) : strlen(d);
        bt_buf_clear(&b);
        int rc = bt_buf_append(&b, d, n);
        if (rc == 0 && n > 0 && d[n - 1] != '/')
            rc = bt_buf_append_byte(&b, '/');
        if (rc == 0)
            rc = bt_buf_append_str(&b, name);
        if (rc == 0)
            rc = bt_strvec_append(out, b.data, b.len);
        if (rc < 0) {
            bt_buf_fini(&b);
            return rc;
        }
        if (!end)
            break;
        d = end + 1;
    }
    bt_buf_fini(&b);
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* The descriptors a spawn opened in the parent, closed as Python closes
 * them: the child's ends after the spawn, everything on failure. */
struct fds {
    int p2cread, p2cwrite, c2pread, c2pwrite, errread, errwrite;
    int devnull;
};

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

static int open_devnull(struct fds *f)
{
    if (f->devnull < 0) {
        BT__RETRY(f->devnull, open("/dev/null", O_RDWR | O_CLOEXEC));
        if (f->devnull < 0)
            return -errno;
    }
    return f->devnull;
}

/* One standard stream: *child and *parent from the option value. */
static int get_handle(struct fds *f, int spec, int *child, int *parent,
                      bool reading)
{
    *child = *parent = -1;
    if (spec == BT_SUBPROCESS_INHERIT)
        return 0;
    if (spec == BT_SUBPROCESS_PIPE) {
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
            return -errno;
        *child = reading ? p[0] : p[1];
        *parent = reading ? p[1] : p[0];
        return 0;
    }
    if (spec == BT_SUBPROCESS_DEVNULL) {
        int d = open_devnull(f);
        if (d < 0)
            return d;
        *child = d;
        return 0;
    }
    *child = spec;
    return 0;
}

static void close_child_ends(struct fds *f, const bt_subprocess_opts *o)
{
    if (o->in == BT_SUBPROCESS_PIPE)
        close_fd(&f->p2cread);
    if (o->out == BT_SUBPROCESS_PIPE)
        close_fd(&f->c2pwrite);
    if (o->err == BT_SUBPROCESS_PIPE)
        close_fd(&f->errwrite);
    close_fd(&f->devnull);
}

static void close_all(struct fds *f, const bt_subprocess_opts *o)
{
    close_child_ends(f, o);
    close_fd(&f->p2cwrite);
    close_fd(&f->c2pread);
    close_fd(&f->errread);
}

static int spawn_error(bt_err *err, int code, int stage, const char *exe,
                       const char *cwd)
{
    if (stage == BT__SP_EXEC)
        return bt_err_oserror(err, -code, exe, NULL);
    if (stage == BT__SP_CHDIR)
        return bt_err_oserror(err, -code, cwd, NULL);
    return bt_err_oserror(err, -code, NULL, NULL);
}

static int nomem(bt_err *err)
{
    return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
}

int bt_subprocess_popen(const char *const *args, const bt_subprocess_opts *opts,
                        bt_popen **out, bt_err *err)
{
    const bt_subprocess_opts *o = opts ? opts : &defaults;
    *out = NULL;
    bt__sp_reap_orphans();
    size_t nargs = 0;
    while (args && args[nargs])
        nargs++;
    if (!o->shell && nargs == 0)
        return bt_err_setf(err, BT_EINDEX, -1, "list index out of range");
    if (o->in == BT_SUBPROCESS_STDOUT || o->out == BT_SUBPROCESS_STDOUT)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "STDOUT can only be used for stderr");
    for (size_t i = 0; i < o->pass_fds_len; i++)
        if (o->pass_fds[i] < 0)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "bad value(s) in fds_to_keep");

    bt_popen *p = bt_calloc(1, sizeof *p + sizeof *p->priv);
    if (!p)
        return nomem(err);
    p->priv = (struct bt__popen_priv *)(p + 1);
    p->priv->pidfd = -1;
    p->priv->shell = o->shell;
    p->stdin_fd = p->stdout_fd = p->stderr_fd = -1;

    bt_strvec argv = BT_STRVEC_INIT, cands = BT_STRVEC_INIT;
    int *keep = NULL;
    struct fds f = {-1, -1, -1, -1, -1, -1, -1};
    int rc = 0;
    for (size_t i = 0; i < nargs && rc == 0; i++)
        rc = bt_strvec_append_str(&p->priv->args, args[i]);
    /* Python: args = [unix_shell, "-c"] + args; args[0] = executable. */
    if (rc == 0 && o->shell) {
        rc = bt_strvec_append_str(&argv,
                                  o->executable ? o->executable : "/bin/sh");
        if (rc == 0)
            rc = bt_strvec_append_str(&argv, "-c");
    }
    for (size_t i = 0; i < nargs && rc == 0; i++)
        rc = bt_strvec_append_str(&argv, args[i]);
    const char *exe = o->executable ? o->executable
                      : argv.count  ? argv.items[0]
                                    : NULL;
    if (rc == 0)
        rc = exec_candidates(exe, o->env, &cands);
    size_t nkeep = o->pass_fds_len + 1;
    if (rc == 0 && !(keep = bt_malloc(nkeep * sizeof *keep)))
        rc = BT_ENOMEM;
    if (rc < 0) {
        rc = nomem(err);
        goto fail;
    }
    if (o->pass_fds_len)
        memcpy(keep, o->pass_fds, o->pass_fds_len * sizeof *keep);
    keep[o->pass_fds_len] = -1; /* the error pipe, filled in by the spawn */
    qsort(keep, nkeep, sizeof *keep, cmp_int);

    if ((rc = get_handle(&f, o->in, &f.p2cread, &f.p2cwrite, true)) < 0 ||
        (rc = get_handle(&f, o->out, &f.c2pwrite, &f.c2pread, false)) < 0)
        goto os_fail;
    if (o->err == BT_SUBPROCESS_STDOUT)
        f.errwrite = f.c2pwrite >= 0 ? f.c2pwrite : 1;
    else if ((rc = get_handle(&f, o->err, &f.errwrite, &f.errread, false)) < 0)
        goto os_fail;

    bt__sp_plan plan = {
        .argv = argv.items,
        .envp = o->env,
        .exec_list = cands.items,
        .cwd = o->cwd,
        .p2cread = f.p2cread,
        .c2pwrite = f.c2pwrite,
        .errwrite = f.errwrite,
        .keep = keep,
        .nkeep = nkeep,
        .close_fds = o->close_fds || o->pass_fds_len > 0,
        .restore_signals = o->restore_signals,
        .new_session = o->start_new_session,
        .pgid = o->process_group,
        .umask = o->umask,
    };
    pid_t pid = 0;
    int child_errno = 0, stage = 0;
    rc = bt__sp_spawn(&plan, &pid, &child_errno, &stage);
    if (rc < 0)
        goto os_fail;
    if (rc == 1) {
        rc = spawn_error(err, child_errno, stage, exe, o->cwd);
        goto fail;
    }
    close_child_ends(&f, o);
    p->pid = (int)pid;
    p->stdin_fd = f.p2cwrite;
    p->stdout_fd = f.c2pread;
    p->stderr_fd = f.errread;
    bt_strvec_fini(&argv);
    bt_strvec_fini(&cands);
    bt_free(keep);
    *out = p;
    return 0;

os_fail:
    rc = bt_err_oserror(err, rc, NULL, NULL);
fail:
    close_all(&f, o);
    bt_strvec_fini(&argv);
    bt_strvec_fini(&cands);
    bt_free(keep);
    bt_strvec_fini(&p->priv->args);
    bt_free(p);
    return rc;
}

double bt__sp_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void close_pidfd(bt_popen *p)
{
    if (p->priv->pidfd >= 0)
        close(p->priv->pidfd);
    p->priv->pidfd = -1;
}

static void set_status(bt_popen *p, int st)
{
    p->has_returncode = true;
    if (WIFSIGNALED(st))
        p->returncode = -WTERMSIG(st);
    else if (WIFEXITED(st))
        p->returncode = WEXITSTATUS(st);
    else
        p->returncode = st;
    close_pidfd(p);
}

/* waitpid on our child only; Python's _try_wait: ECHILD (someone else
 * reaped it, or SIGCHLD is ignored) is an exit with status 0. */
static int try_wait(bt_popen *p, int flags)
{
    int st = 0;
    pid_t r;
    BT__RETRY(r, waitpid(p->pid, &st, flags));
    if (r == p->pid) {
        set_status(p, st);
        return 1;
    }
    if (r < 0 && errno == ECHILD) {
        set_status(p, 0);
        return 1;
    }
    return 0;
}

int bt_popen_poll(bt_popen *p)
{
    if (p->has_returncode)
        return 1;
    return try_wait(p, WNOHANG);
}

/* A pidfd for the child, opened on first need (the child is not reaped
 * yet, so its pid cannot have been reused). */
bool bt__sp_no_pidfd;

static int get_pidfd(bt_popen *p)
{
#ifdef HAVE_PIDFD_OPEN
    if (p->priv->pidfd < 0 && !p->priv->pidfd_failed && !bt__sp_no_pidfd) {
        long fd = syscall(SYS_pidfd_open, p->pid, 0);
        if (fd < 0)
            p->priv->pidfd_failed = true;
        else {
            p->priv->pidfd = (int)fd;
            /* pidfd_open's descriptors are close-on-exec already. */
        }
    }
#endif
    return p->priv->pidfd;
}

/* Waits until deadline (seconds on the monotonic clock; < 0: forever). */
int bt__sp_wait_until(bt_popen *p, double deadline, double timeout, bt_err *err)
{
    if (p->has_returncode)
        return 0;
    if (deadline < 0) {
        try_wait(p, 0);
        return 0;
    }
    double delay = 0.0005;
    for (;;) {
        if (try_wait(p, WNOHANG))
            return 0;
        double remaining = deadline - bt__sp_now();
        if (remaining <= 0)
            return bt__sp_timeout_error(err, &p->priv->args, p->priv->shell,
                                        timeout);
        int fd = get_pidfd(p);
        if (fd >= 0) {
            struct pollfd pfd = {fd, POLLIN, 0};
            double ms = remaining * 1000.0 + 0.999;
            poll(&pfd, 1, ms > 2147483647.0 ? 2147483647 : (int)ms);
            continue; /* EINTR too: the loop recomputes what remains */
        }
        /* Python's back-off loop where the kernel has no pidfd. */
        delay = BT__MIN(delay * 2, BT__MIN(remaining, 0.05));
        struct timespec ts = {(time_t)delay,
                              (long)((delay - (double)(time_t)delay) * 1e9)};
        nanosleep(&ts, NULL);
    }
}

int bt_popen_wait(bt_popen *p, double timeout, bt_err *err)
{
    double deadline =
        timeout < 0 || timeout != timeout ? -1.0 : bt__sp_now() + timeout;
    return bt__sp_wait_until(p, deadline, timeout, err);
}

int bt_popen_send_signal(bt_popen *p, int sig, bt_err *err)
{
    /* Python 3.11: a child known to have ended is not signalled (its pid
     * may belong to another process by now). */
    bt_popen_poll(p);
    if (p->has_returncode)
        return 0;
    int r;
#ifdef HAVE_PIDFD_SEND_SIGNAL
    if (p->priv->pidfd >= 0)
        r = (int)syscall(SYS_pidfd_send_signal, p->priv->pidfd, sig, NULL, 0);
    else
#endif
        r = kill(p->pid, sig);
    if (r < 0 && errno != ESRCH) /* ProcessLookupError is ignored */
        return bt_err_oserror(err, -errno, NULL, NULL);
    return 0;
}

int bt_popen_terminate(bt_popen *p, bt_err *err)
{
    return bt_popen_send_signal(p, SIGTERM, err);
}

int bt_popen_kill(bt_popen *p, bt_err *err)
{
    return bt_popen_send_signal(p, SIGKILL, err);
}

void bt_popen_free(bt_popen *p)
{
    if (!p)
        return;
    int *fds[] = {&p->stdin_fd, &p->stdout_fd, &p->stderr_fd};
    for (size_t i = 0; i < 3; i++)
        close_fd(fds[i]);
    if (!bt_popen_poll(p))
        bt__sp_orphan(p->pid);
    close_pidfd(p);
    bt_strvec_fini(&p->priv->args);
    bt_free(p);
    bt__sp_reap_orphans();
}
