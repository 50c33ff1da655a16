/*
 * threading_total — the notes' threaded "total" server: one thread per
 * client reads a number, adds it to a shared total under a lock, and the
 * main thread joins every other thread (threading.enumerate) before it
 * prints the total. Clients talk over socketpairs here, so the
 * lock-protected sum is the whole point; examples/socket_total.c is the same
 * server over real TCP sockets.
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
 *   for t in threading.enumerate():
 *       if t is not threading.current_thread():
 *           t.join()
 *   print(client_manager.total)
 *
 * Usage: threading_total [number...]   (two clients sending 17 and 25 by
 * default; every client also adds 1 a thousand times, to make the lock
 * earn its keep).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <batteries/threading.h>

static long total;
static bt_lock *total_lock;

static int client_manager(void *arg, bt_err *err)
{
    int s = (int)(intptr_t)arg;
    char buf[11];
    ssize_t n = recv(s, buf, 10, 0); /* s.recv(10) */
    close(s);
    if (n <= 0)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "invalid literal for int() with base 10: b''");
    buf[n] = '\0';
    char *end;
    long v = strtol(buf, &end, 10);
    if (end == buf)
        return bt_err_setf(err, BT_EVALUE, -1,
                           "invalid literal for int() with base 10: b'%s'",
                           buf);
    bt_lock_acquire(total_lock, true, BT_TIMEOUT_NONE, NULL);
    total += v;
    bt_lock_release(total_lock, NULL);
    for (int i = 0; i < 1000; i++) {
        bt_lock_acquire(total_lock, true, BT_TIMEOUT_NONE, NULL);
        total += 1;
        bt_lock_release(total_lock, NULL);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *defaults[] = {"17", "25"};
    const char **numbers = argc > 1 ? (const char **)argv + 1 : defaults;
    int clients = argc > 1 ? argc - 1 : 2;
    if (bt_lock_new(&total_lock) < 0)
        return 1;
    long expected = 0;
    for (int i = 0; i < clients; i++) {
        int sv[2]; /* sv[0]: the server's end ("accepted"), sv[1]: the client's
                    */
        if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
            perror("socketpair");
            return 1;
        }
        bt_thread *t;
        bt_err err = BT_ERR_INIT;
        if (bt_thread_new(&t, client_manager, (void *)(intptr_t)sv[0],
                          "client_manager") < 0 ||
            bt_thread_start(t, &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
        printf("client %d sends %s to %s\n", i, numbers[i], bt_thread_name(t));
        bt_thread_free(t);
        if (write(sv[1], numbers[i], strlen(numbers[i])) < 0)
            perror("write");
        close(sv[1]);
        expected += strtol(numbers[i], NULL, 10) + 1000;
    }

    /* for t in threading.enumerate(): if t is not current_thread(): t.join() */
    bt_thread **threads;
    size_t n;
    if (bt_threading_enumerate(&threads, &n) < 0)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (threads[i] != bt_threading_current_thread())
            bt_thread_join(threads[i], BT_TIMEOUT_NONE, NULL);
    bt_threading_enumerate_free(threads, n);

    printf("total = %ld (the clients' numbers, plus 1000 each)\n", total);
    bt_lock_free(total_lock);
    return total == expected ? 0 : 1;
}
