/*
 * batteries/path.h — Python's os.path (posixpath) as CPython 3.11 runs it on
 * Linux: the same answers for the same paths, byte for byte.
 *
 *   bt_buf out = BT_BUF_INIT;
 *   const char *parts[] = {"/usr", "local", "../lib"};
 *   bt_path_join(parts, 3, &out);         // "/usr/local/../lib"
 *   bt_buf_clear(&out);
 *   bt_path_normpath("/usr/local/../lib", &out);   // "/usr/lib"
 *
 * Conventions (the same for every function here):
 *  - A path is a NUL-terminated string of bytes, UTF-8 by convention (what
 *    Python's os.fsencode gives for a str path). A path cannot hold a NUL
 *    byte: Python's file-system functions refuse one anyway ("embedded null
 *    byte"); its pure string functions would accept one (a deviation).
 *  - Results are appended to a caller's bt_buf (Python returns a new str):
 *    clear the buffer first for a fresh result. The buffer stays
 *    NUL-terminated, so out->data is itself a path for the next call. On any
 *    failure the buffer's contents are unchanged (its capacity may grow).
 *    An input may point into the output buffer itself.
 *  - Fallible functions return 0 (or a count, or a truth value as 1/0) on
 *    success and a negative BT_E* code on failure: BT_ENOMEM, BT_EVALUE
 *    (ValueError), BT_ETYPE (TypeError), or -errno for an OSError, whose
 *    message bt_err gets as Python writes it ("[Errno 2] No such file or
 *    directory: 'x'").
 *  - The pure string functions never touch the file system and grow each
 *    output buffer at most once per call (not at all when it has room),
 *    allocating nothing else but a scratch block in relpath for paths over
 *    about 1 KiB and in expanduser when the user database needs more than
 *    4 KiB. relpath and abspath call getcwd only for a relative input;
 *    expanduser and expandvars read the environment and the user database.
 *  - Characters, where Python counts them (commonprefix), are UTF-8
 *    sequences; a byte that is not part of valid UTF-8 counts as one
 *    character, as the surrogate os.fsdecode makes of it would.
 */
#ifndef BATTERIES_PATH_H
#define BATTERIES_PATH_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

struct stat;

/* posixpath's constants: curdir, pardir, sep, pathsep, defpath, extsep,
 * devnull; altsep is None (NULL); supports_unicode_filenames is False. */
#define BT_PATH_CURDIR                     "."
#define BT_PATH_PARDIR                     ".."
#define BT_PATH_SEP                        "/"
#define BT_PATH_PATHSEP                    ":"
#define BT_PATH_DEFPATH                    "/bin:/usr/bin"
#define BT_PATH_ALTSEP                     NULL
#define BT_PATH_EXTSEP                     "."
#define BT_PATH_DEVNULL                    "/dev/null"
#define BT_PATH_SUPPORTS_UNICODE_FILENAMES 0

/* ------------------------------------------------------------------------ */
/* Pure string functions                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Joins n >= 1 path parts: a part that starts with '/' throws away what came
 * before it; a '/' goes between parts unless the path so far is empty or
 * ends with '/'.
 *
 * Python: os.path.join(parts[0], parts[1], ...).
 * Returns: 0, BT_ENOMEM, or BT_ETYPE when n == 0 (Python's TypeError for
 *   join() without arguments). out is unchanged on failure.
 * Ownership: parts and their strings are borrowed; the result is appended to
 *   out.
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_join(const char *const *parts, size_t n, bt_buf *out);

/**
 * Splits a path at its last '/': head gets everything before it (trailing
 * slashes removed unless head is all slashes), tail everything after.
 * bt_path_dirname and bt_path_basename give each half alone.
 *
 * Python: head, tail = os.path.split(p); os.path.dirname(p) (the head);
 *   os.path.basename(p) (the tail).
 * Returns: 0 or BT_ENOMEM (both buffers unchanged).
 * Ownership: p is borrowed; the results are appended to head and tail (which
 *   may be the same buffer: head, then tail).
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_split(const char *p, bt_buf *head, bt_buf *tail);
BT_API int bt_path_dirname(const char *p, bt_buf *out);
BT_API int bt_path_basename(const char *p, bt_buf *out);

/**
 * Splits off the extension: ext is the last '.' of the last component and
 * what follows it, unless the component is only dots before it (".bashrc",
 * "..", "a/..b" have no extension); root is the rest, so root + ext == p.
 *
 * Python: root, ext = os.path.splitext(p).
 * Returns: 0 or BT_ENOMEM (both buffers unchanged).
 * Ownership: p is borrowed; the results are appended to root and ext (which
 *   may be the same buffer).
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_splitext(const char *p, bt_buf *root, bt_buf *ext);

/**
 * Splits off the drive, which on POSIX is always empty: drive gets "", rest
 * gets p.
 *
 * Python: drive, rest = os.path.splitdrive(p).
 * Returns: 0 or BT_ENOMEM (both buffers unchanged).
 * Ownership: p is borrowed; the results are appended to drive and rest.
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_splitdrive(const char *p, bt_buf *drive, bt_buf *rest);

/**
 * Normalizes a path lexically: collapses repeated slashes, drops "." parts,
 * lets ".." remove the part before it (at the root it vanishes; in a
 * relative path leading ".." parts stay), removes a trailing slash; keeps
 * exactly two leading slashes when there are exactly two (POSIX leaves "//"
 * to the implementation), one when there are three or more. "" becomes ".".
 * Symbolic links are not looked at (bt_path_realpath does that).
 *
 * Python: os.path.normpath(p).
 * Returns: 0 or BT_ENOMEM.
 * Ownership: p is borrowed; the result is appended to out.
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_normpath(const char *p, bt_buf *out);

/**
 * Normalizes the case of a path, which POSIX does not do: appends p as is.
 *
 * Python: os.path.normcase(p).
 * Returns: 0 or BT_ENOMEM.
 * Ownership: p is borrowed; the result is appended to out.
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_normcase(const char *p, bt_buf *out);

/**
 * Whether a path is absolute: starts with '/'.
 *
 * Python: os.path.isabs(p).
 * Returns: true or false.
 * Ownership: p is borrowed.
 * Thread safety: safe.
 */
BT_API bool bt_path_isabs(const char *p);

/**
 * The longest common leading part of the strings in v, compared character
 * by character (not part by part: "/usr/lib" and "/usr/local" give
 * "/usr/l"); "" for an empty list.
 *
 * Python: os.path.commonprefix(list(v)).
 * Returns: 0 or BT_ENOMEM.
 * Ownership: v is borrowed (each item is a path: its bytes up to its first
 *   NUL); the result is appended to out.
 * Thread safety: safe while no thread modifies v; distinct output buffers.
 */
BT_API int bt_path_commonprefix(const bt_strvec *v, bt_buf *out);

/**
 * The longest common sub-path of the paths in v, part by part, ignoring
 * empty and "." parts (".." is kept as a name); absolute when the paths are.
 *
 * Python: os.path.commonpath(list(v)).
 * Returns: 0, BT_ENOMEM, or BT_EVALUE with Python's message in err:
 *   "commonpath() arg is an empty sequence" for an empty list, "Can't mix
 *   absolute and relative paths".
 * Ownership: v is borrowed (each item is a path: its bytes up to its first
 *   NUL); the result is appended to out; err is the caller's (may be NULL).
 * Thread safety: safe while no thread modifies v; distinct output buffers.
 */
BT_API int bt_path_commonpath(const bt_strvec *v, bt_buf *out, bt_err *err);

/**
 * Replaces $name and ${name} with the value of the environment variable
 * name ($name: the longest run of ASCII letters, digits and '_'; ${name}:
 * anything up to the next '}'). Unknown variables, a lone '$' and an
 * unclosed "${" are left as they are; values are not expanded again.
 *
 * Python: os.path.expandvars(p) (os.environ is the process environment,
 *   read live).
 * Returns: 0 or BT_ENOMEM.
 * Ownership: p is borrowed; the result is appended to out.
 * Thread safety: safe, except against concurrent setenv/putenv/unsetenv (as
 *   getenv).
 */
BT_API int bt_path_expandvars(const char *p, bt_buf *out);

/**
 * Replaces a leading "~" with $HOME (or, when HOME is not set, the current
 * user's home directory from the user database) and a leading "~user" with
 * that user's home directory (getpwnam_r), trailing slashes of the home
 * removed ("/" if nothing is left); "~" goes only up to the first '/'. A
 * path without a leading '~', or naming an unknown user, is appended as is.
 *
 * Python: os.path.expanduser(p).
 * Returns: 0 or BT_ENOMEM.
 * Ownership: p is borrowed; the result is appended to out.
 * Thread safety: safe, except against concurrent setenv/putenv/unsetenv (as
 *   getenv).
 */
BT_API int bt_path_expanduser(const char *p, bt_buf *out);

/**
 * The relative path that leads from directory start to p, worked out
 * lexically on the absolute forms of both (relative ones are taken from the
 * current directory); "." when they are the same. start NULL means ".".
 *
 * Python: os.path.relpath(p, start) (start=None when NULL).
 * Returns: 0, BT_ENOMEM, BT_EVALUE with "no path specified" in err when p is
 *   "", or -errno when getcwd fails (err: "[Errno 2] No such file or
 *   directory").
 * Ownership: p and start are borrowed; the result is appended to out; err is
 *   the caller's (may be NULL).
 * Thread safety: safe on distinct output buffers (the answer for relative
 *   inputs depends on the process's current directory).
 */
BT_API int bt_path_relpath(const char *p, const char *start, bt_buf *out,
                           bt_err *err);

/* ------------------------------------------------------------------------ */
/* File-system functions                                                     */
/* ------------------------------------------------------------------------ */

/**
 * The absolute, normalized form of a path: joined to the current directory
 * when relative, then normalized as bt_path_normpath does (no links are
 * resolved).
 *
 * Python: os.path.abspath(p).
 * Returns: 0, BT_ENOMEM, or -errno when getcwd fails (only for a relative
 *   p; err: "[Errno 2] No such file or directory").
 * Ownership: p is borrowed; the result is appended to out; err is the
 *   caller's (may be NULL).
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_abspath(const char *p, bt_buf *out, bt_err *err);

/**
 * The canonical path: symbolic links resolved part by part, then made
 * absolute and normalized. With strict false, parts that do not exist (or
 * cannot be examined) are kept as they are, and a symbolic link loop stops
 * the resolution there: the rest of the path is joined on unresolved, as
 * Python 3.11 does (so "loop//x" gives "/x"). With strict true, the first
 * part that cannot be examined is an OSError, and a loop is ELOOP.
 *
 * Python: os.path.realpath(p, strict=strict).
 * Returns: 0, BT_ENOMEM, or -errno with Python's message in err
 *   ("[Errno 40] Too many levels of symbolic links: 'a/loop'", "[Errno 2] No
 *   such file or directory: 'a/missing'"; the file name is the path as far
 *   as it was resolved). Without strict, only readlink and getcwd failures
 *   are errors.
 * Ownership: p is borrowed; the result is appended to out; err is the
 *   caller's (may be NULL).
 * Thread safety: safe on distinct output buffers.
 */
BT_API int bt_path_realpath(const char *p, bool strict, bt_buf *out,
                            bt_err *err);

/**
 * File tests: whether the path exists (following links: exists; not
 * following a final link: lexists), is a regular file or a directory
 * (following links), or is a symbolic link. Any error (missing, permission
 * denied, a name too long) is false, as in Python.
 *
 * Python: os.path.exists, os.path.lexists, os.path.isfile, os.path.isdir,
 *   os.path.islink.
 * Returns: true or false.
 * Ownership: p is borrowed.
 * Thread safety: safe.
 */
BT_API bool bt_path_exists(const char *p);
BT_API bool bt_path_lexists(const char *p);
BT_API bool bt_path_isfile(const char *p);
BT_API bool bt_path_isdir(const char *p);
BT_API bool bt_path_islink(const char *p);

/**
 * Whether a path is a mount point: not a symbolic link, and its parent
 * (realpath of p/..) is on another device or is the same inode (the root).
 *
 * Python: os.path.ismount(p).
 * Returns: 1 or 0 (any stat failure is 0, as in Python), BT_ENOMEM, or
 *   -errno when getcwd fails for a relative p (err gets the message).
 * Ownership: p is borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_path_ismount(const char *p, bt_err *err);

/**
 * The size of a file in bytes (following links).
 *
 * Python: os.path.getsize(p).
 * Returns: 0 and *size, or -errno with Python's message in err ("[Errno 2]
 *   No such file or directory: 'x'").
 * Ownership: p is borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_path_getsize(const char *p, int64_t *size, bt_err *err);

/**
 * A file's modification, access and inode change times (following links),
 * as seconds since the epoch in a double, computed as Python does (whole
 * seconds + nanoseconds * 1e-9, so the double is bit for bit Python's).
 *
 * Python: os.path.getmtime(p), os.path.getatime(p), os.path.getctime(p).
 * Returns: 0 and *t, or -errno with Python's message in err.
 * Ownership: p is borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_path_getmtime(const char *p, double *t, bt_err *err);
BT_API int bt_path_getatime(const char *p, double *t, bt_err *err);
BT_API int bt_path_getctime(const char *p, double *t, bt_err *err);

/**
 * The same times as exact integers of nanoseconds since the epoch.
 *
 * Python: os.stat(p).st_mtime_ns, st_atime_ns, st_ctime_ns (os.path has no
 *   _ns form).
 * Returns: 0 and *ns, or -errno with Python's message in err.
 * Ownership: p is borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_path_getmtime_ns(const char *p, int64_t *ns, bt_err *err);
BT_API int bt_path_getatime_ns(const char *p, int64_t *ns, bt_err *err);
BT_API int bt_path_getctime_ns(const char *p, int64_t *ns, bt_err *err);

/**
 * Whether two paths name the same file (same device and inode, following
 * links).
 *
 * Python: os.path.samefile(a, b).
 * Returns: 1 or 0, or -errno with Python's message (naming the path whose
 *   stat failed) in err.
 * Ownership: a and b are borrowed; err is the caller's (may be NULL).
 * Thread safety: safe.
 */
BT_API int bt_path_samefile(const char *a, const char *b, bt_err *err);

/**
 * Whether two open file descriptors refer to the same file.
 *
 * Python: os.path.sameopenfile(fd1, fd2).
 * Returns: 1 or 0, or -errno (err: "[Errno 9] Bad file descriptor").
 * Ownership: the descriptors stay the caller's; err may be NULL.
 * Thread safety: safe.
 */
BT_API int bt_path_sameopenfile(int fd1, int fd2, bt_err *err);

/**
 * Whether two stat results describe the same file (same st_dev and st_ino).
 *
 * Python: os.path.samestat(s1, s2).
 * Returns: true or false.
 * Ownership: a and b are borrowed (include <sys/stat.h> to make them).
 * Thread safety: safe.
 */
BT_API bool bt_path_samestat(const struct stat *a, const struct stat *b);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_PATH_H */
