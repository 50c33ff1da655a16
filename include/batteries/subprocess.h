/*
 * batteries/subprocess.h — Python's subprocess module on Linux, with CPython
 * 3.11's semantics: Popen (poll, wait, communicate, send_signal, terminate,
 * kill), run and its CompletedProcess, call, check_call, check_output,
 * getoutput and getstatusoutput.
 *
 *   const char *argv[] = {"grep", "wood", "poem.txt", NULL};
 *   bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
 *   o.capture_output = true;
 *   bt_subprocess_completed r;
 *   bt_err err = BT_ERR_INIT;
 *   if (bt_subprocess_run(argv, &o, &r, &err) == 0)
 *       printf("%d %s", r.returncode, r.stdout_buf.data);
 *   bt_subprocess_completed_fini(&r);
 *
 * How children are made (see docs/subprocess.md):
 *  - A vfork-style spawn (the parent's page tables are never copied, so a
 *    big process spawns as fast as a small one) with a close-on-exec error
 *    pipe: a child that cannot start is reported to the caller as the
 *    OSError Python raises, naming the file ("[Errno 2] No such file or
 *    directory: 'nosuchprog'"), never as a child that exits 127.
 *  - Every descriptor the library opens is close-on-exec; with close_fds
 *    (the default) the child keeps only 0, 1, 2 and pass_fds (close_range).
 *  - No SIGCHLD handler is ever installed and only children this library
 *    spawned are waited for (waitpid on their pid, never -1).
 *  - Every system call a signal can interrupt is retried (PEP 475); waits
 *    with a timeout use a pidfd when the kernel has one.
 *  - Writing to a child that has closed its stdin never kills the process
 *    with SIGPIPE: the writes of communicate block SIGPIPE in the calling
 *    thread and consume the one they caused; dispositions are never changed.
 *
 * Conventions: args is a NULL-terminated vector of NUL-terminated strings
 * (Python's list). A timeout is in seconds; a negative one
 * (BT_SUBPROCESS_TIMEOUT_NONE) is Python's None. err may always be NULL.
 */
#ifndef BATTERIES_SUBPROCESS_H
#define BATTERIES_SUBPROCESS_H

#include <batteries/core.h>
#include <batteries/os.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Python's timeout=None. */
#define BT_SUBPROCESS_TIMEOUT_NONE (-1.0)

/*
 * What a standard stream of the child is connected to (the in, out and err
 * fields of bt_subprocess_opts): a descriptor >= 0 of the parent, or one of
 * these. Python: None, PIPE, STDOUT (err only), DEVNULL.
 */
#define BT_SUBPROCESS_INHERIT (-1)
#define BT_SUBPROCESS_PIPE    (-2)
#define BT_SUBPROCESS_STDOUT  (-3)
#define BT_SUBPROCESS_DEVNULL (-4)

/*
 * Popen's keyword arguments, and run's. Start from BT_SUBPROCESS_OPTS_INIT
 * (Python's defaults; a NULL opts means the same).
 *  shell            run args[0] with /bin/sh -c; further args become $0, $1...
 *  executable       the program to run instead of args[0] (with shell: the
 *                   shell instead of /bin/sh); args[0] stays argv[0]. Without
 *                   a '/', it is searched in PATH (env's PATH when env is
 *                   given, else the process's; "/bin:/usr/bin" when unset),
 *                   as Python searches it.
 *  in, out, err     BT_SUBPROCESS_INHERIT, _PIPE, _DEVNULL, _STDOUT (err
 *                   only) or a descriptor of the parent.
 *  cwd              the child's working directory, or NULL.
 *  env              the child's whole environment ("KEY=VALUE" strings,
 *                   NULL-terminated; bt_os_env_envp or
 *                   bt_subprocess_environ_with make one), or NULL to inherit.
 *  close_fds        close every descriptor above 2 but pass_fds (default
 *                   true; pass_fds turns it on, as in Python).
 *  pass_fds         descriptors the child keeps, at the same numbers.
 *  start_new_session  setsid() in the child.
 *  process_group    setpgid(0, process_group) in the child when >= 0.
 *  umask            umask(umask) in the child when >= 0.
 *  restore_signals  SIGPIPE and SIGXFSZ back to SIG_DFL in the child (default
 *                   true). Signals with a handler are always reset (exec does).
 * For bt_subprocess_run and the functions built on it (Popen ignores them):
 *  input, input_len stdin data (input NULL: None; "" with 0: b''). Sets in
 *                   to a pipe, so in must stay INHERIT.
 *  capture_output   out and err to pipes (both must stay INHERIT).
 *  timeout          seconds, or negative for None.
 *  check            a non-zero returncode is BT_ECALLEDPROCESS.
 */
typedef struct bt_subprocess_opts {
    bool shell;
    const char *executable;
    int in, out, err;
    const char *cwd;
    char *const *env;
    bool close_fds;
    const int *pass_fds;
    size_t pass_fds_len;
    bool start_new_session;
    int process_group;
    int umask;
    bool restore_signals;
    const void *input;
    size_t input_len;
    bool capture_output;
    double timeout;
    bool check;
} bt_subprocess_opts;

#define BT_SUBPROCESS_OPTS_INIT                                                \
    {                                                                          \
        false, NULL, BT_SUBPROCESS_INHERIT, BT_SUBPROCESS_INHERIT,             \
            BT_SUBPROCESS_INHERIT, NULL, NULL, true, NULL, 0, false, -1, -1,   \
            true, NULL, 0, false, BT_SUBPROCESS_TIMEOUT_NONE, false            \
    }

/*
 * A running (or finished) child: Python's Popen object. The fields are
 * readable; change them only through the functions.
 *  pid              the child's process id.
 *  has_returncode   false while Python's returncode is None.
 *  returncode       the exit status, or -N when signal N killed the child.
 *  stdin_fd, stdout_fd, stderr_fd
 *                   the parent's ends of the pipes asked for with PIPE, else
 *                   -1. Owned by the Popen (communicate and bt_popen_free
 *                   close them; a caller that closes one sets it to -1).
 *                   stdout_fd may be given as another child's in: pipelines.
 */
typedef struct bt_popen {
    int pid;
    bool has_returncode;
    int returncode;
    int stdin_fd, stdout_fd, stderr_fd;
    struct bt__popen_priv *priv;
} bt_popen;

/**
 * Starts a child process running args (PATH searched as execvp does, or
 * through /bin/sh -c with opts->shell) and connects its standard streams as
 * opts says.
 *
 * Python: subprocess.Popen(args, executable=..., stdin=..., stdout=...,
 *   stderr=..., close_fds=..., shell=..., cwd=..., env=..., restore_signals=
 *   ..., start_new_session=..., pass_fds=..., process_group=..., umask=...).
 * Returns: 0 and *out; BT_ENOMEM; BT_EINDEX for an empty args without shell
 *   ("list index out of range"); BT_EVALUE for STDOUT given as in or out
 *   ("STDOUT can only be used for stderr"), a negative pass_fds entry
 *   ("bad value(s) in fds_to_keep"); or -errno when the child cannot start,
 *   with Python's message: "[Errno 2] No such file or directory:
 *   'nosuchprog'", "[Errno 13] Permission denied: './data.txt'", "[Errno 2]
 *   No such file or directory: '/no/dir'" for a bad cwd, and no file name
 *   for a failed setsid or setpgid or a bad descriptor given as a stream
 *   ("[Errno 9] Bad file descriptor"). Nothing is left behind on failure (the
 *   failed child is reaped, the pipes closed).
 * Ownership: args and opts are copied or used during the call only; *out is
 *   the caller's, freed with bt_popen_free.
 * Thread safety: safe; spawning from many threads at once is supported.
 */
BT_API int bt_subprocess_popen(const char *const *args,
                               const bt_subprocess_opts *opts, bt_popen **out,
                               bt_err *err);

/**
 * Frees a Popen and closes its pipe ends. Accepts NULL. The child is never
 * killed. Policy for a child that still runs: it is handed to a small
 * detached reaper thread of the library that waits for exactly that pid, so
 * it never stays a zombie (Python keeps it on a list reaped by later
 * Popen calls). If no thread can be created, the pid goes on a list that
 * the next bt_subprocess_popen or bt_popen_free reaps (Python's policy).
 *
 * Python: del p (Popen.__del__), or leaving a `with Popen(...)` block
 *   without the wait.
 * Returns: nothing.
 * Ownership: p and its descriptors are released.
 * Thread safety: not safe on a Popen another thread uses.
 */
BT_API void bt_popen_free(bt_popen *p);

/**
 * Checks whether the child has ended, without waiting.
 *
 * Python: p.poll().
 * Returns: 1 when it has ended (p->returncode is set), 0 while it runs. A
 *   child someone else reaped (ECHILD) counts as ended with returncode 0,
 *   as in Python.
 * Ownership: nothing to free.
 * Thread safety: not safe on a Popen another thread uses.
 */
BT_API int bt_popen_poll(bt_popen *p);

/**
 * Waits for the child to end, at most timeout seconds (negative: forever).
 * Does not read the pipes: a child that fills a pipe blocks (use
 * communicate).
 *
 * Python: p.wait(timeout).
 * Returns: 0 and p->returncode; BT_ETIMEOUTEXPIRED ("Command '['sleep',
 *   '5']' timed out after 0.5 seconds"), the child still running.
 * Ownership: nothing to free.
 * Thread safety: not safe on a Popen another thread uses.
 */
BT_API int bt_popen_wait(bt_popen *p, double timeout, bt_err *err);

/**
 * Sends input to the child's stdin (then closes it), reads its stdout and
 * stderr to the end, and waits for it, all without deadlock whatever the
 * sizes. What the child writes is appended to out and errout (NULL
 * discards that stream's output; a stream that is not a pipe leaves its
 * buffer untouched: Python's None).
 *
 * Python: p.communicate(input, timeout).
 * Returns: 0 and p->returncode; BT_ETIMEOUTEXPIRED when timeout runs out
 *   (the child keeps running; what was read so far has been appended, as
 *   TimeoutExpired.stdout carries it; a later call appends the rest, so the
 *   same buffers end with Python's full output; input must then be NULL and
 *   the first input must still be valid: writing resumes where it stopped);
 *   BT_EVALUE for input after communication started ("Cannot send input
 *   after starting communication"); BT_ENOMEM; -errno for a read failure.
 *   Input for a child whose stdin is not a pipe is ignored, as in Python. A
 *   child that closes its stdin early is not an error (BrokenPipeError is
 *   ignored).
 * Ownership: input is borrowed (see the timeout case); out and errout are
 *   the caller's. The pipes are closed on return (but on timeout).
 * Thread safety: not safe on a Popen another thread uses.
 */
BT_API int bt_popen_communicate(bt_popen *p, const void *input,
                                size_t input_len, double timeout, bt_buf *out,
                                bt_buf *errout, bt_err *err);

/**
 * Sends a signal to the child (nothing when it is known to have ended);
 * terminate sends SIGTERM, kill SIGKILL.
 *
 * Python: p.send_signal(sig), p.terminate(), p.kill().
 * Returns: 0, or -errno ("[Errno 22] Invalid argument" for a bad signal).
 * Ownership: nothing to free.
 * Thread safety: not safe on a Popen another thread uses.
 */
BT_API int bt_popen_send_signal(bt_popen *p, int sig, bt_err *err);
BT_API int bt_popen_terminate(bt_popen *p, bt_err *err);
BT_API int bt_popen_kill(bt_popen *p, bt_err *err);

/*
 * Python's CompletedProcess. args is a copy of the arguments; stdout_buf and
 * stderr_buf hold what was captured, when has_stdout / has_stderr say the
 * stream was a pipe (Python's None otherwise). Release with
 * bt_subprocess_completed_fini.
 */
typedef struct bt_subprocess_completed {
    bt_strvec args;
    bool shell;
    int returncode;
    bool has_stdout, has_stderr;
    bt_buf stdout_buf, stderr_buf;
} bt_subprocess_completed;

/**
 * Runs args, feeding opts->input, capturing what opts asks, waiting at most
 * opts->timeout, and fills *out.
 *
 * Python: subprocess.run(args, input=..., capture_output=..., timeout=...,
 *   check=..., **popen_kwargs).
 * Returns: 0; Popen's errors; BT_EVALUE ("stdin and input arguments may not
 *   both be used.", "stdout and stderr arguments may not be used with
 *   capture_output."); BT_ETIMEOUTEXPIRED: the child was killed and reaped,
 *   *out holds the output read before the timeout and returncode the kill's
 *   (-9); BT_ECALLEDPROCESS with check and a non-zero returncode ("Command
 *   '['false']' returned non-zero exit status 1.", "Command '...' died with
 *   <Signals.SIGKILL: 9>."), *out complete (CalledProcessError's
 *   returncode, output and stderr).
 * Ownership: *out is initialized by the call in every case (even on
 *   failure) and must be released with bt_subprocess_completed_fini.
 * Thread safety: safe.
 */
BT_API int bt_subprocess_run(const char *const *args,
                             const bt_subprocess_opts *opts,
                             bt_subprocess_completed *out, bt_err *err);

/**
 * Releases what a completed process holds (and leaves it empty). Accepts
 * NULL.
 *
 * Python: del completed.
 * Returns: nothing.
 * Ownership: frees args and the buffers.
 * Thread safety: not safe on a value another thread uses.
 */
BT_API void bt_subprocess_completed_fini(bt_subprocess_completed *c);

/**
 * Runs args and gives its returncode (call), or requires it to be 0
 * (check_call).
 *
 * Python: subprocess.call(args, timeout=..., **kw),
 *   subprocess.check_call(args, ...).
 * Returns: 0 and *returncode (call; may be NULL for check_call), Popen's
 *   errors, BT_ETIMEOUTEXPIRED (the child killed and reaped), or for
 *   check_call BT_ECALLEDPROCESS with Python's message.
 * Ownership: args and opts borrowed (input, capture_output and check are
 *   ignored).
 * Thread safety: safe.
 */
BT_API int bt_subprocess_call(const char *const *args,
                              const bt_subprocess_opts *opts, int *returncode,
                              bt_err *err);
BT_API int bt_subprocess_check_call(const char *const *args,
                                    const bt_subprocess_opts *opts,
                                    bt_err *err);

/**
 * Runs args with stdout captured and appends it to out; a non-zero
 * returncode is an error (the output still appended).
 *
 * Python: subprocess.check_output(args, **kw).
 * Returns: 0, or run's errors (BT_ECALLEDPROCESS, BT_ETIMEOUTEXPIRED with
 *   the output so far appended); BT_EVALUE when opts->out is not INHERIT
 *   ("stdout argument not allowed, it will be overridden.").
 * Ownership: out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_subprocess_check_output(const char *const *args,
                                      const bt_subprocess_opts *opts,
                                      bt_buf *out, bt_err *err);

/**
 * Runs cmd with /bin/sh -c, stderr merged into stdout, and appends the
 * output minus one trailing newline to out; getstatusoutput also gives the
 * returncode.
 *
 * Python: subprocess.getoutput(cmd), subprocess.getstatusoutput(cmd)
 *   (bytes here: Python decodes them as text).
 * Returns: 0 (and *status: the returncode, -N for a signal), or a spawn
 *   error (no shell).
 * Ownership: cmd borrowed; out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_subprocess_getoutput(const char *cmd, bt_buf *out, bt_err *err);
BT_API int bt_subprocess_getstatusoutput(const char *cmd, int *status,
                                         bt_buf *out, bt_err *err);

/**
 * Builds a child's environment: a copy of the process environment with
 * changes applied in order, each "KEY=VALUE" (set) or "KEY" (remove).
 * Give bt_os_env_envp(*out) as opts.env.
 *
 * Python: dict(os.environ, KEY=VALUE) (and .pop(KEY, None)).
 * Returns: 0 and *out, BT_ENOMEM, or BT_EVALUE for an empty key ("illegal
 *   environment variable name").
 * Ownership: changes borrowed (may be NULL); *out is the caller's, freed
 *   with bt_os_env_free (declared in <batteries/os.h>).
 * Thread safety: reads environ: see os.h's rule on the environment.
 */
BT_API int bt_subprocess_environ_with(const char *const *changes,
                                      bt_os_env **out, bt_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_SUBPROCESS_H */
