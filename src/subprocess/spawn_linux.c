/*
 * spawn_linux.c — the child side of Popen: a vfork-style spawn, as CPython
 * 3.10+ does it. vfork shares the parent's memory and suspends only the
 * calling thread until the child execs or exits, so no page table is
 * copied: a process with gigabytes resident spawns as fast as a small one.
 *
 * Rules for the code after vfork in the child: no allocation, no locks, no
 * return from bt__sp_spawn; only system calls on data the parent prepared.
 * Failures travel to the parent through a close-on-exec pipe (EOF = exec
 * succeeded), which also works when a sanitizer turns vfork into fork.
 */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "subprocess_int.h"

extern char **environ;

/* The whole signal mask, including the signals glibc reserves for itself
 * (pthread_sigmask would not block those), as glibc's posix_spawn does. */
static void block_all(sigset_t *old)
{
    sigset_t all;
    memset(&all, 0xff, sizeof all); /* sigfillset leaves glibc's two out */
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, old, _NSIG / 8);
}

static void set_mask(const sigset_t *set)
{
    syscall(SYS_rt_sigprocmask, SIG_SETMASK, set, NULL, _NSIG / 8);
}

static _Noreturn void child_fail(int errpipe, int stage)
{
    int msg[2] = {errno, stage};
    ssize_t r;
    BT__RETRY(r, write(errpipe, msg, sizeof msg));
    (void)r;
    _exit(255);
}

static int clear_cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    if (flags < 0)
        return -1;
    return (flags & FD_CLOEXEC) ? fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC) : 0;
}

static bool kept(const bt__sp_plan *pl, int fd)
{
    for (size_t i = 0; i < pl->nkeep; i++)
        if (pl->keep[i] == fd)
            return true;
    return false;
}

/* Without close_range (Linux < 5.9): close what /proc/self/fd lists. */
static void close_listed(const bt__sp_plan *pl)
{
    int dfd;
    BT__RETRY(dfd,
                 open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd < 0) {
        long max = sysconf(_SC_OPEN_MAX);
        for (int fd = 3; fd < (max > 0 && max < 1048576 ? max : 65536); fd++)
            if (!kept(pl, fd))
                close(fd);
        return;
    }
    union {
        char bytes[4096];
        uint64_t align;
    } buf;
    for (;;) {
        long n = syscall(SYS_getdents64, dfd, buf.bytes, sizeof buf.bytes);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        for (long off = 0; off < n;) {
            /* struct linux_dirent64: ino, off, reclen, type, name */
            const char *rec = buf.bytes + off;
            unsigned short reclen;
            memcpy(&reclen, rec + 16, sizeof reclen);
            const char *name = rec + 19;
            int fd = 0;
            bool digits = *name != '\0';
            for (const char *c = name; *c; c++) {
                if (*c < '0' || *c > '9') {
                    digits = false;
                    break;
                }
                fd = fd * 10 + (*c - '0');
            }
            if (digits && fd >= 3 && fd != dfd && !kept(pl, fd))
                close(fd);
            off += reclen;
        }
    }
    close(dfd);
}

bool bt__sp_no_close_range;

static void close_fds(const bt__sp_plan *pl)
{
#ifdef HAVE_CLOSE_RANGE
    unsigned lo = 3;
    bool ok = !bt__sp_no_close_range;
    for (size_t i = 0; i < pl->nkeep && ok; i++) {
        unsigned k = (unsigned)pl->keep[i];
        if (k < lo)
            continue;
        if (k > lo && syscall(SYS_close_range, lo, k - 1, 0) < 0)
            ok = false;
        lo = k + 1;
    }
    if (ok && syscall(SYS_close_range, lo, ~0U, 0) == 0)
        return;
#endif
    close_listed(pl);
}

static _Noreturn void child_exec(const bt__sp_plan *pl, const sigset_t *mask)
{
    int ep = pl->errpipe_write;
    /* A handler of the parent must not run in the child (it shares the
     * parent's memory until exec); exec would reset them anyway. */
    for (int sig = 1; sig < _NSIG; sig++) {
        struct sigaction sa;
        if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &sa) != 0)
            continue;
        bool reset = sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL;
        if (pl->restore_signals && (sig == SIGPIPE || sig == SIGXFSZ))
            reset = sa.sa_handler != SIG_DFL;
        if (reset) {
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = SIG_DFL;
            sigaction(sig, &sa, NULL);
        }
    }
    for (size_t i = 0; i < pl->nkeep; i++)
        if (pl->keep[i] != ep && clear_cloexec(pl->keep[i]) < 0)
            child_fail(ep, BT__SP_NOEXEC);

    /* CPython's order: an fd of 0 or 1 must survive the dup2 onto 0..2. */
    int p2cread = pl->p2cread, c2pwrite = pl->c2pwrite, errwrite = pl->errwrite;
    if (c2pwrite == 0 && (c2pwrite = dup(c2pwrite)) < 0)
        child_fail(ep, BT__SP_NOEXEC);
    while (errwrite == 0 || errwrite == 1)
        if ((errwrite = dup(errwrite)) < 0)
            child_fail(ep, BT__SP_NOEXEC);
    const int from[3] = {p2cread, c2pwrite, errwrite};
    for (int to = 0; to < 3; to++) {
        if (from[to] == to) {
            if (clear_cloexec(to) < 0)
                child_fail(ep, BT__SP_NOEXEC);
        } else if (from[to] != -1) { /* a bad number fails: EBADF */
            int r;
            BT__RETRY(r, dup2(from[to], to));
            if (r < 0)
                child_fail(ep, BT__SP_NOEXEC);
        }
    }
    if (pl->cwd && chdir(pl->cwd) < 0)
        child_fail(ep, BT__SP_CHDIR);
    if (pl->umask >= 0)
        umask((mode_t)pl->umask);
    if (pl->new_session && setsid() < 0)
        child_fail(ep, BT__SP_NOEXEC);
    if (pl->pgid >= 0 && setpgid(0, pl->pgid) < 0)
        child_fail(ep, BT__SP_NOEXEC);
    if (pl->close_fds)
        close_fds(pl);
    set_mask(mask);

    /* Python's loop: every candidate is tried; the first error that is not
     * "not there" (ENOENT, ENOTDIR) is the one reported. */
    char *const *envp = pl->envp ? pl->envp : environ;
    int saved = 0;
    for (char *const *c = pl->exec_list; *c; c++) {
        execve(*c, pl->argv, envp);
        if (errno != ENOENT && errno != ENOTDIR && saved == 0)
            saved = errno;
    }
    if (saved)
        errno = saved;
    child_fail(ep, BT__SP_EXEC);
}

int bt__sp_spawn(bt__sp_plan *pl, pid_t *pid_out, int *child_errno, int *stage)
{
    int ep[2];
    if (pipe2(ep, O_CLOEXEC) < 0)
        return -errno;
    if (ep[1] < 3) { /* the dup2 onto 0..2 must not clobber it */
        int moved = fcntl(ep[1], F_DUPFD_CLOEXEC, 3);
        int e = errno;
        close(ep[1]);
        if (moved < 0) {
            close(ep[0]);
            return -e;
        }
        ep[1] = moved;
    }
    /* The caller's sorted keep list holds a -1 for the error pipe, whose
     * number is only known now: put it in and sort again. */
    int *keep = (int *)pl->keep;
    for (size_t i = 0; i < pl->nkeep; i++)
        if (keep[i] == -1)
            keep[i] = ep[1];
    for (size_t i = 1; i < pl->nkeep; i++)
        for (size_t j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
            int t = keep[j];
            keep[j] = keep[j - 1];
            keep[j - 1] = t;
        }
    pl->errpipe_write = ep[1];

    sigset_t old;
    block_all(&old);
    pid_t pid = vfork();
    if (pid == 0)
        child_exec(pl, &old);
    int saved = errno;
    set_mask(&old);
    close(ep[1]);
    if (pid < 0) {
        close(ep[0]);
        return -saved;
    }
    int msg[2];
    size_t got = 0;
    while (got < sizeof msg) {
        ssize_t r;
        BT__RETRY(r, read(ep[0], (char *)msg + got, sizeof msg - got));
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(ep[0]);
    if (got == 0) {
        *pid_out = pid;
        return 0;
    }
    int st;
    pid_t r;
    BT__RETRY(r, waitpid(pid, &st, 0));
    (void)r;
    if (got < sizeof msg) { /* the child died in between: unknown cause */
        msg[0] = ECHILD;
        msg[1] = BT__SP_NOEXEC;
    }
    *child_errno = msg[0];
    *stage = msg[1];
    return 1;
}
