/*
 * socket_int.h — internals shared by the socket, selectors and socketserver
 * sources.
 */
#ifndef BATTERIES_SOCKET_INT_H
#define BATTERIES_SOCKET_INT_H

#include <batteries/socket.h>

#include "core_int.h"

struct bt_socket {
    int fd;
    int family;
    int type;
    int proto;
    /* BT_TIMEOUT_NONE, 0.0 or seconds; the descriptor is O_NONBLOCK unless
     * the timeout is None, as CPython keeps it. */
    double timeout;
};

/* A native address and its length. */
typedef struct bt__sockaddr_native {
    union {
        struct sockaddr sa;
        struct sockaddr_in in;
        struct sockaddr_in6 in6;
        struct sockaddr_un un;
        struct sockaddr_storage ss;
    } u;
    socklen_t len;
} bt__sockaddr_native;

/* CLOCK_MONOTONIC in seconds. */
double bt__socket_now(void);

/* Python's "timed out" TimeoutError. */
int bt__socket_timeout_error(bt_err *err);

/* An OS error as str(OSError) reads. */
int bt__socket_oserror(bt_err *err, int code);

/* A getaddrinfo failure as socket.gaierror reads ("[Errno -2] ..."). */
int bt__socket_gaierror(bt_err *err, int eai);

/*
 * Waits until fd is ready for `events` (POLLIN / POLLOUT) or the monotonic
 * deadline passes (deadline < 0: forever). EINTR is retried.
 * Returns 0, -ETIMEDOUT (err filled, "timed out"), or -errno.
 */
int bt__socket_wait(int fd, short events, double deadline, bt_err *err);

/*
 * Resolves (host, port) for a socket of `family` into *out, as CPython's
 * getsockaddrarg does; `caller` names the method in Python's messages
 * ("bind", "connect", ...).
 */
int bt__socket_resolve(int family, const char *host, size_t host_len, int port,
                       uint32_t flowinfo, uint32_t scope_id, const char *caller,
                       bt__sockaddr_native *out, bt_err *err);

/* Converts a native address into Python's shape. */
void bt__socket_from_native(const struct sockaddr *sa, socklen_t len,
                            bt_sockaddr *out);

/* Wraps a descriptor the library just made (no dup). */
int bt__socket_wrap(bt_socket **out, int fd, int family, int type, int proto,
                    double timeout, bt_err *err);

#endif /* BATTERIES_SOCKET_INT_H */
