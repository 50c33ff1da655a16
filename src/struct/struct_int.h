/* struct_int.h — the compiled form of a struct format, shared by the
 * parser and the packers. */
#ifndef BATTERIES_STRUCT_INT_H
#define BATTERIES_STRUCT_INT_H

#include <batteries/struct.h>

#include <string.h>

#include "core_int.h"

/* A value of 1, 2, 4 or 8 bytes to and from memory in the given byte order
 * (little: little-endian); with constant arguments each is one move and at
 * most one swap. */
static inline bool bt__struct_host_little(void)
{
    return __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__;
}

static inline __attribute__((always_inline)) void
bt__struct_store(unsigned char *p, uint64_t v, unsigned size, bool little)
{
    if (little != bt__struct_host_little()) {
        switch (size) {
        case 2: v = __builtin_bswap16((uint16_t)v); break;
        case 4: v = __builtin_bswap32((uint32_t)v); break;
        case 8: v = __builtin_bswap64(v); break;
        default: break;
        }
    }
    switch (size) {
    case 1: *p = (unsigned char)v; break;
    case 2: { uint16_t t = (uint16_t)v; memcpy(p, &t, 2); break; }
    case 4: { uint32_t t = (uint32_t)v; memcpy(p, &t, 4); break; }
    default: memcpy(p, &v, 8); break;
    }
}

static inline __attribute__((always_inline)) uint64_t
bt__struct_load(const unsigned char *p, unsigned size, bool little)
{
    uint64_t v;
    switch (size) {
    case 1: return *p;
    case 2: { uint16_t t; memcpy(&t, p, 2); v = t; break; }
    case 4: { uint32_t t; memcpy(&t, p, 4); v = t; break; }
    default: memcpy(&v, p, 8); break;
    }
    if (little != bt__struct_host_little()) {
        switch (size) {
        case 2: v = __builtin_bswap16((uint16_t)v); break;
        case 4: v = __builtin_bswap32((uint32_t)v); break;
        default: v = __builtin_bswap64(v); break;
        }
    }
    return v;
}

typedef struct bt__struct_wop bt__struct_wop;

enum bt__struct_op {
    OP_CHAR,   /* c */
    OP_BOOL,   /* ? */
    OP_STR,    /* s: count is the length */
    OP_PSTR,   /* p: count is the field size */
    OP_INT,    /* b h i l q n: signed, two's complement */
    OP_UINT,   /* B H I L Q N P */
    OP_HALF,   /* e */
    OP_FLOAT,  /* f, with Python's overflow check (standard sizes) */
    OP_FLOATN, /* f in native mode: a plain C cast, no check, as CPython */
    OP_DOUBLE, /* d */
};

/* How an integer code checks its range, with which of Python's messages. */
enum bt__struct_check {
    CHK_NONE,   /* 8-byte codes: every int64/uint64 value of the right sign fits */
    CHK_BYTE,   /* "byte format requires -128 <= number <= 127" */
    CHK_UBYTE,  /* "ubyte format requires 0 <= number <= 255" */
    CHK_SHORT,  /* "short format requires -32768 <= number <= 32767" */
    CHK_USHORT, /* "ushort format requires 0 <= number <= 65535" */
    CHK_RANGE,  /* "'%c' format requires <min> <= number <= <max>" */
    CHK_WIDE,   /* q Q in the non-host byte order: "int too large to convert" */
};

typedef struct bt__struct_code {
    uint8_t op;
    uint8_t check;
    uint8_t size;  /* bytes per value (1 for s and p) */
    bool little;   /* byte order of the stored value */
    bool as_signed; /* P is read as signed when negative (PyLong_AsVoidPtr) */
    char fmt;      /* the format character, for messages */
    size_t count;  /* values (numeric codes) or bytes (s, p) */
    size_t offset; /* of the first value in the record */
} bt__struct_code;

/*
 * The fast path: each code gets a step whose dispatch value names its kind,
 * width and byte order, with the range precomputed, so packing '!IHq' is
 * three jumps to constant-size stores and '<10d' one jump and a tight loop.
 * A value that meets anything unusual (a wrong kind, out of range) goes to
 * its code's general routine, which gives Python's exact error. c, s, p, e
 * and P always take the general routine (STEP_CODE).
 */
enum bt__struct_step_kind { STEP_INT, STEP_UINT, STEP_F64, STEP_F32, STEP_BOOL, STEP_CODE };

/* One dispatch value per (kind, size, byte order), so the pack and unpack
 * loops take a single indirect jump per value, each case a constant-size
 * store. */
#define BT__STEP_OP(kind, size, swap)                                          \
    ((kind) * 8 + ((size) == 1 ? 0 : (size) == 2 ? 2 : (size) == 4 ? 4 : 6) + \
     ((swap) ? 1 : 0))

typedef struct bt__struct_step {
    uint8_t op;    /* BT__STEP_OP(kind, size, swap) */
    uint8_t kind;
    uint8_t size;
    bool swap;     /* byte order differs from the host's */
    bool checked;  /* f: Python's overflow check applies */
    uint32_t code; /* index of the code the step belongs to */
    size_t offset;
    size_t count;  /* values in the run */
    uint8_t shift; /* 64 - 8 * size */
    uint64_t mask; /* the low size bytes */
    int64_t min;   /* STEP_INT range */
    uint64_t max;  /* STEP_INT (as int64) and STEP_UINT range */
} bt__struct_step;

typedef ptrdiff_t (*bt__struct_pack_fn)(const bt_struct *s, const bt_struct_item *items,
                                       size_t n, void *out, size_t outlen, bt_err *err);
typedef ptrdiff_t (*bt__struct_unpack_fn)(const bt_struct *s, const void *buf, size_t len,
                                         bt_struct_item *items, size_t cap, bt_err *err);

/* Records of up to this many fields may get a pack and unpack of their own
 * (special.c). */
#define BT__STRUCT_SPECIAL_MAX 3

/* A field of such a record: the kind unpack gives (and the fast pack takes),
 * for signed fields under 8 bytes the width's sign bit, and what the kind
 * the field also takes gives when xored with its own. */
typedef struct bt__struct_field {
    uint64_t bias;
    uint64_t kind;
    uint64_t other;
} bt__struct_field;

struct bt_struct {
    bt__struct_pack_fn pack;     /* all of bt_struct_pack for this record */
    bt__struct_unpack_fn unpack; /* all of bt_struct_unpack */
    bt__struct_field field[BT__STRUCT_SPECIAL_MAX];
    size_t size;
    size_t nitems;
    size_t ncodes;
    size_t nsteps;
    bool zero_fill; /* some bytes no value writes: pads, alignment, strings */
    size_t nwops;   /* > 0: the wide path applies */
    size_t nfull;   /* wide values whose 8-byte word fits before the record's end */
    int order;      /* wide values: 1 all byte-swapped, 0 none, -1 mixed */
    int fast;       /* which fast form bt_struct_pack takes (BT__STRUCT_FAST_*) */
    bool doubles;   /* the wide record is an array of doubles */
    char *format;
    bt__struct_code *codes;
    bt__struct_step *steps;
    bt__struct_wop *wops;
};

/* bt_struct_pack and bt_struct_unpack for any record, taking every kind
 * pack accepts: the default, and where the special forms hand a record off. */
ptrdiff_t bt__struct_pack_any(const bt_struct *s, const bt_struct_item *items, size_t n,
                              void *out, size_t outlen, bt_err *err);
ptrdiff_t bt__struct_unpack_any(const bt_struct *s, const void *buf, size_t len,
                                bt_struct_item *items, size_t cap, bt_err *err);

/* Picks the special pack and unpack (special.c) of a record of up to
 * BT__STRUCT_SPECIAL_MAX integer or 'd' fields laid end to end in one byte
 * order (filling s->field), or of an array of up to 16 doubles (with SSE2);
 * false (s unchanged) for any other record. Needs the wide descriptors,
 * s->zero_fill, s->order and s->doubles. */
bool bt__struct_special(bt_struct *s);

/* Sets s->pack and s->unpack (the special forms, or a fast form, or the
 * general path) once everything else in s is built. */
void bt__struct_choose(bt_struct *s);

/* Whether a record has bytes no value writes (pads, alignment, strings). */
bool bt__struct_zero_fill(const bt__struct_code *codes, size_t ncodes, size_t size);

/*
 * The wide path, for records made only of integer and 'd' values on a
 * little-endian host: one 8-byte descriptor per value, and each value moved
 * as one 8-byte word, shifted, swapped and masked into place, with no
 * dispatch per value. Its range check is "survives truncation to the
 * width"; anything else goes to the general routine for Python's message.
 */
struct bt__struct_wop {
    int64_t lo, hi;   /* the value's range, as int64 (doubles: everything) */
    uint32_t offset;
    uint8_t shift;    /* 64 - 8 * size */
    bool swap;        /* byte order differs from the host's */
    uint8_t out_kind; /* the kind unpack gives */
    uint16_t code;
    uint8_t kmin, kspan; /* the kinds the fast path takes: kind - kmin <= kspan */
};

/* The fast forms of a compiled record's pack: none (steps or pads), an
 * array of doubles, whole words all swapped / all native, any wide record. */
enum { BT__STRUCT_FAST_NONE, BT__STRUCT_FAST_DOUBLES, BT__STRUCT_FAST_SWAPPED,
       BT__STRUCT_FAST_NATIVE, BT__STRUCT_FAST_WIDE };

/* Records with more values than this take the step path. */
#define BT__STRUCT_WIDE_MAX 256

/* How many wide values, from the first, fit their whole 8-byte word in a
 * record of `size` bytes. */
size_t bt__struct_nfull(const bt__struct_wop *wops, size_t nwops, size_t size);

/* Whether the wide record is doubles back to back in one byte order. */
bool bt__struct_doubles_only(const bt__struct_wop *wops, size_t nwops);

/* Builds the wide descriptors into wops[0..cap); returns how many the
 * record needs, or 0 when it cannot take the wide path. */
size_t bt__struct_wops(const bt__struct_code *codes, const bt__struct_step *steps,
                       size_t nsteps, bt__struct_wop *wops, size_t cap);

/* Builds the steps of codes into steps[0..cap) (one per code); returns how
 * many are needed. */
size_t bt__struct_steps(const bt__struct_code *codes, size_t ncodes,
                        bt__struct_step *steps, size_t cap);

/*
 * Parses format into codes[0..cap). Returns the number of codes needed
 * (which may exceed cap: then call again with room) and fills *size and
 * *nitems, or BT_ESTRUCT with Python's message.
 */
ptrdiff_t bt__struct_parse(const char *format, bt__struct_code *codes,
                           size_t cap, size_t *size, size_t *nitems,
                           bt_err *err);

/* Packs IEEE binary16 as CPython's PyFloat_Pack2 does: round half to even,
 * OverflowError past 65504 (after rounding). Returns 0 or BT_EOVERFLOWERR. */
int bt__struct_pack_half(double x, uint16_t *out);
double bt__struct_unpack_half(uint16_t h);

#endif
