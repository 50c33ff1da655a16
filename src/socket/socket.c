/*
 * socket.c — the socket object: lifecycle, Python's three timeout modes, and
 * the I/O calls. A socket with a timeout (including 0.0) keeps its
 * descriptor O_NONBLOCK and waits with poll(2) when a call would block, as
 * CPython's sock_call_ex does; a blocking socket calls the kernel directly.
 */
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "socket_int.h"

/* socket.setdefaulttimeout's value; read and written atomically. */
static double default_timeout = BT_TIMEOUT_NONE;

double bt__socket_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int bt__socket_timeout_error(bt_err *err)
{
    return bt_err_setf(err, -ETIMEDOUT, -1, "timed out");
}

int bt__socket_oserror(bt_err *err, int code)
{
    return bt_err_oserror(err, code, NULL, NULL);
}

int bt__socket_wait(int fd, short events, double deadline, bt_err *err)
{
    for (;;) {
        int ms = -1;
        if (deadline >= 0) {
            double left = deadline - bt__socket_now();
            if (left <= 0)
                return bt__socket_timeout_error(err);
            /* Round up so a wait never ends just before the deadline. */
            double d = ceil(left * 1e3);
            ms = d > 2147483647.0 ? 2147483647 : (int)d;
        }
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, ms);
        if (n > 0)
            return 0;
        if (n == 0) {
            if (deadline >= 0 && bt__socket_now() >= deadline)
                return bt__socket_timeout_error(err);
            continue;
        }
        if (errno != EINTR)
            return bt__socket_oserror(err, -errno);
    }
}

/* The deadline of a call starting now, or -1 when it may wait forever. */
static double deadline_of(const bt_socket *s)
{
    return s->timeout > 0 ? bt__socket_now() + s->timeout : -1.0;
}

/*
 * CPython's sock_call: runs op until it succeeds, retrying EINTR (PEP 475)
 * and, on a socket with a timeout, waiting in poll for `events` while it
 * would block, until the deadline. op returns >= 0 or -1 with errno set.
 */
typedef ssize_t (*sock_op)(bt_socket *s, void *ctx);

static ssize_t sock_call(bt_socket *s, short events, double deadline,
                         sock_op op, void *ctx, bt_err *err)
{
    for (;;) {
        ssize_t r = op(s, ctx);
        if (r >= 0)
            return r;
        if (errno == EINTR)
            continue;
        if (errno == EAGAIN && s->timeout > 0) {
            int rc = bt__socket_wait(s->fd, events, deadline, err);
            if (rc < 0)
                return rc;
            continue;
        }
        return bt__socket_oserror(err, -errno);
    }
}

static int set_nonblocking(int fd, bool on)
{
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0)
        return -errno;
    int want = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
    if (want != fl && fcntl(fd, F_SETFL, want) < 0)
        return -errno;
    return 0;
}

static int check_timeout(double t, bt_err *err)
{
    if (isnan(t))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    if (t < 0 && t != BT_TIMEOUT_NONE)
        return bt_err_setf(err, BT_EVALUE, -1, "Timeout value out of range");
    return 0;
}

int bt__socket_wrap(bt_socket **out, int fd, int family, int type, int proto,
                    double timeout, bt_err *err)
{
    bt_socket *s = bt_malloc(sizeof *s);
    if (!s) {
        close(fd);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    s->fd = fd;
    s->family = family;
    s->type = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
    s->proto = proto;
    s->timeout = timeout;
    /* As CPython's init_sockobject: only a timeout changes the descriptor
     * (a blocking one is left as it is: fromfd's duplicate shares its flags
     * with the caller's descriptor). */
    int rc = timeout != BT_TIMEOUT_NONE ? set_nonblocking(fd, true) : 0;
    if (rc < 0) {
        close(fd);
        bt_free(s);
        return bt__socket_oserror(err, rc);
    }
    *out = s;
    return 0;
}

int bt_socket_new(bt_socket **out, int family, int type, int proto, bt_err *err)
{
    if (family == 0)
        family = AF_INET;
    if (type == 0)
        type = SOCK_STREAM;
    int fd = socket(family, type | SOCK_CLOEXEC, proto);
    if (fd < 0)
        return bt__socket_oserror(err, -errno);
    if (proto == 0) {
        socklen_t l = sizeof proto;
        getsockopt(fd, SOL_SOCKET, SO_PROTOCOL, &proto, &l);
    }
    /* socket(type=SOCK_STREAM | SOCK_NONBLOCK) is a non-blocking socket. */
    double t = type & SOCK_NONBLOCK ? 0.0 : bt_socket_getdefaulttimeout();
    return bt__socket_wrap(out, fd, family, type, proto, t, err);
}

int bt_socket_fromfd(bt_socket **out, int fd, int family, int type, int proto,
                     bt_err *err)
{
    int d = fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (d < 0)
        return bt__socket_oserror(err, -errno);
    int *want[3] = {&family, &type, &proto};
    const int opts[3] = {SO_DOMAIN, SO_TYPE, SO_PROTOCOL};
    for (int i = 0; i < 3; i++) {
        if (*want[i] != 0)
            continue;
        socklen_t l = sizeof(int);
        if (getsockopt(d, SOL_SOCKET, opts[i], want[i], &l) < 0) {
            int e = -errno;
            close(d);
            return bt__socket_oserror(err, e);
        }
    }
    return bt__socket_wrap(out, d, family, type, proto,
                           bt_socket_getdefaulttimeout(), err);
}

int bt_socket_socketpair(bt_socket **a, bt_socket **b, int family, int type,
                         int proto, bt_err *err)
{
    if (family == 0)
        family = AF_UNIX;
    if (type == 0)
        type = SOCK_STREAM;
    int sv[2];
    if (socketpair(family, type | SOCK_CLOEXEC, proto, sv) < 0)
        return bt__socket_oserror(err, -errno);
    double t = type & SOCK_NONBLOCK ? 0.0 : bt_socket_getdefaulttimeout();
    int rc = bt__socket_wrap(a, sv[0], family, type, proto, t, err);
    if (rc < 0) {
        close(sv[1]);
        return rc;
    }
    rc = bt__socket_wrap(b, sv[1], family, type, proto, t, err);
    if (rc < 0) {
        bt_socket_close(*a);
        *a = NULL;
    }
    return rc;
}

int bt_socket_close(bt_socket *s)
{
    if (!s)
        return 0;
    /* Linux releases the descriptor even when close fails: never retry. */
    int rc =
        close(s->fd) < 0 && errno != ECONNRESET && errno != EINTR ? -errno : 0;
    bt_free(s);
    return rc;
}

int bt_socket_detach(bt_socket *s)
{
    if (!s)
        return -1;
    int fd = s->fd;
    bt_free(s);
    return fd;
}

int bt_socket_fileno(const bt_socket *s)
{
    return s->fd;
}
int bt_socket_family(const bt_socket *s)
{
    return s->family;
}
int bt_socket_type(const bt_socket *s)
{
    return s->type;
}
int bt_socket_proto(const bt_socket *s)
{
    return s->proto;
}

/* ---- timeouts ---- */

int bt_socket_settimeout(bt_socket *s, double timeout, bt_err *err)
{
    int rc = check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    rc = set_nonblocking(s->fd, timeout != BT_TIMEOUT_NONE);
    if (rc < 0)
        return bt__socket_oserror(err, rc);
    s->timeout = timeout;
    return 0;
}

double bt_socket_gettimeout(const bt_socket *s)
{
    return s->timeout;
}

int bt_socket_setblocking(bt_socket *s, bool flag, bt_err *err)
{
    return bt_socket_settimeout(s, flag ? BT_TIMEOUT_NONE : 0.0, err);
}

bool bt_socket_getblocking(const bt_socket *s)
{
    return s->timeout == BT_TIMEOUT_NONE;
}

double bt_socket_getdefaulttimeout(void)
{
    double t;
    __atomic_load(&default_timeout, &t, __ATOMIC_RELAXED);
    return t;
}

int bt_socket_setdefaulttimeout(double timeout, bt_err *err)
{
    int rc = check_timeout(timeout, err);
    if (rc < 0)
        return rc;
    __atomic_store(&default_timeout, &timeout, __ATOMIC_RELAXED);
    return 0;
}

/* ---- bind, listen, accept, connect ---- */

static int resolve_for(const bt_socket *s, const char *host, int port,
                       const char *caller, bt__sockaddr_native *na, bt_err *err)
{
    if (!host)
        host = "";
    return bt__socket_resolve(s->family, host, strlen(host), port, 0, 0, caller,
                              na, err);
}

static int resolve_addr(const bt_socket *s, const bt_sockaddr *a,
                        const char *caller, bt__sockaddr_native *na,
                        bt_err *err)
{
    return bt__socket_resolve(s->family, a->host, a->host_len, a->port,
                              a->flowinfo, a->scope_id, caller, na, err);
}

static int bind_native(bt_socket *s, const bt__sockaddr_native *na, bt_err *err)
{
    if (bind(s->fd, &na->u.sa, na->len) < 0)
        return bt__socket_oserror(err, -errno);
    return 0;
}

int bt_socket_bind(bt_socket *s, const char *host, int port, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_for(s, host, port, "bind", &na, err);
    return rc < 0 ? rc : bind_native(s, &na, err);
}

int bt_socket_bind_addr(bt_socket *s, const bt_sockaddr *a, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_addr(s, a, "bind", &na, err);
    return rc < 0 ? rc : bind_native(s, &na, err);
}

int bt_socket_listen(bt_socket *s, int backlog, bt_err *err)
{
    if (backlog < 0)
        backlog = SOMAXCONN < 128 ? SOMAXCONN : 128;
    if (listen(s->fd, backlog) < 0)
        return bt__socket_oserror(err, -errno);
    return 0;
}

static ssize_t accept_op(bt_socket *s, void *ctx)
{
    bt__sockaddr_native *na = ctx;
    na->len = sizeof na->u;
    return accept4(s->fd, &na->u.sa, &na->len, SOCK_CLOEXEC);
}

int bt_socket_accept(bt_socket *s, bt_socket **conn, bt_sockaddr *addr,
                     bt_err *err)
{
    bt__sockaddr_native na;
    ssize_t fd = sock_call(s, POLLIN, deadline_of(s), accept_op, &na, err);
    if (fd < 0)
        return (int)fd;
    /* socket.accept: the default timeout, but blocking when the default is
     * None (accept4 never passes O_NONBLOCK on). */
    double t = bt_socket_getdefaulttimeout();
    int rc =
        bt__socket_wrap(conn, (int)fd, s->family, s->type, s->proto, t, err);
    if (rc < 0)
        return rc;
    if (addr)
        bt__socket_from_native(&na.u.sa, na.len, addr);
    return 0;
}

/* CPython's internal_connect: 0 or the errno (positive); -ETIMEDOUT after
 * the timeout. */
static int connect_native(bt_socket *s, const bt__sockaddr_native *na,
                          bt_err *err)
{
    int r = connect(s->fd, &na->u.sa, na->len);
    if (r == 0)
        return 0;
    int e = errno;
    bool wait = (e == EINTR) || (e == EINPROGRESS && s->timeout > 0);
    if (!wait)
        return e;
    /* Interrupted (PEP 475) or in progress with a timeout: wait until the
     * connection is made, then read its result. */
    int rc = bt__socket_wait(s->fd, POLLOUT,
                             s->timeout > 0 ? deadline_of(s) : -1.0, err);
    if (rc < 0)
        return rc == -ETIMEDOUT ? -ETIMEDOUT : -rc;
    int soerr = 0;
    socklen_t l = sizeof soerr;
    if (getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &soerr, &l) < 0)
        return errno;
    return soerr;
}

/* connect: the resolved address, with Python's errors. */
static int connect_checked(bt_socket *s, const bt__sockaddr_native *na,
                           bt_err *err)
{
    int rc = connect_native(s, na, err);
    if (rc == -ETIMEDOUT)
        return rc;
    return rc ? bt__socket_oserror(err, -rc) : 0;
}

int bt_socket_connect(bt_socket *s, const char *host, int port, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_for(s, host, port, "connect", &na, err);
    return rc < 0 ? rc : connect_checked(s, &na, err);
}

int bt_socket_connect_addr(bt_socket *s, const bt_sockaddr *a, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_addr(s, a, "connect", &na, err);
    return rc < 0 ? rc : connect_checked(s, &na, err);
}

int bt_socket_connect_ex(bt_socket *s, const char *host, int port, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_for(s, host, port, "connect_ex", &na, err);
    if (rc < 0)
        return rc;
    rc = connect_native(s, &na, err);
    if (rc == -ETIMEDOUT)
        return EAGAIN; /* CPython's SOCK_TIMEOUT_ERR (EWOULDBLOCK) */
    if (rc)
        bt__socket_oserror(err, -rc);
    return rc;
}

/* ---- send ---- */

struct send_args {
    const void *data;
    size_t n;
    int flags;
    const bt__sockaddr_native *to;
};

static ssize_t send_op(bt_socket *s, void *ctx)
{
    const struct send_args *a = ctx;
    if (a->to)
        return sendto(s->fd, a->data, a->n, a->flags, &a->to->u.sa, a->to->len);
    return send(s->fd, a->data, a->n, a->flags);
}

static ptrdiff_t send_until(bt_socket *s, const void *data, size_t n, int flags,
                            const bt__sockaddr_native *to, double deadline,
                            bt_err *err)
{
    struct send_args a = {data, n, flags | MSG_NOSIGNAL, to};
    return sock_call(s, POLLOUT, deadline, send_op, &a, err);
}

ptrdiff_t bt_socket_send(bt_socket *s, const void *data, size_t n, int flags,
                         bt_err *err)
{
    return send_until(s, data, n, flags, NULL, deadline_of(s), err);
}

int bt_socket_sendall(bt_socket *s, const void *data, size_t n, int flags,
                      bt_err *err)
{
    /* Since Python 3.5 the timeout bounds the whole sendall. */
    double deadline = deadline_of(s);
    const char *p = data;
    size_t done = 0;
    while (done < n) {
        ptrdiff_t r =
            send_until(s, p + done, n - done, flags, NULL, deadline, err);
        if (r < 0) {
            if (err)
                err->pos = (ptrdiff_t)done;
            return (int)r;
        }
        done += (size_t)r;
    }
    return 0;
}

ptrdiff_t bt_socket_sendto(bt_socket *s, const void *data, size_t n, int flags,
                           const char *host, int port, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_for(s, host, port, "sendto", &na, err);
    if (rc < 0)
        return rc;
    return send_until(s, data, n, flags, &na, deadline_of(s), err);
}

ptrdiff_t bt_socket_sendto_addr(bt_socket *s, const void *data, size_t n,
                                int flags, const bt_sockaddr *a, bt_err *err)
{
    bt__sockaddr_native na;
    int rc = resolve_addr(s, a, "sendto", &na, err);
    if (rc < 0)
        return rc;
    return send_until(s, data, n, flags, &na, deadline_of(s), err);
}

/* ---- receive ---- */

struct recv_args {
    void *buf;
    size_t n;
    int flags;
    bt__sockaddr_native *from;
};

static ssize_t recv_op(bt_socket *s, void *ctx)
{
    struct recv_args *a = ctx;
    if (!a->from)
        return recv(s->fd, a->buf, a->n, a->flags);
    a->from->len = sizeof a->from->u;
    return recvfrom(s->fd, a->buf, a->n, a->flags, &a->from->u.sa,
                    &a->from->len);
}

static ptrdiff_t recv_native(bt_socket *s, void *buf, size_t n, int flags,
                             bt__sockaddr_native *from, bt_err *err)
{
    struct recv_args a = {buf, n, flags, from};
    return sock_call(s, POLLIN, deadline_of(s), recv_op, &a, err);
}

ptrdiff_t bt_socket_recv_into(bt_socket *s, void *buf, size_t n, int flags,
                              bt_err *err)
{
    return recv_native(s, buf, n, flags, NULL, err);
}

ptrdiff_t bt_socket_recv(bt_socket *s, bt_buf *out, size_t bufsize, int flags,
                         bt_err *err)
{
    if (bt_buf_reserve(out, bufsize) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    ptrdiff_t r =
        recv_native(s, out->data + out->len, bufsize, flags, NULL, err);
    if (r > 0) {
        out->len += (size_t)r;
        out->data[out->len] = '\0';
    }
    return r;
}

ptrdiff_t bt_socket_recvfrom_into(bt_socket *s, void *buf, size_t n, int flags,
                                  bt_sockaddr *addr, bt_err *err)
{
    bt__sockaddr_native na;
    ptrdiff_t r = recv_native(s, buf, n, flags, &na, err);
    if (r >= 0 && addr)
        bt__socket_from_native(&na.u.sa, na.len, addr);
    return r;
}

ptrdiff_t bt_socket_recvfrom(bt_socket *s, bt_buf *out, size_t bufsize,
                             int flags, bt_sockaddr *addr, bt_err *err)
{
    if (bt_buf_reserve(out, bufsize) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    ptrdiff_t r = bt_socket_recvfrom_into(s, out->data + out->len, bufsize,
                                          flags, addr, err);
    if (r > 0) {
        out->len += (size_t)r;
        out->data[out->len] = '\0';
    }
    return r;
}

int bt_socket_recv_exactly(bt_socket *s, void *buf, size_t n, bt_err *err)
{
    char *p = buf;
    size_t got = 0;
    /* A blocking socket lets the kernel gather the whole message: one wake-up
     * instead of one per segment. */
    int flags = s->timeout == BT_TIMEOUT_NONE ? MSG_WAITALL : 0;
    while (got < n) {
        ptrdiff_t r = recv_native(s, p + got, n - got, flags, NULL, err);
        if (r < 0)
            return (int)r;
        if (r == 0)
            return bt_err_setf(err, BT_EINCOMPLETE, (ptrdiff_t)got,
                               "%zu bytes read on a total of %zu expected "
                               "bytes",
                               got, n);
        got += (size_t)r;
    }
    return 0;
}

int bt_socket_shutdown(bt_socket *s, int how, bt_err *err)
{
    if (shutdown(s->fd, how) < 0)
        return bt__socket_oserror(err, -errno);
    return 0;
}

/* ---- options and names ---- */

int bt_socket_setsockopt(bt_socket *s, int level, int optname, int value,
                         bt_err *err)
{
    if (setsockopt(s->fd, level, optname, &value, sizeof value) < 0)
        return bt__socket_oserror(err, -errno);
    return 0;
}

int bt_socket_setsockopt_bytes(bt_socket *s, int level, int optname,
                               const void *value, size_t len, bt_err *err)
{
    if (setsockopt(s->fd, level, optname, value, (socklen_t)len) < 0)
        return bt__socket_oserror(err, -errno);
    return 0;
}

int bt_socket_getsockopt(bt_socket *s, int level, int optname, int *value,
                         bt_err *err)
{
    int v = 0;
    socklen_t l = sizeof v;
    if (getsockopt(s->fd, level, optname, &v, &l) < 0)
        return bt__socket_oserror(err, -errno);
    *value = v;
    return 0;
}

int bt_socket_getsockopt_bytes(bt_socket *s, int level, int optname, void *buf,
                               size_t *len, bt_err *err)
{
    if (*len > 1024)
        return bt_err_setf(err, -EINVAL, -1, "getsockopt buflen out of range");
    socklen_t l = (socklen_t)*len;
    if (getsockopt(s->fd, level, optname, buf, &l) < 0)
        return bt__socket_oserror(err, -errno);
    *len = l;
    return 0;
}

/* getpeername / getsockname into Python's shape. */
static int name_of(const bt_socket *s,
                   int (*fn)(int, struct sockaddr *, socklen_t *),
                   bt_sockaddr *addr, bt_err *err)
{
    bt__sockaddr_native na;
    na.len = sizeof na.u;
    if (fn(s->fd, &na.u.sa, &na.len) < 0)
        return bt__socket_oserror(err, -errno);
    bt__socket_from_native(&na.u.sa, na.len, addr);
    return 0;
}

int bt_socket_getpeername(const bt_socket *s, bt_sockaddr *addr, bt_err *err)
{
    return name_of(s, getpeername, addr, err);
}

int bt_socket_getsockname(const bt_socket *s, bt_sockaddr *addr, bt_err *err)
{
    return name_of(s, getsockname, addr, err);
}
