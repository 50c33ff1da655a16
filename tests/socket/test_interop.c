/* Interop with CPython on loopback: our client against a CPython server and
 * a CPython client against our server, over TCP, UDP, Unix sockets and
 * IPv6, exchanging '!I' integers as the notes do, a readline protocol, and
 * timeouts on both sides. CPython is spawned per test (posix_spawnp); each
 * script bounds itself with signal.alarm. */
#include <batteries/struct.h>

#include "helpers.h"

static bt_struct *fmt_I(void)
{
    bt_struct *st;
    cr_assert_eq(bt_struct_new("!I", &st, NULL), 0);
    return st;
}

static void send_u32(bt_socket *s, bt_struct *st, uint32_t v)
{
    char buf[4];
    bt_struct_item it = bt_struct_uint(v);
    cr_assert_eq(bt_struct_pack(st, &it, 1, buf, 4, NULL), 4);
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_sendall(s, buf, 4, 0, &err), 0, "%s", err.msg);
}

static uint32_t recv_u32(bt_socket *s, bt_struct *st)
{
    char buf[4];
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_recv_exactly(s, buf, 4, &err), 0, "%s", err.msg);
    bt_struct_item it;
    cr_assert_eq(bt_struct_unpack(st, buf, 4, &it, 1, NULL), 1);
    return (uint32_t)it.v.u;
}

/* A CPython server: prints its port (or "ready"), accepts one client, reads
 * a '!I' count and that many '!I' numbers, answers each with n * 2 + 1 and
 * finally their sum ('!I'). argv: family ("4", "6" or a Unix path). */
static const char *PY_SERVER =
    "import socket, struct, sys, signal\n"
    "signal.alarm(15)\n"
    "a = sys.argv[1]\n"
    "if a == '4': s = socket.create_server(('127.0.0.1', 0))\n"
    "elif a == '6': s = socket.create_server(('::1', 0), "
    "family=socket.AF_INET6)\n"
    "else:\n"
    "    s = socket.socket(socket.AF_UNIX); s.bind(a); s.listen()\n"
    "print(s.getsockname()[1] if a in '46' else 'ready', flush=True)\n"
    "c, addr = s.accept()\n"
    "def recvall(n):\n"
    "    b = b''\n"
    "    while len(b) < n:\n"
    "        d = c.recv(n - len(b))\n"
    "        if not d: raise EOFError\n"
    "        b += d\n"
    "    return b\n"
    "n = struct.unpack('!I', recvall(4))[0]\n"
    "total = 0\n"
    "for i in range(n):\n"
    "    v = struct.unpack('!I', recvall(4))[0]\n"
    "    total += v\n"
    "    c.sendall(struct.pack('!I', (v * 2 + 1) & 0xffffffff))\n"
    "c.sendall(struct.pack('!I', total & 0xffffffff))\n"
    "c.close(); s.close()\n";

static void talk_to_py_server(bt_socket *c)
{
    bt_struct *st = fmt_I();
    const uint32_t nums[] = {0, 1, 42, 65535, 1u << 31, 123456789};
    size_t n = sizeof nums / sizeof nums[0];
    send_u32(c, st, (uint32_t)n);
    uint32_t sum = 0;
    for (size_t i = 0; i < n; i++) {
        send_u32(c, st, nums[i]);
        cr_expect_eq(recv_u32(c, st), nums[i] * 2 + 1);
        sum += nums[i];
    }
    cr_expect_eq(recv_u32(c, st), sum);
    bt_struct_free(st);
}

Test(interop, our_client_cpython_server_tcp)
{
    int before = open_fds();
    int out;
    char *args[] = {"4", NULL};
    pid_t pid = spawn_python(PY_SERVER, args, &out, NULL);
    char line[64];
    read_line_fd(out, line, sizeof line);
    bt_socket *c;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_create_connection(&c, "127.0.0.1", atoi(line), 5.0,
                                             NULL, 0, &err),
                 0, "%s", err.msg);
    talk_to_py_server(c);
    bt_socket_close(c);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
    cr_expect_eq(open_fds(), before);
}

Test(interop, our_client_cpython_server_ipv6)
{
    bt_socket *probe;
    if (bt_socket_new(&probe, AF_INET6, SOCK_STREAM, 0, NULL) < 0 ||
        bt_socket_bind(probe, "::1", 0, NULL) < 0) {
        bt_socket_close(probe);
        cr_skip_test("no IPv6 loopback");
    }
    bt_socket_close(probe);
    int out;
    char *args[] = {"6", NULL};
    pid_t pid = spawn_python(PY_SERVER, args, &out, NULL);
    char line[64];
    read_line_fd(out, line, sizeof line);
    bt_socket *c;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(
        bt_socket_create_connection(&c, "::1", atoi(line), 5.0, NULL, 0, &err),
        0, "%s", err.msg);
    cr_expect_eq(bt_socket_family(c), AF_INET6);
    talk_to_py_server(c);
    bt_socket_close(c);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
}

Test(interop, our_client_cpython_server_unix)
{
    char dir[] = "/tmp/bt_sock_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/py.sock", dir);
    int out;
    char *args[] = {path, NULL};
    pid_t pid = spawn_python(PY_SERVER, args, &out, NULL);
    char line[64];
    read_line_fd(out, line, sizeof line);
    cr_assert_str_eq(line, "ready");
    bt_socket *c;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_new(&c, AF_UNIX, SOCK_STREAM, 0, &err), 0);
    cr_assert_eq(bt_socket_connect(c, path, 0, &err), 0, "%s", err.msg);
    talk_to_py_server(c);
    bt_socket_close(c);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
    unlink(path);
    rmdir(dir);
}

/* A CPython client: connects to argv[1] (port, or a Unix path with
 * argv[2] == 'unix'), sends 5 numbers '!I', checks n * 3 back for each,
 * then prints what getpeername says. */
static const char *PY_CLIENT =
    "import socket, struct, sys, signal\n"
    "signal.alarm(15)\n"
    "if len(sys.argv) > 2:\n"
    "    s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])\n"
    "else:\n"
    "    s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), "
    "timeout=10)\n"
    "for v in (7, 0, 1000, 4000000000 // 3, 99):\n"
    "    s.sendall(struct.pack('!I', v))\n"
    "    b = b''\n"
    "    while len(b) < 4: b += s.recv(4 - len(b))\n"
    "    assert struct.unpack('!I', b)[0] == v * 3, (v, b)\n"
    "print(repr(s.getpeername()), flush=True)\n"
    "s.close()\n";

static void serve_times3(bt_socket *conn)
{
    bt_struct *st = fmt_I();
    for (int i = 0; i < 5; i++)
        send_u32(conn, st, recv_u32(conn, st) * 3);
    bt_struct_free(st);
}

/* Runs PY_CLIENT with args against listener l: serves it, and checks that
 * CPython's repr of its getpeername() is our getsockname()'s repr. */
static void serve_cpython_client(bt_socket *l, char *args[])
{
    bt_socket_settimeout(l, 10.0, NULL);
    int out;
    pid_t pid = spawn_python(PY_CLIENT, args, &out, NULL);
    bt_socket *conn;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_accept(l, &conn, NULL, &err), 0, "%s", err.msg);
    serve_times3(conn);
    char line[256];
    read_line_fd(out, line, sizeof line);
    bt_sockaddr me;
    bt_socket_getsockname(conn, &me, NULL);
    bt_buf r = BT_BUF_INIT;
    bt_sockaddr_repr(&me, &r);
    cr_expect_str_eq(r.data, line);
    bt_buf_fini(&r);
    bt_socket_close(conn);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
}

Test(interop, cpython_client_our_server_tcp)
{
    int before = open_fds();
    int port;
    bt_socket *l = listener(&port);
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    char *args[] = {ps, NULL};
    serve_cpython_client(l, args);
    bt_socket_close(l);
    cr_expect_eq(open_fds(), before);
}

Test(interop, cpython_client_our_server_unix)
{
    char dir[] = "/tmp/bt_sock_XXXXXX";
    cr_assert_not_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/c.sock", dir);
    bt_socket *l;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_new(&l, AF_UNIX, SOCK_STREAM, 0, &err), 0);
    cr_assert_eq(bt_socket_bind(l, path, 0, &err), 0);
    cr_assert_eq(bt_socket_listen(l, 5, &err), 0);
    char *args[] = {path, "unix", NULL};
    serve_cpython_client(l, args);
    bt_socket_close(l);
    unlink(path);
    rmdir(dir);
}

/* UDP both ways: a CPython echo server answering n + 1, and a CPython
 * client we answer with n + 2. */
static const char *PY_UDP =
    "import socket, struct, sys, signal\n"
    "signal.alarm(15)\n"
    "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
    "s.bind(('127.0.0.1', 0))\n"
    "print(s.getsockname()[1], flush=True)\n"
    "for i in range(3):\n"
    "    d, addr = s.recvfrom(100)\n"
    "    s.sendto(struct.pack('!I', struct.unpack('!I', d)[0] + 1), addr)\n"
    "s.settimeout(10)\n"
    "s.sendto(struct.pack('!I', 500), ('127.0.0.1', "
    "int(sys.stdin.readline())))\n"
    "d, addr = s.recvfrom(100)\n"
    "assert struct.unpack('!I', d)[0] == 502, d\n"
    "print('ok', flush=True)\n";

Test(interop, udp_both_ways)
{
    int out, in; /* the script reads our port on its stdin */
    pid_t pid = spawn_python(PY_UDP, NULL, &out, &in);
    char line[64];
    read_line_fd(out, line, sizeof line);
    int py_port = atoi(line);
    bt_socket *s;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_new(&s, AF_INET, SOCK_DGRAM, 0, &err), 0);
    cr_assert_eq(bt_socket_bind(s, "127.0.0.1", 0, &err), 0);
    bt_socket_settimeout(s, 10.0, NULL);
    bt_struct *st = fmt_I();
    for (uint32_t v = 10; v < 13; v++) {
        char buf[4];
        bt_struct_item it = bt_struct_uint(v);
        bt_struct_pack(st, &it, 1, buf, 4, NULL);
        cr_assert_eq(bt_socket_sendto(s, buf, 4, 0, "127.0.0.1", py_port, &err),
                     4);
        bt_sockaddr from;
        cr_assert_eq(bt_socket_recvfrom_into(s, buf, 4, 0, &from, &err), 4,
                     "%s", err.msg);
        cr_expect_eq(from.port, py_port);
        bt_struct_unpack(st, buf, 4, &it, 1, NULL);
        cr_expect_eq(it.v.u, v + 1);
    }
    bt_sockaddr me;
    bt_socket_getsockname(s, &me, NULL);
    char ps[16];
    int n = snprintf(ps, sizeof ps, "%d\n", me.port);
    cr_assert_eq(write(in, ps, (size_t)n), n);
    close(in);
    char buf[4];
    bt_sockaddr from;
    cr_assert_eq(bt_socket_recvfrom_into(s, buf, 4, 0, &from, &err), 4);
    bt_struct_item it;
    bt_struct_unpack(st, buf, 4, &it, 1, NULL);
    it = bt_struct_uint(it.v.u + 2);
    bt_struct_pack(st, &it, 1, buf, 4, NULL);
    cr_assert_eq(bt_socket_sendto_addr(s, buf, 4, 0, &from, &err), 4);
    read_line_fd(out, line, sizeof line);
    cr_expect_str_eq(line, "ok");
    bt_struct_free(st);
    bt_socket_close(s);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
}

/* The notes' line protocol: the server greets with a line, the client
 * answers "Bye bye\n"; CPython reads our lines with makefile().readline
 * and we read its lines with ours. */
static const char *PY_LINES = "import socket, sys, signal\n"
                              "signal.alarm(15)\n"
                              "s = socket.create_server(('127.0.0.1', 0))\n"
                              "print(s.getsockname()[1], flush=True)\n"
                              "c, addr = s.accept()\n"
                              "f = c.makefile('rwb')\n"
                              "f.write(b'Welcome to the server!\\nsecond "
                              "line\\n' + b'x' * 10000 + b'\\n'); f.flush()\n"
                              "line = f.readline()\n"
                              "assert line == b'Bye bye\\n', line\n"
                              "line = f.readline(5)\n"
                              "assert line == b'abcde', line\n"
                              "print('ok', flush=True)\n"
                              "f.close(); c.close()\n";

Test(interop, readline_protocol)
{
    int out;
    pid_t pid = spawn_python(PY_LINES, NULL, &out, NULL);
    char line[64];
    read_line_fd(out, line, sizeof line);
    bt_socket *c;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_create_connection(&c, "127.0.0.1", atoi(line), 10.0,
                                             NULL, 0, &err),
                 0, "%s", err.msg);
    bt_socket_file *f;
    cr_assert_eq(bt_socket_makefile(&f, c, "rw", -1, &err), 0);
    bt_buf b = BT_BUF_INIT;
    cr_assert_eq(bt_socket_file_readline(f, &b, -1, &err), 23);
    cr_expect_str_eq(b.data, "Welcome to the server!\n");
    bt_buf_clear(&b);
    cr_assert_eq(bt_socket_file_readline(f, &b, -1, &err), 12);
    bt_buf_clear(&b);
    cr_assert_eq(bt_socket_file_readline(f, &b, -1, &err), 10001);
    cr_assert_eq(bt_socket_file_write(f, "Bye bye\n", 8, &err), 8);
    cr_assert_eq(bt_socket_file_write(f, "abcdefgh\n", 9, &err), 9);
    cr_assert_eq(bt_socket_file_flush(f, &err), 0);
    read_line_fd(out, line, sizeof line);
    cr_expect_str_eq(line, "ok");
    bt_buf_clear(&b);
    cr_expect_eq(bt_socket_file_readline(f, &b, -1, &err), 0);
    bt_buf_fini(&b);
    bt_socket_file_close(f, NULL);
    bt_socket_close(c);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
}

/* Timeouts on both sides: a CPython server that never answers makes our
 * recv time out; a CPython client with settimeout(0.2) against our silent
 * server reports socket.timeout's "timed out". */
static const char *PY_SILENT_SERVER =
    "import socket, signal, sys\n"
    "signal.alarm(15)\n"
    "s = socket.create_server(('127.0.0.1', 0))\n"
    "print(s.getsockname()[1], flush=True)\n"
    "c, addr = s.accept()\n"
    "sys.stdin.read()\n";

static const char *PY_TIMEOUT_CLIENT =
    "import socket, signal, sys\n"
    "signal.alarm(15)\n"
    "s = socket.create_connection(('127.0.0.1', int(sys.argv[1])), "
    "timeout=0.2)\n"
    "try:\n"
    "    s.recv(1)\n"
    "except TimeoutError as e:\n"
    "    print(type(e).__name__, e, flush=True)\n";

Test(interop, timeouts_both_sides)
{
    int out, in; /* the server waits for its stdin to end */
    pid_t pid = spawn_python(PY_SILENT_SERVER, NULL, &out, &in);
    char line[128];
    read_line_fd(out, line, sizeof line);
    bt_socket *c;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_create_connection(&c, "127.0.0.1", atoi(line), 0.2,
                                             NULL, 0, &err),
                 0, "%s", err.msg);
    char ch;
    cr_expect_eq(bt_socket_recv_into(c, &ch, 1, 0, &err), -ETIMEDOUT);
    cr_expect_str_eq(err.msg, "timed out");
    cr_expect_str_eq(bt_errname(err.code), "TimeoutError");
    char ours[BT_ERR_MSG_SIZE + 64];
    snprintf(ours, sizeof ours, "%s %s", bt_errname(err.code), err.msg);
    close(in); /* lets the script end */
    bt_socket_close(c);
    close(out);
    cr_expect_eq(wait_python(pid), 0);

    int port;
    bt_socket *l = listener(&port);
    char ps[16];
    snprintf(ps, sizeof ps, "%d", port);
    char *args[] = {ps, NULL};
    pid = spawn_python(PY_TIMEOUT_CLIENT, args, &out, NULL);
    bt_socket *conn;
    bt_socket_settimeout(l, 10.0, NULL);
    cr_assert_eq(bt_socket_accept(l, &conn, NULL, &err), 0);
    read_line_fd(out, line, sizeof line);
    /* What CPython printed is what we reported for the same event. */
    cr_expect_str_eq(line, ours);
    bt_socket_close(conn);
    bt_socket_close(l);
    close(out);
    cr_expect_eq(wait_python(pid), 0);
}
