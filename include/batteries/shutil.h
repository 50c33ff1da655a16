/*
 * batteries/shutil.h — Python's shutil: copying files and trees, removing
 * trees, moving, which, disk_usage and chown, as CPython 3.11 on Linux.
 *
 * Paths are NUL-terminated UTF-8 (a path cannot hold NUL). Functions that
 * return a path (copy, copy2, copytree, move) append it to an optional
 * caller's bt_buf, as Python returns it.
 *
 * Errors: OS failures are -errno with Python's OSError text in err
 * ("[Errno 2] No such file or directory: 'x'"); shutil.Error and its
 * subclasses (SameFileError, SpecialFileError) are BT_ESHUTIL with
 * Python's message. copytree's shutil.Error carries a list of (src, dst,
 * why): pass a bt_strvec to receive it, three strings per failure.
 */
#ifndef BATTERIES_SHUTIL_H
#define BATTERIES_SHUTIL_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Copies everything readable from src_fd to dst_fd, length bytes at a time
 * (0: 64 KiB), retrying after EINTR and partial writes.
 *
 * Python: shutil.copyfileobj(fsrc, fdst, length).
 * Returns: 0, or -errno of the failing read or write.
 * Ownership: the descriptors stay the caller's (not closed).
 * Thread safety: safe on distinct descriptors.
 */
BT_API int bt_shutil_copyfileobj(int src_fd, int dst_fd, size_t length);

/**
 * Copies the contents of the file src to dst (created or truncated), with
 * copy_file_range/sendfile in the kernel where possible. When
 * follow_symlinks is false and src is a symbolic link, dst becomes a link
 * with the same target.
 *
 * Python: shutil.copyfile(src, dst, follow_symlinks=).
 * Returns: 0, BT_ESHUTIL ("'a' and 'b' are the same file"; "`p` is a named
 *   pipe"), or -errno with Python's message (a missing destination
 *   directory reads "[Errno 2] No such file or directory: 'd/x'").
 * Ownership: the paths are borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_shutil_copyfile(const char *src, const char *dst,
                              bool follow_symlinks, bt_err *err);

/**
 * Copies the permission bits (copymode), or the permission bits, access and
 * modification times and extended attributes (copystat), of src to dst.
 * Without follow_symlinks and with both paths links, copymode does nothing
 * on Linux (no lchmod) and copystat sets the link's own times.
 *
 * Python: shutil.copymode(src, dst, follow_symlinks=),
 *   shutil.copystat(src, dst, follow_symlinks=).
 * Returns: 0, or -errno with Python's message.
 * Ownership: the paths are borrowed.
 * Thread safety: safe.
 */
BT_API int bt_shutil_copymode(const char *src, const char *dst,
                              bool follow_symlinks, bt_err *err);
BT_API int bt_shutil_copystat(const char *src, const char *dst,
                              bool follow_symlinks, bt_err *err);

/**
 * Copies the file src to dst (into it, keeping the name, when dst is a
 * directory) with its permission bits (copy) or with all its metadata
 * (copy2). The path written is appended to out_dst when it is not NULL.
 *
 * Python: shutil.copy(src, dst, follow_symlinks=), shutil.copy2(...).
 * Returns: 0, or the errors of bt_shutil_copyfile and bt_shutil_copystat,
 *   or BT_ENOMEM.
 * Ownership: the paths are borrowed; out_dst is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_shutil_copy(const char *src, const char *dst,
                          bool follow_symlinks, bt_buf *out_dst, bt_err *err);
BT_API int bt_shutil_copy2(const char *src, const char *dst,
                           bool follow_symlinks, bt_buf *out_dst, bt_err *err);

/*
 * Decides which names of a directory copytree skips: append them to
 * ignored. Return 0, or a negative code to stop the copy with that error.
 */
typedef int (*bt_shutil_ignore_fn)(void *ctx, const char *dir,
                                   const bt_strvec *names, bt_strvec *ignored);

/* Copies one file for copytree and move (bt_shutil_copy2 by default). */
typedef int (*bt_shutil_copy_fn)(void *ctx, const char *src, const char *dst,
                                 bt_err *err);

/* Options of bt_shutil_copytree; start from BT_SHUTIL_COPYTREE_INIT. */
typedef struct bt_shutil_copytree_opts {
    bool symlinks;                 /* copy links as links (else their targets) */
    bool ignore_dangling_symlinks; /* skip links whose target is gone */
    bool dirs_exist_ok;            /* copy into an existing dst */
    bt_shutil_ignore_fn ignore;    /* NULL: copy everything */
    void *ignore_ctx;
    bt_shutil_copy_fn copy_function; /* NULL: copy2 */
    void *copy_ctx;
    bt_strvec *errors; /* receives (src, dst, why) triples; may be NULL */
} bt_shutil_copytree_opts;

#define BT_SHUTIL_COPYTREE_INIT {false, false, false, NULL, NULL, NULL, NULL, NULL}

/**
 * Copies the directory tree src to dst (created with makedirs), files with
 * the copy function, then the directories' metadata. Failures of single
 * entries are collected and the copy goes on, as Python's shutil.Error
 * collects them; the call then fails with BT_ESHUTIL.
 *
 * Python: shutil.copytree(src, dst, symlinks=, ignore=, copy_function=,
 *   ignore_dangling_symlinks=, dirs_exist_ok=).
 * Returns: 0; BT_ESHUTIL when entries failed (err->msg is str(shutil.Error)
 *   of the list, cut to fit; opts->errors gets every triple); -errno when
 *   dst cannot be made (FileExistsError when it exists) or src cannot be
 *   listed; BT_ENOMEM. The path of dst is appended to out_dst if not NULL.
 * Ownership: everything is borrowed; opts may be NULL for the defaults.
 * Thread safety: safe (the callbacks run on the calling thread).
 */
BT_API int bt_shutil_copytree(const char *src, const char *dst,
                              const bt_shutil_copytree_opts *opts,
                              bt_buf *out_dst, bt_err *err);

/**
 * An ignore callback for copytree: ctx is a bt_strvec of glob-style
 * patterns, and every name matching one of them is ignored.
 *
 * Python: shutil.ignore_patterns(*patterns).
 * Returns: 0, or BT_ENOMEM.
 * Ownership: ctx (the patterns) must outlive the copytree call.
 * Thread safety: safe.
 */
BT_API int bt_shutil_ignore_patterns(void *ctx, const char *dir,
                                     const bt_strvec *names,
                                     bt_strvec *ignored);

/*
 * Called by rmtree for each failure: func is the name of the Python
 * function that failed ("os.unlink", "os.rmdir", "os.scandir", "os.open",
 * "os.lstat", "os.path.islink"), path the path at fault, code the error
 * and err its message. Return 0 to go on, or a negative code to stop.
 */
typedef int (*bt_shutil_onexc_fn)(void *ctx, const char *func,
                                  const char *path, int code,
                                  const bt_err *err);

/**
 * Deletes the directory tree at path, safely against symbolic-link races:
 * it works through directory descriptors and never follows a link out of
 * the tree, and refuses a path that is itself a link ("Cannot call rmtree
 * on a symbolic link"). Errors stop it at the first failure, unless
 * ignore_errors (they are skipped) or onexc (it decides).
 *
 * Python: shutil.rmtree(path, ignore_errors=, onexc=) (onexc as 3.12).
 * Returns: 0, or the first error's code (-errno, with Python's message in
 *   err; a link given as path is -ELOOP with "Cannot call rmtree on a
 *   symbolic link"), or the negative code onexc returned.
 * Ownership: path is borrowed.
 * Thread safety: safe (onexc runs on the calling thread).
 */
BT_API int bt_shutil_rmtree(const char *path, bool ignore_errors,
                            bt_shutil_onexc_fn onexc, void *ctx, bt_err *err);

/**
 * Moves src to dst (into it when dst is a directory): a rename when
 * possible, else a copy (trees with symlinks kept) and a delete. The final
 * path is appended to out_dst when it is not NULL.
 *
 * Python: shutil.move(src, dst, copy_function=).
 * Returns: 0; BT_ESHUTIL ("Destination path 'd/x' already exists", "Cannot
 *   move a directory 'a' into itself 'a/b'."); or -errno with Python's
 *   message.
 * Ownership: the paths are borrowed; copy_function may be NULL (copy2).
 * Thread safety: safe.
 */
BT_API int bt_shutil_move(const char *src, const char *dst,
                          bt_shutil_copy_fn copy_function, void *copy_ctx,
                          bt_buf *out_dst, bt_err *err);

/**
 * Finds the program cmd as the shell would: in each directory of path
 * (NULL: the PATH variable, or ":/bin:/usr/bin" without one), the first
 * file accessible with mode (F_OK | X_OK by default: pass 0) that is not a
 * directory. A cmd with a slash is checked as is.
 *
 * Python: shutil.which(cmd, mode=, path=).
 * Returns: 1 and the path appended to out, 0 when not found (None), or
 *   BT_ENOMEM.
 * Ownership: the strings are borrowed; out is the caller's.
 * Thread safety: safe while no thread changes PATH.
 */
BT_API int bt_shutil_which(const char *cmd, int mode, const char *path,
                           bt_buf *out);

/* Python's shutil.disk_usage result, in bytes. */
typedef struct bt_shutil_usage {
    uint64_t total, used, free;
} bt_shutil_usage;

/**
 * Disk usage of the file system holding path.
 *
 * Python: shutil.disk_usage(path).
 * Returns: 0 and *out, or -errno with Python's message.
 * Ownership: out is the caller's.
 * Thread safety: safe.
 */
BT_API int bt_shutil_disk_usage(const char *path, bt_shutil_usage *out,
                                bt_err *err);

/**
 * Changes the owner and/or group of path, given by name (NULL: keep).
 *
 * Python: shutil.chown(path, user=, group=).
 * Returns: 0; BT_EVALUE ("user and/or group must be set"); BT_EKEY for an
 *   unknown name ("no such user: 'x'", "no such group: 'x'", LookupError in
 *   Python); or -errno with Python's message.
 * Ownership: the strings are borrowed.
 * Thread safety: safe (getpwnam_r/getgrnam_r).
 */
BT_API int bt_shutil_chown(const char *path, const char *user,
                           const char *group, bt_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_SHUTIL_H */
