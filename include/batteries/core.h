/*
 * batteries/core.h — what every module stands on: error codes, the error
 * context, the allocator hook, the byte buffer, the string vector, UTF-8 and
 * Python's repr().
 *
 * Conventions used in every batteries header (see DESIGN.md):
 *  - A fallible function returns int (or ptrdiff_t): >= 0 on success, a
 *    negative BT_E* code on failure. OS errors are -errno.
 *  - Arguments are borrowed for the call; the caller owns what is returned.
 *  - Text is UTF-8 with an explicit length.
 */
#ifndef BATTERIES_CORE_H
#define BATTERIES_CORE_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <batteries/version.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(BT_STATIC_BUILD) || !defined(__GNUC__)
#define BT_API
#else
#define BT_API __attribute__((visibility("default")))
#endif

#if defined(__GNUC__)
#define BT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#define BT_NODISCARD __attribute__((warn_unused_result))
#else
#define BT_PRINTF(fmt, args)
#define BT_NODISCARD
#endif

/* ------------------------------------------------------------------------ */
/* Version                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * The library's version as a string, "MAJOR.MINOR.PATCH".
 *
 * Python: like sys.version for the library.
 * Returns: a static string; never NULL.
 * Ownership: static storage, never freed.
 * Thread safety: safe.
 */
BT_API const char *bt_version(void);

/**
 * The library's version as MAJOR * 10000 + MINOR * 100 + PATCH, to compare
 * the library a program runs with against BT_VERSION_NUMBER it was built with.
 *
 * Python: like sys.hexversion.
 * Returns: the number, always > 0.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API int bt_version_number(void);

/* ------------------------------------------------------------------------ */
/* Error codes                                                               */
/* ------------------------------------------------------------------------ */

/*
 * OS errors are -errno. The X-macro lists the errno values that get a BT_
 * name and the Python exception class CPython raises for them (the OSError
 * subclasses of PEP 3151). Any other errno is still a valid code (-errno),
 * reported as "OSError".
 */
#define BT_OS_ERRORS(X)                                                        \
    X(EPERM, "PermissionError")                                                \
    X(ENOENT, "FileNotFoundError")                                             \
    X(ESRCH, "ProcessLookupError")                                             \
    X(EINTR, "InterruptedError")                                               \
    X(EIO, "OSError")                                                          \
    X(ENXIO, "OSError")                                                        \
    X(E2BIG, "OSError")                                                        \
    X(ENOEXEC, "OSError")                                                      \
    X(EBADF, "OSError")                                                        \
    X(ECHILD, "ChildProcessError")                                             \
    X(EAGAIN, "BlockingIOError")                                               \
    X(ENOMEM, "MemoryError")                                                   \
    X(EACCES, "PermissionError")                                               \
    X(EFAULT, "OSError")                                                       \
    X(EBUSY, "OSError")                                                        \
    X(EEXIST, "FileExistsError")                                               \
    X(EXDEV, "OSError")                                                        \
    X(ENODEV, "OSError")                                                       \
    X(ENOTDIR, "NotADirectoryError")                                           \
    X(EISDIR, "IsADirectoryError")                                             \
    X(EINVAL, "OSError")                                                       \
    X(ENFILE, "OSError")                                                       \
    X(EMFILE, "OSError")                                                       \
    X(ENOTTY, "OSError")                                                       \
    X(ETXTBSY, "OSError")                                                      \
    X(EFBIG, "OSError")                                                        \
    X(ENOSPC, "OSError")                                                       \
    X(ESPIPE, "OSError")                                                       \
    X(EROFS, "OSError")                                                        \
    X(EMLINK, "OSError")                                                       \
    X(EPIPE, "BrokenPipeError")                                                \
    X(EDOM, "OSError")                                                         \
    X(ERANGE, "OSError")                                                       \
    X(EDEADLK, "OSError")                                                      \
    X(ENAMETOOLONG, "OSError")                                                 \
    X(ENOSYS, "OSError")                                                       \
    X(ENOTEMPTY, "OSError")                                                    \
    X(ELOOP, "OSError")                                                        \
    X(EOVERFLOW, "OSError")                                                    \
    X(ENOTSOCK, "OSError")                                                     \
    X(EDESTADDRREQ, "OSError")                                                 \
    X(EMSGSIZE, "OSError")                                                     \
    X(EPROTOTYPE, "OSError")                                                   \
    X(ENOPROTOOPT, "OSError")                                                  \
    X(EPROTONOSUPPORT, "OSError")                                              \
    X(EOPNOTSUPP, "OSError")                                                   \
    X(EAFNOSUPPORT, "OSError")                                                 \
    X(EADDRINUSE, "OSError")                                                   \
    X(EADDRNOTAVAIL, "OSError")                                                \
    X(ENETDOWN, "OSError")                                                     \
    X(ENETUNREACH, "OSError")                                                  \
    X(ECONNABORTED, "ConnectionAbortedError")                                  \
    X(ECONNRESET, "ConnectionResetError")                                      \
    X(ENOBUFS, "OSError")                                                      \
    X(EISCONN, "OSError")                                                      \
    X(ENOTCONN, "OSError")                                                     \
    X(ESHUTDOWN, "BrokenPipeError")                                            \
    X(ETIMEDOUT, "TimeoutError")                                               \
    X(ECONNREFUSED, "ConnectionRefusedError")                                  \
    X(EHOSTUNREACH, "OSError")                                                 \
    X(EALREADY, "BlockingIOError")                                             \
    X(EINPROGRESS, "BlockingIOError")                                          \
    X(ECANCELED, "OSError")

/*
 * The library's own codes, one per Python exception the modules raise that is
 * not an OSError. They sit at -1000 and below, far from any errno.
 * X(NAME, value, "Python exception", "default message")
 */
#define BT_LIB_ERRORS(X)                                                       \
    X(BT_EVALUE, -1000, "ValueError", "invalid value")                         \
    X(BT_ETYPE, -1001, "TypeError", "wrong type")                              \
    X(BT_EOVERFLOWERR, -1002, "OverflowError", "number out of range")          \
    X(BT_EKEY, -1003, "KeyError", "key not found")                             \
    X(BT_EINDEX, -1004, "IndexError", "index out of range")                    \
    X(BT_EUNICODE, -1005, "UnicodeDecodeError", "invalid UTF-8")               \
    X(BT_ENOTIMPL, -1006, "NotImplementedError", "not implemented")            \
    X(BT_ERUNTIME, -1007, "RuntimeError", "runtime error")                     \
    X(BT_EPARSE, -1008, "SyntaxError", "parse error")                          \
    X(BT_ESTRUCT, -1009, "struct.error", "struct error")                       \
    X(BT_ERE, -1010, "re.error", "regular expression error")                   \
    X(BT_ECALLEDPROCESS, -1011, "subprocess.CalledProcessError",               \
      "command returned non-zero exit status")                                 \
    X(BT_ETIMEOUTEXPIRED, -1012, "subprocess.TimeoutExpired",                  \
      "command timed out")                                                     \
    X(BT_EEMPTY, -1013, "queue.Empty", "queue is empty")                       \
    X(BT_EFULL, -1014, "queue.Full", "queue is full")                          \
    X(BT_ECLOSED, -1015, "queue.ShutDown", "shut down")                      \
    X(BT_ECANCELLED, -1016, "concurrent.futures.CancelledError", "cancelled")  \
    X(BT_EBROKEN, -1017, "concurrent.futures.BrokenExecutor",                  \
      "executor is broken")                                                    \
    X(BT_EARGUMENT, -1018, "argparse.ArgumentError", "bad argument")           \
    X(BT_EGAI, -1019, "socket.gaierror", "address lookup failed")              \
    X(BT_ESHUTIL, -1020, "shutil.Error", "shutil error")                       \
    X(BT_ESTOP, -1021, "StopIteration", "no more items")                       \
    X(BT_EINTERRUPT, -1022, "KeyboardInterrupt", "interrupted")                \
    X(BT_EGETOPT, -1023, "getopt.GetoptError", "bad command line option")      \
    X(BT_EINCOMPLETE, -1040, "asyncio.IncompleteReadError",                    \
      "incomplete read")                                                       \
    X(BT_EINVALIDSTATE, -1050, "concurrent.futures.InvalidStateError",         \
      "invalid state")                                                         \
    X(BT_EEOF, -1055, "EOFError", "end of file")

/* BT_ENOENT == -ENOENT, ...: the named OS codes. */
enum bt_os_error {
#define BT__OS_ENUM(name, py) BT_##name = -(name),
    BT_OS_ERRORS(BT__OS_ENUM)
#undef BT__OS_ENUM
};

/* BT_EVALUE, BT_ETYPE, ...: the library's codes. */
enum bt_lib_error {
#define BT__LIB_ENUM(name, value, py, msg) name = (value),
    BT_LIB_ERRORS(BT__LIB_ENUM)
#undef BT__LIB_ENUM
};

/**
 * The message for an error code: strerror's text for -errno, the library's
 * default message for a library code ("invalid value" for BT_EVALUE).
 *
 * Python: the strerror part of str(OSError(...)); for library codes, a generic
 *   text (the precise message lives in bt_err.msg).
 * Returns: a static string, never NULL; "Unknown error <n>" style text for a
 *   code that is neither, "Success" for 0.
 * Ownership: static storage, never freed.
 * Thread safety: safe (never uses strerror's shared buffer).
 */
BT_API const char *bt_strerror(int code);

/**
 * The Python exception a code stands for: "FileNotFoundError" for BT_ENOENT,
 * "ValueError" for BT_EVALUE, "OSError" for an errno without a subclass.
 *
 * Python: type(exc).__name__ (qualified for module exceptions, e.g.
 *   "struct.error").
 * Returns: a static string, never NULL ("" for 0, "OSError" for an unknown
 *   negative code).
 * Ownership: static storage, never freed.
 * Thread safety: safe.
 */
BT_API const char *bt_errname(int code);

/**
 * The C name of a code: "ENOENT" for -ENOENT, "BT_EVALUE" for BT_EVALUE.
 *
 * Python: errno.errorcode[n] for OS codes.
 * Returns: a static string, never NULL ("" for 0 or an unknown code).
 * Ownership: static storage, never freed.
 * Thread safety: safe.
 */
BT_API const char *bt_errsym(int code);

/* ------------------------------------------------------------------------ */
/* Error context                                                             */
/* ------------------------------------------------------------------------ */

#define BT_ERR_MSG_SIZE 512

/*
 * Context for a failure, filled by functions that take a `bt_err *err`
 * (which may always be NULL). Caller-owned; filling it never allocates.
 *  code: 0 or the negative code the function returned.
 *  pos:  byte offset at fault in the input the function parsed, or -1.
 *  msg:  Python's message ("missing ), unterminated subpattern at position
 *        0"); NUL-terminated, truncated to fit.
 */
typedef struct bt_err {
    int code;
    ptrdiff_t pos;
    char msg[BT_ERR_MSG_SIZE];
} bt_err;

#define BT_ERR_INIT {0, -1, {0}}

/**
 * Resets an error context to "no error" (code 0, pos -1, empty message).
 *
 * Python: no equivalent (exceptions need no reset).
 * Returns: nothing. Accepts NULL (does nothing).
 * Ownership: err is caller-owned.
 * Thread safety: safe on distinct contexts.
 */
BT_API void bt_err_clear(bt_err *err);

/**
 * Fills err with a code, a byte position (-1 for none) and a printf-formatted
 * message, and returns the code, so a function can `return bt_err_setf(...)`.
 *
 * Python: raise Exc(msg).
 * Returns: code, unchanged. err may be NULL (then only returns code).
 * Ownership: err is caller-owned; fmt and its arguments are borrowed.
 * Thread safety: safe on distinct contexts.
 */
BT_API int bt_err_setf(bt_err *err, int code, ptrdiff_t pos, const char *fmt,
                       ...) BT_PRINTF(4, 5);

/**
 * Fills err the way str(OSError) reads:
 * "[Errno 2] No such file or directory: 'x'", with " -> 'y'" when a second
 * file name is given; file names are quoted with Python's repr(). code must
 * be an OS code (-errno).
 *
 * Python: OSError(errno, strerror, filename, winerror, filename2).
 * Returns: code, unchanged. err may be NULL.
 * Ownership: file names are borrowed NUL-terminated strings, may be NULL.
 * Thread safety: safe on distinct contexts.
 */
BT_API int bt_err_oserror(bt_err *err, int code, const char *filename,
                          const char *filename2);

/* ------------------------------------------------------------------------ */
/* Allocator hook                                                            */
/* ------------------------------------------------------------------------ */

/*
 * Every allocation the library makes goes through these three functions.
 * realloc(NULL, n) must behave as malloc(n); free(NULL) must do nothing.
 */
typedef struct bt_allocator {
    void *(*malloc)(size_t size, void *ctx);
    void *(*realloc)(void *ptr, size_t size, void *ctx);
    void (*free)(void *ptr, void *ctx);
    void *ctx;
} bt_allocator;

/**
 * Installs the allocator every later allocation and free goes through; NULL
 * restores libc's malloc/realloc/free. Memory must be freed by the allocator
 * that allocated it, so install it before using the library.
 *
 * Python: like PyMem_SetAllocator.
 * Returns: nothing.
 * Ownership: *a is copied; ctx stays the caller's.
 * Thread safety: not safe against concurrent library calls: call it before
 *   starting threads that use the library.
 */
BT_API void bt_set_allocator(const bt_allocator *a);

/**
 * Copies the allocator in use into *out.
 *
 * Python: like PyMem_GetAllocator.
 * Returns: nothing.
 * Ownership: *out is caller-owned.
 * Thread safety: safe when no thread calls bt_set_allocator.
 */
BT_API void bt_get_allocator(bt_allocator *out);

/**
 * Allocate, resize and free through the installed allocator. Strings and
 * arrays the library returns are freed with bt_free. bt_calloc checks
 * n * size for overflow; bt_realloc(p, 0) frees p and returns NULL.
 *
 * Python: PyMem_Malloc, PyMem_Calloc, PyMem_Realloc, PyMem_Free.
 * Returns: the memory, or NULL when out of memory (bt_realloc then leaves p
 *   untouched).
 * Ownership: the caller owns the memory; bt_free accepts NULL.
 * Thread safety: safe when the installed allocator is.
 */
BT_API void *bt_malloc(size_t size);
BT_API void *bt_calloc(size_t n, size_t size);
BT_API void *bt_realloc(void *p, size_t size);
BT_API void bt_free(void *p);

/**
 * Copies n bytes (bt_memdup), a NUL-terminated string (bt_strdup) or its
 * first n bytes (bt_strndup) into new memory; the string copies are
 * NUL-terminated.
 *
 * Python: bytes(b), str(s), s[:n].
 * Returns: the copy, or NULL when out of memory.
 * Ownership: the caller frees the copy with bt_free.
 * Thread safety: safe.
 */
BT_API void *bt_memdup(const void *p, size_t n);
BT_API char *bt_strdup(const char *s);
BT_API char *bt_strndup(const char *s, size_t n);

/* ------------------------------------------------------------------------ */
/* Byte buffer                                                               */
/* ------------------------------------------------------------------------ */

/*
 * A growable byte buffer, Python's bytearray for building output.
 * data is NULL until the first byte is added; afterwards data[len] == 0
 * always, so the contents double as a C string when they hold no NUL.
 * Fields are readable; change them only through the functions.
 */
typedef struct bt_buf {
    char *data;
    size_t len;
    size_t cap;
} bt_buf;

#define BT_BUF_INIT {NULL, 0, 0}

/**
 * Initializes an empty buffer (same as = BT_BUF_INIT). Does not allocate.
 *
 * Python: bytearray().
 * Returns: nothing.
 * Ownership: b is caller-allocated; release with bt_buf_fini.
 * Thread safety: safe on distinct buffers.
 */
BT_API void bt_buf_init(bt_buf *b);

/**
 * Frees the buffer's memory and leaves it empty and reusable.
 *
 * Python: del b.
 * Returns: nothing. Accepts NULL.
 * Ownership: frees b->data.
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API void bt_buf_fini(bt_buf *b);

/**
 * Ensures room for `extra` more bytes (plus the trailing NUL) without
 * another allocation.
 *
 * Python: no equivalent (bytearray grows by itself).
 * Returns: 0, or BT_ENOMEM (the buffer is unchanged).
 * Ownership: b stays the caller's.
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API int bt_buf_reserve(bt_buf *b, size_t extra);

/**
 * Appends n bytes (bt_buf_append), a NUL-terminated string without its NUL
 * (bt_buf_append_str) or one byte (bt_buf_append_byte).
 *
 * Python: bytearray.extend(data), bytearray.append(byte).
 * Returns: 0, or BT_ENOMEM (the buffer is unchanged).
 * Ownership: p and s are borrowed; they may point into the buffer itself.
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API int bt_buf_append(bt_buf *b, const void *p, size_t n);
BT_API int bt_buf_append_str(bt_buf *b, const char *s);
BT_API int bt_buf_append_byte(bt_buf *b, unsigned char c);

/**
 * Appends printf-formatted text.
 *
 * Python: b += (fmt % args).encode().
 * Returns: 0, BT_ENOMEM, or BT_EVALUE for a format vsnprintf rejects; the
 *   buffer is unchanged on failure.
 * Ownership: fmt and arguments borrowed (not from the buffer itself).
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API int bt_buf_printf(bt_buf *b, const char *fmt, ...) BT_PRINTF(2, 3);
BT_API int bt_buf_vprintf(bt_buf *b, const char *fmt, va_list ap)
    BT_PRINTF(2, 0);

/**
 * Empties the buffer (len = 0) but keeps its memory for reuse.
 *
 * Python: b.clear().
 * Returns: nothing.
 * Ownership: b stays the caller's.
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API void bt_buf_clear(bt_buf *b);

/**
 * Takes the contents out of the buffer: the caller gets the NUL-terminated
 * data and the buffer is left empty, as after bt_buf_init. An empty buffer
 * yields a fresh "" (so the result is never NULL on success).
 *
 * Python: bytes(b) without the copy.
 * Returns: the data, or NULL when out of memory (only possible for an empty
 *   buffer that never allocated; the buffer is then unchanged). *len (if not
 *   NULL) gets the length.
 * Ownership: the caller frees the result with bt_free.
 * Thread safety: not safe on a buffer another thread uses.
 */
BT_API char *bt_buf_take(bt_buf *b, size_t *len);

/* ------------------------------------------------------------------------ */
/* String vector                                                             */
/* ------------------------------------------------------------------------ */

/*
 * An owned list of byte strings: what split, glob and listdir return.
 * items[i] points at a NUL-terminated copy of lens[i] bytes (which may
 * contain NULs), and items[count] == NULL, so items is a ready argv.
 * Strings live in chunks owned by the vector; their addresses never move
 * while the vector lives, even as it grows.
 * Fields are readable; change them only through the functions.
 */
typedef struct bt_strvec {
    char **items;
    size_t *lens;
    size_t count;
    size_t cap;
    void *chunks; /* private */
} bt_strvec;

#define BT_STRVEC_INIT {NULL, NULL, 0, 0, NULL}

/**
 * Initializes an empty vector (same as = BT_STRVEC_INIT). Does not allocate;
 * while empty and never grown, items is NULL.
 *
 * Python: [].
 * Returns: nothing.
 * Ownership: v is caller-allocated; release with bt_strvec_fini.
 * Thread safety: safe on distinct vectors.
 */
BT_API void bt_strvec_init(bt_strvec *v);

/**
 * Frees every string and the arrays, leaving an empty reusable vector.
 *
 * Python: del v.
 * Returns: nothing. Accepts NULL.
 * Ownership: frees everything the vector holds.
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API void bt_strvec_fini(bt_strvec *v);

/**
 * Appends a copy of n bytes (bt_strvec_append) or of a NUL-terminated string
 * (bt_strvec_append_str).
 *
 * Python: v.append(s).
 * Returns: 0, or BT_ENOMEM (the vector is unchanged).
 * Ownership: s is borrowed and copied; it may be one of v's own items.
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API int bt_strvec_append(bt_strvec *v, const char *s, size_t n);
BT_API int bt_strvec_append_str(bt_strvec *v, const char *s);

/**
 * Inserts a copy of n bytes before index i (0 <= i <= count).
 *
 * Python: v.insert(i, s), without Python's clamping of out-of-range i.
 * Returns: 0, BT_EINDEX when i > count, or BT_ENOMEM (vector unchanged).
 * Ownership: s is borrowed and copied.
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API int bt_strvec_insert(bt_strvec *v, size_t i, const char *s, size_t n);

/**
 * Removes item i, shifting later items down (its bytes are released when the
 * vector is finalized).
 *
 * Python: del v[i].
 * Returns: 0, or BT_EINDEX when i >= count.
 * Ownership: the removed string's pointer is no longer valid for the caller
 *   to index through the vector (its memory stays until bt_strvec_fini).
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API int bt_strvec_remove(bt_strvec *v, size_t i);

/**
 * Empties the vector but keeps its arrays for reuse; string storage is
 * released.
 *
 * Python: v.clear().
 * Returns: nothing.
 * Ownership: invalidates every item pointer.
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API void bt_strvec_clear(bt_strvec *v);

/**
 * Sorts the items in place by bytes (memcmp, shorter first on a tie), which
 * for UTF-8 text is Python's code point order.
 *
 * Python: v.sort() on a list of str or of bytes.
 * Returns: 0, or BT_ENOMEM (the order is then unchanged).
 * Ownership: items keep their addresses; only the order changes.
 * Thread safety: not safe on a vector another thread uses.
 */
BT_API int bt_strvec_sort(bt_strvec *v);

/**
 * The index of the first item equal to the n bytes s.
 *
 * Python: v.index(s).
 * Returns: the index (>= 0), or BT_EVALUE when absent.
 * Ownership: s is borrowed.
 * Thread safety: safe while no thread modifies v.
 */
BT_API ptrdiff_t bt_strvec_index(const bt_strvec *v, const char *s, size_t n);

/**
 * Appends the items joined by sep to out.
 *
 * Python: sep.join(v).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: v and sep are borrowed; out stays the caller's.
 * Thread safety: safe while no thread modifies v or out.
 */
BT_API int bt_strvec_join(const bt_strvec *v, const char *sep, size_t seplen,
                          bt_buf *out);

/* ------------------------------------------------------------------------ */
/* UTF-8                                                                     */
/* ------------------------------------------------------------------------ */

/**
 * Checks that n bytes are well-formed UTF-8 as Python's strict decoder
 * defines it (no surrogates, no overlongs, nothing above U+10FFFF).
 *
 * Python: bytes(s).decode('utf-8') raising or not.
 * Returns: 0 when valid, BT_EUNICODE when not; then err (may be NULL) gets
 *   pos = the first bad byte and Python's message, e.g. "'utf-8' codec can't
 *   decode byte 0xff in position 3: invalid start byte".
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API int bt_utf8_validate(const void *s, size_t n, bt_err *err);

/**
 * Decodes the code point at the start of s (n > 0 bytes).
 *
 * Python: s.decode('utf-8')[0], one character at a time.
 * Returns: the code point (0..0x10FFFF) and *adv = its length in bytes; or -1
 *   for an invalid sequence, with *adv = the length of the bad part as Python
 *   counts it (UnicodeDecodeError.end - start, at least 1), so decoding can
 *   resume after it.
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API int32_t bt_utf8_decode(const void *s, size_t n, size_t *adv);

/**
 * Encodes code point cp as UTF-8 into out.
 *
 * Python: chr(cp).encode('utf-8').
 * Returns: the number of bytes written (1..4), or 0 when cp is a surrogate
 *   (U+D800..U+DFFF) or above U+10FFFF (Python's strict encoder refuses both).
 * Ownership: out is caller-owned, at least 4 bytes.
 * Thread safety: safe.
 */
BT_API size_t bt_utf8_encode(uint32_t cp, char out[4]);

/**
 * Counts the code points in n bytes of UTF-8: Python's len() of the str, and
 * the way to turn a byte offset into Python's character index (count the
 * bytes before it).
 *
 * Python: len(s.decode('utf-8')).
 * Returns: the count, or BT_EUNICODE when the bytes are not valid UTF-8.
 * Ownership: s is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_utf8_count(const void *s, size_t n);

/* ------------------------------------------------------------------------ */
/* repr                                                                      */
/* ------------------------------------------------------------------------ */

/**
 * Appends Python's repr() of a str given as UTF-8: quotes chosen as Python
 * chooses them, \\ \n \r \t and \xNN / \uNNNN / \UNNNNNNNN escapes for
 * characters str.isprintable() rejects (Unicode 14 tables, as Python 3.11).
 * Bytes that are not valid UTF-8 are shown as the surrogates Python's
 * file system decoding makes of them (\udcNN, 'surrogateescape').
 *
 * Python: repr(s).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: s is borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_repr_str(bt_buf *out, const char *s, size_t n);

/**
 * Appends Python's repr() of a bytes object: b'...', printable ASCII as is,
 * \\ \n \r \t, \xNN for the rest.
 *
 * Python: repr(b).
 * Returns: 0, or BT_ENOMEM (out is unchanged).
 * Ownership: p is borrowed; out stays the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_repr_bytes(bt_buf *out, const void *p, size_t n);

/**
 * Whether code point cp is printable as Python 3.11 defines it (not in
 * categories Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs, except the space U+0020).
 *
 * Python: chr(cp).isprintable().
 * Returns: true or false (false above U+10FFFF).
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API bool bt_unicode_isprintable(uint32_t cp);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_CORE_H */
