/* proc.c — facts about the process and the machine: ids, CPUs, random
 * bytes, system() and wait statuses. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef HAVE_GETRANDOM
#include <sys/random.h>
#endif

#include "os_int.h"

int bt_os_getpid(void)
{
    return (int)getpid();
}

int bt_os_getppid(void)
{
    return (int)getppid();
}

int bt_os_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n >= 1 && n <= INT32_MAX ? (int)n : 0;
}

/* Python's fallback before getrandom existed: read /dev/urandom. */
static int urandom_file(unsigned char *p, size_t n, bt_err *err)
{
    int fd;
    BT__RETRY(fd, open("/dev/urandom", O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return bt__os_fail(err, "/dev/urandom", NULL);
    while (n > 0) {
        ssize_t k;
        BT__RETRY(k, read(fd, p, n));
        if (k <= 0) {
            int rc = k < 0 ? bt__os_fail(err, NULL, NULL)
                           : bt_err_oserror(err, BT_EIO, NULL, NULL);
            close(fd);
            return rc;
        }
        p += k;
        n -= (size_t)k;
    }
    close(fd);
    return 0;
}

int bt_os_urandom(void *buf, size_t n, bt_err *err)
{
    unsigned char *p = buf;
#ifdef HAVE_GETRANDOM
    while (n > 0) {
        ssize_t k = getrandom(p, n, 0);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            if (errno == ENOSYS)
                return urandom_file(p, n, err);
            return bt__os_fail(err, NULL, NULL);
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
#else
    return urandom_file(p, n, err);
#endif
}

int bt_os_system(const char *command)
{
    assert(command); /* system(NULL) asks something else */
    return system(command);
}

int bt_os_waitstatus_to_exitcode(int status, bt_err *err)
{
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    if (WIFSIGNALED(status))
        return -WTERMSIG(status);
    if (WIFSTOPPED(status))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "process stopped by delivery of signal %i",
                           WSTOPSIG(status));
    return bt_err_setf(err, BT_EVALUE, -1, "invalid wait status: %i", status);
}
