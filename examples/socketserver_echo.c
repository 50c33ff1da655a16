/*
 * socketserver_echo — socketserver.ThreadingTCPServer with a
 * StreamRequestHandler-style handler (readline from rfile, write to wfile):
 * serve_forever in a thread, a few clients, then shutdown() and
 * server_close().
 *
 *   class Handler(socketserver.StreamRequestHandler):
 *       def handle(self):
 *           self.wfile.write(self.rfile.readline().upper())
 *   with socketserver.ThreadingTCPServer(('127.0.0.1', 0), Handler) as srv:
 *       threading.Thread(target=srv.serve_forever).start()
 *       ...
 *       srv.shutdown()
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <batteries/socket.h>
#include <batteries/threading.h>

static int handle(bt_socketserver_request *req, void *ctx, bt_err *err)
{
    (void)ctx;
    bt_socket_file *f;
    int rc = bt_socket_makefile(&f, req->sock, "rw", -1, err);
    if (rc < 0)
        return rc;
    bt_buf line = BT_BUF_INIT;
    ptrdiff_t n = bt_socket_file_readline(f, &line, 1024, err);
    for (size_t i = 0; n > 0 && i < line.len; i++)
        line.data[i] = (char)toupper((unsigned char)line.data[i]);
    if (n > 0)
        bt_socket_file_write(f, line.data, line.len, err);
    bt_buf_fini(&line);
    rc = bt_socket_file_close(f, err);
    return n < 0 ? (int)n : rc;
}

static int serve(void *arg, bt_err *err)
{
    return bt_socketserver_serve_forever(arg, 0.5, err);
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_socketserver *srv;
    bt_socketserver_options opt = {.threading = true};
    if (bt_socketserver_tcp_new(&srv, "127.0.0.1", 0, handle, NULL, &opt,
                                &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_sockaddr a;
    bt_socketserver_server_address(srv, &a, NULL);
    bt_thread *loop;
    if (bt_thread_new(&loop, serve, srv, "serve_forever") < 0 ||
        bt_thread_start(loop, &err) < 0)
        return 1;
    const char *words[] = {"hello\n", "socketserver\n", "bye bye\n"};
    int ok = 0;
    for (int i = 0; i < 3; i++) {
        bt_socket *s;
        if (bt_socket_create_connection(&s, "127.0.0.1", a.port, 5.0, NULL, 0,
                                        &err) < 0)
            break;
        bt_socket_sendall(s, words[i], strlen(words[i]), 0, &err);
        bt_buf got = BT_BUF_INIT;
        while (bt_socket_recv(s, &got, 256, 0, &err) > 0) {
        }
        printf("sent %-14.*s got %s", (int)strlen(words[i]) - 1, words[i],
               got.data ? got.data : "(nothing)\n");
        ok += got.len == strlen(words[i]);
        bt_buf_fini(&got);
        bt_socket_close(s);
    }
    bt_socketserver_shutdown(srv);
    bt_thread_join(loop, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(loop);
    bt_socketserver_free(srv);
    printf("server shut down\n");
    return ok == 3 ? 0 : 1;
}
