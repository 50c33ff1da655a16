/*
 * dirread_posix.c — directory entries through fdopendir/readdir, for a libc
 * without getdents64.
 */
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "os_int.h"

int bt__os_dir_open(bt__os_dir *d, int fd, char *buf)
{
    (void)buf;
    d->fd = fd;
    d->buf = NULL;
    d->own_buf = false;
    d->pos = d->end = 0;
    d->impl = fdopendir(fd);
    if (!d->impl) {
        int e = errno;
        close(fd);
        d->fd = -1;
        errno = e;
        return -e;
    }
    return 0;
}

int bt__os_dir_read(bt__os_dir *d, bt__os_dirent *e)
{
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d->impl);
        if (!de)
            return errno ? -errno : 0;
        const char *n = de->d_name;
        if (bt__os_is_dot(n))
            continue;
        e->name = n;
        e->len = strlen(n);
        e->ino = de->d_ino;
#ifdef _DIRENT_HAVE_D_TYPE
        e->type = de->d_type;
#else
        e->type = DT_UNKNOWN;
#endif
        return 1;
    }
}

void bt__os_dir_rewind(bt__os_dir *d)
{
    rewinddir(d->impl);
}

void bt__os_dir_close(bt__os_dir *d)
{
    if (d->impl)
        closedir(d->impl);
    d->impl = NULL;
    d->fd = -1;
}
