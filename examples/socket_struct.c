/*
 * socket_struct — the notes' create_server / create_connection example:
 * numbers travel as struct '!I' (4 bytes, network order), a single byte
 * b'H' and a text message go with sendall, getpeername() tells who is on
 * the other end, and a failed connection prints msg.strerror.
 *
 *   rs = socket.create_server(('0.0.0.0', 1234))
 *   client_socket, addr_client = rs.accept()
 *   try:
 *       s = socket.create_connection(('localhost', 1234))
 *   except socket.error as msg:
 *       print("Error: ", msg.strerror)
 *   s.sendall(struct.pack('!I', my_num))
 *   number = struct.unpack('!I', s.recv(4))[0]
 *   s.getpeername()
 */
#include <stdio.h>
#include <string.h>

#include <batteries/socket.h>
#include <batteries/struct.h>
#include <batteries/threading.h>

static bt_struct *fmt; /* struct.Struct('!I') */

static int server(void *arg, bt_err *err)
{
    bt_socket *rs = arg, *client_socket;
    bt_sockaddr addr_client;
    int rc = bt_socket_accept(rs, &client_socket, &addr_client, err);
    if (rc < 0)
        return rc;
    char buf[4];
    bt_struct_item it;
    /* number = struct.unpack('!I', s.recv(4))[0] (recv_exactly: all 4) */
    if ((rc = bt_socket_recv_exactly(client_socket, buf, 4, err)) >= 0 &&
        bt_struct_unpack(fmt, buf, 4, &it, 1, err) == 1) {
        printf("[server] got %llu, answering H and its square\n",
               (unsigned long long)it.v.u);
        it = bt_struct_uint(it.v.u * it.v.u);
        bt_struct_pack(fmt, &it, 1, buf, 4, err);
        const char *message = "this is a cool message";
        if ((rc = bt_socket_sendall(client_socket, "H", 1, 0, err)) >= 0 &&
            (rc = bt_socket_sendall(client_socket, buf, 4, 0, err)) >= 0)
            rc = bt_socket_sendall(client_socket, message, strlen(message), 0,
                                   err);
    }
    bt_socket_close(client_socket);
    return rc < 0 ? rc : 0;
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    if (bt_struct_new("!I", &fmt, &err) < 0)
        return 1;
    bt_socket *rs;
    if (bt_socket_create_server(&rs, "127.0.0.1", 0, AF_INET, 5, false, false,
                                &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_sockaddr where;
    bt_socket_getsockname(rs, &where, NULL);

    /* A port nobody listens on: the notes' except branch. */
    bt_socket *s;
    bt_socket *closed;
    int port_closed = 0;
    if (bt_socket_create_server(&closed, "127.0.0.1", 0, AF_INET, -1, false,
                                false, NULL) == 0) {
        bt_sockaddr a;
        bt_socket_getsockname(closed, &a, NULL);
        port_closed = a.port;
        bt_socket_close(closed);
    }
    if (bt_socket_create_connection(&s, "localhost", port_closed,
                                    BT_SOCKET_DEFAULT_TIMEOUT, NULL, 0,
                                    &err) < 0)
        printf("Error:  %s  (%s: %s)\n", bt_strerror(err.code),
               bt_errname(err.code), err.msg);
    else
        bt_socket_close(s);

    bt_thread *t;
    if (bt_thread_new(&t, server, rs, "server") < 0 ||
        bt_thread_start(t, &err) < 0)
        return 1;
    if (bt_socket_create_connection(&s, "localhost", where.port, 5.0, NULL, 0,
                                    &err) < 0) {
        printf("Error:  %s\n", bt_strerror(err.code));
        return 1;
    }
    bt_sockaddr peer;
    bt_socket_getpeername(s, &peer, NULL);
    bt_buf shown = BT_BUF_INIT;
    bt_sockaddr_repr(&peer, &shown);
    printf("[client] s.getpeername() = %s\n", shown.data);
    bt_buf_fini(&shown);

    uint32_t my_num = 1234;
    char buf[4];
    bt_struct_item it = bt_struct_uint(my_num);
    bt_struct_pack(fmt, &it, 1, buf, 4, NULL);
    bt_socket_sendall(s, buf, 4, 0, &err);
    char answer;
    int ok = bt_socket_recv_exactly(s, &answer, 1, &err) == 0 &&
             answer == 'H' && bt_socket_recv_exactly(s, buf, 4, &err) == 0 &&
             bt_struct_unpack(fmt, buf, 4, &it, 1, NULL) == 1;
    if (ok)
        printf("[client] answer b'%c', number %llu\n", answer,
               (unsigned long long)it.v.u);
    bt_buf rest = BT_BUF_INIT;
    while (bt_socket_recv(s, &rest, 1024, 0, &err) > 0) {
    }
    printf("[client] message: %s\n", rest.data ? rest.data : "");
    bt_buf_fini(&rest);
    bt_socket_close(s);
    bt_thread_join(t, BT_TIMEOUT_NONE, NULL);
    bt_thread_free(t);
    bt_socket_close(rs);
    bt_struct_free(fmt);
    return ok && it.v.u == (uint64_t)my_num * my_num ? 0 : 1;
}
