/*
 * batteries/struct.h — Python's struct module: binary records to and from
 * values, with Python 3.11's format strings, sizes, alignment and messages.
 *
 * Values travel as an array of typed items, never as varargs, so a C
 * programmer cannot pass a double where an int64 is read:
 *
 *   bt_struct_item v[] = {bt_struct_uint(1), bt_struct_uint(2), bt_struct_int(-3)};
 *   unsigned char out[14];
 *   bt_struct_pack_fmt("!IHq", v, 3, out, sizeof out, &err);   // 14 bytes
 *
 * Python -> C mapping of a format character to the item kind unpack gives
 * (pack accepts the kinds Python would accept, see bt_struct_item):
 *   x                  pad byte, no item
 *   c s p              BT_STRUCT_BYTES (c: length 1; s, p: the string)
 *   b h i l q n        BT_STRUCT_INT   (int64_t)
 *   B H I L Q N P      BT_STRUCT_UINT  (uint64_t)
 *   ?                  BT_STRUCT_BOOL
 *   e f d              BT_STRUCT_DOUBLE
 * n N P exist only in native mode ('@', the default), as in Python.
 *
 * Errors: BT_ESTRUCT for struct.error, BT_EOVERFLOWERR for OverflowError
 * (float too large for 'e' or 'f'); the bt_err message is Python's word for
 * word ("bad char in struct format", "'h' format requires ...").
 */
#ifndef BATTERIES_STRUCT_H
#define BATTERIES_STRUCT_H

#include <batteries/core.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What an item holds. */
typedef enum bt_struct_kind {
    BT_STRUCT_INT = 1, /* v.i: a Python int in int64_t range */
    BT_STRUCT_UINT,    /* v.u: a Python int in uint64_t range */
    BT_STRUCT_DOUBLE,  /* v.d: a Python float */
    BT_STRUCT_BOOL,    /* v.b: a Python bool (an int for integer codes) */
    BT_STRUCT_BYTES    /* v.bytes: a Python bytes object */
} bt_struct_kind;

/*
 * One value. Pack reads the value, not the kind: INT 5 and UINT 5 are the
 * same Python int, and the range checks are Python's. Integer codes accept
 * INT, UINT and BOOL; float codes also accept those (converted as float()
 * does); '?' accepts anything (its truth value); c, s, p need BYTES.
 * Unpacked BYTES point into the buffer that was unpacked (no copy).
 */
typedef struct bt_struct_item {
    bt_struct_kind kind;
    union {
        int64_t i;
        uint64_t u;
        double d;
        bool b;
        struct {
            const void *data;
            size_t len;
        } bytes;
    } v;
} bt_struct_item;

/* Item constructors: bt_struct_int(-1), bt_struct_bytes("ab", 2), ... */
static inline bt_struct_item bt_struct_int(int64_t v)
{
    bt_struct_item it;
    it.kind = BT_STRUCT_INT;
    it.v.i = v;
    return it;
}

static inline bt_struct_item bt_struct_uint(uint64_t v)
{
    bt_struct_item it;
    it.kind = BT_STRUCT_UINT;
    it.v.u = v;
    return it;
}

static inline bt_struct_item bt_struct_double(double v)
{
    bt_struct_item it;
    it.kind = BT_STRUCT_DOUBLE;
    it.v.d = v;
    return it;
}

static inline bt_struct_item bt_struct_bool(bool v)
{
    bt_struct_item it;
    it.kind = BT_STRUCT_BOOL;
    it.v.b = v;
    return it;
}

static inline bt_struct_item bt_struct_bytes(const void *data, size_t len)
{
    bt_struct_item it;
    it.kind = BT_STRUCT_BYTES;
    it.v.bytes.data = data;
    it.v.bytes.len = len;
    return it;
}

/* A compiled format: Python's struct.Struct. Immutable once made. */
typedef struct bt_struct bt_struct;

/**
 * Compiles a format string once, for packing and unpacking many times: the
 * fast path.
 *
 * Python: struct.Struct(format).
 * Returns: 0 and *out, or BT_ESTRUCT with Python's message in err ("bad char
 *   in struct format", "repeat count given without format specifier",
 *   "total struct size too long"), or BT_ENOMEM.
 * Ownership: format (NUL-terminated) is copied; free *out with
 *   bt_struct_free.
 * Thread safety: safe; the compiled struct may be shared by threads.
 */
BT_API int bt_struct_new(const char *format, bt_struct **out, bt_err *err);

/**
 * Frees a compiled struct.
 *
 * Python: del s.
 * Returns: nothing. Accepts NULL.
 * Ownership: s is invalid afterwards; unpacked items never pointed into it.
 * Thread safety: no other thread may be using s.
 */
BT_API void bt_struct_free(bt_struct *s);

/**
 * The number of bytes a record takes.
 *
 * Python: Struct.size, struct.calcsize(format).
 * Returns: the size.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_struct_size(const bt_struct *s);

/**
 * The format string the struct was made from.
 *
 * Python: Struct.format.
 * Returns: a NUL-terminated string.
 * Ownership: borrowed until bt_struct_free(s).
 * Thread safety: safe.
 */
BT_API const char *bt_struct_format(const bt_struct *s);

/**
 * The number of values a record holds: what pack takes and unpack gives.
 *
 * Python: len(struct.unpack(format, data)).
 * Returns: the count.
 * Ownership: nothing to free.
 * Thread safety: safe.
 */
BT_API size_t bt_struct_count(const bt_struct *s);

/**
 * Packs n items into out (outlen >= bt_struct_size(s)); pad bytes are zero.
 * Fastest when each item has the kind unpack gives for its code (INT for
 * b h i l q n, UINT for B H I L Q N, DOUBLE for e f d); the other integer
 * kind is accepted too, a little slower (docs/struct.md, Performance).
 *
 * Python: Struct.pack(*values).
 * Returns: the number of bytes written (the size), or BT_ESTRUCT ("pack
 *   expected 3 items for packing (got 2)", "'h' format requires -32768 <=
 *   number <= 32767", "argument out of range", "required argument is not an
 *   integer", "required argument is not a float", "char format requires a
 *   bytes object of length 1", "argument for 's' must be a bytes object",
 *   "pack requires a buffer of at least 8 bytes (actual buffer size is 4)"),
 *   or BT_EOVERFLOWERR ("float too large to pack with f format"). On error
 *   the contents of out are unspecified.
 * Ownership: items (and the bytes they point to) and out are the caller's.
 * Thread safety: safe on distinct output buffers.
 */
BT_API ptrdiff_t bt_struct_pack(const bt_struct *s, const bt_struct_item *items,
                                size_t n, void *out, size_t outlen,
                                bt_err *err);

/**
 * Packs n items into buf at offset; a negative offset counts from the end of
 * buf, as in Python.
 *
 * Python: Struct.pack_into(buffer, offset, *values).
 * Returns: 0, or the errors of bt_struct_pack, or BT_ESTRUCT with Python's
 *   offset messages and "pack_into expected 3 items for packing (got 2)"
 *   ("offset -5 out of range for 3-byte buffer", "no space to
 *   pack 4 bytes at offset -2", "pack_into requires a buffer of at least 5
 *   bytes for packing 4 bytes at offset 1 (actual buffer size is 3)").
 * Ownership: the caller's.
 * Thread safety: safe on distinct buffers.
 */
BT_API int bt_struct_pack_into(const bt_struct *s, void *buf, size_t buflen,
                               ptrdiff_t offset, const bt_struct_item *items,
                               size_t n, bt_err *err);

/**
 * Unpacks a record of exactly bt_struct_size(s) bytes into items.
 *
 * Python: Struct.unpack(buffer).
 * Returns: the number of items (bt_struct_count(s)), BT_ESTRUCT ("unpack
 *   requires a buffer of 4 bytes"), or BT_EVALUE when cap is smaller than
 *   bt_struct_count(s).
 * Ownership: BYTES items point into buf: valid while buf is.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_struct_unpack(const bt_struct *s, const void *buf,
                                  size_t len, bt_struct_item *items, size_t cap,
                                  bt_err *err);

/**
 * Unpacks a record starting at offset (negative: from the end); the buffer
 * may be longer than the record.
 *
 * Python: Struct.unpack_from(buffer, offset).
 * Returns: the number of items, BT_ESTRUCT with Python's messages ("offset
 *   -5 out of range for 2-byte buffer", "unpack_from requires a buffer of at
 *   least 5 bytes for unpacking 4 bytes at offset 1 (actual buffer size is
 *   2)"), or BT_EVALUE when cap is too small.
 * Ownership: BYTES items point into buf.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_struct_unpack_from(const bt_struct *s, const void *buf,
                                       size_t len, ptrdiff_t offset,
                                       bt_struct_item *items, size_t cap,
                                       bt_err *err);

/* State of an iter_unpack loop; fields are private. */
typedef struct bt_struct_iter {
    const bt_struct *s;
    const unsigned char *buf;
    size_t len;
    size_t pos;
} bt_struct_iter;

/**
 * Starts unpacking consecutive records from buf, whose length must be a
 * multiple of the record size.
 *
 * Python: Struct.iter_unpack(buffer).
 * Returns: 0, or BT_ESTRUCT ("iterative unpacking requires a buffer of a
 *   multiple of 4 bytes", "cannot iteratively unpack with a struct of length
 *   0").
 * Ownership: it borrows s and buf for the whole loop.
 * Thread safety: safe on distinct iterators.
 */
BT_API int bt_struct_iter_unpack(const bt_struct *s, const void *buf,
                                 size_t len, bt_struct_iter *it, bt_err *err);

/**
 * Unpacks the next record of an iter_unpack loop into items.
 *
 * Python: next(iterator).
 * Returns: 1 with the record's items, 0 at the end (StopIteration), or
 *   BT_EVALUE when cap < bt_struct_count(s).
 * Ownership: BYTES items point into the buffer.
 * Thread safety: safe on distinct iterators.
 */
BT_API int bt_struct_iter_next(bt_struct_iter *it, bt_struct_item *items,
                               size_t cap);

/**
 * The size of the record a format describes.
 *
 * Python: struct.calcsize(format).
 * Returns: the size (>= 0), or BT_ESTRUCT with the message in err.
 * Ownership: format is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_struct_calcsize(const char *format, bt_err *err);

/**
 * One-shot forms that take the format string, as the struct module's
 * functions do: each compiles the format (without allocating for formats of
 * up to 32 codes) and runs the same code as the compiled forms. Compile once
 * with bt_struct_new when packing in a loop.
 *
 * Python: struct.pack, struct.pack_into, struct.unpack, struct.unpack_from.
 * Returns: as bt_struct_pack, bt_struct_pack_into, bt_struct_unpack and
 *   bt_struct_unpack_from, plus the format errors of bt_struct_new.
 * Ownership: as those functions; format is borrowed.
 * Thread safety: safe.
 */
BT_API ptrdiff_t bt_struct_pack_fmt(const char *format,
                                    const bt_struct_item *items, size_t n,
                                    void *out, size_t outlen, bt_err *err);
BT_API int bt_struct_pack_into_fmt(const char *format, void *buf, size_t buflen,
                                   ptrdiff_t offset,
                                   const bt_struct_item *items, size_t n,
                                   bt_err *err);
BT_API ptrdiff_t bt_struct_unpack_fmt(const char *format, const void *buf,
                                      size_t len, bt_struct_item *items,
                                      size_t cap, bt_err *err);
BT_API ptrdiff_t bt_struct_unpack_from_fmt(const char *format, const void *buf,
                                           size_t len, ptrdiff_t offset,
                                           bt_struct_item *items, size_t cap,
                                           bt_err *err);

#ifdef __cplusplus
}
#endif

#endif /* BATTERIES_STRUCT_H */
