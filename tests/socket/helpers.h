/* helpers.h — shared by the socket tests: open-descriptor counting, a
 * loopback listener, and running CPython beside a test. */
#ifndef BT_SOCKET_TEST_HELPERS_H
#define BT_SOCKET_TEST_HELPERS_H

#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <batteries/socket.h>

extern char **environ;

/* The number of open descriptors (the /proc/self/fd listing's own one
 * excluded). */
static inline int open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    cr_assert_not_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1;
}

/* A listening TCP socket on 127.0.0.1 and an ephemeral port. */
static inline bt_socket *listener(int *port)
{
    bt_socket *s;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_create_server(&s, "127.0.0.1", 0, AF_INET, -1, false,
                                         false, &err),
                 0, "%s", err.msg);
    bt_sockaddr a;
    cr_assert_eq(bt_socket_getsockname(s, &a, NULL), 0);
    *port = a.port;
    return s;
}

/* A connected TCP pair over loopback: *client and *server. */
static inline void tcp_pair(bt_socket **client, bt_socket **server)
{
    int port;
    bt_socket *l = listener(&port);
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(bt_socket_create_connection(client, "127.0.0.1", port, 5.0,
                                             NULL, 0, &err),
                 0, "%s", err.msg);
    cr_assert_eq(bt_socket_accept(l, server, NULL, &err), 0, "%s", err.msg);
    bt_socket_close(l);
}

/* python3 -c script args..., its stdout on a pipe (*out_fd) and, when
 * in_fd is not NULL, its stdin on another (*in_fd, for the test to write).
 * The script should bound itself (signal.alarm) so a broken test cannot
 * hang. */
static inline pid_t spawn_python(const char *script, char *const args[],
                                 int *out_fd, int *in_fd)
{
    int p[2], q[2] = {-1, -1};
    cr_assert_eq(pipe2(p, O_CLOEXEC), 0);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[1], 1);
    if (in_fd) {
        cr_assert_eq(pipe2(q, O_CLOEXEC), 0);
        posix_spawn_file_actions_adddup2(&fa, q[0], 0);
    }
    char *argv[16] = {"python3", "-c", (char *)script};
    int k = 3;
    for (int i = 0; args && args[i] && k < 15; i++)
        argv[k++] = args[i];
    argv[k] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, "python3", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(p[1]);
    if (in_fd) {
        close(q[0]);
        *in_fd = q[1];
    }
    cr_assert_eq(rc, 0, "posix_spawnp python3: %s", strerror(rc));
    *out_fd = p[0];
    return pid;
}

/* Reads one line from fd (up to cap-1 bytes), within a few seconds. */
static inline void read_line_fd(int fd, char *buf, size_t cap)
{
    size_t n = 0;
    time_t start = time(NULL);
    while (n + 1 < cap) {
        char c;
        ssize_t r = read(fd, &c, 1);
        if (r < 0 && errno == EINTR)
            continue;
        cr_assert_gt(r, 0, "python3 ended before writing a line");
        if (c == '\n')
            break;
        buf[n++] = c;
        cr_assert_lt(time(NULL) - start, 20);
    }
    buf[n] = '\0';
}

/* Waits for the child; returns its exit status (kills it after 20 s). */
static inline int wait_python(pid_t pid)
{
    int status = 0;
    for (int i = 0; i < 2000; i++) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    return 255;
}

#endif
