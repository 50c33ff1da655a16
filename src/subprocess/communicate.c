/*
 * communicate.c — feeding stdin and draining stdout and stderr at once, so
 * neither side can block the other whatever the sizes (the "wait + pipes
 * deadlock past 64 KiB" of other process APIs).
 */
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sigpipe.h"
#include "subprocess_int.h"

/* The first read reserves this much; the buffer then grows by half. */
#define READ_CHUNK (64 * 1024)

static void close_fd(int *fd)
{
    if (*fd >= 0)
        close(*fd);
    *fd = -1;
}

/* Reads once into b (or discards when b is NULL). Returns the count, 0 at
 * end of file, BT_EAGAIN, BT_ENOMEM or -errno. */
static ssize_t read_once(int fd, bt_buf *b)
{
    char scratch[4096];
    ssize_t r;
    if (!b) {
        BT__RETRY(r, read(fd, scratch, sizeof scratch));
        return r < 0 ? -errno : r;
    }
    if (b->cap - b->len < READ_CHUNK / 2 + 1 &&
        bt_buf_reserve(b, BT__MAX(READ_CHUNK, b->len / 2)) < 0)
        return BT_ENOMEM;
    BT__RETRY(r, read(fd, b->data + b->len, b->cap - b->len - 1));
    if (r < 0)
        return -errno;
    b->len += (size_t)r;
    b->data[b->len] = '\0';
    return r;
}

/* A child that writes a lot: past the first MiB, ask for a 1 MiB pipe, so
 * the two sides swap 16 times less often. Only big transfers pay for the
 * bigger kernel buffer (it counts against the user's pipe-user-pages
 * limit); a refusal is harmless and not retried. */
#define GROW_AFTER (1u << 20)
#define GROWN_SIZE (1 << 20)

static void maybe_grow(int fd, size_t *seen, ssize_t r)
{
    if (r <= 0 || *seen >= GROW_AFTER)
        return;
    *seen += (size_t)r;
    if (*seen >= GROW_AFTER)
        fcntl(fd, F_SETPIPE_SZ, GROWN_SIZE);
}

/* Writes what is left of the input. Returns 1 when all is written or the
 * reader has gone (the pipe is then closed), 0 when the pipe is full, or
 * -errno. */
static int write_some(bt_popen *p, bt__sigpipe_guard *g)
{
    struct bt__popen_priv *v = p->priv;
    while (v->input_off < v->input_len) {
        ssize_t w;
        BT__RETRY(w, write(p->stdin_fd, v->input + v->input_off,
                              v->input_len - v->input_off));
        if (w < 0) {
            if (errno == EAGAIN)
                return 0;
            if (errno == EPIPE) { /* BrokenPipeError: ignored, as Python */
                g->raised = true;
                break;
            }
            return -errno;
        }
        v->input_off += (size_t)w;
    }
    close_fd(&p->stdin_fd);
    return 1;
}

static int read_error(bt_err *err, ssize_t r)
{
    if (r == BT_ENOMEM)
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    return bt_err_oserror(err, (int)r, NULL, NULL);
}

/* Drains one pipe with blocking reads: the case of a single pipe and no
 * timeout, where poll would only add system calls. */
static int drain(int *fd, bt_buf *b, bt_err *err)
{
    size_t seen = 0;
    for (;;) {
        ssize_t r = read_once(*fd, b);
        maybe_grow(*fd, &seen, r);
        if (r == 0)
            break;
        if (r < 0) {
            close_fd(fd);
            return read_error(err, r);
        }
    }
    close_fd(fd);
    return 0;
}

int bt_popen_communicate(bt_popen *p, const void *input, size_t input_len,
                         double timeout, bt_buf *out, bt_buf *errout,
                         bt_err *err)
{
    struct bt__popen_priv *v = p->priv;
    if (v->comm_started && input && input_len)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Cannot send input after starting communication");
    bool forever = timeout < 0 || timeout != timeout;
    double deadline = forever ? -1.0 : bt__sp_now() + timeout;
    if (!v->comm_started) {
        v->comm_started = true;
        if (p->stdin_fd >= 0) {
            if (!input || input_len == 0)
                close_fd(&p->stdin_fd);
            else {
                v->input = input;
                v->input_len = input_len;
                v->input_off = 0;
            }
        }
    }
    int rc = 0;
    int open = (p->stdin_fd >= 0) + (p->stdout_fd >= 0) + (p->stderr_fd >= 0);
    bt__sigpipe_guard g;
    bool guarded = p->stdin_fd >= 0;
    if (guarded)
        bt__sigpipe_block(&g);
    if (forever && open == 1 && p->stdin_fd < 0) {
        rc = p->stdout_fd >= 0 ? drain(&p->stdout_fd, out, err)
                               : drain(&p->stderr_fd, errout, err);
    } else if (open > 0) {
        if (p->stdin_fd >= 0) {
            int fl = fcntl(p->stdin_fd, F_GETFL);
            if (fl >= 0 && !(fl & O_NONBLOCK))
                fcntl(p->stdin_fd, F_SETFL, fl | O_NONBLOCK);
        }
        size_t seen_out = 0, seen_err = 0;
        while (p->stdin_fd >= 0 || p->stdout_fd >= 0 || p->stderr_fd >= 0) {
            struct pollfd pf[3];
            int n = 0;
            int *which[3];
            if (p->stdin_fd >= 0) {
                pf[n] = (struct pollfd){p->stdin_fd, POLLOUT, 0};
                which[n++] = &p->stdin_fd;
            }
            if (p->stdout_fd >= 0) {
                pf[n] = (struct pollfd){p->stdout_fd, POLLIN, 0};
                which[n++] = &p->stdout_fd;
            }
            if (p->stderr_fd >= 0) {
                pf[n] = (struct pollfd){p->stderr_fd, POLLIN, 0};
                which[n++] = &p->stderr_fd;
            }
            int ms = -1;
            if (!forever) {
                double remaining = deadline - bt__sp_now();
                if (remaining <= 0) {
                    rc = bt__sp_timeout_error(err, &v->args, v->shell, timeout);
                    break;
                }
                double m = remaining * 1000.0 + 0.999;
                ms = m > 2147483647.0 ? 2147483647 : (int)m;
            }
            int k = poll(pf, (nfds_t)n, ms);
            if (k < 0 && errno != EINTR) {
                rc = bt_err_oserror(err, -errno, NULL, NULL);
                break;
            }
            for (int i = 0; i < n && k > 0 && rc == 0; i++) {
                if (!pf[i].revents)
                    continue;
                if (which[i] == &p->stdin_fd) {
                    int w = write_some(p, &g);
                    if (w < 0) {
                        close_fd(&p->stdin_fd);
                        rc = bt_err_oserror(err, w, NULL, NULL);
                    }
                    continue;
                }
                bool is_out = which[i] == &p->stdout_fd;
                ssize_t r = read_once(*which[i], is_out ? out : errout);
                maybe_grow(*which[i], is_out ? &seen_out : &seen_err, r);
                if (r == 0)
                    close_fd(which[i]);
                else if (r < 0 && r != BT_EAGAIN) {
                    close_fd(which[i]);
                    rc = read_error(err, r);
                }
            }
            if (rc < 0)
                break;
        }
    }
    if (guarded)
        bt__sigpipe_restore(&g);
    if (rc < 0)
        return rc;
    return bt__sp_wait_until(p, deadline, timeout, err);
}
