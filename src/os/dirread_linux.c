/*
 * dirread_linux.c — directory entries straight from getdents64 into one
 * buffer per reader: no DIR, no fstat, no per-entry copy. Chosen by the
 * build when libc has getdents64 (HAVE_GETDENTS64).
 */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "os_int.h"

/* BT__OS_DIRBUF holds a few hundred names per call; small directories take
 * one call plus the one that says "end". */
enum { DIRBUF = BT__OS_DIRBUF };

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

int bt__os_dir_open(bt__os_dir *d, int fd, char *buf)
{
    d->fd = fd;
    d->impl = NULL;
    d->pos = d->end = 0;
    d->own_buf = !buf;
    d->buf = buf ? buf : bt_malloc(DIRBUF);
    if (!d->buf) {
        close(fd);
        d->fd = -1;
        errno = ENOMEM;
        return BT_ENOMEM;
    }
    return 0;
}

int bt__os_dir_read(bt__os_dir *d, bt__os_dirent *e)
{
    for (;;) {
        if (d->pos >= d->end) {
            ssize_t n;
            BT__RETRY(n, getdents64(d->fd, d->buf, DIRBUF));
            if (n < 0)
                return -errno;
            if (n == 0)
                return 0;
            d->pos = 0;
            d->end = (size_t)n;
        }
        const struct linux_dirent64 *de = (const void *)(d->buf + d->pos);
        d->pos += de->d_reclen;
        const char *n = de->d_name;
        if (bt__os_is_dot(n))
            continue;
        e->name = n;
        e->len = strlen(n);
        e->ino = de->d_ino;
        e->type = de->d_type;
        return 1;
    }
}

void bt__os_dir_rewind(bt__os_dir *d)
{
    lseek(d->fd, 0, SEEK_SET);
    d->pos = d->end = 0;
}

void bt__os_dir_close(bt__os_dir *d)
{
    if (d->fd >= 0)
        close(d->fd);
    d->fd = -1;
    if (d->own_buf)
        bt_free(d->buf);
    d->buf = NULL;
}
