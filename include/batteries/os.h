/*
 * batteries/os.h — Python's os module on Linux, as CPython 3.11 behaves:
 * files and directories, stat, scandir and walk, file descriptors, the
 * environment, and a few process facts.
 *
 *   bt_err err = BT_ERR_INIT;
 *   if (bt_os_makedirs("out/logs", 0777, true, &err) < 0)
 *       fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
 *
 * Conventions (the same for every function here):
 *  - A path is a NUL-terminated string of bytes (what os.fsencode gives for
 *    a str path). Names that are not UTF-8 work; messages show them as
 *    Python shows the str it decodes them to ('\udcff').
 *  - An OS failure returns -errno (BT_ENOENT, ...) and fills err (which may
 *    always be NULL) with str() of the OSError Python raises, naming the
 *    file(s): "[Errno 2] No such file or directory: 'x'", and for two-path
 *    calls "[Errno 2] No such file or directory: 'a' -> 'b'". bt_errname()
 *    gives the exception class (FileNotFoundError, ...).
 *  - Out of memory is BT_ENOMEM (err gets code BT_ENOMEM and an empty
 *    message, as str(MemoryError())).
 *  - Results go into caller-owned objects: text is appended to a bt_buf,
 *    names to a bt_strvec (never cleared first).
 *  - Every system call a signal can interrupt is retried (PEP 475): no
 *    function here returns BT_EINTR. close() is not retried: Linux has
 *    closed the descriptor even when it reports EINTR, which is success.
 *  - Descriptors the library opens are close-on-exec (PEP 446).
 */
#ifndef BATTERIES_OS_H
#define BATTERIES_OS_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* os.F_OK, os.R_OK, os.W_OK, os.X_OK for bt_os_access. */
#define BT_OS_F_OK 0
#define BT_OS_R_OK 4
#define BT_OS_W_OK 2
#define BT_OS_X_OK 1

/* os.SEEK_SET, os.SEEK_CUR, os.SEEK_END for bt_os_lseek. */
#define BT_OS_SEEK_SET 0
#define BT_OS_SEEK_CUR 1
#define BT_OS_SEEK_END 2

/* ------------------------------------------------------------------------ */
/* stat                                                                      */
/* ------------------------------------------------------------------------ */

/*
 * Python's os.stat_result. The floating-point times are st_atime_s,
 * st_mtime_s and st_ctime_s: glibc's <sys/stat.h> defines st_atime (and
 * the others) as macros, so Python's names cannot be used as field names.
 * They hold what Python's st_atime holds (sec + nsec * 1e-9); the _ns fields
 * are the exact nanoseconds, for times between the years 1677 and 2262
 * (beyond, where Python's ints keep counting, they stop at INT64_MIN or
 * INT64_MAX). Test st_mode with S_ISDIR() and friends from <sys/stat.h>.
 */
typedef struct bt_os_stat_result {
    uint32_t st_mode;
    uint64_t st_ino;
    uint64_t st_dev;
    uint64_t st_nlink;
    uint32_t st_uid;
    uint32_t st_gid;
    int64_t st_size;
    double st_atime_s;
    double st_mtime_s;
    double st_ctime_s;
    int64_t st_atime_ns;
    int64_t st_mtime_ns;
    int64_t st_ctime_ns;
    int64_t st_blocks;
    int64_t st_blksize;
    uint64_t st_rdev;
} bt_os_stat_result;

/**
 * Information about a file: stat follows a final symbolic link, lstat
 * does not, fstat asks about an open descriptor, and stat_at looks path up
 * relative to the directory open on dir_fd (a negative dir_fd: the current
 * directory), following a final link or not.
 *
 * Python: os.stat(path), os.lstat(path), os.fstat(fd),
 *   os.stat(path, dir_fd=dir_fd, follow_symlinks=follow_symlinks).
 * Returns: 0 and *out, or -errno ("[Errno 2] No such file or directory:
 *   'x'"; fstat: "[Errno 9] Bad file descriptor").
 * Ownership: path is borrowed; out and err are the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_stat(const char *path, bt_os_stat_result *out, bt_err *err);
BT_API int bt_os_lstat(const char *path, bt_os_stat_result *out, bt_err *err);
BT_API int bt_os_fstat(int fd, bt_os_stat_result *out, bt_err *err);
BT_API int bt_os_stat_at(int dir_fd, const char *path, bool follow_symlinks,
                         bt_os_stat_result *out, bt_err *err);

/* ------------------------------------------------------------------------ */
/* The current directory                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Appends the current working directory to out (any length).
 *
 * Python: os.getcwd(), os.getcwdb().
 * Returns: 0, BT_ENOMEM, or -errno (err: "[Errno 2] No such file or
 *   directory" when the directory was removed; no file name, as Python).
 * Ownership: out and err are the caller's.
 * Thread safety: safe (the working directory is per process).
 */
BT_API int bt_os_getcwd(bt_buf *out, bt_err *err);

/**
 * Changes the current working directory of the process, by path or to the
 * directory open on fd.
 *
 * Python: os.chdir(path), os.fchdir(fd).
 * Returns: 0, or -errno ("[Errno 20] Not a directory: 'f'").
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: changes process-wide state: every thread that uses
 *   relative paths sees the change.
 */
BT_API int bt_os_chdir(const char *path, bt_err *err);
BT_API int bt_os_fchdir(int fd, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Creating, removing and renaming                                           */
/* ------------------------------------------------------------------------ */

/**
 * Creates a directory with permission bits mode (masked by the umask;
 * Python's default is 0777); mkdir_at resolves path relative to dir_fd
 * (negative: the current directory).
 *
 * Python: os.mkdir(path, mode), os.mkdir(path, mode, dir_fd=dir_fd).
 * Returns: 0, or -errno ("[Errno 17] File exists: 'd'", "[Errno 2] No such
 *   file or directory: 'a/b'").
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_mkdir(const char *path, unsigned mode, bt_err *err);
BT_API int bt_os_mkdir_at(int dir_fd, const char *path, unsigned mode,
                          bt_err *err);

/**
 * Creates a directory and every missing parent, as os.makedirs does:
 * parents get mode 0777, the leaf gets mode. With exist_ok, an existing
 * directory is success; anything else in the way (a file, a link to a
 * file) is still an error. "a/b/." creates a/b.
 *
 * Python: os.makedirs(name, mode, exist_ok).
 * Returns: 0, BT_ENOMEM, or -errno: BT_EEXIST ("[Errno 17] File exists:
 *   'a/b'") when the leaf exists and exist_ok is false or it is not a
 *   directory; the error of the mkdir that failed otherwise, naming the
 *   path it tried ("[Errno 20] Not a directory: 'file/x'").
 * Ownership: name is borrowed; err is the caller's.
 * Thread safety: safe; a parent another thread creates at the same time is
 *   not an error (as in Python).
 */
BT_API int bt_os_makedirs(const char *name, unsigned mode, bool exist_ok,
                          bt_err *err);

/**
 * Removes a file (not a directory: that is "[Errno 21] Is a directory");
 * remove and unlink are the same call; unlink_at resolves path relative to
 * dir_fd (negative: the current directory).
 *
 * Python: os.remove(path), os.unlink(path), os.unlink(path, dir_fd=dir_fd).
 * Returns: 0, or -errno ("[Errno 2] No such file or directory: 'x'").
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_remove(const char *path, bt_err *err);
BT_API int bt_os_unlink(const char *path, bt_err *err);
BT_API int bt_os_unlink_at(int dir_fd, const char *path, bt_err *err);

/**
 * Removes an empty directory; rmdir_at resolves path relative to dir_fd
 * (negative: the current directory).
 *
 * Python: os.rmdir(path), os.rmdir(path, dir_fd=dir_fd).
 * Returns: 0, or -errno ("[Errno 39] Directory not empty: 'd'").
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_rmdir(const char *path, bt_err *err);
BT_API int bt_os_rmdir_at(int dir_fd, const char *path, bt_err *err);

/**
 * Removes the directory name, then each parent named in it, right to left,
 * stopping silently at the first that cannot be removed (not empty).
 *
 * Python: os.removedirs(name).
 * Returns: 0, BT_ENOMEM, or -errno when the leaf itself cannot be removed.
 * Ownership: name is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_removedirs(const char *name, bt_err *err);

/**
 * Renames src to dst, replacing dst if it is a file or an empty directory
 * (rename and replace are the same call on POSIX).
 *
 * Python: os.rename(src, dst), os.replace(src, dst).
 * Returns: 0, or -errno naming both ("[Errno 2] No such file or directory:
 *   'a' -> 'b'").
 * Ownership: both paths are borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_rename(const char *src, const char *dst, bt_err *err);
BT_API int bt_os_replace(const char *src, const char *dst, bt_err *err);

/**
 * Renames old to new, creating the directories new needs first, then
 * removing the directories of old that the rename left empty
 * (bt_os_removedirs on its head, errors ignored).
 *
 * Python: os.renames(old, new).
 * Returns: 0, BT_ENOMEM, or -errno from makedirs or rename (the directories
 *   made for new stay when the rename fails, as in Python). BT_ENOMEM may
 *   come after the rename, from the clean-up (Python's MemoryError too).
 * Ownership: both paths are borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_renames(const char *old_path, const char *new_path,
                         bt_err *err);

/**
 * Makes a hard link dst to src (link: a final symbolic link in src is not
 * followed, as Linux's link(2) and Python 3.11's default), or a symbolic
 * link dst holding the text src.
 *
 * Python: os.link(src, dst), os.symlink(src, dst).
 * Returns: 0, or -errno naming both ("[Errno 17] File exists: 'a' -> 'b'").
 * Ownership: both paths are borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_link(const char *src, const char *dst, bt_err *err);
BT_API int bt_os_symlink(const char *src, const char *dst, bt_err *err);

/**
 * Appends the target of the symbolic link path to out (any length).
 *
 * Python: os.readlink(path).
 * Returns: 0, BT_ENOMEM, or -errno ("[Errno 22] Invalid argument: 'f'" when
 *   path is not a link).
 * Ownership: path is borrowed; out and err are the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_readlink(const char *path, bt_buf *out, bt_err *err);

/* ------------------------------------------------------------------------ */
/* Permissions, owners, times, sizes                                         */
/* ------------------------------------------------------------------------ */

/**
 * Changes the permission bits of a file (following links) or of the file
 * open on fd.
 *
 * Python: os.chmod(path, mode), os.fchmod(fd, mode).
 * Returns: 0, or -errno ("[Errno 2] No such file or directory: 'x'"; fchmod
 *   names no file).
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_chmod(const char *path, unsigned mode, bt_err *err);
BT_API int bt_os_fchmod(int fd, unsigned mode, bt_err *err);

/**
 * Changes the owner and group of a file: chown follows links, lchown does
 * not, fchown works on fd. -1 leaves that id unchanged.
 *
 * Python: os.chown(path, uid, gid), os.lchown(path, uid, gid),
 *   os.fchown(fd, uid, gid).
 * Returns: 0, BT_EOVERFLOWERR for an id below -1 or above 2**32 - 1 (err:
 *   "uid is less than minimum" or "gid is less than minimum" for both, as
 *   CPython 3.11 words it on 64-bit Linux), or -errno ("[Errno 1]
 *   Operation not permitted: 'x'"). 2**32 - 1 itself means "unchanged", as
 *   -1 does.
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_chown(const char *path, int64_t uid, int64_t gid, bt_err *err);
BT_API int bt_os_lchown(const char *path, int64_t uid, int64_t gid,
                        bt_err *err);
BT_API int bt_os_fchown(int fd, int64_t uid, int64_t gid, bt_err *err);

/**
 * Sets the access and modification times of a file: times[0] is atime,
 * times[1] mtime, in seconds (bt_os_utime, rounded down to the nanosecond
 * as Python rounds) or nanoseconds (bt_os_utime_ns); NULL sets both to the
 * current time. follow_symlinks false changes a symbolic link itself.
 *
 * Python: os.utime(path, times, follow_symlinks=...),
 *   os.utime(path, ns=ns, follow_symlinks=...), os.utime(path).
 * Returns: 0; BT_EVALUE ("Invalid value NaN (not a number)"),
 *   BT_EOVERFLOWERR ("timestamp out of range for platform time_t"); or
 *   -errno, whose message names no file: CPython 3.11's utime reports
 *   "[Errno 2] No such file or directory" without the file name.
 * Ownership: path and times are borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_utime(const char *path, const double times[2],
                       bool follow_symlinks, bt_err *err);
BT_API int bt_os_utime_ns(const char *path, const int64_t ns[2],
                          bool follow_symlinks, bt_err *err);

/**
 * Whether the real user may access path with mode (BT_OS_F_OK, or an OR
 * of BT_OS_R_OK, BT_OS_W_OK, BT_OS_X_OK). Any failure is false.
 *
 * Python: os.access(path, mode).
 * Returns: true or false.
 * Ownership: path is borrowed.
 * Thread safety: safe.
 */
BT_API bool bt_os_access(const char *path, int mode);

/**
 * Cuts or extends a file to length bytes, by path or open descriptor.
 *
 * Python: os.truncate(path, length), os.ftruncate(fd, length).
 * Returns: 0, or -errno ("[Errno 21] Is a directory: 'd'", "[Errno 22]
 *   Invalid argument: 'f'" for a negative length; ftruncate names no file).
 * Ownership: path is borrowed; err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_truncate(const char *path, int64_t length, bt_err *err);
BT_API int bt_os_ftruncate(int fd, int64_t length, bt_err *err);

/**
 * Sets the process's file mode creation mask.
 *
 * Python: os.umask(mask).
 * Returns: the previous mask.
 * Ownership: nothing to free.
 * Thread safety: changes process-wide state.
 */
BT_API unsigned bt_os_umask(unsigned mask);

/* ------------------------------------------------------------------------ */
/* Listing directories                                                       */
/* ------------------------------------------------------------------------ */

/**
 * Appends the names in a directory to out, in the order the file system
 * gives them, without "." and "..". path NULL lists "."; listdir_fd lists
 * the directory open on fd (its offset is rewound, as Python does).
 *
 * Python: os.listdir(path), os.listdir(), os.listdir(fd).
 * Returns: the number of names appended, BT_ENOMEM, or -errno
 *   ("[Errno 20] Not a directory: 'f'"; for fd: "[Errno 20] Not a
 *   directory: 3"). On failure out is as it was.
 * Ownership: path is borrowed; out and err are the caller's.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_os_listdir(const char *path, bt_strvec *out, bt_err *err);
BT_API ptrdiff_t bt_os_listdir_fd(int fd, bt_strvec *out, bt_err *err);

/* An open scandir listing (Python's ScandirIterator). */
typedef struct bt_os_scandir_iter bt_os_scandir_iter;

/*
 * One entry of a scandir listing (Python's os.DirEntry). name and path are
 * readable (path is scandir's path joined with name; for bt_os_scandir_fd
 * it is the name). The type readdir reported and the stat results the
 * methods fetch are cached in the entry, as Python caches them: is_dir,
 * is_file and is_symlink need no system call when the file system reports
 * the type. The rest is private.
 */
typedef struct bt_os_direntry {
    const char *name;
    size_t name_len;
    const char *path;
    size_t path_len;
    struct {
        uint64_t ino;
        int dir_fd;
        unsigned char d_type;
        unsigned char cached;
        bt_os_stat_result st, lst;
    } priv;
} bt_os_direntry;

/**
 * Opens a directory listing: by path (NULL: ".", whose entries' paths then
 * start with "./"), or by a directory descriptor, which the iterator
 * duplicates (the caller keeps fd; its offset is rewound on close).
 *
 * Python: os.scandir(path), os.scandir(), os.scandir(fd).
 * Returns: 0 and *out, BT_ENOMEM, or -errno ("[Errno 2] No such file or
 *   directory: 'x'"; for fd: "[Errno 9] Bad file descriptor" or
 *   "[Errno 20] Not a directory: 3").
 * Ownership: path is borrowed; *out is the caller's, closed with
 *   bt_os_scandir_close.
 * Thread safety: safe; one iterator must not be used by two threads at once.
 */
BT_API int bt_os_scandir(const char *path, bt_os_scandir_iter **out,
                         bt_err *err);
BT_API int bt_os_scandir_fd(int fd, bt_os_scandir_iter **out, bt_err *err);

/**
 * The next entry of a listing, "." and ".." skipped, in the file system's
 * order.
 *
 * Python: next(iterator).
 * Returns: 1 and *entry, 0 at the end (then *entry is NULL), -errno naming
 *   the directory (a read error; the listing is then over), or BT_ENOMEM
 *   (that one entry is lost; the listing goes on).
 * Ownership: *entry belongs to the iterator and is valid until the next
 *   call or bt_os_scandir_close; copy what must outlive it.
 * Thread safety: not safe on an iterator another thread uses.
 */
BT_API int bt_os_scandir_next(bt_os_scandir_iter *it, bt_os_direntry **entry,
                              bt_err *err);

/**
 * Closes a listing and frees the iterator. Accepts NULL.
 *
 * Python: iterator.close(), leaving a `with os.scandir(...)` block.
 * Returns: nothing.
 * Ownership: it is freed; its entries are no longer valid.
 * Thread safety: not safe on an iterator another thread uses.
 */
BT_API void bt_os_scandir_close(bt_os_scandir_iter *it);

/**
 * Whether the entry is a directory or a regular file, following a symbolic
 * link when follow_symlinks (Python's default is true), and whether it is a
 * symbolic link. A stat is made only when readdir did not say the type, or
 * to follow a link; its result is cached in the entry. A file that has
 * gone since the listing is false, not an error.
 *
 * Python: entry.is_dir(follow_symlinks=...), entry.is_file(...),
 *   entry.is_symlink().
 * Returns: 1 or 0, or -errno for another stat failure (a symbolic link
 *   loop: "[Errno 40] Too many levels of symbolic links: 'd/loop'").
 * Ownership: e is the iterator's; err is the caller's.
 * Thread safety: not safe on an entry another thread uses.
 */
BT_API int bt_os_direntry_is_dir(bt_os_direntry *e, bool follow_symlinks,
                                 bt_err *err);
BT_API int bt_os_direntry_is_file(bt_os_direntry *e, bool follow_symlinks,
                                  bt_err *err);
BT_API int bt_os_direntry_is_symlink(bt_os_direntry *e, bt_err *err);

/**
 * The entry's stat (following a symbolic link when follow_symlinks) or
 * lstat result, fetched once and cached in the entry.
 *
 * Python: entry.stat(follow_symlinks=...).
 * Returns: 0 and *out, or -errno naming the entry's path.
 * Ownership: e is the iterator's; out and err are the caller's.
 * Thread safety: not safe on an entry another thread uses.
 */
BT_API int bt_os_direntry_stat(bt_os_direntry *e, bool follow_symlinks,
                               bt_os_stat_result *out, bt_err *err);

/**
 * The entry's inode number, as readdir reported it.
 *
 * Python: entry.inode().
 * Returns: the inode number.
 * Ownership: e is the iterator's.
 * Thread safety: safe.
 */
BT_API uint64_t bt_os_direntry_inode(const bt_os_direntry *e);

/* ------------------------------------------------------------------------ */
/* walk and fwalk                                                            */
/* ------------------------------------------------------------------------ */

/*
 * Options of bt_os_walk and bt_os_fwalk; start from BT_OS_WALK_OPTS_INIT.
 *  topdown      true: a directory is produced before its subdirectories
 *               (and the caller may prune them); false: after.
 *  followlinks  walk into symbolic links to directories (fwalk's
 *               follow_symlinks). A directory that is one of its own
 *               ancestors is not entered: onerror gets ELOOP for it.
 *  onerror      called for each directory that cannot be listed (and, for
 *               fwalk, each subdirectory that cannot be opened), with the
 *               code and Python's message. Return 0 to go on; a negative
 *               value stops the walk: bt_os_walk_next returns it. NULL:
 *               errors are skipped silently, as Python's default.
 */
typedef struct bt_os_walk_opts {
    bool topdown;
    bool followlinks;
    int (*onerror)(void *arg, int code, const bt_err *err);
    void *onerror_arg;
} bt_os_walk_opts;

#define BT_OS_WALK_OPTS_INIT                                                   \
    {                                                                          \
        true, false, NULL, NULL                                                \
    }

/* A walk in progress (Python's generator). */
typedef struct bt_os_walk_iter bt_os_walk_iter;

/*
 * One step of a walk: Python's (dirpath, dirnames, filenames) tuple, plus
 * dirfd for fwalk (-1 for walk). In a top-down walk the caller may remove
 * (bt_strvec_remove), reorder or add names in dirnames before the next
 * call: the walk descends into exactly what dirnames then holds, in that
 * order, as Python's does after `dirnames[:] = ...`.
 */
typedef struct bt_os_walk_step {
    const char *dirpath;
    size_t dirpath_len;
    bt_strvec *dirnames;
    bt_strvec *filenames;
    int dirfd;
} bt_os_walk_step;

/**
 * Starts walking the tree at top: every directory is listed once, its
 * names split into subdirectories (entries that are directories, following
 * symbolic links, as DirEntry.is_dir()) and the rest. Paths are top joined
 * with the names below it, as Python joins them. Symbolic links to
 * directories are listed in dirnames but entered only with followlinks.
 * Each directory is read in one pass and closed before it is produced, so
 * the walk holds no descriptor between steps.
 *
 * Python: os.walk(top, topdown, onerror, followlinks).
 * Returns: 0 and *out, or BT_ENOMEM. A top that cannot be listed is
 *   reported to onerror by the first bt_os_walk_next, as in Python.
 * Ownership: top and opts are copied (opts may be NULL for the defaults);
 *   *out is the caller's, freed with bt_os_walk_close.
 * Thread safety: safe; one walk must not be used by two threads at once.
 */
BT_API int bt_os_walk(const char *top, const bt_os_walk_opts *opts,
                      bt_os_walk_iter **out);

/**
 * Starts a walk like bt_os_walk that also yields, for each directory, a
 * descriptor open on it (step.dirfd), and opens subdirectories relative to
 * their parent's descriptor, checking (unless followlinks) that what it
 * opened is the directory it listed: safe against symbolic link races.
 * top NULL is "."; a negative dir_fd means the current directory. Holds
 * one descriptor per level of depth.
 *
 * Python: os.fwalk(top, topdown, onerror, follow_symlinks=followlinks,
 *   dir_fd=dir_fd).
 * Returns: 0 and *out, BT_ENOMEM, or -errno when top cannot be examined or
 *   opened ("[Errno 2] No such file or directory: 'x'"; Python raises these
 *   from the first next()). A top that is not a directory (or, without
 *   followlinks, is a symbolic link) gives a walk with no steps.
 * Ownership: top and opts are copied (opts may be NULL); *out is the
 *   caller's, freed with bt_os_walk_close.
 * Thread safety: safe; one walk must not be used by two threads at once.
 */
BT_API int bt_os_fwalk(const char *top, const bt_os_walk_opts *opts, int dir_fd,
                       bt_os_walk_iter **out, bt_err *err);

/**
 * The next directory of a walk.
 *
 * Python: next(generator) on os.walk / os.fwalk.
 * Returns: 1 and *step; 0 when the walk is over; BT_ENOMEM; the negative
 *   value an onerror callback returned to stop; or, for fwalk only, -errno
 *   for a failure Python raises rather than reports (a listed directory
 *   that turns out not to be one: "[Errno 20] Not a directory: 5"). After
 *   a negative return the walk is over.
 * Ownership: the step's strings and vectors belong to the walk and are
 *   valid until the next call or bt_os_walk_close; dirnames may be changed
 *   (top-down); step.dirfd must not be closed by the caller.
 * Thread safety: not safe on a walk another thread uses.
 */
BT_API int bt_os_walk_next(bt_os_walk_iter *w, bt_os_walk_step *step,
                           bt_err *err);

/**
 * Ends a walk, closing its descriptors and freeing it. Accepts NULL.
 *
 * Python: generator.close(), or dropping the generator.
 * Returns: nothing.
 * Ownership: w is freed; the last step is no longer valid.
 * Thread safety: not safe on a walk another thread uses.
 */
BT_API void bt_os_walk_close(bt_os_walk_iter *w);

/* ------------------------------------------------------------------------ */
/* File descriptors                                                          */
/* ------------------------------------------------------------------------ */

/**
 * Opens a file with open(2) flags (O_RDONLY, O_CREAT, ... from <fcntl.h>)
 * and mode for a new file (Python's default is 0777). O_CLOEXEC is always
 * added: the descriptor is not inherited (PEP 446). open_at resolves path
 * relative to dir_fd (negative: the current directory).
 *
 * Python: os.open(path, flags, mode), os.open(path, flags, mode,
 *   dir_fd=dir_fd).
 * Returns: the descriptor (>= 0), or -errno ("[Errno 2] No such file or
 *   directory: 'x'", "[Errno 21] Is a directory: 'd'").
 * Ownership: path is borrowed; the caller closes the descriptor.
 * Thread safety: safe.
 */
BT_API int bt_os_open(const char *path, int flags, unsigned mode, bt_err *err);
BT_API int bt_os_open_at(int dir_fd, const char *path, int flags, unsigned mode,
                         bt_err *err);

/**
 * Closes a descriptor. EINTR counts as success (Linux has closed it) and
 * is not retried (PEP 475).
 *
 * Python: os.close(fd).
 * Returns: 0, or -errno ("[Errno 9] Bad file descriptor").
 * Ownership: fd is released.
 * Thread safety: safe.
 */
BT_API int bt_os_close(int fd, bt_err *err);

/**
 * Duplicates a descriptor: dup gives the lowest free number, not
 * inheritable; dup2 makes fd2 a copy of fd (closing what fd2 was), and
 * inheritable by default as in Python (inheritable false sets close-on-exec;
 * then fd == fd2 is EINVAL, as Python's dup3).
 *
 * Python: os.dup(fd), os.dup2(fd, fd2, inheritable=...).
 * Returns: the new descriptor (dup2: fd2), or -errno ("[Errno 9] Bad file
 *   descriptor").
 * Ownership: the caller closes the new descriptor.
 * Thread safety: safe (dup2 replaces fd2 atomically).
 */
BT_API int bt_os_dup(int fd, bt_err *err);
BT_API int bt_os_dup2(int fd, int fd2, bool inheritable, bt_err *err);

/**
 * Creates a pipe: fds[0] is the read end, fds[1] the write end, both
 * close-on-exec.
 *
 * Python: r, w = os.pipe().
 * Returns: 0, or -errno ("[Errno 24] Too many open files").
 * Ownership: the caller closes both descriptors.
 * Thread safety: safe.
 */
BT_API int bt_os_pipe(int fds[2], bt_err *err);

/**
 * Reads at most n bytes into buf (read) or writes at most n bytes from buf
 * (write), retrying when a signal interrupts the call (PEP 475). Like
 * Python, one call: a short count is not an error.
 *
 * Python: os.read(fd, n), os.write(fd, data).
 * Returns: the number of bytes (0 at end of file), or -errno ("[Errno 9]
 *   Bad file descriptor", BT_EAGAIN on a non-blocking descriptor).
 * Ownership: buf is the caller's.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_os_read(int fd, void *buf, size_t n, bt_err *err);
BT_API ptrdiff_t bt_os_write(int fd, const void *buf, size_t n, bt_err *err);

/**
 * Flushes a file's data and metadata to the device.
 *
 * Python: os.fsync(fd).
 * Returns: 0, or -errno ("[Errno 22] Invalid argument" for a pipe).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_os_fsync(int fd, bt_err *err);

/**
 * Moves a descriptor's offset: to pos (BT_OS_SEEK_SET), by pos
 * (BT_OS_SEEK_CUR) or to the end plus pos (BT_OS_SEEK_END).
 *
 * Python: os.lseek(fd, pos, how).
 * Returns: the new offset (>= 0), or -errno ("[Errno 29] Illegal seek" on a
 *   pipe).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int64_t bt_os_lseek(int fd, int64_t pos, int how, bt_err *err);

/**
 * Reads or sets whether a descriptor is inherited by programs the process
 * executes (the close-on-exec flag, inverted).
 *
 * Python: os.get_inheritable(fd), os.set_inheritable(fd, inheritable).
 * Returns: get: 1 or 0; set: 0; or -errno ("[Errno 9] Bad file
 *   descriptor").
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_os_get_inheritable(int fd, bt_err *err);
BT_API int bt_os_set_inheritable(int fd, bool inheritable, bt_err *err);

/* ------------------------------------------------------------------------ */
/* The process                                                               */
/* ------------------------------------------------------------------------ */

/**
 * The process id, and the parent's.
 *
 * Python: os.getpid(), os.getppid().
 * Returns: the id (never fails).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_os_getpid(void);
BT_API int bt_os_getppid(void);

/**
 * The number of CPUs online in the system (not those the process may use:
 * that is sched_getaffinity).
 *
 * Python: os.cpu_count().
 * Returns: the count (>= 1), or 0 when it cannot be determined (Python's
 *   None).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_os_cpu_count(void);

/**
 * Fills buf with n random bytes from the kernel's generator (getrandom,
 * /dev/urandom before Linux 3.17), suitable for cryptographic use.
 *
 * Python: os.urandom(n).
 * Returns: 0, or -errno.
 * Ownership: buf is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_urandom(void *buf, size_t n, bt_err *err);

/**
 * Runs command with /bin/sh -c and waits for it (C's system(3): SIGINT and
 * SIGQUIT are ignored and SIGCHLD blocked in the caller meanwhile).
 *
 * Python: os.system(command).
 * Returns: the wait status, as Python returns it (exit code 3 is 768; use
 *   bt_os_waitstatus_to_exitcode), or -1 when no shell could be started.
 * Ownership: command is borrowed.
 * Thread safety: safe, but the signal dispositions are process-wide while
 *   it runs; prefer the subprocess module in threaded programs.
 */
BT_API int bt_os_system(const char *command);

/**
 * Converts a wait status to an exit code: the exit status of a process
 * that exited, minus the signal number of one a signal killed.
 *
 * Python: os.waitstatus_to_exitcode(status).
 * Returns: the code, or BT_EVALUE ("process stopped by delivery of signal
 *   19", "invalid wait status: 4991" style messages in err).
 * Ownership: err is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_os_waitstatus_to_exitcode(int status, bt_err *err);

/* ------------------------------------------------------------------------ */
/* The environment                                                           */
/* ------------------------------------------------------------------------ */

/*
 * THE RULE: the process environment (environ) is not thread-safe in C.
 * setenv/unsetenv (bt_os_putenv, bt_os_unsetenv) may reallocate environ
 * while another thread reads it through getenv, and libc itself reads it
 * (localtime and TZ, getaddrinfo, iconv, ...): a crash or a torn read.
 * The library's own environment functions take one lock among themselves,
 * which cannot protect libc's readers. So: change the process environment
 * only at start-up, before any thread exists. To give a child a different
 * environment, build a bt_os_env (below) and pass its envp to the spawn:
 * that never touches environ.
 */

/**
 * Appends the value of an environment variable to out.
 *
 * Python: os.getenv(key), os.environ[key] (Python reads a copy of environ
 *   made at start-up and kept in step by os.environ's setters; this reads
 *   environ itself).
 * Returns: 1 when key is set (its value appended, possibly empty), 0 when
 *   not (out unchanged), or BT_ENOMEM.
 * Ownership: key is borrowed; out is the caller's.
 * Thread safety: see THE RULE above.
 */
BT_API int bt_os_getenv(const char *key, bt_buf *out);

/**
 * Sets (putenv) or removes (unsetenv) a variable of the process
 * environment, which children started later inherit.
 *
 * Python: os.putenv(key, value) / os.environ[key] = value,
 *   os.unsetenv(key) / del os.environ[key].
 * Returns: 0; BT_EVALUE for a key with '=' in putenv ("illegal environment
 *   variable name"); -errno from libc otherwise ("[Errno 22] Invalid
 *   argument" for an empty key, or a '=' in unsetenv's key). Unsetting a
 *   variable that is not set is success.
 * Ownership: key and value are copied.
 * Thread safety: NOT safe once other threads run: see THE RULE above.
 */
BT_API int bt_os_putenv(const char *key, const char *value, bt_err *err);
BT_API int bt_os_unsetenv(const char *key, bt_err *err);

/**
 * Appends a snapshot of the process environment to out, one "KEY=VALUE"
 * string per variable, in environ's order.
 *
 * Python: os.environ (as ["%s=%s" % kv for kv in os.environb.items()]).
 * Returns: the number of strings appended, or BT_ENOMEM (out as it was).
 * Ownership: out is the caller's.
 * Thread safety: see THE RULE above.
 */
BT_API ptrdiff_t bt_os_environ(bt_strvec *out);

/*
 * An environment built for a child process, apart from the process's own:
 * an ordered map of variables. Python: a dict given as subprocess's env=.
 */
typedef struct bt_os_env bt_os_env;

/**
 * Creates an empty environment (bt_os_env_new) or a copy of the process
 * environment (bt_os_environ_copy; the first of duplicate keys wins, as
 * Python builds os.environ).
 *
 * Python: env = {}; env = os.environ.copy().
 * Returns: 0 and *out, or BT_ENOMEM.
 * Ownership: *out is the caller's, freed with bt_os_env_free.
 * Thread safety: bt_os_env_new is safe; bt_os_environ_copy reads environ
 *   (see THE RULE above).
 */
BT_API int bt_os_env_new(bt_os_env **out);
BT_API int bt_os_environ_copy(bt_os_env **out);

/**
 * Frees an environment. Accepts NULL.
 *
 * Python: del env.
 * Returns: nothing.
 * Ownership: e and every string it returned are freed.
 * Thread safety: not safe on an environment another thread uses.
 */
BT_API void bt_os_env_free(bt_os_env *e);

/**
 * Sets a variable: a new key goes last, an existing one keeps its place.
 *
 * Python: env[key] = value.
 * Returns: 0, BT_ENOMEM, or BT_EVALUE for a key holding '=' ("illegal
 *   environment variable name", what subprocess raises for it).
 * Ownership: key and value are copied.
 * Thread safety: not safe on an environment another thread uses.
 */
BT_API int bt_os_env_set(bt_os_env *e, const char *key, const char *value,
                         bt_err *err);

/**
 * Removes a variable.
 *
 * Python: del env[key].
 * Returns: 0, or BT_EKEY when key is not set.
 * Ownership: key is borrowed.
 * Thread safety: not safe on an environment another thread uses.
 */
BT_API int bt_os_env_unset(bt_os_env *e, const char *key);

/**
 * The value of a variable.
 *
 * Python: env.get(key).
 * Returns: the value, or NULL when key is not set.
 * Ownership: borrowed from e until e is changed or freed.
 * Thread safety: safe while no thread changes e.
 */
BT_API const char *bt_os_env_get(const bt_os_env *e, const char *key);

/**
 * The number of variables.
 *
 * Python: len(env).
 * Returns: the count.
 * Ownership: nothing to free.
 * Thread safety: safe while no thread changes e.
 */
BT_API size_t bt_os_env_len(const bt_os_env *e);

/**
 * The environment as a NULL-terminated array of "KEY=VALUE" strings, in
 * insertion order: the envp to give execve, posix_spawn or a subprocess.
 *
 * Python: what subprocess builds from env=.
 * Returns: the array, never NULL (an empty environment is {NULL}).
 * Ownership: borrowed from e until e is changed or freed.
 * Thread safety: safe while no thread changes e.
 */
BT_API char *const *bt_os_env_envp(const bt_os_env *e);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_OS_H */
