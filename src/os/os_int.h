/* os_int.h — helpers shared by the os module's sources. */
#ifndef BATTERIES_OS_INT_H
#define BATTERIES_OS_INT_H

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <batteries/os.h>

#include "core_int.h"

/* A negative dir_fd means "the current directory". */
static inline int bt__os_dirfd(int dir_fd)
{
    return dir_fd < 0 ? AT_FDCWD : dir_fd;
}

/* The failure of the last system call: -errno and Python's message naming
 * the file(s) (either may be NULL). */
static inline int bt__os_fail(bt_err *err, const char *p1, const char *p2)
{
    return bt_err_oserror(err, -errno, p1, p2);
}

/* BT_ENOMEM with MemoryError's empty message. */
int bt__os_nomem(bt_err *err);

/* An OSError about a descriptor: Python names it by number, unquoted
 * ("[Errno 20] Not a directory: 3"). */
int bt__os_fail_fd(bt_err *err, int code, int fd);

/* Python's _Py_dup + fdopendir for a listing of a descriptor: a private
 * close-on-exec copy of fd that must be a directory. Returns the copy, or
 * -errno ("[Errno 9] Bad file descriptor", "[Errno 20] Not a directory:
 * 3"). */
int bt__os_dup_dirfd(int fd, bt_err *err);

/* Whether a name is "." or "..", which listings skip. */
static inline bool bt__os_is_dot(const char *n)
{
    return n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2]));
}

/* Python's stat_result from a struct stat. */
void bt__os_fill_stat(const struct stat *st, bt_os_stat_result *out);

/*
 * A directory being read: entries come from getdents64 (dirread_linux.c)
 * or readdir (dirread_posix.c). The reader owns fd and closes it.
 */
typedef struct bt__os_dir {
    int fd;
    void *impl; /* private to the implementation */
    char *buf;
    bool own_buf;
    size_t pos, end;
} bt__os_dir;

/* The size of a reader's buffer (a caller may lend one of this size). */
#define BT__OS_DIRBUF (32 * 1024)

/* One raw entry; name is NUL-terminated and valid until the next read. */
typedef struct bt__os_dirent {
    const char *name;
    size_t len;
    uint64_t ino;
    unsigned char type; /* DT_* */
} bt__os_dirent;

/* Starts reading the directory open on fd (taking it over; closed even on
 * failure), into buf (BT__OS_DIRBUF bytes the caller lends for the reader's
 * life) or, when buf is NULL, a buffer of its own. Returns 0, BT_ENOMEM or
 * -errno (errno also set). */
int bt__os_dir_open(bt__os_dir *d, int fd, char *buf);

/* The next entry, "." and ".." skipped: 1, 0 at the end, or -errno (errno
 * also set). */
int bt__os_dir_read(bt__os_dir *d, bt__os_dirent *e);

/* Rewinds the directory offset to its start (for descriptors the caller
 * shares: Python's rewinddir). */
void bt__os_dir_rewind(bt__os_dir *d);

/* Releases the reader and closes its descriptor. */
void bt__os_dir_close(bt__os_dir *d);

/*
 * Python's DirEntry logic for an entry of the directory open on dir_fd,
 * with the entry's caches: *cached has BT__OS_HAVE_LST when *lst holds its
 * lstat, BT__OS_HAVE_ST when *st holds its stat (failures are not cached).
 * A stat is made only when the type readdir gave does not answer.
 *  entry_stat:      entry.stat(follow_symlinks): 0 and *res, or -errno;
 *  entry_is_symlink: entry.is_symlink(): 1/0, or -errno;
 *  entry_test_mode: entry.is_dir/is_file (mode_bits S_IFDIR/S_IFREG): 1/0,
 *                   0 for a file that is gone (ENOENT), or -errno.
 */
enum { BT__OS_HAVE_LST = 1, BT__OS_HAVE_ST = 2 };
typedef struct bt__os_ecache {
    unsigned char cached;
    bt_os_stat_result *lst, *st;
} bt__os_ecache;
int bt__os_entry_stat(int dir_fd, const char *name, unsigned char type,
                      bool follow, bt__os_ecache *c,
                      const bt_os_stat_result **res);
int bt__os_entry_is_symlink(int dir_fd, const char *name, unsigned char type,
                            bt__os_ecache *c);
int bt__os_entry_test_mode(int dir_fd, const char *name, unsigned char type,
                           bool follow, unsigned mode_bits, bt__os_ecache *c);

/* os.path.join(a, b) for one name, appended to out. */
int bt__os_join(bt_buf *out, const char *a, size_t alen, const char *b,
                size_t blen);

/* os.path.split: head (without trailing slashes unless all slashes) and
 * tail, as lengths into p. */
void bt__os_split(const char *p, size_t n, size_t *head_len, size_t *tail_off);

#endif
