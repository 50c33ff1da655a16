/* subprocess_int.h — what the subprocess module's sources share. */
#ifndef BATTERIES_SUBPROCESS_INT_H
#define BATTERIES_SUBPROCESS_INT_H

#include <errno.h>
#include <signal.h>
#include <sys/types.h>

#include <batteries/subprocess.h>

#include "core_int.h"

/* Where in the child a spawn failed: Python's "noexec:chdir", "noexec"
 * and the exec itself decide which file the OSError names. */
enum bt__sp_stage { BT__SP_EXEC = 0, BT__SP_CHDIR = 1, BT__SP_NOEXEC = 2 };

/*
 * Everything the child needs, prepared by the parent: after vfork the child
 * may not allocate, so argv, envp and the exec candidates are ready-made.
 */
typedef struct bt__sp_plan {
    char *const *argv;
    char *const *envp;      /* NULL: the parent's environ */
    char *const *exec_list; /* the paths to try, in PATH order */
    const char *cwd;
    int p2cread, c2pwrite, errwrite; /* -1: inherit */
    int errpipe_write;
    const int *keep; /* sorted: pass_fds and errpipe_write */
    size_t nkeep;
    bool close_fds;
    bool restore_signals;
    bool new_session;
    int pgid;  /* < 0: none */
    int umask; /* < 0: unchanged */
} bt__sp_plan;

/* Starts the child of a plan with a vfork-style spawn. Returns 0 and *pid,
 * -errno when the spawn itself failed (no child), or 1 when the child
 * could not exec: *child_errno and *stage say why; the child has been
 * reaped. Signals are blocked in the calling thread during the spawn. */
int bt__sp_spawn(bt__sp_plan *plan, pid_t *pid, int *child_errno, int *stage);

/* For the tests: take the paths of kernels without close_range (Linux <
 * 5.9) and without pidfd_open (< 5.3) on this one. */
extern bool bt__sp_no_close_range;
extern bool bt__sp_no_pidfd;

/* The Popen's private part. */
struct bt__popen_priv {
    bt_strvec args; /* the caller's args, for messages */
    bool shell;
    int pidfd; /* -1 until a timed wait opens one */
    bool pidfd_failed;
    bool comm_started;
    const unsigned char *input;
    size_t input_len, input_off;
};

/* Python's str(cmd): the string for a shell command given as one string,
 * else the list's repr ("['ls', '-l']"). */
int bt__sp_format_cmd(bt_buf *out, const bt_strvec *args, bool shell);

/* TimeoutExpired's and CalledProcessError's messages, in err; return the
 * code. */
int bt__sp_timeout_error(bt_err *err, const bt_strvec *args, bool shell,
                         double timeout);
int bt__sp_called_error(bt_err *err, const bt_strvec *args, bool shell,
                        int returncode);

/* Waits for the child until deadline (seconds on CLOCK_MONOTONIC; < 0:
 * forever); the timeout error names `timeout`. */
int bt__sp_wait_until(bt_popen *p, double deadline, double timeout,
                      bt_err *err);

/* Seconds on CLOCK_MONOTONIC. */
double bt__sp_now(void);

/* Hands a still running child over to the reaper (see bt_popen_free), and
 * reaps what the fallback list holds. */
void bt__sp_orphan(pid_t pid);
void bt__sp_reap_orphans(void);

#endif /* BATTERIES_SUBPROCESS_INT_H */
