/* struct_int.h — the compiled form of a struct format, shared by the
 * parser and the packers. */
#ifndef BATTERIES_STRUCT_INT_H
#define BATTERIES_STRUCT_INT_H

#include <batteries/struct.h>

#include "core_int.h"

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
 * The fast path: each value of a short repeat becomes its own step with its
 * offset and range precomputed, so packing '!IHq' is three tight stores.
 * A step that meets anything unusual (a wrong kind, a value out of range)
 * hands the value to its code's general routine, which gives Python's exact
 * error. Long repeats and c, s, p, e and P stay whole codes (STEP_CODE).
 */
enum bt__struct_step_kind { STEP_INT, STEP_UINT, STEP_F64, STEP_F32, STEP_BOOL, STEP_CODE };

typedef struct bt__struct_step {
    uint8_t kind;
    uint8_t size;
    bool swap;     /* byte order differs from the host's */
    bool checked;  /* f: Python's overflow check applies */
    uint32_t code; /* index of the code the step belongs to */
    size_t offset;
    int64_t min;   /* STEP_INT range */
    uint64_t max;  /* STEP_INT (as int64) and STEP_UINT range */
} bt__struct_step;

/* Repeats up to this long are expanded into one step per value. */
#define BT__STRUCT_EXPAND 16

struct bt_struct {
    size_t size;
    size_t nitems;
    size_t ncodes;
    size_t nsteps;
    bool zero_fill; /* some bytes no value writes: pads, alignment, strings */
    char *format;
    bt__struct_code *codes;
    bt__struct_step *steps;
};

/* Whether a record has bytes no value writes (pads, alignment, strings). */
bool bt__struct_zero_fill(const bt__struct_code *codes, size_t ncodes, size_t size);

/* Builds the steps of codes into steps[0..cap); returns how many are needed
 * (call again with room when more than cap). */
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
