/*
 * socket_total — the notes' threaded "total" server over real sockets:
 * the main thread accepts two clients, starts a client_manager thread for
 * each, then joins every other thread (threading.enumerate) and prints the
 * total the managers added under a lock. The clients are threads too,
 * connecting over loopback (the notes use port 1234; this takes any free
 * one).
 *
 *   class client_manager(threading.Thread):
 *       total = 0
 *       total_lock = threading.Lock()
 *       def run(self):
 *           v = int(self.s.recv(10))
 *           client_manager.total_lock.acquire()
 *           client_manager.total += v
 *           client_manager.total_lock.release()
 *           self.s.close()
 *
 *   main_s.bind(('', 1234)); main_s.listen(5)
 *   for x in range(2):
 *       s, client = main_s.accept()
 *       client_manager(s).start()
 *   main_s.close()
 *   for t in threading.enumerate():
 *       if t is not threading.current_thread(): t.join()
 *   print(client_manager.total)
 *
 * Usage: socket_total [number...]   (17 and 25 by default)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/socket.h>
#include <batteries/threading.h>

static long total;
static bt_lock *total_lock;
static int port;

static int client_manager(void *arg, bt_err *err)
{
    bt_socket *s = arg;
    bt_buf got = BT_BUF_INIT;
    ptrdiff_t n = bt_socket_recv(s, &got, 10, 0, err); /* s.recv(10) */
    bt_socket_close(s);
    if (n < 0) {
        bt_buf_fini(&got);
        return (int)n;
    }
    char *end;
    long v = strtol(got.data ? got.data : "", &end, 10);
    if (n == 0 || *end != '\0') {
        int rc = bt_err_setf(err, BT_EVALUE, -1,
                             "invalid literal for int() with base 10: b'%s'",
                             got.data ? got.data : "");
        bt_buf_fini(&got);
        return rc;
    }
    bt_buf_fini(&got);
    bt_lock_acquire(total_lock, true, BT_TIMEOUT_NONE, NULL);
    total += v;
    bt_lock_release(total_lock, NULL);
    return 0;
}

/* A client: connect, send the number, close. */
static int client(void *arg, bt_err *err)
{
    const char *number = arg;
    bt_socket *s;
    int rc =
        bt_socket_create_connection(&s, "127.0.0.1", port, 5.0, NULL, 0, err);
    if (rc < 0)
        return rc;
    rc = bt_socket_sendall(s, number, strlen(number), 0, err);
    bt_socket_close(s);
    return rc;
}

int main(int argc, char **argv)
{
    const char *defaults[] = {"17", "25"};
    const char **numbers = argc > 1 ? (const char **)argv + 1 : defaults;
    int clients = argc > 1 ? argc - 1 : 2;
    bt_err err = BT_ERR_INIT;
    if (bt_lock_new(&total_lock) < 0)
        return 1;
    bt_socket *main_s;
    if (bt_socket_new(&main_s, AF_INET, SOCK_STREAM, 0, &err) < 0 ||
        bt_socket_bind(main_s, "", 0, &err) < 0 ||
        bt_socket_listen(main_s, 5, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    bt_sockaddr a;
    bt_socket_getsockname(main_s, &a, NULL);
    port = a.port;

    long expected = 0;
    for (int x = 0; x < clients; x++) {
        bt_thread *c;
        if (bt_thread_new(&c, client, (void *)numbers[x], "client") < 0 ||
            bt_thread_start(c, &err) < 0)
            return 1;
        bt_thread_free(c); /* joined below through enumerate() */
        expected += strtol(numbers[x], NULL, 10);
    }
    for (int x = 0; x < clients; x++) {
        bt_socket *s;
        bt_sockaddr who;
        if (bt_socket_accept(main_s, &s, &who, &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
        printf("accepted a client from %s:%d\n", who.host, who.port);
        bt_thread *t;
        if (bt_thread_new(&t, client_manager, s, "client_manager") < 0 ||
            bt_thread_start(t, &err) < 0)
            return 1;
        bt_thread_free(t);
    }
    bt_socket_close(main_s);

    bt_thread **threads;
    size_t n;
    if (bt_threading_enumerate(&threads, &n) < 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (threads[i] != bt_threading_current_thread())
            bt_thread_join(threads[i], BT_TIMEOUT_NONE, NULL);
    bt_threading_enumerate_free(threads, n);

    printf("%ld\n", total);
    bt_lock_free(total_lock);
    return total == expected ? 0 : 1;
}
