/*
 * addr.c — addresses: Python's (host, port) tuples to native sockaddrs (as
 * CPython's getsockaddrarg and setipaddr resolve them) and back, repr(),
 * getaddrinfo, getnameinfo, gethostname, inet_pton/ntop, byte order.
 */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "socket_int.h"

int bt__socket_gaierror(bt_err *err, int eai)
{
    if (eai == EAI_SYSTEM)
        return bt__socket_oserror(err, errno ? -errno : -EIO);
    return bt_err_setf(err, BT_EGAI, -1, "[Errno %d] %s", eai,
                       gai_strerror(eai));
}

/* CPython's setipaddr: a numeric address, "" (any), "<broadcast>", or a
 * name resolved with getaddrinfo (the first result). */
static int set_ip(int family, const char *host, void *addr, bt_err *err)
{
    if (host[0] == '\0') {
        if (family == AF_INET)
            ((struct in_addr *)addr)->s_addr = htonl(INADDR_ANY);
        else
            *(struct in6_addr *)addr = in6addr_any;
        return 0;
    }
    if (strcmp(host, "<broadcast>") == 0 ||
        strcmp(host, "255.255.255.255") == 0) {
        if (family != AF_INET)
            return bt_err_setf(err, -EAFNOSUPPORT, -1,
                               "address family mismatched");
        ((struct in_addr *)addr)->s_addr = htonl(INADDR_BROADCAST);
        return 0;
    }
    if (!strchr(host, '%') && inet_pton(family, host, addr) == 1)
        return 0;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = family;
    int eai = getaddrinfo(host, NULL, &hints, &res);
    if (eai != 0)
        return bt__socket_gaierror(err, eai);
    if (family == AF_INET)
        *(struct in_addr *)addr =
            ((struct sockaddr_in *)(void *)res->ai_addr)->sin_addr;
    else
        *(struct in6_addr *)addr =
            ((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_addr;
    freeaddrinfo(res);
    return 0;
}

/* The scope of "fe80::1%lo" as getaddrinfo reads it. */
static uint32_t scope_of(const char *host)
{
    if (!strchr(host, '%'))
        return 0;
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_INET6;
    hints.ai_flags = AI_NUMERICHOST;
    if (getaddrinfo(host, NULL, &hints, &res) != 0)
        return 0;
    uint32_t id = ((struct sockaddr_in6 *)(void *)res->ai_addr)->sin6_scope_id;
    freeaddrinfo(res);
    return id;
}

int bt__socket_resolve(int family, const char *host, size_t host_len, int port,
                       uint32_t flowinfo, uint32_t scope_id, const char *caller,
                       bt__sockaddr_native *out, bt_err *err)
{
    memset(out, 0, sizeof *out);
    if (family == AF_UNIX) {
        bool abstract = host_len > 0 && host[0] == '\0';
        size_t cap = sizeof out->u.un.sun_path;
        if (abstract ? host_len > cap : host_len >= cap)
            return bt_err_setf(err, -ENAMETOOLONG, -1, "AF_UNIX path too long");
        out->u.un.sun_family = AF_UNIX;
        memcpy(out->u.un.sun_path, host, host_len);
        out->len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
                               host_len + (abstract ? 0 : 1));
        return 0;
    }
    if (family != AF_INET && family != AF_INET6)
        return bt_err_setf(err, -EAFNOSUPPORT, -1, "%s(): bad family", caller);
    if (port < 0 || port > 65535)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "%s(): port must be 0-65535.", caller);
    if (memchr(host, '\0', host_len))
        return bt_err_setf(err, BT_EVALUE, -1, "embedded null character");
    if (family == AF_INET) {
        out->u.in.sin_family = AF_INET;
        out->u.in.sin_port = htons((uint16_t)port);
        out->len = sizeof out->u.in;
        return set_ip(AF_INET, host, &out->u.in.sin_addr, err);
    }
    if (flowinfo > 0xfffff)
        return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                           "%s(): flowinfo must be 0-1048575.", caller);
    out->u.in6.sin6_family = AF_INET6;
    out->u.in6.sin6_port = htons((uint16_t)port);
    out->u.in6.sin6_flowinfo = htonl(flowinfo);
    out->u.in6.sin6_scope_id = scope_id ? scope_id : scope_of(host);
    out->len = sizeof out->u.in6;
    return set_ip(AF_INET6, host, &out->u.in6.sin6_addr, err);
}

void bt__socket_from_native(const struct sockaddr *sa, socklen_t len,
                            bt_sockaddr *out)
{
    memset(out, 0, sizeof *out);
    out->family = sa->sa_family;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *in = (const void *)sa;
        inet_ntop(AF_INET, &in->sin_addr, out->host, sizeof out->host);
        out->port = ntohs(in->sin_port);
    } else if (sa->sa_family == AF_INET6) {
        const struct sockaddr_in6 *in6 = (const void *)sa;
        inet_ntop(AF_INET6, &in6->sin6_addr, out->host, sizeof out->host);
        out->port = ntohs(in6->sin6_port);
        out->flowinfo = ntohl(in6->sin6_flowinfo);
        out->scope_id = in6->sin6_scope_id;
    } else if (sa->sa_family == AF_UNIX) {
        const struct sockaddr_un *un = (const void *)sa;
        size_t off = offsetof(struct sockaddr_un, sun_path);
        size_t n = len > off ? len - off : 0;
        if (n > sizeof un->sun_path)
            n = sizeof un->sun_path;
        if (n > 0 && un->sun_path[0] != '\0')
            n = strnlen(un->sun_path, n);
        memcpy(out->host, un->sun_path, n);
        out->host_len = n;
        out->host[n] = '\0';
        return;
    }
    out->host_len = strlen(out->host);
}

int bt_sockaddr_repr(const bt_sockaddr *a, bt_buf *out)
{
    size_t mark = out->len;
    int rc;
    if (a->family == AF_UNIX) {
        if (a->host_len > 0 && a->host[0] == '\0')
            return bt_repr_bytes(out, a->host, a->host_len);
        return bt_repr_str(out, a->host, a->host_len);
    }
    if ((rc = bt_buf_append_byte(out, '(')) < 0 ||
        (rc = bt_repr_str(out, a->host, a->host_len)) < 0)
        goto fail;
    if (a->family == AF_INET6)
        rc = bt_buf_printf(out, ", %d, %u, %u)", a->port, (unsigned)a->flowinfo,
                           (unsigned)a->scope_id);
    else
        rc = bt_buf_printf(out, ", %d)", a->port);
    if (rc < 0)
        goto fail;
    return 0;
fail:
    out->len = mark;
    if (out->data)
        out->data[mark] = '\0';
    return rc;
}

/* ---- getaddrinfo and friends ---- */

void bt_socket_addrinfo_free(bt_addrinfo *ai, size_t n)
{
    if (!ai)
        return;
    for (size_t i = 0; i < n; i++)
        bt_free(ai[i].canonname);
    bt_free(ai);
}

int bt_socket_getaddrinfo(const char *host, const char *port, int family,
                          int type, int proto, int flags, bt_addrinfo **out,
                          size_t *n, bt_err *err)
{
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = family;
    hints.ai_socktype = type;
    hints.ai_protocol = proto;
    hints.ai_flags = flags;
    int eai = getaddrinfo(host, port, &hints, &res);
    if (eai != 0)
        return bt__socket_gaierror(err, eai);
    size_t count = 0;
    for (struct addrinfo *r = res; r; r = r->ai_next)
        count++;
    bt_addrinfo *ai = bt_calloc(count ? count : 1, sizeof *ai);
    if (!ai) {
        freeaddrinfo(res);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    size_t i = 0;
    for (struct addrinfo *r = res; r; r = r->ai_next, i++) {
        ai[i].family = r->ai_family;
        ai[i].type = r->ai_socktype;
        ai[i].proto = r->ai_protocol;
        ai[i].canonname = bt_strdup(r->ai_canonname ? r->ai_canonname : "");
        if (!ai[i].canonname) {
            freeaddrinfo(res);
            bt_socket_addrinfo_free(ai, i);
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        }
        bt__socket_from_native(r->ai_addr, r->ai_addrlen, &ai[i].sockaddr);
    }
    freeaddrinfo(res);
    *out = ai;
    *n = count;
    return 0;
}

int bt_socket_getnameinfo(const char *host, int port, int flags, char *host_out,
                          size_t host_cap, char *serv_out, size_t serv_cap,
                          bt_err *err)
{
    /* No range check: CPython 3.11 passes the number to getaddrinfo as a
     * service string, and glibc keeps its low 16 bits. */
    char pbuf[16];
    snprintf(pbuf, sizeof pbuf, "%d", port);
    struct addrinfo hints = {0}, *res = NULL;
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM; /* as CPython: one result per address */
    hints.ai_flags = AI_NUMERICHOST;
    int eai = getaddrinfo(host, pbuf, &hints, &res);
    if (eai != 0)
        return bt__socket_gaierror(err, eai);
    if (res->ai_next) {
        freeaddrinfo(res);
        return bt_err_setf(err, -EINVAL, -1,
                           "sockaddr resolved to multiple addresses");
    }
    eai =
        getnameinfo(res->ai_addr, res->ai_addrlen, host_out,
                    (socklen_t)host_cap, serv_out, (socklen_t)serv_cap, flags);
    freeaddrinfo(res);
    if (eai != 0)
        return bt__socket_gaierror(err, eai);
    return 0;
}

int bt_socket_gethostname(char *out, size_t cap, bt_err *err)
{
    if (gethostname(out, cap) < 0)
        return bt__socket_oserror(err, -errno);
    if (cap == 0 || memchr(out, '\0', cap) == NULL)
        return bt__socket_oserror(err, -ENAMETOOLONG);
    return 0;
}

int bt_socket_inet_pton(int family, const char *text, void *out, bt_err *err)
{
    if (family != AF_INET && family != AF_INET6)
        return bt__socket_oserror(err, -EAFNOSUPPORT);
    if (inet_pton(family, text, out) != 1)
        return bt_err_setf(err, -EINVAL, -1,
                           "illegal IP address string passed to inet_pton");
    return family == AF_INET ? 4 : 16;
}

int bt_socket_inet_ntop(int family, const void *packed, size_t len, char *out,
                        size_t cap, bt_err *err)
{
    size_t want;
    if (family == AF_INET)
        want = 4;
    else if (family == AF_INET6)
        want = 16;
    else
        return bt_err_setf(err, BT_EVALUE, -1, "unknown address family %d",
                           family);
    if (len != want)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "invalid length of packed IP address string");
    if (!inet_ntop(family, packed, out, (socklen_t)cap))
        return bt__socket_oserror(err, -errno);
    return 0;
}

uint16_t bt_socket_htons(uint16_t x)
{
    return htons(x);
}
uint16_t bt_socket_ntohs(uint16_t x)
{
    return ntohs(x);
}
uint32_t bt_socket_htonl(uint32_t x)
{
    return htonl(x);
}
uint32_t bt_socket_ntohl(uint32_t x)
{
    return ntohl(x);
}
