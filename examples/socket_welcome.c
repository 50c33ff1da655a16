/*
 * socket_welcome — the notes' server/client pair, in one program: the
 * server runs in a thread on 127.0.0.1 and an ephemeral port (the notes use
 * 1234), the client in main.
 *
 *   # server                                   # client
 *   s = socket.socket(AF_INET, SOCK_STREAM)    s = socket.socket(AF_INET,
 * SOCK_STREAM) s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
 * s.connect(('localhost', 1234)) s.bind(('localhost', 1234)) print(s.recv(100))
 *   s.listen(5)                                s.send(b'Bye bye\n')
 *   client_s, client_addr = s.accept()         s.close()
 *   print('Connected from', client_addr)
 *   client_s.send(b'Welcome to the server!\n')
 *   print(client_s.recv(100))
 *   client_s.close(); s.close()
 */
#include <stdio.h>

#include <batteries/socket.h>
#include <batteries/threading.h>

static int fail(const char *what, const bt_err *err)
{
    fprintf(stderr, "%s: %s: %s\n", what, bt_errname(err->code), err->msg);
    return 1;
}

static int server(void *arg, bt_err *err)
{
    bt_socket *s = arg, *client_s;
    bt_sockaddr client_addr;
    int rc = bt_socket_accept(s, &client_s, &client_addr, err);
    if (rc < 0)
        return rc;
    bt_buf addr = BT_BUF_INIT;
    bt_sockaddr_repr(&client_addr, &addr);
    printf("[server] Connected from %s\n", addr.data);
    bt_buf_fini(&addr);
    const char *welcome = "Welcome to the server!\n";
    /* send() may send less than asked; sendall does not (as the notes say). */
    rc = bt_socket_sendall(client_s, welcome, 23, 0, err);
    bt_buf got = BT_BUF_INIT;
    if (rc >= 0 && (rc = (int)bt_socket_recv(client_s, &got, 100, 0, err)) >= 0)
        printf("[server] received %.*s", (int)got.len, got.data);
    bt_buf_fini(&got);
    bt_socket_close(client_s);
    return rc < 0 ? rc : 0;
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_socket *s;
    if (bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, &err) < 0)
        return fail("socket", &err);
    bt_socket_setsockopt(s, SOL_SOCKET, SO_REUSEADDR, 1, NULL);
    if (bt_socket_bind(s, "localhost", 0, &err) < 0 ||
        bt_socket_listen(s, 5, &err) < 0)
        return fail("bind", &err);
    bt_sockaddr me;
    bt_socket_getsockname(s, &me, NULL);
    printf("[server] listening on port %d\n", me.port);

    bt_thread *t;
    if (bt_thread_new(&t, server, s, "server") < 0 ||
        bt_thread_start(t, &err) < 0)
        return fail("thread", &err);

    bt_socket *c;
    if (bt_socket_new(&c, AF_INET, SOCK_STREAM, 0, &err) < 0 ||
        bt_socket_connect(c, "localhost", me.port, &err) < 0)
        return fail("connect", &err);
    bt_buf got = BT_BUF_INIT;
    if (bt_socket_recv(c, &got, 100, 0, &err) < 0)
        return fail("recv", &err);
    printf("[client] received %.*s", (int)got.len, got.data);
    bt_buf_fini(&got);
    if (bt_socket_sendall(c, "Bye bye\n", 8, 0, &err) < 0)
        return fail("send", &err);
    bt_socket_close(c);

    bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
    int rc = bt_thread_exitcode(t, NULL);
    bt_thread_free(t);
    bt_socket_close(s);
    return rc == 0 ? 0 : 1;
}
