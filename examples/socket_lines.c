/*
 * socket_lines — the notes' "line-based sockets": a socket has no
 * readline(), so turn it into a file object with makefile and read lines.
 * The server (a thread) greets with lines; the client reads them with
 * readline (one with a length limit) and answers "Bye bye\n".
 *
 *   s.connect(('localhost', 1234))
 *   fs = s.makefile('rw', 0)   # read-write, unbuffered writes
 *   print(fs.readline())
 *   fs.write('Bye bye\n')
 */
#include <stdio.h>
#include <string.h>

#include <batteries/socket.h>
#include <batteries/threading.h>

static int server(void *arg, bt_err *err)
{
    bt_socket *l = arg, *c;
    int rc = bt_socket_accept(l, &c, NULL, err);
    if (rc < 0)
        return rc;
    const char *greeting = "Welcome to the server!\n"
                           "Lines end with a newline, as in a file.\n";
    bt_socket_file *f;
    rc = bt_socket_makefile(&f, c, "rw", -1, err);
    if (rc >= 0) {
        bt_socket_file_write(f, greeting, strlen(greeting), err);
        bt_socket_file_flush(f, err);
        bt_buf line = BT_BUF_INIT;
        if (bt_socket_file_readline(f, &line, -1, err) > 0)
            printf("[server] got %s", line.data);
        bt_buf_fini(&line);
        bt_socket_file_close(f, err);
    }
    bt_socket_close(c);
    return rc < 0 ? rc : 0;
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_socket *l;
    if (bt_socket_create_server(&l, "127.0.0.1", 0, AF_INET, -1, false, false,
                                &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_sockaddr a;
    bt_socket_getsockname(l, &a, NULL);
    bt_thread *t;
    if (bt_thread_new(&t, server, l, "server") < 0 ||
        bt_thread_start(t, &err) < 0)
        return 1;

    bt_socket *s;
    bt_socket_file *fs;
    if (bt_socket_new(&s, AF_INET, SOCK_STREAM, 0, &err) < 0 ||
        bt_socket_connect(s, "localhost", a.port, &err) < 0 ||
        bt_socket_makefile(&fs, s, "rw", 0, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_buf line = BT_BUF_INIT;
    bt_socket_file_readline(fs, &line, -1, &err);
    printf("[client] readline() -> %s", line.data);
    bt_buf_clear(&line);
    bt_socket_file_readline(fs, &line, 10, &err);
    printf("[client] readline(10) -> '%s'\n", line.data);
    bt_buf_clear(&line);
    bt_socket_file_readline(fs, &line, -1, &err);
    printf("[client] readline() -> %s", line.data);
    bt_buf_fini(&line);
    bt_socket_file_write(fs, "Bye bye\n", 8, &err);
    bt_socket_file_close(fs, NULL);
    bt_socket_close(s);

    bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
    int rc = bt_thread_exitcode(t, NULL);
    bt_thread_free(t);
    bt_socket_close(l);
    return rc == 0 ? 0 : 1;
}
