/*
 * test_sp_popen.c — Popen's methods and options: pid, poll, wait,
 * returncode, signals, the standard streams, cwd, env, executable, umask,
 * sessions and groups, restore_signals, descriptors the child sees, and
 * freeing a Popen whose child still runs. Every test ends with no zombie.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/subprocess.h>

#include "sp_test.h"

/* Runs args with stdout captured; returns the output (caller frees). */
static char *output_of(const char *const *args, bt_subprocess_opts *o)
{
    o->out = BT_SUBPROCESS_PIPE;
    bt_subprocess_completed r;
    bt_err err = BT_ERR_INIT;
    int rc = bt_subprocess_run(args, o, &r, &err);
    cr_assert_eq(rc, 0, "%s: %s", bt_errname(rc), err.msg);
    cr_assert_eq(r.returncode, 0);
    char *s = strdup(r.stdout_buf.data ? r.stdout_buf.data : "");
    bt_subprocess_completed_fini(&r);
    return s;
}

Test(subprocess_popen, poll_wait_pid_returncode)
{
    const char *args[] = {"sleep", "0.2", NULL};
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
    cr_assert_gt(p->pid, 0);
    cr_assert_eq(kill(p->pid, 0), 0, "pid is a live process");
    cr_expect_eq(bt_popen_poll(p), 0, "still running: poll() is None");
    cr_expect_not(p->has_returncode);
    cr_expect_eq(p->stdin_fd, -1);
    cr_expect_eq(p->stdout_fd, -1);
    cr_assert_eq(bt_popen_wait(p, -1, &err), 0);
    cr_expect(p->has_returncode);
    cr_expect_eq(p->returncode, 0);
    cr_expect_eq(bt_popen_poll(p), 1);
    cr_expect_eq(bt_popen_wait(p, 0, &err), 0, "wait again returns at once");
    bt_popen_free(p);
    sp_no_zombie();
}

Test(subprocess_popen, wait_timeout_then_kill)
{
    const char *args[] = {"sleep", "5", NULL};
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
    cr_assert_eq(bt_popen_wait(p, 0.1, &err), BT_ETIMEOUTEXPIRED);
    cr_expect_str_eq(err.msg, "Command '['sleep', '5']' timed out after 0.1 seconds");
    cr_expect_not(p->has_returncode);
    cr_assert_eq(bt_popen_wait(p, 0, &err), BT_ETIMEOUTEXPIRED);
    cr_expect_str_eq(err.msg, "Command '['sleep', '5']' timed out after 0.0 seconds");
    cr_assert_eq(bt_popen_kill(p, &err), 0);
    cr_assert_eq(bt_popen_wait(p, 5, &err), 0);
    cr_expect_eq(p->returncode, -SIGKILL);
    cr_expect_eq(bt_popen_kill(p, &err), 0, "killing a reaped child is a no-op");
    bt_popen_free(p);
    sp_no_zombie();
}

Test(subprocess_popen, send_signal_and_terminate)
{
    const char *args[] = {"sleep", "5", NULL};
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
    cr_assert_eq(bt_popen_send_signal(p, SIGUSR1, &err), 0);
    cr_assert_eq(bt_popen_wait(p, -1, &err), 0);
    cr_expect_eq(p->returncode, -SIGUSR1);
    bt_popen_free(p);
    cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
    cr_assert_eq(bt_popen_wait(p, 0.05, &err), BT_ETIMEOUTEXPIRED); /* opens the pidfd */
    cr_assert_eq(bt_popen_terminate(p, &err), 0);
    cr_assert_eq(bt_popen_wait(p, -1, &err), 0);
    cr_expect_eq(p->returncode, -SIGTERM);
    cr_expect_eq(bt_popen_send_signal(p, 12345, &err), 0, "ended: nothing sent");
    bt_popen_free(p);
    cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
    cr_expect_eq(bt_popen_send_signal(p, 12345, &err), -EINVAL);
    cr_expect_str_eq(err.msg, "[Errno 22] Invalid argument");
    bt_popen_kill(p, NULL);
    bt_popen_wait(p, -1, NULL);
    bt_popen_free(p);
    sp_no_zombie();
}

/* The notes' pipeline: cat example | grep subprocess | cut -f1 -d= */
Test(subprocess_popen, pipeline_terminates)
{
    char dir[64];
    sp_mkdtemp(dir);
    char path[128];
    snprintf(path, sizeof path, "%s/example.py", dir);
    FILE *f = fopen(path, "w");
    fputs("import subprocess\nx = 1\ncat = subprocess.Popen(['cat'])\n"
          "grep = subprocess.Popen(['grep'])\n",
          f);
    fclose(f);
    bt_err err = BT_ERR_INIT;
    const char *a1[] = {"cat", path, NULL};
    const char *a2[] = {"grep", "subprocess", NULL};
    const char *a3[] = {"cut", "-f1", "-d=", NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_PIPE;
    bt_popen *cat, *grep, *cut;
    cr_assert_eq(bt_subprocess_popen(a1, &o, &cat, &err), 0);
    o.in = cat->stdout_fd;
    cr_assert_eq(bt_subprocess_popen(a2, &o, &grep, &err), 0);
    o.in = grep->stdout_fd;
    cr_assert_eq(bt_subprocess_popen(a3, &o, &cut, &err), 0);
    /* Python's recipe: the parent closes its copies of the middle ends, so
     * each reader sees EOF when its writer ends. */
    close(cat->stdout_fd);
    cat->stdout_fd = -1;
    close(grep->stdout_fd);
    grep->stdout_fd = -1;
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_popen_communicate(cut, NULL, 0, 10, &out, NULL, &err), 0, "%s", err.msg);
    cr_expect_str_eq(out.data, "import subprocess\ncat \ngrep \n");
    cr_assert_eq(bt_popen_wait(cat, 5, &err), 0);
    cr_assert_eq(bt_popen_wait(grep, 5, &err), 0);
    cr_expect_eq(cat->returncode + grep->returncode + cut->returncode, 0);
    bt_popen_free(cat);
    bt_popen_free(grep);
    bt_popen_free(cut);
    bt_buf_fini(&out);
    unlink(path);
    rmdir(dir);
    sp_no_zombie();
}

Test(subprocess_popen, stream_targets)
{
    char dir[64];
    sp_mkdtemp(dir);
    char path[128];
    snprintf(path, sizeof path, "%s/out.txt", dir);
    int fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0644);
    cr_assert_geq(fd, 0);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.in = BT_SUBPROCESS_DEVNULL;
    o.out = fd; /* an fd of ours, close-on-exec: still becomes stdout */
    o.err = BT_SUBPROCESS_STDOUT;
    const char *args[] = {"sh", "-c", "cat; echo out; echo err >&2", NULL};
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_check_call(args, &o, &err), 0, "%s", err.msg);
    char buf[64] = {0};
    cr_assert_eq(pread(fd, buf, sizeof buf - 1, 0), 8);
    cr_expect_str_eq(buf, "out\nerr\n");
    cr_expect_eq(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC, "ours unchanged");
    close(fd);
    unlink(path);
    rmdir(dir);
    /* err=STDOUT with stdout inherited: both go where our stdout goes. */
    bt_subprocess_completed r;
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_PIPE;
    o.err = BT_SUBPROCESS_DEVNULL;
    const char *a2[] = {"sh", "-c", "echo visible; echo hidden >&2", NULL};
    cr_assert_eq(bt_subprocess_run(a2, &o, &r, &err), 0);
    cr_expect_str_eq(r.stdout_buf.data, "visible\n");
    cr_expect_not(r.has_stderr);
    bt_subprocess_completed_fini(&r);
    sp_no_zombie();
}

Test(subprocess_popen, cwd_umask_session_group_env)
{
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    const char *args[] = {SP_CHILD, "state", NULL};
    o.cwd = "/tmp";
    o.umask = 027;
    o.start_new_session = true;
    bt_os_env *env;
    const char *changes[] = {"SP_X=hello world", "SP_UNSET_ME", NULL};
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_environ_with(changes, &env, &err), 0);
    o.env = bt_os_env_envp(env);
    char *s = output_of(args, &o);
    cr_expect(strstr(s, "cwd=/tmp\n"), "%s", s);
    cr_expect(strstr(s, "umask=027\n"), "%s", s);
    cr_expect(strstr(s, "sid_leader=1\n"), "%s", s);
    cr_expect(strstr(s, "pg_leader=1\n"), "%s", s);
    cr_expect(strstr(s, "SP_X=hello world\n"), "%s", s);
    free(s);
    bt_os_env_free(env);

    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.process_group = 0;
    s = output_of(args, &o);
    cr_expect(strstr(s, "sid_leader=0\n"), "%s", s);
    cr_expect(strstr(s, "pg_leader=1\n"), "%s", s);
    cr_expect(strstr(s, "SP_X=(unset)\n"), "%s", s);
    free(s);

    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    s = output_of(args, &o);
    cr_expect(strstr(s, "pgid_is_parent=1\n"), "%s", s);
    free(s);
    sp_no_zombie();
}

Test(subprocess_popen, env_replaces_and_path_comes_from_it)
{
    /* With env given, the PATH search uses env's PATH (Python's
     * os.get_exec_path(env)); an env without PATH searches /bin:/usr/bin. */
    char *const empty[] = {"SP_X=1", NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.env = empty;
    const char *args[] = {"sh", "-c", "echo \"$SP_X:${HOME-nohome}\"", NULL};
    char *s = output_of(args, &o);
    cr_expect_str_eq(s, "1:nohome\n");
    free(s);
    char *const nopath[] = {"PATH=/nonexistent", NULL};
    o.env = nopath;
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_subprocess_popen(args, &o, &p, &err), BT_ENOENT);
    cr_expect_str_eq(err.msg, "[Errno 2] No such file or directory: 'sh'");
    sp_no_zombie();
}

Test(subprocess_popen, executable_and_shell)
{
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.executable = SP_CHILD;
    const char *args[] = {"myname", "argv", "x y", NULL};
    char *s = output_of(args, &o);
    cr_expect_str_eq(s, "argv0\nargv\nx y\n0=myname\n");
    free(s);
    /* shell: args[0] is the script, the rest $0, $1, ...; executable
     * replaces /bin/sh. */
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.shell = true;
    const char *sh[] = {"echo \"$0|$1\"", "zero", "one", NULL};
    s = output_of(sh, &o);
    cr_expect_str_eq(s, "zero|one\n");
    free(s);
    o.executable = "/bin/bash";
    const char *bash[] = {"echo ${BASH_VERSION:+bash}", NULL};
    if (access("/bin/bash", X_OK) == 0) {
        s = output_of(bash, &o);
        cr_expect_str_eq(s, "bash\n");
        free(s);
    }
    sp_no_zombie();
}

Test(subprocess_popen, restore_signals_and_handlers)
{
    /* An ignored SIGPIPE goes back to SIG_DFL with restore_signals (the
     * default), stays ignored without; a handler never reaches the child;
     * the caller's mask is the child's. */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old_pipe, old_usr1;
    sigaction(SIGPIPE, &ign, &old_pipe);
    struct sigaction h = {.sa_handler = (void (*)(int))1};
    h.sa_handler = (void (*)(int))sp_no_zombie; /* any function: never runs */
    sigaction(SIGUSR1, &h, &old_usr1);
    sigset_t usr2, oldmask;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    pthread_sigmask(SIG_BLOCK, &usr2, &oldmask);

    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    const char *args[] = {SP_CHILD, "state", NULL};
    char *s = output_of(args, &o);
    cr_expect(strstr(s, "sigpipe=dfl\n"), "%s", s);
    cr_expect(strstr(s, "sigusr1=dfl\n"), "%s", s);
    cr_expect(strstr(s, "usr2_blocked=1\n"), "%s", s);
    free(s);
    o.restore_signals = false;
    s = output_of(args, &o);
    cr_expect(strstr(s, "sigpipe=ign\n"), "%s", s);
    free(s);

    pthread_sigmask(SIG_SETMASK, &oldmask, NULL);
    sigaction(SIGPIPE, &old_pipe, NULL);
    sigaction(SIGUSR1, &old_usr1, NULL);
    sp_no_zombie();
}

/* Descriptors: the child sees 0, 1, 2 and pass_fds only, whatever the
 * parent holds open (inheritable or not). */
Test(subprocess_popen, child_sees_only_std_and_pass_fds)
{
    int extra[6];
    for (int i = 0; i < 6; i++) {
        extra[i] = open("/dev/null", O_RDONLY); /* inheritable on purpose */
        cr_assert_geq(extra[i], 3);
    }
    int high = dup2(extra[0], 200);
    cr_assert_eq(high, 200);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    const char *args[] = {SP_CHILD, "fds", NULL};
    char *s = output_of(args, &o);
    cr_expect_str_eq(s, "0 1 2\n");
    free(s);

    int pass[] = {extra[4], extra[2]};
    o.pass_fds = pass;
    o.pass_fds_len = 2;
    s = output_of(args, &o);
    char want[64];
    snprintf(want, sizeof want, "0 1 2 %d %d\n", extra[2], extra[4]);
    cr_expect_str_eq(s, want);
    free(s);

    /* close_fds off: inheritable descriptors stay, ours (CLOEXEC) never. */
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.close_fds = false;
    s = output_of(args, &o);
    snprintf(want, sizeof want, " %d ", extra[5]);
    cr_expect(strstr(s, want), "%s", s);
    cr_expect(strstr(s, " 200\n"), "%s", s);
    free(s);
    for (int i = 0; i < 6; i++)
        close(extra[i]);
    close(high);

    /* With CPython as the parent: the same child sees the same set. */
    const char *py_args[] = {SP_CHILD, NULL};
    char *py = sp_python("import subprocess, sys\n"
                         "sys.stdout.write(subprocess.run([sys.argv[1], 'fds'],"
                         " capture_output=True).stdout.decode())",
                         py_args, NULL);
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    s = output_of(args, &o);
    cr_expect_str_eq(s, py);
    free(s);
    free(py);
    sp_no_zombie();
}

Test(subprocess_popen, free_with_child_running_leaves_no_zombie)
{
    const char *args[] = {"sleep", "0.2", NULL};
    bt_err err = BT_ERR_INIT;
    for (int i = 0; i < 3; i++) {
        bt_popen *p;
        cr_assert_eq(bt_subprocess_popen(args, NULL, &p, &err), 0);
        bt_popen_free(p); /* still running */
    }
    bt_popen *p;
    const char *quick[] = {"true", NULL};
    cr_assert_eq(bt_subprocess_popen(quick, NULL, &p, &err), 0);
    usleep(100000);
    bt_popen_free(p); /* ended, not waited for: reaped by free */
    sp_no_zombie();
    usleep(400000);
    sp_wait_no_zombie(); /* the three sleeps ended and were reaped */
}

Test(subprocess_popen, communicate_timeout_then_resume)
{
    const char *args[] = {"sh", "-c", "echo one; sleep 0.3; echo two", NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_PIPE;
    o.in = BT_SUBPROCESS_PIPE;
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_popen(args, &o, &p, &err), 0);
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_popen_communicate(p, NULL, 0, 0.1, &out, NULL, &err), BT_ETIMEOUTEXPIRED);
    cr_expect_str_eq(out.data, "one\n");
    cr_expect_eq(bt_popen_communicate(p, "x", 1, -1, &out, NULL, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "Cannot send input after starting communication");
    cr_assert_eq(bt_popen_communicate(p, NULL, 0, -1, &out, NULL, &err), 0);
    cr_expect_str_eq(out.data, "one\ntwo\n", "the same buffer: Python's full output");
    cr_expect_eq(p->returncode, 0);
    cr_expect_eq(p->stdout_fd, -1);
    bt_buf_fini(&out);
    bt_popen_free(p);
    sp_no_zombie();
}

Test(subprocess_popen, bad_arguments)
{
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    const char *none[] = {NULL};
    cr_expect_eq(bt_subprocess_popen(none, NULL, &p, &err), BT_EINDEX);
    cr_expect_str_eq(err.msg, "list index out of range");
    cr_expect_null(p);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_STDOUT;
    const char *args[] = {"true", NULL};
    cr_expect_eq(bt_subprocess_popen(args, &o, &p, &err), BT_EVALUE);
    /* A bad descriptor fails in the child, as in Python. */
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.out = -7;
    cr_expect_eq(bt_subprocess_popen(args, &o, &p, &err), BT_EBADF);
    cr_expect_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.err = 999;
    cr_expect_eq(bt_subprocess_popen(args, &o, &p, &err), BT_EBADF);
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    int bad[] = {-3};
    o.pass_fds = bad;
    o.pass_fds_len = 1;
    cr_expect_eq(bt_subprocess_popen(args, &o, &p, &err), BT_EVALUE);
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.input = "x";
    o.input_len = 1;
    o.in = BT_SUBPROCESS_DEVNULL;
    bt_subprocess_completed r;
    cr_expect_eq(bt_subprocess_run(args, &o, &r, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "stdin and input arguments may not both be used.");
    bt_subprocess_completed_fini(&r);
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.capture_output = true;
    o.err = BT_SUBPROCESS_DEVNULL;
    cr_expect_eq(bt_subprocess_run(args, &o, &r, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "stdout and stderr arguments may not be used with capture_output.");
    bt_subprocess_completed_fini(&r);
    bt_buf b = BT_BUF_INIT;
    o = (bt_subprocess_opts)BT_SUBPROCESS_OPTS_INIT;
    o.out = BT_SUBPROCESS_DEVNULL;
    cr_expect_eq(bt_subprocess_check_output(args, &o, &b, &err), BT_EVALUE);
    cr_expect_str_eq(err.msg, "stdout argument not allowed, it will be overridden.");
    const char *empty_key[] = {"=x", NULL};
    bt_os_env *env;
    cr_expect_eq(bt_subprocess_environ_with(empty_key, &env, &err), BT_EVALUE);
    cr_expect_null(env);
    sp_no_zombie();
}

Test(subprocess_popen, call_check_output_getoutput)
{
    bt_err err = BT_ERR_INIT;
    int rc = 99;
    const char *exit5[] = {"sh", "-c", "exit 5", NULL};
    cr_assert_eq(bt_subprocess_call(exit5, NULL, &rc, &err), 0);
    cr_expect_eq(rc, 5);
    cr_expect_eq(bt_subprocess_check_call(exit5, NULL, &err), BT_ECALLEDPROCESS);
    cr_expect_str_eq(err.msg, "Command '['sh', '-c', 'exit 5']' returned non-zero exit status 5.");
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.timeout = 0.1;
    const char *slow[] = {"sleep", "5", NULL};
    cr_expect_eq(bt_subprocess_call(slow, &o, &rc, &err), BT_ETIMEOUTEXPIRED);
    cr_expect_str_eq(err.msg, "Command '['sleep', '5']' timed out after 0.1 seconds");

    bt_buf b = BT_BUF_INIT;
    const char *partial[] = {"sh", "-c", "echo partial; exit 2", NULL};
    cr_expect_eq(bt_subprocess_check_output(partial, NULL, &b, &err), BT_ECALLEDPROCESS);
    cr_expect_str_eq(b.data, "partial\n", "CalledProcessError.output");
    bt_buf_clear(&b);

    /* getoutput / getstatusoutput against CPython. */
    const char *cmds[] = {"echo hi; echo err >&2", "printf 'a\\n\\n'", "exit 3",
                          "echo x; kill -9 $$", "nosuchprog_xyz", NULL};
    for (size_t i = 0; cmds[i]; i++) {
        const char *py_args[] = {cmds[i], NULL};
        char *py = sp_python("import subprocess, sys\n"
                             "s, o = subprocess.getstatusoutput(sys.argv[1])\n"
                             "sys.stdout.write('%d|%s' % (s, o))",
                             py_args, NULL);
        int st;
        bt_buf_clear(&b);
        cr_assert_eq(bt_subprocess_getstatusoutput(cmds[i], &st, &b, &err), 0);
        char *mine;
        cr_assert_geq(asprintf(&mine, "%d|%s", st, b.data ? b.data : ""), 0);
        cr_expect_str_eq(mine, py, "getstatusoutput(%s)", cmds[i]);
        free(mine);
        free(py);
    }
    bt_buf_clear(&b);
    cr_assert_eq(bt_subprocess_getoutput("echo one; echo two", &b, &err), 0);
    cr_expect_str_eq(b.data, "one\ntwo");
    bt_buf_fini(&b);
    sp_no_zombie();
}

/* The paths of older kernels, taken on purpose: close_fds through
 * /proc/self/fd (no close_range) and waits with a timeout by Python's
 * back-off loop (no pidfd). */
extern bool bt__sp_no_close_range;
extern bool bt__sp_no_pidfd;

Test(subprocess_popen, without_close_range_and_pidfd)
{
    bt__sp_no_close_range = true;
    bt__sp_no_pidfd = true;
    int extra = open("/dev/null", O_RDONLY); /* inheritable */
    int high = dup2(extra, 300);
    cr_assert_eq(high, 300);
    int pass[] = {extra};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    const char *args[] = {SP_CHILD, "fds", NULL};
    char *s = output_of(args, &o);
    cr_expect_str_eq(s, "0 1 2\n");
    free(s);
    o.pass_fds = pass;
    o.pass_fds_len = 1;
    s = output_of(args, &o);
    char want[32];
    snprintf(want, sizeof want, "0 1 2 %d\n", extra);
    cr_expect_str_eq(s, want);
    free(s);
    close(extra);
    close(high);

    const char *sl[] = {"sleep", "0.3", NULL};
    bt_popen *p;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_subprocess_popen(sl, NULL, &p, &err), 0);
    cr_expect_eq(bt_popen_wait(p, 0.05, &err), BT_ETIMEOUTEXPIRED);
    cr_expect_eq(bt_popen_wait(p, 5, &err), 0);
    cr_expect_eq(p->returncode, 0);
    bt_popen_free(p);
    bt__sp_no_close_range = false;
    bt__sp_no_pidfd = false;
    sp_no_zombie();
}

/* A child that closes stdin early: with SIGPIPE at its default (death),
 * communicate survives, leaves no SIGPIPE pending and the disposition and
 * mask as they were. */
Test(subprocess_popen, no_sigpipe_death)
{
    struct sigaction dfl = {.sa_handler = SIG_DFL}, old;
    sigaction(SIGPIPE, &dfl, &old);
    sigset_t before;
    pthread_sigmask(SIG_SETMASK, NULL, &before);
    size_t n = 4u << 20;
    char *in = calloc(1, n);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.input = in;
    o.input_len = n;
    o.out = BT_SUBPROCESS_PIPE;
    const char *args[] = {"head", "-c", "5", NULL};
    bt_subprocess_completed r;
    bt_err err = BT_ERR_INIT;
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(bt_subprocess_run(args, &o, &r, &err), 0, "%s", err.msg);
        cr_expect_eq(r.stdout_buf.len, 5);
        bt_subprocess_completed_fini(&r);
    }
    sigset_t pending, after;
    sigpending(&pending);
    cr_expect_not(sigismember(&pending, SIGPIPE));
    pthread_sigmask(SIG_SETMASK, NULL, &after);
    cr_expect_eq(sigismember(&after, SIGPIPE), sigismember(&before, SIGPIPE));
    struct sigaction now;
    sigaction(SIGPIPE, NULL, &now);
    cr_expect(now.sa_handler == SIG_DFL);
    sigaction(SIGPIPE, &old, NULL);
    free(in);
    sp_no_zombie();
}
