/*
 * batteries/socket.h — Python's socket, selectors and socketserver modules:
 * socket objects over TCP, UDP and Unix domain sockets with Python's three
 * timeout modes, create_connection / create_server, name resolution, a
 * buffered reader/writer (makefile), DefaultSelector (epoll, with a poll
 * fallback) and TCPServer / UDPServer / ThreadingTCPServer.
 *
 *   bt_socket *s;
 *   bt_err err = BT_ERR_INIT;
 *   if (bt_socket_create_connection(&s, "localhost", 1234, 5.0, NULL, 0,
 *                                   &err) < 0)
 *       fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
 *   bt_socket_sendall(s, "Bye bye\n", 8, 0, &err);
 *   bt_socket_close(s);
 *
 * Conventions (the same for every function here):
 *  - A socket is an opaque bt_socket made by bt_socket_new (or accept,
 *    socketpair, fromfd, create_connection, create_server) and released by
 *    bt_socket_close, which closes the descriptor and frees the object. Every
 *    descriptor is close-on-exec.
 *  - Addresses are given as (host, port) as in Python's tuples: host is a
 *    name or a numeric address ("" is INADDR_ANY, "<broadcast>" the
 *    broadcast address), resolved with the socket's family as Python
 *    resolves it; for AF_UNIX the host is the path and port is ignored. A
 *    bt_sockaddr carries an address back (accept, recvfrom, getpeername)
 *    and its repr is Python's: ('127.0.0.1', 8080), ('::1', 8080, 0, 0),
 *    '/tmp/sock' or b'\x00abstract'.
 *  - Timeouts are Python's: BT_TIMEOUT_NONE (-1.0, None) blocks, 0.0 is
 *    non-blocking (a call that would block fails with -EAGAIN,
 *    BlockingIOError), t > 0 waits at most t seconds per call (sendall: for
 *    the whole call) and then fails with -ETIMEDOUT (TimeoutError, which is
 *    socket.timeout) and the message "timed out". New sockets take the
 *    default timeout (bt_socket_setdefaulttimeout, None at start).
 *  - Errors: OS failures are -errno with str(OSError)'s message in err
 *    ("[Errno 111] Connection refused"); name resolution failures are
 *    BT_EGAI (socket.gaierror) with "[Errno -2] Name or service not known";
 *    Python's ValueError / OverflowError are BT_EVALUE / BT_EOVERFLOWERR
 *    with Python's words. Interrupted calls (EINTR) are retried with the
 *    time left, as Python does since PEP 475. Sends never raise SIGPIPE
 *    (MSG_NOSIGNAL); a closed peer is -EPIPE (BrokenPipeError).
 *  - Thread safety: distinct sockets are independent. One socket may be used
 *    by two threads at once for a sender and a receiver (as the OS allows),
 *    but changing its timeout while another thread uses it is a race.
 */
#ifndef BATTERIES_SOCKET_H
#define BATTERIES_SOCKET_H

#include <batteries/core.h>

#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Python's timeout=None: block as long as it takes (same as threading.h). */
#define BT_TIMEOUT_NONE (-1.0)

/* create_connection's timeout=_GLOBAL_DEFAULT_TIMEOUT: use the module's
 * default timeout (bt_socket_getdefaulttimeout). */
#define BT_SOCKET_DEFAULT_TIMEOUT (-2.0)

/* A socket object: Python's socket.socket. */
typedef struct bt_socket bt_socket;

/*
 * An address as Python returns it. family is AF_INET, AF_INET6 or AF_UNIX.
 * For IP families host is the numeric address ("127.0.0.1", "::1",
 * "fe80::1%eth0"), port the port, and for AF_INET6 flowinfo and scope_id the
 * tuple's last two items. For AF_UNIX host is the path (host_len bytes; an
 * abstract address starts with a NUL byte; an unbound socket has
 * host_len 0). host is always NUL-terminated.
 */
typedef struct bt_sockaddr {
    int family;
    char host[128];
    size_t host_len;
    int port;
    uint32_t flowinfo;
    uint32_t scope_id;
} bt_sockaddr;

/* ------------------------------------------------------------------------ */
/* Socket objects                                                            */
/* ------------------------------------------------------------------------ */

/**
 * Creates a socket: family AF_INET, AF_INET6 or AF_UNIX (0 is AF_INET),
 * type SOCK_STREAM or SOCK_DGRAM (0 is SOCK_STREAM), proto usually 0. The
 * descriptor is close-on-exec; the socket takes the default timeout, or 0.0
 * when type includes SOCK_NONBLOCK.
 *
 * Python: socket.socket(family, type, proto).
 * Returns: 0 and *out, or -errno ("[Errno 97] Address family not supported
 *   by protocol"), or BT_ENOMEM.
 * Ownership: the caller closes *out with bt_socket_close.
 * Thread safety: safe.
 */
BT_API int bt_socket_new(bt_socket **out, int family, int type, int proto,
                         bt_err *err);

/**
 * Wraps a duplicate of descriptor fd (the caller's fd stays open and
 * separate). family, type and proto 0 are read from the descriptor. As in
 * Python, its O_NONBLOCK flag (shared with fd) is only changed when a
 * default timeout is set.
 *
 * Python: socket.fromfd(fd, family, type, proto).
 * Returns: 0 and *out, or -errno (-EBADF, -ENOTSOCK), or BT_ENOMEM.
 * Ownership: the caller closes *out with bt_socket_close and still owns fd.
 * Thread safety: safe.
 */
BT_API int bt_socket_fromfd(bt_socket **out, int fd, int family, int type,
                            int proto, bt_err *err);

/**
 * Creates a pair of connected sockets; family 0 is AF_UNIX, type 0
 * SOCK_STREAM.
 *
 * Python: socket.socketpair(family, type, proto).
 * Returns: 0 and *a, *b, or -errno, or BT_ENOMEM (nothing is left open).
 * Ownership: the caller closes both with bt_socket_close.
 * Thread safety: safe.
 */
BT_API int bt_socket_socketpair(bt_socket **a, bt_socket **b, int family,
                                int type, int proto, bt_err *err);

/**
 * Closes the descriptor and frees the object. ECONNRESET from close is
 * ignored, as in Python; the descriptor is released in every case.
 *
 * Python: s.close().
 * Returns: 0, or -errno from close(2). Accepts NULL (returns 0).
 * Ownership: s is invalid afterwards.
 * Thread safety: no other thread may use s.
 */
BT_API int bt_socket_close(bt_socket *s);

/**
 * Frees the object without closing the descriptor, which is returned.
 *
 * Python: s.detach().
 * Returns: the descriptor (>= 0), or -1 for NULL.
 * Ownership: the caller owns the descriptor; s is invalid afterwards.
 * Thread safety: no other thread may use s.
 */
BT_API int bt_socket_detach(bt_socket *s);

/**
 * The socket's descriptor, family, type (without SOCK_NONBLOCK and
 * SOCK_CLOEXEC) and protocol.
 *
 * Python: s.fileno(), s.family, s.type, s.proto.
 * Returns: the value.
 * Ownership: the descriptor stays the socket's.
 * Thread safety: safe.
 */
BT_API int bt_socket_fileno(const bt_socket *s);
BT_API int bt_socket_family(const bt_socket *s);
BT_API int bt_socket_type(const bt_socket *s);
BT_API int bt_socket_proto(const bt_socket *s);

/**
 * Binds the socket to (host, port), or to the path host for AF_UNIX. The
 * _addr form takes a bt_sockaddr (e.g. one from recvfrom, or an abstract
 * AF_UNIX address).
 *
 * Python: s.bind((host, port)), s.bind(path).
 * Returns: 0; -errno ("[Errno 98] Address already in use"); BT_EGAI for an
 *   unresolvable host; BT_EOVERFLOWERR "bind(): port must be 0-65535.";
 *   -EINVAL "AF_UNIX path too long".
 * Ownership: host and a are borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_bind(bt_socket *s, const char *host, int port,
                          bt_err *err);
BT_API int bt_socket_bind_addr(bt_socket *s, const bt_sockaddr *a, bt_err *err);

/**
 * Marks the socket as accepting connections; backlog < 0 is Python's
 * default, min(SOMAXCONN, 128).
 *
 * Python: s.listen(backlog), s.listen().
 * Returns: 0 or -errno.
 * Ownership: nothing to free.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_listen(bt_socket *s, int backlog, bt_err *err);

/**
 * Accepts a connection (close-on-exec). The new socket takes the default
 * timeout, except that it blocks when the default is None, as Python's.
 *
 * Python: conn, address = s.accept().
 * Returns: 0, *conn and *addr (addr may be NULL); -ETIMEDOUT "timed out";
 *   -EAGAIN when non-blocking and nothing is pending; -errno.
 * Ownership: the caller closes *conn with bt_socket_close.
 * Thread safety: safe (several threads may accept on one socket).
 */
BT_API int bt_socket_accept(bt_socket *s, bt_socket **conn, bt_sockaddr *addr,
                            bt_err *err);

/**
 * Connects to (host, port) (or the AF_UNIX path host), resolving host with
 * the socket's family (the first address getaddrinfo gives). With a timeout
 * the connection waits at most that long.
 *
 * Python: s.connect((host, port)).
 * Returns: 0; -ECONNREFUSED "[Errno 111] Connection refused"; -ETIMEDOUT
 *   "timed out"; -EINPROGRESS when non-blocking; BT_EGAI; -errno.
 * Ownership: host and a are borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_connect(bt_socket *s, const char *host, int port,
                             bt_err *err);
BT_API int bt_socket_connect_addr(bt_socket *s, const bt_sockaddr *a,
                                  bt_err *err);

/**
 * Like bt_socket_connect, but an OS failure is returned as Python's
 * connect_ex returns it: the positive errno value (EAGAIN after a timeout,
 * as CPython's SOCK_TIMEOUT_ERR). Resolution and argument errors are still
 * negative codes, as Python still raises them.
 *
 * Python: s.connect_ex((host, port)).
 * Returns: 0 on success, errno (> 0), or a negative code (BT_EGAI, ...).
 * Ownership: host is borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_connect_ex(bt_socket *s, const char *host, int port,
                                bt_err *err);

/**
 * Sends what the kernel takes now (possibly fewer than n bytes). flags are
 * MSG_* values; MSG_NOSIGNAL is always added.
 *
 * Python: s.send(data, flags).
 * Returns: the bytes sent (>= 0); -EPIPE "[Errno 32] Broken pipe";
 *   -ECONNRESET; -ETIMEDOUT "timed out"; -EAGAIN when non-blocking.
 * Ownership: data is borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API ptrdiff_t bt_socket_send(bt_socket *s, const void *data, size_t n,
                                int flags, bt_err *err);

/**
 * Sends all n bytes, looping over partial writes; with a timeout the whole
 * call is bounded by it.
 *
 * Python: s.sendall(data, flags).
 * Returns: 0, or a code as bt_socket_send; then err->pos is the number of
 *   bytes sent before the failure (Python cannot tell how many were sent).
 * Ownership: data is borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_sendall(bt_socket *s, const void *data, size_t n,
                             int flags, bt_err *err);

/**
 * Sends a datagram to (host, port) (bt_socket_sendto) or to an address
 * (bt_socket_sendto_addr, e.g. the sender recvfrom reported).
 *
 * Python: s.sendto(data, flags, (host, port)).
 * Returns: the bytes sent, or a code as bt_socket_send / bt_socket_connect.
 * Ownership: data, host and a are borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API ptrdiff_t bt_socket_sendto(bt_socket *s, const void *data, size_t n,
                                  int flags, const char *host, int port,
                                  bt_err *err);
BT_API ptrdiff_t bt_socket_sendto_addr(bt_socket *s, const void *data, size_t n,
                                       int flags, const bt_sockaddr *a,
                                       bt_err *err);

/**
 * Receives at most bufsize bytes, appended to out (bt_socket_recv) or
 * written to buf (bt_socket_recv_into). 0 means the peer closed its side.
 *
 * Python: s.recv(bufsize, flags), s.recv_into(buffer, nbytes, flags).
 * Returns: the bytes received (0 at end of stream); -ETIMEDOUT "timed out";
 *   -EAGAIN when non-blocking; -ECONNRESET "[Errno 104] Connection reset by
 *   peer"; BT_ENOMEM (recv).
 * Ownership: out and buf stay the caller's.
 * Thread safety: safe on distinct sockets.
 */
BT_API ptrdiff_t bt_socket_recv(bt_socket *s, bt_buf *out, size_t bufsize,
                                int flags, bt_err *err);
BT_API ptrdiff_t bt_socket_recv_into(bt_socket *s, void *buf, size_t n,
                                     int flags, bt_err *err);

/**
 * Receives a datagram (or stream bytes) and the sender's address.
 *
 * Python: data, address = s.recvfrom(bufsize, flags);
 *   nbytes, address = s.recvfrom_into(buffer, nbytes, flags).
 * Returns: the bytes received, or a code as bt_socket_recv.
 * Ownership: out, buf and addr (may be NULL) stay the caller's.
 * Thread safety: safe on distinct sockets.
 */
BT_API ptrdiff_t bt_socket_recvfrom(bt_socket *s, bt_buf *out, size_t bufsize,
                                    int flags, bt_sockaddr *addr, bt_err *err);
BT_API ptrdiff_t bt_socket_recvfrom_into(bt_socket *s, void *buf, size_t n,
                                         int flags, bt_sockaddr *addr,
                                         bt_err *err);

/**
 * Receives exactly n bytes, looping over short reads (the helper every
 * length-prefixed protocol writes; the timeout applies to each wait).
 *
 * Python: no socket method; asyncio's StreamReader.readexactly(n).
 * Returns: 0; BT_EINCOMPLETE when the peer closed first, with the message
 *   "3 bytes read on a total of 4 expected bytes" and err->pos = the bytes
 *   read (they are in buf); or a code as bt_socket_recv.
 * Ownership: buf stays the caller's.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_recv_exactly(bt_socket *s, void *buf, size_t n,
                                  bt_err *err);

/**
 * Shuts down one or both directions: SHUT_RD, SHUT_WR or SHUT_RDWR.
 *
 * Python: s.shutdown(how).
 * Returns: 0 or -errno (-ENOTCONN "[Errno 107] Transport endpoint is not
 *   connected", -EINVAL for a bad how).
 * Ownership: nothing to free.
 * Thread safety: safe (wakes a thread blocked in recv on s).
 */
BT_API int bt_socket_shutdown(bt_socket *s, int how, bt_err *err);

/**
 * Sets the timeout: BT_TIMEOUT_NONE blocks, 0.0 is non-blocking, t > 0 is
 * a timeout in seconds.
 *
 * Python: s.settimeout(t).
 * Returns: 0; BT_EVALUE "Timeout value out of range" for another negative
 *   value, "Invalid value NaN (not a number)" for NaN; -errno.
 * Ownership: nothing to free.
 * Thread safety: not while another thread uses s.
 */
BT_API int bt_socket_settimeout(bt_socket *s, double timeout, bt_err *err);

/**
 * The timeout: BT_TIMEOUT_NONE, 0.0 or the seconds.
 *
 * Python: s.gettimeout().
 * Returns: the timeout.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API double bt_socket_gettimeout(const bt_socket *s);

/**
 * setblocking(true) is settimeout(None), setblocking(false) settimeout(0.0);
 * getblocking is false when a timeout of 0.0 is set, as in Python (a
 * socket with a positive timeout reports false too).
 *
 * Python: s.setblocking(flag), s.getblocking().
 * Returns: setblocking: 0 or -errno; getblocking: the flag.
 * Ownership: nothing to free.
 * Thread safety: setblocking: not while another thread uses s.
 */
BT_API int bt_socket_setblocking(bt_socket *s, bool flag, bt_err *err);
BT_API bool bt_socket_getblocking(const bt_socket *s);

/**
 * The timeout new sockets take (None at start), and setting it.
 *
 * Python: socket.getdefaulttimeout(), socket.setdefaulttimeout(t).
 * Returns: get: the timeout; set: 0 or BT_EVALUE as bt_socket_settimeout.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API double bt_socket_getdefaulttimeout(void);
BT_API int bt_socket_setdefaulttimeout(double timeout, bt_err *err);

/**
 * Sets an integer option (SO_REUSEADDR, SO_KEEPALIVE, SO_RCVBUF,
 * TCP_NODELAY, IPV6_V6ONLY, ...) or an option given as bytes (SO_LINGER's
 * struct linger, ...).
 *
 * Python: s.setsockopt(level, optname, value), ... (bytes value).
 * Returns: 0 or -errno ("[Errno 92] Protocol not available").
 * Ownership: value is borrowed.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_setsockopt(bt_socket *s, int level, int optname, int value,
                                bt_err *err);
BT_API int bt_socket_setsockopt_bytes(bt_socket *s, int level, int optname,
                                      const void *value, size_t len,
                                      bt_err *err);

/**
 * Reads an integer option, or up to *len bytes of one (*len gets the size
 * the kernel wrote).
 *
 * Python: s.getsockopt(level, optname), s.getsockopt(level, optname, buflen).
 * Returns: 0 and *value / buf, or -errno.
 * Ownership: value, buf and len stay the caller's.
 * Thread safety: safe on distinct sockets.
 */
BT_API int bt_socket_getsockopt(bt_socket *s, int level, int optname,
                                int *value, bt_err *err);
BT_API int bt_socket_getsockopt_bytes(bt_socket *s, int level, int optname,
                                      void *buf, size_t *len, bt_err *err);

/**
 * The remote (getpeername) and local (getsockname) address.
 *
 * Python: s.getpeername(), s.getsockname().
 * Returns: 0 and *addr; -ENOTCONN "[Errno 107] Transport endpoint is not
 *   connected" for getpeername on an unconnected socket; -errno.
 * Ownership: addr stays the caller's.
 * Thread safety: safe.
 */
BT_API int bt_socket_getpeername(const bt_socket *s, bt_sockaddr *addr,
                                 bt_err *err);
BT_API int bt_socket_getsockname(const bt_socket *s, bt_sockaddr *addr,
                                 bt_err *err);

/**
 * Appends Python's repr() of the address tuple: ('127.0.0.1', 8080) for
 * AF_INET, ('::1', 8080, 0, 0) for AF_INET6, '/path' for AF_UNIX (b'\x00..'
 * for an abstract address, '' for an unbound one).
 *
 * Python: repr(s.getpeername()).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: a is borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_sockaddr_repr(const bt_sockaddr *a, bt_buf *out);

/**
 * Sends count bytes (0: to the end) of file descriptor fd from offset with
 * sendfile(2), honouring the socket's timeout; afterwards the file's offset
 * is offset + the bytes sent, as Python seeks the file. Never raises
 * SIGPIPE (a pending one it caused is consumed; the caller's mask and
 * handlers are left alone).
 *
 * Python: s.sendfile(file, offset, count).
 * Returns: the bytes sent (>= 0); -EPIPE; -ETIMEDOUT "timed out"; -errno
 *   (-EBADF for a bad fd).
 * Ownership: fd stays the caller's.
 * Thread safety: safe on distinct sockets.
 */
BT_API ptrdiff_t bt_socket_sendfile(bt_socket *s, int fd, off_t offset,
                                    size_t count, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Convenience constructors                                                  */
/* ------------------------------------------------------------------------ */

/**
 * Connects to (host, port) over TCP, trying every getaddrinfo result in
 * order; the error of the last attempt is returned if none succeeds.
 * timeout is BT_SOCKET_DEFAULT_TIMEOUT (the module default),
 * BT_TIMEOUT_NONE or seconds; source_host (NULL for none) and source_port
 * bind the socket before connecting.
 *
 * Python: socket.create_connection((host, port), timeout,
 *   (source_host, source_port)).
 * Returns: 0 and *out; -ECONNREFUSED, -ETIMEDOUT "timed out", BT_EGAI,
 *   -errno.
 * Ownership: the caller closes *out with bt_socket_close.
 * Thread safety: safe.
 */
BT_API int bt_socket_create_connection(bt_socket **out, const char *host,
                                       int port, double timeout,
                                       const char *source_host, int source_port,
                                       bt_err *err);

/**
 * A listening TCP socket bound to (host, port) with SO_REUSEADDR set:
 * family AF_INET or AF_INET6 (0 is AF_INET), backlog < 0 for Python's
 * default, reuse_port sets SO_REUSEPORT, dualstack_ipv6 accepts IPv4 too on
 * an AF_INET6 socket.
 *
 * Python: socket.create_server((host, port), family=, backlog=,
 *   reuse_port=, dualstack_ipv6=).
 * Returns: 0 and *out; -EADDRINUSE "[Errno 98] Address already in use
 *   (while attempting to bind on address ('127.0.0.1', 8080))"; BT_EVALUE
 *   "dualstack_ipv6 requires AF_INET6 family" / "dualstack_ipv6 not
 *   supported on this platform"; BT_EGAI; -errno.
 * Ownership: the caller closes *out with bt_socket_close.
 * Thread safety: safe.
 */
BT_API int bt_socket_create_server(bt_socket **out, const char *host, int port,
                                   int family, int backlog, bool reuse_port,
                                   bool dualstack_ipv6, bt_err *err);

/**
 * Whether this system can make a dual-stack (IPv4 + IPv6) server socket.
 *
 * Python: socket.has_dualstack_ipv6().
 * Returns: the flag.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_socket_has_dualstack_ipv6(void);

/* ------------------------------------------------------------------------ */
/* Names and addresses                                                       */
/* ------------------------------------------------------------------------ */

/* One result of getaddrinfo: Python's (family, type, proto, canonname,
 * sockaddr) tuple. canonname is "" unless AI_CANONNAME was asked for. */
typedef struct bt_addrinfo {
    int family;
    int type;
    int proto;
    char *canonname;
    bt_sockaddr sockaddr;
} bt_addrinfo;

/**
 * Resolves host (NULL for None) and port (a number or a service name such
 * as "http"; NULL for None) into the addresses to use, in the order the
 * resolver gives them. family, type, proto and flags (AI_*) filter and
 * steer as in Python.
 *
 * Python: socket.getaddrinfo(host, port, family, type, proto, flags).
 * Returns: 0, *out and *n (>= 1); BT_EGAI "[Errno -2] Name or service not
 *   known" (or -3 "Temporary failure in name resolution", -8 "Servname not
 *   supported for ai_socktype", ...); BT_ENOMEM.
 * Ownership: the caller frees *out with bt_socket_addrinfo_free.
 * Thread safety: safe.
 */
BT_API int bt_socket_getaddrinfo(const char *host, const char *port, int family,
                                 int type, int proto, int flags,
                                 bt_addrinfo **out, size_t *n, bt_err *err);

/**
 * Frees what bt_socket_getaddrinfo returned.
 *
 * Python: no equivalent (garbage collected).
 * Returns: nothing. Accepts NULL.
 * Ownership: ai is invalid afterwards.
 * Thread safety: safe.
 */
BT_API void bt_socket_addrinfo_free(bt_addrinfo *ai, size_t n);

/**
 * Translates a numeric (host, port) into a host name and service name
 * (NI_NUMERICHOST, NI_NUMERICSERV, NI_NAMEREQD, NI_DGRAM... in flags).
 *
 * Python: socket.getnameinfo((host, port), flags).
 * Returns: 0 and the NUL-terminated names; BT_EGAI "[Errno -2] Name or
 *   service not known" (host must be numeric, as Python requires);
 *   BT_EOVERFLOWERR "getnameinfo(): port must be 0-65535.".
 * Ownership: host_out / serv_out are caller buffers (NI_MAXHOST /
 *   NI_MAXSERV bytes are always enough).
 * Thread safety: safe.
 */
BT_API int bt_socket_getnameinfo(const char *host, int port, int flags,
                                 char *host_out, size_t host_cap,
                                 char *serv_out, size_t serv_cap, bt_err *err);

/**
 * The machine's host name.
 *
 * Python: socket.gethostname().
 * Returns: 0 and the NUL-terminated name, or -errno (-ENAMETOOLONG when cap
 *   is too small).
 * Ownership: out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_socket_gethostname(char *out, size_t cap, bt_err *err);

/**
 * Converts a printable IPv4 / IPv6 address to its packed bytes (4 or 16)
 * and back.
 *
 * Python: socket.inet_pton(family, text), socket.inet_ntop(family, packed).
 * Returns: inet_pton: the packed length; -EINVAL "illegal IP address string
 *   passed to inet_pton"; -EAFNOSUPPORT "[Errno 97] Address family not
 *   supported by protocol". inet_ntop: 0 and the NUL-terminated text;
 *   BT_EVALUE "invalid length of packed IP address string".
 * Ownership: buffers are the caller's (out of inet_pton: 16 bytes; of
 *   inet_ntop: INET6_ADDRSTRLEN bytes are enough).
 * Thread safety: safe.
 */
BT_API int bt_socket_inet_pton(int family, const char *text, void *out,
                               bt_err *err);
BT_API int bt_socket_inet_ntop(int family, const void *packed, size_t len,
                               char *out, size_t cap, bt_err *err);

/**
 * Byte-order conversion between host and network (big-endian) order.
 *
 * Python: socket.htons, ntohs, htonl, ntohl.
 * Returns: the converted value.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API uint16_t bt_socket_htons(uint16_t x);
BT_API uint16_t bt_socket_ntohs(uint16_t x);
BT_API uint32_t bt_socket_htonl(uint32_t x);
BT_API uint32_t bt_socket_ntohl(uint32_t x);

/* ------------------------------------------------------------------------ */
/* makefile: a buffered reader / writer over a socket                        */
/* ------------------------------------------------------------------------ */

/* Python's socket.makefile() object (binary mode). */
typedef struct bt_socket_file bt_socket_file;

/**
 * Makes a buffered file over a socket: mode "r", "w" or "rw" (a "b" is
 * accepted and changes nothing: the file is always binary); buffering < 0
 * is io.DEFAULT_BUFFER_SIZE (8192), 0 unbuffered writes (reads are always
 * buffered so readline can work), > 0 that size. Reads and writes use the
 * socket's timeout.
 *
 * Python: s.makefile(mode, buffering).
 * Returns: 0 and *out; BT_EVALUE "invalid mode 'x' (only r, w, b allowed)";
 *   BT_ENOMEM.
 * Ownership: the caller closes *out with bt_socket_file_close; s is
 *   borrowed and must outlive the file (closing the file does not close s).
 * Thread safety: one file per thread.
 */
BT_API int bt_socket_makefile(bt_socket_file **out, bt_socket *s,
                              const char *mode, ptrdiff_t buffering,
                              bt_err *err);

/**
 * Reads one line (through the "\n", which is kept), at most limit bytes
 * when limit >= 0, appended to out.
 *
 * Python: f.readline(limit).
 * Returns: the bytes appended (0 at end of stream); BT_EVALUE "readline of
 *   a file not open for reading" ("File not open for reading" in Python's
 *   io.UnsupportedOperation); a code as bt_socket_recv (the bytes read
 *   before it stay buffered).
 * Ownership: out stays the caller's.
 * Thread safety: one file per thread.
 */
BT_API ptrdiff_t bt_socket_file_readline(bt_socket_file *f, bt_buf *out,
                                         ptrdiff_t limit, bt_err *err);

/**
 * Reads n bytes (fewer only at end of stream), or everything up to the end
 * of the stream when n < 0, appended to out.
 *
 * Python: f.read(n), f.read().
 * Returns: the bytes appended; a code as bt_socket_file_readline.
 * Ownership: out stays the caller's.
 * Thread safety: one file per thread.
 */
BT_API ptrdiff_t bt_socket_file_read(bt_socket_file *f, bt_buf *out,
                                     ptrdiff_t n, bt_err *err);

/**
 * Buffers n bytes for writing (sending them when the buffer fills, or at
 * once when unbuffered).
 *
 * Python: f.write(data).
 * Returns: n; BT_EVALUE "File not open for writing"; a code as
 *   bt_socket_sendall.
 * Ownership: data is borrowed.
 * Thread safety: one file per thread.
 */
BT_API ptrdiff_t bt_socket_file_write(bt_socket_file *f, const void *data,
                                      size_t n, bt_err *err);

/**
 * Sends everything buffered.
 *
 * Python: f.flush().
 * Returns: 0, or a code as bt_socket_sendall (what was not sent stays
 *   buffered).
 * Ownership: nothing to free.
 * Thread safety: one file per thread.
 */
BT_API int bt_socket_file_flush(bt_socket_file *f, bt_err *err);

/**
 * Flushes and frees the file; the socket stays open.
 *
 * Python: f.close().
 * Returns: 0, or the flush's error (the file is freed anyway). Accepts NULL.
 * Ownership: f is invalid afterwards.
 * Thread safety: one file per thread.
 */
BT_API int bt_socket_file_close(bt_socket_file *f, bt_err *err);

/* ------------------------------------------------------------------------ */
/* selectors                                                                 */
/* ------------------------------------------------------------------------ */

/* selectors.EVENT_READ and EVENT_WRITE. */
#define BT_EVENT_READ  1u
#define BT_EVENT_WRITE 2u

/* A selector: Python's DefaultSelector (epoll) or PollSelector. */
typedef struct bt_selector bt_selector;

/* One ready file from bt_selector_select: (key, events) in Python. */
typedef struct bt_selector_event {
    int fd;
    unsigned events;
    void *data;
} bt_selector_event;

/**
 * Creates Python's DefaultSelector (epoll on Linux), or a PollSelector
 * (poll(2)); bt_selector_new falls back to poll when epoll is unavailable.
 *
 * Python: selectors.DefaultSelector(), selectors.PollSelector().
 * Returns: 0 and *out, -errno or BT_ENOMEM.
 * Ownership: the caller frees *out with bt_selector_free.
 * Thread safety: safe.
 */
BT_API int bt_selector_new(bt_selector **out, bt_err *err);
BT_API int bt_selector_new_poll(bt_selector **out, bt_err *err);

/**
 * Frees the selector (registered descriptors are not closed).
 *
 * Python: sel.close().
 * Returns: nothing. Accepts NULL.
 * Ownership: sel is invalid afterwards.
 * Thread safety: no other thread may use sel.
 */
BT_API void bt_selector_free(bt_selector *sel);

/**
 * "epoll" or "poll": which mechanism the selector uses.
 *
 * Python: type(sel).__name__ (EpollSelector / PollSelector).
 * Returns: a static string.
 * Ownership: static storage.
 * Thread safety: safe.
 */
BT_API const char *bt_selector_kind(const bt_selector *sel);

/**
 * Registers fd for events (BT_EVENT_READ | BT_EVENT_WRITE) with user data,
 * changes a registration (modify), or removes it (unregister).
 *
 * Python: sel.register(fileobj, events, data), sel.modify(...),
 *   sel.unregister(fileobj).
 * Returns: 0; BT_EVALUE "Invalid events: 4" / "Invalid file descriptor: -1";
 *   BT_EKEY "5 (FD 5) is already registered" (register) or "5 is not
 *   registered" (modify, unregister); -errno; BT_ENOMEM.
 * Ownership: data stays the caller's.
 * Thread safety: not safe against concurrent calls on sel.
 */
BT_API int bt_selector_register(bt_selector *sel, int fd, unsigned events,
                                void *data, bt_err *err);
BT_API int bt_selector_modify(bt_selector *sel, int fd, unsigned events,
                              void *data, bt_err *err);
BT_API int bt_selector_unregister(bt_selector *sel, int fd, bt_err *err);

/**
 * The registration of fd.
 *
 * Python: sel.get_key(fileobj).
 * Returns: 0 with *events and *data (either may be NULL), or BT_EKEY.
 * Ownership: nothing to free.
 * Thread safety: not safe against concurrent changes to sel.
 */
BT_API int bt_selector_get_key(const bt_selector *sel, int fd, unsigned *events,
                               void **data);

/**
 * The number of registered descriptors.
 *
 * Python: len(sel.get_map()).
 * Returns: the count.
 * Ownership: nothing to free.
 * Thread safety: not safe against concurrent changes to sel.
 */
BT_API size_t bt_selector_count(const bt_selector *sel);

/**
 * Waits until registered descriptors are ready or timeout passes
 * (BT_TIMEOUT_NONE: forever; <= 0: just poll) and fills out with at most
 * max ready ones. A hang-up or error counts as ready for what was asked.
 * EINTR is retried with the time left.
 *
 * Python: sel.select(timeout).
 * Returns: the number of events written (0 after a timeout), or -errno.
 * Ownership: out is the caller's array of max entries.
 * Thread safety: not safe against concurrent changes to sel.
 */
BT_API int bt_selector_select(bt_selector *sel, double timeout,
                              bt_selector_event *out, size_t max, bt_err *err);

/* ------------------------------------------------------------------------ */
/* socketserver                                                              */
/* ------------------------------------------------------------------------ */

/* A server: Python's TCPServer, UDPServer, ThreadingTCPServer, ... */
typedef struct bt_socketserver bt_socketserver;

/*
 * One request, as the handler sees it (BaseRequestHandler's attributes).
 * TCP: sock is the accepted connection (the server shuts it down and closes
 * it after the handler returns); data is NULL. UDP: data/len is the
 * datagram and sock the server's socket, to answer with
 * bt_socket_sendto_addr(sock, ..., &client_address).
 */
typedef struct bt_socketserver_request {
    bt_socketserver *server;
    bt_socket *sock;
    bt_sockaddr client_address;
    const void *data;
    size_t len;
} bt_socketserver_request;

/* The request handler (RequestHandlerClass.handle): returns >= 0, or a
 * negative code with err filled, which goes to handle_error. */
typedef int (*bt_socketserver_handler)(bt_socketserver_request *req, void *ctx,
                                       bt_err *err);

/* handle_error: called (in the handling thread) when the handler failed.
 * Python's default prints a traceback; the library never prints, so by
 * default failures are dropped. */
typedef void (*bt_socketserver_error_fn)(bt_socketserver_request *req, int code,
                                         const bt_err *err, void *ctx);

/*
 * Server options; zero-initialize and set what differs from Python's
 * defaults. threading: ThreadingMixIn (a thread per request, or a pool of
 * pool_size threads when pool_size > 0). daemon_threads: server_close does
 * not wait for running handlers (block_on_close = False).
 */
typedef struct bt_socketserver_options {
    int family;               /* address_family: 0 is AF_INET */
    bool threading;           /* ThreadingMixIn */
    size_t pool_size;         /* 0: a thread per request */
    bool daemon_threads;      /* ThreadingMixIn.daemon_threads */
    bool allow_reuse_address; /* SO_REUSEADDR before bind */
    bool allow_reuse_port;    /* SO_REUSEPORT before bind */
    int request_queue_size;   /* listen backlog; 0 is Python's 5 */
    size_t max_packet_size;   /* UDP; 0 is Python's 8192 */
    bt_socketserver_error_fn handle_error;
} bt_socketserver_options;

/**
 * Creates a server bound to (host, port) (AF_UNIX: the path) and, for TCP,
 * listening. handler(req, ctx, err) runs for each request.
 *
 * Python: socketserver.TCPServer((host, port), Handler),
 *   ThreadingTCPServer, UDPServer, ThreadingUDPServer, UnixStreamServer...
 *   (chosen by opt->family and opt->threading).
 * Returns: 0 and *out; a code as bt_socket_bind ("[Errno 98] Address
 *   already in use"); BT_ENOMEM.
 * Ownership: the caller frees *out with bt_socketserver_free; ctx stays the
 *   caller's; opt (may be NULL) is copied.
 * Thread safety: safe.
 */
BT_API int bt_socketserver_tcp_new(bt_socketserver **out, const char *host,
                                   int port, bt_socketserver_handler handler,
                                   void *ctx,
                                   const bt_socketserver_options *opt,
                                   bt_err *err);
BT_API int bt_socketserver_udp_new(bt_socketserver **out, const char *host,
                                   int port, bt_socketserver_handler handler,
                                   void *ctx,
                                   const bt_socketserver_options *opt,
                                   bt_err *err);

/**
 * Handles requests until bt_socketserver_shutdown is called (from another
 * thread). poll_interval is kept for Python's signature; shutdown wakes the
 * loop at once.
 *
 * Python: server.serve_forever(poll_interval=0.5).
 * Returns: 0 after shutdown, or -errno when waiting fails.
 * Ownership: nothing to free.
 * Thread safety: run it in one thread; shutdown from another.
 */
BT_API int bt_socketserver_serve_forever(bt_socketserver *srv,
                                         double poll_interval, bt_err *err);

/**
 * Handles one request, waiting at most timeout seconds (BT_TIMEOUT_NONE:
 * forever) for it.
 *
 * Python: server.handle_request() (with server.timeout = timeout).
 * Returns: 1 when a request was handled (or handed to a thread), 0 after a
 *   timeout (handle_timeout), or -errno.
 * Ownership: nothing to free.
 * Thread safety: not concurrently with serve_forever.
 */
BT_API int bt_socketserver_handle_request(bt_socketserver *srv, double timeout,
                                          bt_err *err);

/**
 * Tells serve_forever to stop and waits until it has. Must be called from
 * another thread than the one in serve_forever.
 *
 * Python: server.shutdown().
 * Returns: nothing.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API void bt_socketserver_shutdown(bt_socketserver *srv);

/**
 * Closes the listening socket and, unless daemon_threads, waits for every
 * handler thread to finish (pool threads are stopped).
 *
 * Python: server.server_close().
 * Returns: nothing. Calling it twice is harmless.
 * Ownership: nothing to free.
 * Thread safety: not concurrently with serve_forever.
 */
BT_API void bt_socketserver_server_close(bt_socketserver *srv);

/**
 * server_close, then frees the server.
 *
 * Python: with server: ... (the context manager's exit), then del.
 * Returns: nothing. Accepts NULL.
 * Ownership: srv is invalid afterwards.
 * Thread safety: no other thread may use srv.
 */
BT_API void bt_socketserver_free(bt_socketserver *srv);

/**
 * The address the server is bound to (the real port when 0 was asked), and
 * its socket.
 *
 * Python: server.server_address, server.socket.
 * Returns: address: 0 or -errno; socket: the borrowed socket.
 * Ownership: the socket stays the server's.
 * Thread safety: safe.
 */
BT_API int bt_socketserver_server_address(const bt_socketserver *srv,
                                          bt_sockaddr *addr, bt_err *err);
BT_API bt_socket *bt_socketserver_socket(bt_socketserver *srv);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_SOCKET_H */
