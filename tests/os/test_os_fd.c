/*
 * Descriptors: close-on-exec by default (PEP 446) and dup2's inheritable
 * default, reads and writes, seeks, their error messages, and PEP 475: a
 * signal handler that interrupts open, read or write does not surface as
 * EINTR, the call resumes.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <batteries/os.h>

#include "os_test.h"

static char root[64];

static void enter_root(void)
{
    os_test_mkroot(root);
    cr_assert_eq(chdir(root), 0);
}

static void leave_root(void)
{
    cr_assert_eq(chdir("/"), 0);
    os_test_rm(root);
}

static bool cloexec(int fd)
{
    int flags = fcntl(fd, F_GETFD);
    cr_assert_geq(flags, 0);
    return flags & FD_CLOEXEC;
}

Test(os_fd, open_is_close_on_exec_with_flags_and_mode)
{
    enter_root();
    unsigned old = bt_os_umask(022);
    int fd = bt_os_open("f", O_CREAT | O_WRONLY | O_EXCL, 0666, NULL);
    cr_assert_geq(fd, 0);
    cr_expect(cloexec(fd));
    cr_expect_eq(bt_os_get_inheritable(fd, NULL), 0);
    cr_expect_eq(bt_os_write(fd, "hello world", 11, NULL), 11);
    cr_expect_eq(bt_os_fsync(fd, NULL), 0);
    cr_expect_eq(bt_os_close(fd, NULL), 0);
    bt_os_stat_result st;
    cr_assert_eq(bt_os_stat("f", &st, NULL), 0);
    cr_expect_eq(st.st_mode & 0777, 0644u, "mode 0666 under umask 022");
    cr_expect_eq(st.st_size, 11);
    cr_expect_eq(bt_os_umask(old), 022u, "umask returns the previous mask");

    fd = bt_os_open("f", O_RDWR, 0, NULL);
    cr_assert_geq(fd, 0);
    char buf[32] = {0};
    cr_expect_eq(bt_os_lseek(fd, 6, BT_OS_SEEK_SET, NULL), 6);
    cr_expect_eq(bt_os_read(fd, buf, sizeof buf, NULL), 5);
    cr_expect_str_eq(buf, "world");
    cr_expect_eq(bt_os_read(fd, buf, sizeof buf, NULL), 0, "end of file");
    cr_expect_eq(bt_os_lseek(fd, -5, BT_OS_SEEK_END, NULL), 6);
    cr_expect_eq(bt_os_lseek(fd, 2, BT_OS_SEEK_CUR, NULL), 8);
    cr_expect_eq(bt_os_ftruncate(fd, 3, NULL), 0);
    cr_assert_eq(bt_os_fstat(fd, &st, NULL), 0);
    cr_expect_eq(st.st_size, 3);
    cr_expect_eq(bt_os_fchmod(fd, 0600, NULL), 0);
    cr_expect_eq(bt_os_fchown(fd, -1, -1, NULL), 0);
    cr_assert_eq(bt_os_fstat(fd, &st, NULL), 0);
    cr_expect_eq(st.st_mode & 0777, 0600u);
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_os_lseek(fd, -100, BT_OS_SEEK_SET, &err), BT_EINVAL);
    cr_expect_str_eq(err.msg, "[Errno 22] Invalid argument");
    cr_expect_eq(bt_os_fchown(fd, -3, 0, &err), BT_EOVERFLOWERR);
    cr_expect_str_eq(err.msg, "uid is less than minimum");
    bt_os_close(fd, NULL);
    leave_root();
}

Test(os_fd, dup_dup2_pipe_inheritance)
{
    int fds[2];
    cr_assert_eq(bt_os_pipe(fds, NULL), 0);
    cr_expect(cloexec(fds[0]) && cloexec(fds[1]),
              "pipe ends are close-on-exec");
    int d = bt_os_dup(fds[1], NULL);
    cr_assert_geq(d, 0);
    cr_expect(cloexec(d), "dup is not inheritable");
    int target = 100;
    cr_expect_eq(bt_os_dup2(fds[1], target, true, NULL), target,
                 "dup2 returns fd2");
    cr_expect(!cloexec(target), "dup2 is inheritable by default");
    cr_expect_eq(bt_os_dup2(fds[1], target, false, NULL), target);
    cr_expect(cloexec(target));
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_os_dup2(target, target, false, &err), BT_EINVAL,
                 "as Python's dup3");
    cr_expect_eq(bt_os_dup2(target, target, true, NULL), target);
    cr_expect_eq(bt_os_set_inheritable(target, true, NULL), 0);
    cr_expect_eq(bt_os_get_inheritable(target, NULL), 1);
    cr_expect_eq(bt_os_set_inheritable(target, false, NULL), 0);
    cr_expect_eq(bt_os_get_inheritable(target, NULL), 0);
    cr_expect_eq(bt_os_write(target, "x", 1, NULL), 1);
    char c = 0;
    cr_expect_eq(bt_os_read(fds[0], &c, 1, NULL), 1);
    cr_expect_eq(c, 'x');
    cr_expect_eq(bt_os_lseek(fds[0], 0, BT_OS_SEEK_SET, &err), BT_ESPIPE);
    cr_expect_str_eq(err.msg, "[Errno 29] Illegal seek");
    cr_expect_eq(bt_os_fsync(fds[0], &err), BT_EINVAL);
    cr_expect_str_eq(err.msg, "[Errno 22] Invalid argument");
    /* Non-blocking and empty: EAGAIN, BlockingIOError. */
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    cr_expect_eq(bt_os_read(fds[0], &c, 1, &err), BT_EAGAIN);
    cr_expect_str_eq(bt_errname(BT_EAGAIN), "BlockingIOError");
    cr_expect_str_eq(err.msg, "[Errno 11] Resource temporarily unavailable");
    bt_os_close(target, NULL);
    bt_os_close(d, NULL);
    bt_os_close(fds[0], NULL);
    bt_os_close(fds[1], NULL);
}

Test(os_fd, bad_descriptors_read_as_python)
{
    bt_err err = BT_ERR_INIT;
    char buf[4];
    bt_os_stat_result st;
    int codes[] = {
        bt_os_close(-1, &err),
        bt_os_dup(-1, &err),
        bt_os_dup2(-1, 5, true, &err),
        (int)bt_os_read(999, buf, 3, &err),
        (int)bt_os_write(999, "x", 1, &err),
        bt_os_fstat(999, &st, &err),
        (int)bt_os_lseek(999, 0, 0, &err),
        bt_os_fsync(999, &err),
        bt_os_ftruncate(999, 0, &err),
        bt_os_get_inheritable(999, &err),
        bt_os_set_inheritable(999, true, &err),
        bt_os_fchmod(999, 0, &err),
    };
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        cr_expect_eq(codes[i], BT_EBADF, "call %zu", i);
    cr_expect_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    cr_expect_str_eq(bt_errname(BT_EBADF), "OSError");
}

/* PEP 475: a handler installed without SA_RESTART interrupts the call
 * every 20 ms while a child makes it wait for 200 ms. */
static volatile sig_atomic_t interrupted;

static void on_alarm(int sig)
{
    (void)sig;
    interrupted++;
}

static void start_interrupting(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: the kernel returns EINTR */
    sigemptyset(&sa.sa_mask);
    cr_assert_eq(sigaction(SIGALRM, &sa, NULL), 0);
    struct itimerval it = {{0, 20000}, {0, 20000}};
    interrupted = 0;
    cr_assert_eq(setitimer(ITIMER_REAL, &it, NULL), 0);
}

static void stop_interrupting(void)
{
    struct itimerval it = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static pid_t later(void (*fn)(void *), void *arg)
{
    pid_t pid = fork();
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        fn(arg);
        _exit(0);
    }
    return pid;
}

static void write_one(void *arg)
{
    (void)!write(*(int *)arg, "z", 1);
}

static void drain(void *arg)
{
    const int *fds = arg;
    close(fds[1]); /* our copy of the write end: EOF once the parent closes */
    char buf[4096];
    while (read(fds[0], buf, sizeof buf) > 0)
        ;
}

static void open_fifo_for_writing(void *arg)
{
    int fd = open(arg, O_WRONLY | O_CLOEXEC);
    if (fd >= 0)
        close(fd);
}

Test(os_fd, read_write_and_open_resume_after_a_signal)
{
    int fds[2];
    cr_assert_eq(bt_os_pipe(fds, NULL), 0);
    pid_t pid = later(write_one, &fds[1]);
    start_interrupting();
    char c = 0;
    bt_err err = BT_ERR_INIT;
    ptrdiff_t n = bt_os_read(fds[0], &c, 1, &err);
    stop_interrupting();
    cr_expect_eq(n, 1, "read: %td %s", n, err.msg);
    cr_expect_eq(c, 'z');
    cr_expect_gt(interrupted, 0, "the handler ran while read waited");
    waitpid(pid, NULL, 0);

    /* A full pipe: write waits for the reader. */
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    char block[4096] = {0};
    while (write(fds[1], block, sizeof block) > 0)
        ;
    fcntl(fds[1], F_SETFL, 0);
    pid = later(drain, fds);
    start_interrupting();
    n = bt_os_write(fds[1], block, sizeof block, &err);
    stop_interrupting();
    cr_expect_gt(n, 0, "write: %td %s", n, err.msg);
    cr_expect_gt(interrupted, 0, "the handler ran while write waited");
    bt_os_close(fds[1], NULL);
    waitpid(pid, NULL, 0);
    bt_os_close(fds[0], NULL);

    /* Opening a FIFO waits for a writer. */
    enter_root();
    char fifo[96];
    snprintf(fifo, sizeof fifo, "%s/fifo", root);
    cr_assert_eq(mkfifo(fifo, 0600), 0);
    pid = later(open_fifo_for_writing, fifo);
    start_interrupting();
    int fd = bt_os_open(fifo, O_RDONLY, 0, &err);
    stop_interrupting();
    cr_expect_geq(fd, 0, "open: %s", err.msg);
    cr_expect_gt(interrupted, 0, "the handler ran while open waited");
    bt_os_close(fd, NULL);
    waitpid(pid, NULL, 0);
    leave_root();
}

Test(os_fd, dup2_onto_an_open_descriptor_replaces_it)
{
    enter_root();
    int a = bt_os_open("a", O_CREAT | O_RDWR, 0644, NULL);
    int b = bt_os_open("b", O_CREAT | O_RDWR, 0644, NULL);
    cr_assert(a >= 0 && b >= 0);
    cr_assert_eq(bt_os_dup2(a, b, true, NULL), b);
    cr_expect_eq(bt_os_write(b, "via b", 5, NULL), 5);
    bt_os_stat_result st;
    cr_assert_eq(bt_os_stat("a", &st, NULL), 0);
    cr_expect_eq(st.st_size, 5, "b now writes to a");
    bt_os_close(a, NULL);
    bt_os_close(b, NULL);
    leave_root();
}
