/*
 * run.c — run and the helpers built on it (call, check_call, check_output,
 * getoutput, getstatusoutput), the exceptions' messages, and the
 * environment helper.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subprocess_int.h"

static const bt_subprocess_opts defaults = BT_SUBPROCESS_OPTS_INIT;

int bt__sp_format_cmd(bt_buf *out, const bt_strvec *args, bool shell)
{
    if (shell && args->count == 1)
        return bt_buf_append(out, args->items[0], args->lens[0]);
    int rc = bt_buf_append_byte(out, '[');
    for (size_t i = 0; i < args->count && rc == 0; i++) {
        if (i)
            rc = bt_buf_append(out, ", ", 2);
        if (rc == 0)
            rc = bt_repr_str(out, args->items[i], args->lens[i]);
    }
    if (rc == 0)
        rc = bt_buf_append_byte(out, ']');
    return rc;
}

/* repr(float): the shortest digits that read back, fixed notation for
 * exponents -4..15 with ".0" on whole numbers, else Python's 1e-05. */
static void float_repr(char *out, size_t cap, double x)
{
    if (isinf(x)) {
        snprintf(out, cap, "%s", x < 0 ? "-inf" : "inf");
        return;
    }
    if (isnan(x)) {
        snprintf(out, cap, "nan");
        return;
    }
    char e[40];
    int prec = 1;
    for (; prec <= 17; prec++) {
        snprintf(e, sizeof e, "%.*e", prec - 1, x);
        if (strtod(e, NULL) == x)
            break;
    }
    int exp = atoi(strchr(e, 'e') + 1);
    if (exp < -4 || exp >= 16) {
        snprintf(out, cap, "%s", e);
        return;
    }
    int decimals = prec - 1 - exp;
    snprintf(out, cap, "%.*f%s", decimals > 0 ? decimals : 0, x,
             decimals > 0 ? "" : ".0");
}

static int message(bt_err *err, int code, const bt_strvec *args, bool shell,
                   const char *fmt_tail, const char *arg)
{
    if (!err)
        return code;
    bt_buf b = BT_BUF_INIT;
    if (bt_buf_append_str(&b, "Command '") < 0 ||
        bt__sp_format_cmd(&b, args, shell) < 0 ||
        bt_buf_printf(&b, fmt_tail, arg) < 0) {
        bt_buf_fini(&b);
        return bt_err_setf(err, code, -1, "%s", "Command failed");
    }
    bt_err_setf(err, code, -1, "%s", b.data);
    bt_buf_fini(&b);
    return code;
}

int bt__sp_timeout_error(bt_err *err, const bt_strvec *args, bool shell,
                         double timeout)
{
    char t[64];
    float_repr(t, sizeof t, timeout);
    return message(err, BT_ETIMEOUTEXPIRED, args, shell,
                   "' timed out after %s seconds", t);
}

/* signal.Signals' names on Linux (Python 3.11): the first name of each
 * number; numbers without a member are "unknown signal". */
static const char *signal_name(int sig)
{
    static const char *const names[] = {
        NULL,      "SIGHUP",  "SIGINT",    "SIGQUIT", "SIGILL",    "SIGTRAP",
        "SIGABRT", "SIGBUS",  "SIGFPE",    "SIGKILL", "SIGUSR1",   "SIGSEGV",
        "SIGUSR2", "SIGPIPE", "SIGALRM",   "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP",   "SIGTTIN", "SIGTTOU",   "SIGURG",
        "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH",  "SIGIO",
        "SIGPWR",  "SIGSYS"};
    if (sig > 0 && sig < (int)BT__COUNTOF(names))
        return names[sig];
    if (sig == 34)
        return "SIGRTMIN";
    if (sig == 64)
        return "SIGRTMAX";
    return NULL;
}

int bt__sp_called_error(bt_err *err, const bt_strvec *args, bool shell,
                        int returncode)
{
    char tail[96];
    if (returncode < 0) {
        const char *name = signal_name(-returncode);
        if (name)
            snprintf(tail, sizeof tail, "' died with <Signals.%s: %d>.", name,
                     -returncode);
        else
            snprintf(tail, sizeof tail, "' died with unknown signal %d.",
                     -returncode);
    } else {
        snprintf(tail, sizeof tail, "' returned non-zero exit status %d.",
                 returncode);
    }
    return message(err, BT_ECALLEDPROCESS, args, shell, "%s", tail);
}

static int completed_init(bt_subprocess_completed *c, const char *const *args,
                          bool shell)
{
    memset(c, 0, sizeof *c);
    c->shell = shell;
    for (size_t i = 0; args && args[i]; i++)
        if (bt_strvec_append_str(&c->args, args[i]) < 0)
            return BT_ENOMEM;
    return 0;
}

void bt_subprocess_completed_fini(bt_subprocess_completed *c)
{
    if (!c)
        return;
    bt_strvec_fini(&c->args);
    bt_buf_fini(&c->stdout_buf);
    bt_buf_fini(&c->stderr_buf);
    c->has_stdout = c->has_stderr = false;
    c->returncode = 0;
}

int bt_subprocess_run(const char *const *args, const bt_subprocess_opts *opts,
                      bt_subprocess_completed *out, bt_err *err)
{
    bt_subprocess_opts o = opts ? *opts : defaults;
    if (completed_init(out, args, o.shell) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    if (o.input) {
        if (o.in != BT_SUBPROCESS_INHERIT)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "stdin and input arguments may not both be "
                               "used.");
        o.in = BT_SUBPROCESS_PIPE;
    }
    if (o.capture_output) {
        if (o.out != BT_SUBPROCESS_INHERIT || o.err != BT_SUBPROCESS_INHERIT)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "stdout and stderr arguments may not be used "
                               "with capture_output.");
        o.out = o.err = BT_SUBPROCESS_PIPE;
    }
    bt_popen *p;
    int rc = bt_subprocess_popen(args, &o, &p, err);
    if (rc < 0)
        return rc;
    out->has_stdout = p->stdout_fd >= 0;
    out->has_stderr = p->stderr_fd >= 0;
    rc = bt_popen_communicate(p, o.input, o.input_len, o.timeout,
                              &out->stdout_buf, &out->stderr_buf, err);
    if (rc < 0) {
        /* Python: kill, wait (the output so far is the exception's). */
        bt_popen_kill(p, NULL);
        bt_popen_wait(p, BT_SUBPROCESS_TIMEOUT_NONE, NULL);
    }
    out->returncode = p->returncode;
    bt_popen_free(p);
    if (rc == 0 && o.check && out->returncode != 0)
        rc = bt__sp_called_error(err, &out->args, o.shell, out->returncode);
    return rc;
}

int bt_subprocess_call(const char *const *args, const bt_subprocess_opts *opts,
                       int *returncode, bt_err *err)
{
    bt_subprocess_opts o = opts ? *opts : defaults;
    bt_popen *p;
    int rc = bt_subprocess_popen(args, &o, &p, err);
    if (rc < 0)
        return rc;
    rc = bt_popen_wait(p, o.timeout, err);
    if (rc < 0) {
        bt_popen_kill(p, NULL);
        bt_popen_wait(p, BT_SUBPROCESS_TIMEOUT_NONE, NULL);
    }
    if (rc == 0 && returncode)
        *returncode = p->returncode;
    bt_popen_free(p);
    return rc;
}

int bt_subprocess_check_call(const char *const *args,
                             const bt_subprocess_opts *opts, bt_err *err)
{
    int status = 0;
    int rc = bt_subprocess_call(args, opts, &status, err);
    if (rc < 0)
        return rc;
    if (status == 0)
        return 0;
    bt_strvec v = BT_STRVEC_INIT;
    for (size_t i = 0; args && args[i]; i++)
        if (bt_strvec_append_str(&v, args[i]) < 0) {
            bt_strvec_fini(&v);
            return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
        }
    rc = bt__sp_called_error(err, &v, opts ? opts->shell : false, status);
    bt_strvec_fini(&v);
    return rc;
}

int bt_subprocess_check_output(const char *const *args,
                               const bt_subprocess_opts *opts, bt_buf *out,
                               bt_err *err)
{
    bt_subprocess_opts o = opts ? *opts : defaults;
    if (o.out != BT_SUBPROCESS_INHERIT)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "stdout argument not allowed, it will be "
                           "overridden.");
    o.out = BT_SUBPROCESS_PIPE;
    o.check = true;
    bt_subprocess_completed c;
    int rc = bt_subprocess_run(args, &o, &c, err);
    if (c.stdout_buf.len &&
        bt_buf_append(out, c.stdout_buf.data, c.stdout_buf.len) < 0)
        rc = bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    bt_subprocess_completed_fini(&c);
    return rc;
}

int bt_subprocess_getstatusoutput(const char *cmd, int *status, bt_buf *out,
                                  bt_err *err)
{
    const char *args[] = {cmd, NULL};
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.shell = true;
    o.out = BT_SUBPROCESS_PIPE;
    o.err = BT_SUBPROCESS_STDOUT;
    bt_subprocess_completed c;
    int rc = bt_subprocess_run(args, &o, &c, err);
    if (rc == 0) {
        size_t n = c.stdout_buf.len;
        if (n && c.stdout_buf.data[n - 1] == '\n')
            n--;
        if (n && bt_buf_append(out, c.stdout_buf.data, n) < 0)
            rc = bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
        if (status)
            *status = c.returncode;
    }
    bt_subprocess_completed_fini(&c);
    return rc;
}

int bt_subprocess_getoutput(const char *cmd, bt_buf *out, bt_err *err)
{
    return bt_subprocess_getstatusoutput(cmd, NULL, out, err);
}

int bt_subprocess_environ_with(const char *const *changes, bt_os_env **out,
                               bt_err *err)
{
    bt_os_env *e;
    *out = NULL;
    if (bt_os_environ_copy(&e) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    int rc = 0;
    for (size_t i = 0; changes && changes[i] && rc == 0; i++) {
        const char *c = changes[i];
        const char *eq = strchr(c, '=');
        size_t klen = eq ? (size_t)(eq - c) : strlen(c);
        if (klen == 0) {
            rc = bt_err_setf(err, BT_EVALUE, -1,
                             "illegal environment variable name");
            break;
        }
        char *key = bt_strndup(c, klen);
        if (!key) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
            break;
        }
        if (eq)
            rc = bt_os_env_set(e, key, eq + 1, err);
        else
            bt_os_env_unset(e, key); /* absent: nothing to remove */
        bt_free(key);
    }
    if (rc < 0) {
        bt_os_env_free(e);
        return rc;
    }
    *out = e;
    return 0;
}
