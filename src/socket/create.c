/*
 * create.c — socket.create_connection and socket.create_server, line for
 * line as Python 3.11's socket.py writes them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "socket_int.h"

int bt_socket_create_connection(bt_socket **out, const char *host, int port,
                                double timeout, const char *source_host,
                                int source_port, bt_err *err)
{
    char pbuf[16];
    snprintf(pbuf, sizeof pbuf, "%d", port);
    if (port < 0 || port > 65535)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "getaddrinfo(): port must be 0-65535.");
    bt_addrinfo *ai;
    size_t n;
    int rc = bt_socket_getaddrinfo(host, pbuf, AF_UNSPEC, SOCK_STREAM, 0, 0,
                                   &ai, &n, err);
    if (rc < 0)
        return rc;
    /* Every address in order; the last failure is the one reported (3.11
     * with all_errors=False). */
    rc = bt_err_setf(err, -EINVAL, -1, "getaddrinfo returns an empty list");
    for (size_t i = 0; i < n; i++) {
        bt_socket *s = NULL;
        rc = bt_socket_new(&s, ai[i].family, ai[i].type, ai[i].proto, err);
        if (rc < 0)
            continue;
        if (timeout != BT_SOCKET_DEFAULT_TIMEOUT)
            rc = bt_socket_settimeout(s, timeout, err);
        if (rc >= 0 && source_host)
            rc = bt_socket_bind(s, source_host, source_port, err);
        if (rc >= 0)
            rc = bt_socket_connect_addr(s, &ai[i].sockaddr, err);
        if (rc >= 0) {
            bt_socket_addrinfo_free(ai, n);
            bt_err_clear(err);
            *out = s;
            return 0;
        }
        bt_socket_close(s);
    }
    bt_socket_addrinfo_free(ai, n);
    return rc;
}

bool bt_socket_has_dualstack_ipv6(void)
{
    int fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    int zero = 0;
    bool ok =
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero) == 0;
    close(fd);
    return ok;
}

int bt_socket_create_server(bt_socket **out, const char *host, int port,
                            int family, int backlog, bool reuse_port,
                            bool dualstack_ipv6, bt_err *err)
{
    if (family == 0)
        family = AF_INET;
    if (dualstack_ipv6) {
        if (!bt_socket_has_dualstack_ipv6())
            return bt_err_setf(err, BT_EVALUE, -1,
                               "dualstack_ipv6 not supported on this platform");
        if (family != AF_INET6)
            return bt_err_setf(err, BT_EVALUE, -1,
                               "dualstack_ipv6 requires AF_INET6 family");
    }
    bt_socket *s;
    int rc = bt_socket_new(&s, family, SOCK_STREAM, 0, err);
    if (rc < 0)
        return rc;
    bt_socket_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
    if (reuse_port)
        rc = bt_socket_setsockopt(s, SOL_SOCKET, SO_REUSEPORT, 1, err);
    if (rc >= 0 && family == AF_INET6)
        rc = bt_socket_setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY,
                                  dualstack_ipv6 ? 0 : 1, err);
    if (rc < 0)
        goto fail;
    rc = bt_socket_bind(s, host, port, err);
    if (rc < 0) {
        /* Python re-raises error(err.errno, '%s (while attempting to bind
         * on address %r)' % (err.strerror, address)). */
        bt_err inner = BT_ERR_INIT;
        if (err)
            inner = *err;
        const char *strerr =
            rc == BT_EGAI ? strchr(inner.msg, ']') : bt_strerror(rc);
        if (rc == BT_EGAI)
            strerr = strerr ? strerr + 2 : inner.msg;
        int eno = rc == BT_EGAI ? 0 : -rc;
        if (rc == BT_EGAI)
            sscanf(inner.msg, "[Errno %d]", &eno);
        bt_buf addr = BT_BUF_INIT;
        bt_buf_append_byte(&addr, '(');
        bt_repr_str(&addr, host ? host : "", host ? strlen(host) : 0);
        bt_buf_printf(&addr, ", %d)", port);
        bt_err_setf(err, rc, -1,
                    "[Errno %d] %s (while attempting to bind on address %s)",
                    eno, strerr, addr.data ? addr.data : "(...)");
        bt_buf_fini(&addr);
        goto fail;
    }
    rc = bt_socket_listen(s, backlog, err);
    if (rc < 0)
        goto fail;
    *out = s;
    return 0;
fail:
    bt_socket_close(s);
    return rc;
}
