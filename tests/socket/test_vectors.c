/* socket against CPython: inet_pton/ntop, getaddrinfo, getnameinfo and
 * every misuse of tools/gen_vectors/socket.py made the same way in C. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>

#include "bt_test.h"
#include "helpers.h"

static int family_of(const char *s)
{
    if (strcmp(s, "AF_INET") == 0)
        return AF_INET;
    if (strcmp(s, "AF_INET6") == 0)
        return AF_INET6;
    return 0;
}

/* "gaierror" matches "socket.gaierror", "IncompleteReadError"
 * "asyncio.IncompleteReadError". */
static void expect_class(int code, const char *cls, const char *what)
{
    const char *name = bt_errname(code);
    size_t n = strlen(name), m = strlen(cls);
    cr_expect(n >= m && strcmp(name + n - m, cls) == 0 &&
                  (n == m || name[n - m - 1] == '.'),
              "%s: class %s, expected %s", what, name, cls);
}

Test(socket_vectors, inet_pton_ntop)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "socket", "inet");
    int cases = 0;
    while (bt_test_vectors_next(&v, f)) {
        int fam = family_of(f[0]);
        unsigned char packed[16];
        bt_err err = BT_ERR_INIT;
        int rc = bt_socket_inet_pton(fam, f[1], packed, &err);
        if (strcmp(f[2], "ok") == 0) {
            size_t n;
            char *want = bt_test_unhex(f[3], &n);
            cr_expect_eq(rc, (int)n, "%s %s", f[0], f[1]);
            cr_expect_eq(memcmp(packed, want, n), 0, "%s", f[1]);
            free(want);
            char text[64];
            cr_expect_eq(
                bt_socket_inet_ntop(fam, packed, n, text, sizeof text, NULL),
                0);
            cr_expect_str_eq(text, f[4]);
        } else {
            cr_expect_lt(rc, 0, "%s %s accepted", f[0], f[1]);
            expect_class(rc, f[3], f[1]);
            cr_expect_str_eq(err.msg, f[4]);
        }
        cases++;
    }
    bt_test_vectors_close(&v);
    cr_assert_gt(cases, 40);
}

Test(socket_vectors, inet_ntop)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "socket", "ntop");
    while (bt_test_vectors_next(&v, f)) {
        size_t n;
        char *packed = bt_test_unhex(f[1], &n);
        char text[64];
        bt_err err = BT_ERR_INIT;
        int rc = bt_socket_inet_ntop(family_of(f[0]), packed, n, text,
                                     sizeof text, &err);
        if (strcmp(f[2], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s", f[1]);
            cr_expect_str_eq(text, f[3]);
        } else {
            expect_class(rc, f[3], f[1]);
            cr_expect_str_eq(err.msg, f[4]);
        }
        free(packed);
    }
    bt_test_vectors_close(&v);
}

static int flag_of(const char *s)
{
    if (strcmp(s, "AI_PASSIVE") == 0)
        return AI_PASSIVE;
    if (strcmp(s, "AI_NUMERICHOST") == 0)
        return AI_NUMERICHOST;
    if (strcmp(s, "AI_NUMERICSERV") == 0)
        return AI_NUMERICSERV;
    return 0;
}

Test(socket_vectors, getaddrinfo)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "socket", "gai");
    int nf;
    while ((nf = bt_test_vectors_next(&v, f))) {
        const char *host = strcmp(f[0], "-") == 0 ? NULL : f[0];
        int type = strcmp(f[3], "SOCK_DGRAM") == 0 ? SOCK_DGRAM : SOCK_STREAM;
        bt_addrinfo *ai = NULL;
        size_t n = 0;
        bt_err err = BT_ERR_INIT;
        int rc = bt_socket_getaddrinfo(host, f[1], family_of(f[2]), type, 0,
                                       flag_of(f[4]), &ai, &n, &err);
        if (strcmp(f[5], "ok") == 0) {
            cr_assert_eq(rc, 0, "%s %s: %s", f[0], f[1], err.msg);
            cr_expect_eq((int)n, nf - 6, "%s: %zu results", f[0], n);
            for (size_t i = 0; i < n && (int)i < nf - 6; i++) {
                bt_buf b = BT_BUF_INIT;
                bt_buf_printf(&b, "%d,%d,%d,%s,", ai[i].family, ai[i].type,
                              ai[i].proto, ai[i].canonname);
                cr_assert_eq(bt_sockaddr_repr(&ai[i].sockaddr, &b), 0);
                cr_expect_str_eq(b.data, f[6 + i]);
                bt_buf_fini(&b);
            }
            bt_socket_addrinfo_free(ai, n);
        } else {
            cr_expect_eq(rc, BT_EGAI, "%s", f[0]);
            expect_class(rc, f[6], f[0]);
            cr_expect_str_eq(err.msg, f[7]);
        }
    }
    bt_test_vectors_close(&v);
}

Test(socket_vectors, getnameinfo)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    bt_test_vectors_open(&v, "socket", "nameinfo");
    while (bt_test_vectors_next(&v, f)) {
        char host[NI_MAXHOST], serv[NI_MAXSERV];
        bt_err err = BT_ERR_INIT;
        int rc = bt_socket_getnameinfo(f[0], atoi(f[1]), atoi(f[2]), host,
                                       sizeof host, serv, sizeof serv, &err);
        if (strcmp(f[3], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s: %s", f[0], err.msg);
            cr_expect_str_eq(host, f[4]);
            cr_expect_str_eq(serv, f[5]);
        } else {
            expect_class(rc, f[4], f[0]);
            cr_expect_str_eq(err.msg, f[5]);
        }
    }
    bt_test_vectors_close(&v);
}

/* ---- errors.tsv: each case provoked the same way ---- */

struct ctx {
    int busy_port; /* create_server_in_use */
    int sel_fd;    /* the fd number CPython's messages name */
};

static int provoke(const char *name, const struct ctx *c, bt_err *err,
                   char *subst_from, char *subst_to)
{
    bt_socket *s = NULL, *a = NULL, *b = NULL;
    int rc = 1;
    subst_from[0] = subst_to[0] = '\0';
    if (strcmp(name, "connect_refused") == 0) {
        int port;
        bt_socket *l = listener(&port);
        bt_socket_close(l);
        rc = bt_socket_create_connection(
            &s, "127.0.0.1", port, BT_SOCKET_DEFAULT_TIMEOUT, NULL, 0, err);
    } else if (strcmp(name, "bind_port_range") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        rc = bt_socket_bind(s, "127.0.0.1", 70000, err);
    } else if (strcmp(name, "connect_port_range") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        rc = bt_socket_connect(s, "127.0.0.1", -1, err);
    } else if (strcmp(name, "settimeout_negative") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        rc = bt_socket_settimeout(s, -2, err);
    } else if (strcmp(name, "settimeout_nan") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        rc = bt_socket_settimeout(s, 0.0 / 0.0, err);
    } else if (strcmp(name, "gai_numeric") == 0) {
        bt_addrinfo *ai;
        size_t n;
        rc = bt_socket_getaddrinfo("not a host", "0", 0, 0, 0, AI_NUMERICHOST,
                                   &ai, &n, err);
    } else if (strcmp(name, "gai_service") == 0) {
        bt_addrinfo *ai;
        size_t n;
        rc =
            bt_socket_getaddrinfo("127.0.0.1", "notaservice", AF_INET,
                                  SOCK_STREAM, 0, AI_NUMERICSERV, &ai, &n, err);
    } else if (strcmp(name, "recv_timeout") == 0) {
        bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
        bt_socket_settimeout(a, 0.05, NULL);
        char buf[1];
        rc = (int)bt_socket_recv_into(a, buf, 1, 0, err);
    } else if (strcmp(name, "recv_nonblocking") == 0) {
        bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
        bt_socket_setblocking(a, false, NULL);
        char buf[1];
        rc = (int)bt_socket_recv_into(a, buf, 1, 0, err);
    } else if (strcmp(name, "send_broken_pipe") == 0) {
        bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
        bt_socket_close(b);
        b = NULL;
        rc = (int)bt_socket_send(a, "x", 1, 0, err);
    } else if (strcmp(name, "recv_reset") == 0) {
        tcp_pair(&a, &b);
        bt_socket_sendall(a, "unread", 6, 0, NULL);
        struct linger lg = {1, 0};
        bt_socket_setsockopt_bytes(b, SOL_SOCKET, SO_LINGER, &lg, sizeof lg,
                                   NULL);
        usleep(20000);
        bt_socket_close(b);
        b = NULL;
        usleep(50000);
        char buf[10];
        rc = (int)bt_socket_recv_into(a, buf, 10, 0, err);
    } else if (strcmp(name, "getpeername_notconn") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        bt_sockaddr addr;
        rc = bt_socket_getpeername(s, &addr, err);
    } else if (strcmp(name, "setsockopt_bad") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        rc = bt_socket_setsockopt(s, SOL_SOCKET, 12345, 1, err);
    } else if (strcmp(name, "unix_path_too_long") == 0) {
        bt_socket_new(&s, AF_UNIX, SOCK_STREAM, 0, NULL);
        char path[256] = "/tmp/";
        memset(path + 5, 'x', 200);
        rc = bt_socket_bind(s, path, 0, err);
    } else if (strcmp(name, "inet_ntop_bad_len") == 0) {
        char out[64];
        rc = bt_socket_inet_ntop(AF_INET, "abc", 3, out, sizeof out, err);
    } else if (strcmp(name, "inet_pton_bad") == 0) {
        char out[16];
        rc = bt_socket_inet_pton(AF_INET, "1.2.3", out, err);
    } else if (strcmp(name, "inet_pton_family") == 0) {
        char out[16];
        rc = bt_socket_inet_pton(12345, "1.2.3.4", out, err);
    } else if (strcmp(name, "getnameinfo_negative_port") == 0) {
        char h[64], sv[64];
        rc = bt_socket_getnameinfo("127.0.0.1", -1, 3, h, sizeof h, sv,
                                   sizeof sv, err);
    } else if (strcmp(name, "create_server_dualstack_family") == 0) {
        rc = bt_socket_create_server(&s, "127.0.0.1", 0, AF_INET, -1, false,
                                     true, err);
    } else if (strcmp(name, "create_server_in_use") == 0) {
        int port;
        bt_socket *l = listener(&port);
        rc = bt_socket_create_server(&s, "127.0.0.1", port, AF_INET, -1, false,
                                     false, err);
        bt_socket_close(l);
        sprintf(subst_from, "%d", c->busy_port);
        sprintf(subst_to, "%d", port);
    } else if (strcmp(name, "makefile_bad_mode") == 0) {
        bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, NULL);
        bt_socket_file *f;
        rc = bt_socket_makefile(&f, s, "x", -1, err);
    } else if (strcmp(name, "recv_exactly_eof") == 0) {
        bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
        bt_socket_sendall(b, "abc", 3, 0, NULL);
        bt_socket_shutdown(b, SHUT_WR, NULL);
        char buf[4];
        rc = bt_socket_recv_exactly(a, buf, 4, err);
        cr_expect_eq(err->pos, 3);
        cr_expect_eq(memcmp(buf, "abc", 3), 0);
    } else if (strcmp(name, "sendfile_nonblocking") == 0) {
        bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
        bt_socket_setblocking(a, false, NULL);
        rc = (int)bt_socket_sendfile(a, 0, 0, 0, err);
    } else if (strncmp(name, "selector_", 9) == 0) {
        bt_selector *sel;
        cr_assert_eq(bt_selector_new(&sel, NULL), 0);
        int p[2];
        cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
        cr_assert_eq(bt_selector_register(sel, p[0], BT_EVENT_READ, NULL, NULL),
                     0);
        if (strcmp(name, "selector_register_twice") == 0) {
            rc = bt_selector_register(sel, p[0], BT_EVENT_READ, NULL, err);
            sprintf(subst_from, "%d", c->sel_fd);
            sprintf(subst_to, "%d", p[0]);
        } else if (strcmp(name, "selector_bad_events") == 0) {
            rc = bt_selector_register(sel, p[1], 4, NULL, err);
        } else if (strcmp(name, "selector_unregister_missing") == 0) {
            rc = bt_selector_unregister(sel, p[1], err);
            sprintf(subst_from, "%d", c->sel_fd + 1);
            sprintf(subst_to, "%d", p[1]);
        } else if (strcmp(name, "selector_modify_missing") == 0) {
            rc = bt_selector_modify(sel, p[1], BT_EVENT_READ, NULL, err);
            sprintf(subst_from, "%d", c->sel_fd + 1);
            sprintf(subst_to, "%d", p[1]);
        } else if (strcmp(name, "selector_negative_fd") == 0) {
            rc = bt_selector_register(sel, -1, BT_EVENT_READ, NULL, err);
        }
        bt_selector_free(sel);
        close(p[0]);
        close(p[1]);
    }
    bt_socket_close(s);
    bt_socket_close(a);
    bt_socket_close(b);
    return rc;
}

/* Python's message with CPython's port / fd numbers replaced by ours; the
 * quotes str(KeyError) adds are not part of bt_err.msg. */
static void expected_message(const char *py, const char *cls, const char *from,
                             const char *to, char *out, size_t cap)
{
    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s", py);
    if (strcmp(cls, "KeyError") == 0 && tmp[0] == '\'') {
        size_t n = strlen(tmp);
        memmove(tmp, tmp + 1, n);
        tmp[n - 2] = '\0';
    }
    size_t k = 0;
    for (const char *p = tmp; *p && k + 1 < cap;) {
        size_t fl = strlen(from);
        if (fl && strncmp(p, from, fl) == 0) {
            k += (size_t)snprintf(out + k, cap - k, "%s", to);
            p += fl;
        } else {
            out[k++] = *p++;
        }
    }
    out[k < cap ? k : cap - 1] = '\0';
}

Test(socket_vectors, errors)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    struct ctx c = {0, 0};
    bt_test_vectors_open(&v, "socket", "errors");
    int cases = 0;
    while (bt_test_vectors_next(&v, f)) {
        if (strcmp(f[0], "create_server_in_use_port") == 0) {
            c.busy_port = atoi(f[1]);
            continue;
        }
        if (strcmp(f[0], "selector_fd") == 0)
            continue;
        cases++;
    }
    bt_test_vectors_close(&v);
    bt_test_vectors_open(&v, "socket", "errors");
    while (bt_test_vectors_next(&v, f)) {
        if (strcmp(f[0], "selector_fd") == 0)
            c.sel_fd = atoi(f[1]);
    }
    bt_test_vectors_close(&v);
    bt_test_vectors_open(&v, "socket", "errors");
    int before = open_fds();
    int done = 0;
    while (bt_test_vectors_next(&v, f)) {
        if (strcmp(f[0], "create_server_in_use_port") == 0 ||
            strcmp(f[0], "selector_fd") == 0)
            continue;
        bt_err err = BT_ERR_INIT;
        char from[32], to[32];
        int rc = provoke(f[0], &c, &err, from, to);
        cr_expect_lt(rc, 0, "%s: no error (%d)", f[0], rc);
        if (rc >= 0)
            continue;
        expect_class(rc, f[1], f[0]);
        if (open_fds() != before)
            cr_expect(false, "%s leaked a descriptor", f[0]);
        char want[512];
        expected_message(f[2], f[1], from, to, want, sizeof want);
        cr_expect_str_eq(err.msg, want, "%s", f[0]);
        done++;
    }
    cr_expect_eq(open_fds(), before, "descriptors leaked");
    bt_test_vectors_close(&v);
    cr_expect_eq(done, cases);
}
