/*
 * batteries/glob.h — Python's glob and fnmatch modules: shell-style
 * wildcards over names (fnmatch) and over the file system (glob), as
 * CPython 3.11 on Linux.
 *
 * Patterns and names are UTF-8, NUL-terminated (file names cannot hold NUL).
 * A character is one code point; a byte that is not valid UTF-8 counts as
 * one character, as the surrogate Python's file system decoding makes of it.
 *   *       any run of characters, '/' and leading '.' included (fnmatch)
 *   ?       one character
 *   [seq]   one character in seq (ranges a-z), [!seq] one not in it
 * There is no escape character: [*] matches a literal '*'.
 */
#ifndef BATTERIES_GLOB_H
#define BATTERIES_GLOB_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Whether name matches the shell-style pattern, case-sensitively (on POSIX
 * fnmatch and fnmatchcase are the same: normcase changes nothing).
 *
 * Python: fnmatch.fnmatchcase(name, pat), fnmatch.fnmatch(name, pat).
 * Returns: true or false; every pattern is valid.
 * Ownership: both strings are borrowed.
 * Thread safety: safe.
 */
BT_API bool bt_fnmatch_fnmatchcase(const char *name, const char *pat);
BT_API bool bt_fnmatch_fnmatch(const char *name, const char *pat);

/**
 * Appends to out the names that match pat, in their order.
 *
 * Python: fnmatch.filter(names, pat).
 * Returns: 0, or BT_ENOMEM (out may hold some of the matches).
 * Ownership: names and pat are borrowed; out is the caller's.
 * Thread safety: safe while no thread modifies names or out.
 */
BT_API int bt_fnmatch_filter(const bt_strvec *names, const char *pat,
                             bt_strvec *out);

/* Options of bt_glob_glob; start from BT_GLOB_OPTS_INIT. */
typedef struct bt_glob_opts {
    const char *root_dir; /* relative patterns are looked up here (NULL: cwd) */
    int dir_fd;           /* root_dir (or the cwd) is relative to it; -1: none */
    bool recursive;       /* "**" matches any files and zero or more dirs */
    bool include_hidden;  /* wildcards also match names starting with '.' */
} bt_glob_opts;

#define BT_GLOB_OPTS_INIT {NULL, -1, false, false}

/**
 * Appends to out the path names that match pathname, which may be absolute
 * or relative and hold wildcards in any component. Names starting with '.'
 * match only a pattern starting with '.' unless include_hidden. The order is
 * the directories' own (unsorted), as Python's. Unreadable directories are
 * skipped silently, as Python does.
 *
 * Python: glob.glob(pathname, root_dir=, dir_fd=, recursive=,
 *   include_hidden=).
 * Returns: the number of names appended (>= 0), or BT_ENOMEM (out then holds
 *   what was found so far).
 * Ownership: pathname and opts are borrowed (opts may be NULL for the
 *   defaults); out is the caller's.
 * Thread safety: safe on distinct vectors (it reads the file system and, for
 *   relative patterns, the current directory at the time of the call).
 */
BT_API ptrdiff_t bt_glob_glob(const char *pathname, const bt_glob_opts *opts,
                              bt_strvec *out);

/**
 * Whether s holds a wildcard character (*, ? or [).
 *
 * Python: glob.has_magic(s).
 * Returns: true or false.
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API bool bt_glob_has_magic(const char *s);

/**
 * Appends pathname with every wildcard character made literal ('*' becomes
 * '[*]'), so that it matches only itself.
 *
 * Python: glob.escape(pathname).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: pathname is borrowed; out is the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_glob_escape(const char *pathname, bt_buf *out);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_GLOB_H */
