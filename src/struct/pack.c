/* pack.c — values to bytes and back, one compiled code at a time. */
#include <math.h>
#include <string.h>

#include "struct_int.h"

static int struct_error(bt_err *err, const char *msg)
{
    return bt_err_setf(err, BT_ESTRUCT, -1, "%s", msg);
}

static int range_error(bt_err *err, const bt__struct_code *c)
{
    uint64_t umax = c->size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * c->size)) - 1;
    if (c->op == OP_UINT)
        return bt_err_setf(err, BT_ESTRUCT, -1, "'%c' format requires 0 <= number <= %llu",
                           c->fmt, (unsigned long long)umax);
    long long smax = (long long)(umax >> 1);
    return bt_err_setf(err, BT_ESTRUCT, -1, "'%c' format requires %lld <= number <= %lld",
                       c->fmt, -smax - 1, smax);
}

/* An integer item as the 65-bit Python int it stands for: *neg_big is set
 * for UINT values above INT64_MAX (which fit no signed C long). */
static inline int as_int(const bt_struct_item *it, int64_t *x, bool *big, bt_err *err)
{
    *big = false;
    switch (it->kind) {
    case BT_STRUCT_INT: *x = it->v.i; return 0;
    case BT_STRUCT_BOOL: *x = it->v.b; return 0;
    case BT_STRUCT_UINT:
        *x = (int64_t)it->v.u;
        *big = it->v.u > INT64_MAX;
        return 0;
    default:
        return struct_error(err, "required argument is not an integer");
    }
}

static int pack_int(const bt__struct_code *c, const bt_struct_item *it,
                    unsigned char *p, bt_err *err)
{
    int64_t x = 0;
    bool big;
    int rc = as_int(it, &x, &big, err);
    if (rc < 0)
        return rc;
    const char *overflow = c->check == CHK_WIDE ? "int too large to convert"
                                                : "argument out of range";
    bool is_unsigned_long = c->op == OP_UINT && c->check != CHK_UBYTE && c->check != CHK_USHORT;
    if (is_unsigned_long) {
        /* I L Q N P convert with PyLong_AsUnsigned*: negatives overflow
         * (P alone takes a negative as a signed pointer value). */
        if (x < 0 && !big && !c->as_signed)
            return struct_error(err, overflow);
        if (c->check == CHK_RANGE && (big || (uint64_t)x >> (8 * c->size)))
            return range_error(err, c);
        bt__struct_store(p, (uint64_t)x, c->size, c->little);
        return 0;
    }
    /* b B h H i l q n convert with PyLong_AsLong first. */
    if (big)
        return struct_error(err, overflow);
    switch (c->check) {
    case CHK_BYTE:
        if (x < -128 || x > 127)
            return struct_error(err, "byte format requires -128 <= number <= 127");
        break;
    case CHK_UBYTE:
        if (x < 0 || x > 255)
            return struct_error(err, "ubyte format requires 0 <= number <= 255");
        break;
    case CHK_SHORT:
        if (x < -32768 || x > 32767)
            return struct_error(err, "short format requires -32768 <= number <= 32767");
        break;
    case CHK_USHORT:
        if (x < 0 || x > 65535)
            return struct_error(err, "ushort format requires 0 <= number <= 65535");
        break;
    case CHK_RANGE: {
        int64_t lim = INT64_C(1) << (8 * c->size - 1);
        if (x < -lim || x >= lim)
            return range_error(err, c);
        break;
    }
    default:
        break;
    }
    bt__struct_store(p, (uint64_t)x, c->size, c->little);
    return 0;
}

static inline int as_double(const bt_struct_item *it, double *x, bt_err *err)
{
    switch (it->kind) {
    case BT_STRUCT_DOUBLE: *x = it->v.d; return 0;
    case BT_STRUCT_INT: *x = (double)it->v.i; return 0;
    case BT_STRUCT_UINT: *x = (double)it->v.u; return 0;
    case BT_STRUCT_BOOL: *x = it->v.b; return 0;
    default: return struct_error(err, "required argument is not a float");
    }
}

static int pack_float(const bt__struct_code *c, const bt_struct_item *it,
                      unsigned char *p, bt_err *err)
{
    double x = 0;
    int rc = as_double(it, &x, err);
    if (rc < 0)
        return rc;
    if (c->op == OP_DOUBLE) {
        uint64_t bits;
        memcpy(&bits, &x, 8);
        bt__struct_store(p, bits, 8, c->little);
        return 0;
    }
    if (c->op == OP_HALF) {
        uint16_t h;
        if (bt__struct_pack_half(x, &h) < 0) {
            /* CPython 3.11 words the overflow differently for an int. */
            if (it->kind != BT_STRUCT_DOUBLE)
                return struct_error(err, "int too large to convert");
            return bt_err_setf(err, BT_EOVERFLOWERR, -1,
                               "float too large to pack with e format");
        }
        bt__struct_store(p, h, 2, c->little);
        return 0;
    }
    float y = (float)x;
    if (c->op == OP_FLOAT && isinf(y) && !isinf(x))
        return bt_err_setf(err, BT_EOVERFLOWERR, -1, "float too large to pack with f format");
    uint32_t bits;
    memcpy(&bits, &y, 4);
    bt__struct_store(p, bits, 4, c->little);
    return 0;
}

static bool truth(const bt_struct_item *it)
{
    switch (it->kind) {
    case BT_STRUCT_INT: return it->v.i != 0;
    case BT_STRUCT_UINT: return it->v.u != 0;
    case BT_STRUCT_DOUBLE: return it->v.d != 0.0; /* NaN is true, as bool(nan) */
    case BT_STRUCT_BOOL: return it->v.b;
    default: return it->v.bytes.len != 0;
    }
}

/* Packs the values of one record into rec (already zeroed where needed). */
static int pack_codes(const bt__struct_code *codes, size_t ncodes,
                      const bt_struct_item *items, unsigned char *rec, bt_err *err)
{
    const bt_struct_item *it = items;
    for (size_t k = 0; k < ncodes; k++) {
        const bt__struct_code *c = &codes[k];
        unsigned char *p = rec + c->offset;
        int rc = 0;
        switch (c->op) {
        case OP_INT:
        case OP_UINT:
            for (size_t j = 0; j < c->count && rc == 0; j++, p += c->size)
                rc = pack_int(c, it++, p, err);
            break;
        case OP_HALF:
        case OP_FLOAT:
        case OP_FLOATN:
        case OP_DOUBLE:
            for (size_t j = 0; j < c->count && rc == 0; j++, p += c->size)
                rc = pack_float(c, it++, p, err);
            break;
        case OP_BOOL:
            for (size_t j = 0; j < c->count; j++)
                *p++ = truth(it++);
            break;
        case OP_CHAR:
            for (size_t j = 0; j < c->count && rc == 0; j++, it++) {
                if (it->kind != BT_STRUCT_BYTES || it->v.bytes.len != 1)
                    rc = struct_error(err, "char format requires a bytes object of length 1");
                else
                    *p++ = *(const unsigned char *)it->v.bytes.data;
            }
            break;
        case OP_STR:
        case OP_PSTR: {
            if (it->kind != BT_STRUCT_BYTES)
                return bt_err_setf(err, BT_ESTRUCT, -1, "argument for '%c' must be a bytes object",
                                   c->fmt);
            size_t n = it->v.bytes.len;
            if (c->op == OP_STR) {
                n = BT__MIN(n, c->count);
                if (n)
                    memcpy(p, it->v.bytes.data, n);
            } else if (c->count > 0) {
                n = BT__MIN(n, c->count - 1);
                if (n)
                    memcpy(p + 1, it->v.bytes.data, n);
                *p = (unsigned char)BT__MIN(n, (size_t)255);
            }
            it++;
            break;
        }
        default:
            break;
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static void unpack_codes(const bt__struct_code *codes, size_t ncodes,
                         const unsigned char *rec, bt_struct_item *it)
{
    for (size_t k = 0; k < ncodes; k++) {
        const bt__struct_code *c = &codes[k];
        const unsigned char *p = rec + c->offset;
        switch (c->op) {
        case OP_INT: {
            unsigned shift = 64 - 8u * c->size;
            for (size_t j = 0; j < c->count; j++, p += c->size, it++) {
                it->kind = BT_STRUCT_INT;
                /* Sign-extend from the top bit of the stored width. */
                it->v.i = (int64_t)(bt__struct_load(p, c->size, c->little) << shift) >> shift;
            }
            break;
        }
        case OP_UINT:
            for (size_t j = 0; j < c->count; j++, p += c->size, it++) {
                it->kind = BT_STRUCT_UINT;
                it->v.u = bt__struct_load(p, c->size, c->little);
            }
            break;
        case OP_HALF:
            for (size_t j = 0; j < c->count; j++, p += 2, it++) {
                it->kind = BT_STRUCT_DOUBLE;
                it->v.d = bt__struct_unpack_half((uint16_t)bt__struct_load(p, 2, c->little));
            }
            break;
        case OP_FLOAT:
        case OP_FLOATN:
            for (size_t j = 0; j < c->count; j++, p += 4, it++) {
                uint32_t bits = (uint32_t)bt__struct_load(p, 4, c->little);
                float f;
                memcpy(&f, &bits, 4);
                it->kind = BT_STRUCT_DOUBLE;
                it->v.d = f;
            }
            break;
        case OP_DOUBLE:
            for (size_t j = 0; j < c->count; j++, p += 8, it++) {
                uint64_t bits = bt__struct_load(p, 8, c->little);
                it->kind = BT_STRUCT_DOUBLE;
                memcpy(&it->v.d, &bits, 8);
            }
            break;
        case OP_BOOL:
            for (size_t j = 0; j < c->count; j++, it++) {
                it->kind = BT_STRUCT_BOOL;
                it->v.b = *p++ != 0;
            }
            break;
        case OP_CHAR:
            for (size_t j = 0; j < c->count; j++, it++)
                *it = bt_struct_bytes(p++, 1);
            break;
        case OP_STR:
            *it++ = bt_struct_bytes(p, c->count);
            break;
        case OP_PSTR: {
            size_t n = 0;
            if (c->count > 0) {
                n = BT__MIN((size_t)*p, c->count - 1);
                p++;
            }
            *it++ = bt_struct_bytes(p, n);
            break;
        }
        default:
            break;
        }
    }
}

size_t bt__struct_steps(const bt__struct_code *codes, size_t ncodes,
                        bt__struct_step *steps, size_t cap)
{
    size_t n = 0;
    for (size_t k = 0; k < ncodes; k++) {
        const bt__struct_code *c = &codes[k];
        bt__struct_step proto = {0, STEP_CODE, c->size, c->little != bt__struct_host_little(), false,
                                 (uint32_t)k, c->offset, 0, 0, 0, 0, 0};
        switch (c->op) {
        case OP_INT: {
            uint64_t umax = c->size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * c->size)) - 1;
            proto.kind = STEP_INT;
            proto.max = umax >> 1;
            proto.min = -(int64_t)(umax >> 1) - 1;
            break;
        }
        case OP_UINT:
            proto.kind = c->as_signed ? STEP_CODE : STEP_UINT;
            proto.max = c->size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * c->size)) - 1;
            break;
        case OP_DOUBLE: proto.kind = STEP_F64; break;
        case OP_FLOAT: proto.kind = STEP_F32; proto.checked = true; break;
        case OP_FLOATN: proto.kind = STEP_F32; break;
        case OP_BOOL: proto.kind = STEP_BOOL; break;
        default: break;
        }
        proto.op = (uint8_t)BT__STEP_OP(proto.kind, proto.size, proto.swap);
        proto.count = c->count;
        proto.shift = (uint8_t)(64 - 8 * c->size);
        proto.mask = c->size >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * c->size)) - 1;
        if (n < cap)
            steps[n] = proto;
        n++;
    }
    return n;
}

/* The values a code takes (s and p take one however long they are). */
static size_t code_items(const bt__struct_code *c)
{
    return c->op == OP_STR || c->op == OP_PSTR ? 1 : c->count;
}

#define SW16(v) __builtin_bswap16(v)
#define SW32(v) __builtin_bswap32(v)
#define SW64(v) __builtin_bswap64(v)
#define NOSW(v) (v)

/* Stores and loads of one width and byte order. */
#define PUT(T, SWAP, p, v)                                                     \
    do {                                                                       \
        T t_ = SWAP((T)(v));                                                   \
        memcpy((p), &t_, sizeof t_);                                           \
    } while (0)
#define GET(T, SWAP, p) __extension__({                                        \
    T t_;                                                                      \
    memcpy(&t_, (p), sizeof t_);                                               \
    (T)SWAP(t_);                                                               \
})

/* The eight integer stores: (size, swap) -> type and swap. */
#define FOR_INT_WIDTHS(X)                                                      \
    X(1, 0, uint8_t, NOSW)                                                     \
    X(1, 1, uint8_t, NOSW)                                                     \
    X(2, 0, uint16_t, NOSW)                                                    \
    X(2, 1, uint16_t, SW16)                                                    \
    X(4, 0, uint32_t, NOSW)                                                    \
    X(4, 1, uint32_t, SW32)                                                    \
    X(8, 0, uint64_t, NOSW)                                                    \
    X(8, 1, uint64_t, SW64)

/* One value the fast path refused, through its code's general routine,
 * which packs it or gives Python's exact error. */
static int pack_one(const bt__struct_code *c, const bt_struct_item *it, unsigned char *rec,
                    size_t offset, bt_err *err)
{
    bt__struct_code one = *c;
    one.count = 1;
    one.offset = offset;
    return pack_codes(&one, 1, it, rec, err);
}

/* Packs with the steps: one dispatch per run of values, then a tight loop
 * of constant-size stores. */
static int pack_steps(const bt__struct_code *codes, const bt__struct_step *steps,
                      size_t nsteps, const bt_struct_item *it, unsigned char *rec,
                      bt_err *err)
{
    for (size_t k = 0; k < nsteps; k++) {
        const bt__struct_step *st = &steps[k];
        const bt__struct_code *c = &codes[st->code];
        unsigned char *p = rec + st->offset;
        size_t count = st->count;
        int rc;
        switch (st->op) {
#define INT_CASE(SIZE, SWAP, T, SWAPF)                                         \
    case BT__STEP_OP(STEP_INT, SIZE, SWAP):                                   \
        for (size_t j = 0; j < count; j++, it++, p += SIZE) {                  \
            int64_t x = it->v.i;                                               \
            /* INT, or UINT holding a non-negative int64. */                   \
            if (BT__UNLIKELY((it->kind != BT_STRUCT_INT &&                     \
                              (it->kind != BT_STRUCT_UINT || x < 0)) ||        \
                             x < st->min || x > (int64_t)st->max)) {           \
                if ((rc = pack_one(c, it, rec, (size_t)(p - rec), err)) < 0)   \
                    return rc;                                                 \
                continue;                                                      \
            }                                                                  \
            PUT(T, SWAPF, p, x);                                               \
        }                                                                      \
        continue;                                                              \
    case BT__STEP_OP(STEP_UINT, SIZE, SWAP):                                  \
        for (size_t j = 0; j < count; j++, it++, p += SIZE) {                  \
            uint64_t u = it->v.u;                                              \
            if (BT__UNLIKELY((it->kind != BT_STRUCT_UINT &&                    \
                              (it->kind != BT_STRUCT_INT || (int64_t)u < 0)) || \
                             u > st->max)) {                                   \
                if ((rc = pack_one(c, it, rec, (size_t)(p - rec), err)) < 0)   \
                    return rc;                                                 \
                continue;                                                      \
            }                                                                  \
            PUT(T, SWAPF, p, u);                                               \
        }                                                                      \
        continue;
            FOR_INT_WIDTHS(INT_CASE)
#undef INT_CASE
        case BT__STEP_OP(STEP_F64, 8, 0):
        case BT__STEP_OP(STEP_F64, 8, 1):
            for (size_t j = 0; j < count; j++, it++, p += 8) {
                if (BT__UNLIKELY(it->kind != BT_STRUCT_DOUBLE)) {
                    if ((rc = pack_one(c, it, rec, (size_t)(p - rec), err)) < 0)
                        return rc;
                    continue;
                }
                uint64_t bits;
                memcpy(&bits, &it->v.d, 8);
                if (st->swap)
                    bits = SW64(bits);
                memcpy(p, &bits, 8);
            }
            continue;
        case BT__STEP_OP(STEP_F32, 4, 0):
        case BT__STEP_OP(STEP_F32, 4, 1):
            for (size_t j = 0; j < count; j++, it++, p += 4) {
                float y = (float)it->v.d;
                if (BT__UNLIKELY(it->kind != BT_STRUCT_DOUBLE ||
                                 (st->checked && isinf(y) && !isinf(it->v.d)))) {
                    if ((rc = pack_one(c, it, rec, (size_t)(p - rec), err)) < 0)
                        return rc;
                    continue;
                }
                uint32_t bits;
                memcpy(&bits, &y, 4);
                if (st->swap)
                    bits = SW32(bits);
                memcpy(p, &bits, 4);
            }
            continue;
        case BT__STEP_OP(STEP_BOOL, 1, 0):
        case BT__STEP_OP(STEP_BOOL, 1, 1):
            for (size_t j = 0; j < count; j++)
                *p++ = truth(it++);
            continue;
        default:
            if ((rc = pack_codes(c, 1, it, rec, err)) < 0)
                return rc;
            it += code_items(c);
            continue;
        }
    }
    return 0;
}

static void unpack_steps(const bt__struct_code *codes, const bt__struct_step *steps,
                         size_t nsteps, const unsigned char *rec, bt_struct_item *it)
{
    for (size_t k = 0; k < nsteps; k++) {
        const bt__struct_step *st = &steps[k];
        const unsigned char *p = rec + st->offset;
        size_t count = st->count;
        switch (st->op) {
#define INT_CASE(SIZE, SWAP, T, SWAPF)                                         \
    case BT__STEP_OP(STEP_INT, SIZE, SWAP):                                   \
        for (size_t j = 0; j < count; j++, it++, p += SIZE) {                  \
            it->kind = BT_STRUCT_INT;                                          \
            it->v.i = (int64_t)(((uint64_t)GET(T, SWAPF, p)) << (64 - 8 * SIZE)) >> \
                      (64 - 8 * SIZE);                                         \
        }                                                                      \
        continue;                                                              \
    case BT__STEP_OP(STEP_UINT, SIZE, SWAP):                                  \
        for (size_t j = 0; j < count; j++, it++, p += SIZE) {                  \
            it->kind = BT_STRUCT_UINT;                                         \
            it->v.u = GET(T, SWAPF, p);                                        \
        }                                                                      \
        continue;
            FOR_INT_WIDTHS(INT_CASE)
#undef INT_CASE
        case BT__STEP_OP(STEP_F64, 8, 0):
            for (size_t j = 0; j < count; j++, it++, p += 8) {
                it->kind = BT_STRUCT_DOUBLE;
                memcpy(&it->v.d, p, 8);
            }
            continue;
        case BT__STEP_OP(STEP_F64, 8, 1):
            for (size_t j = 0; j < count; j++, it++, p += 8) {
                uint64_t bits = GET(uint64_t, SW64, p);
                it->kind = BT_STRUCT_DOUBLE;
                memcpy(&it->v.d, &bits, 8);
            }
            continue;
        case BT__STEP_OP(STEP_F32, 4, 0):
        case BT__STEP_OP(STEP_F32, 4, 1):
            for (size_t j = 0; j < count; j++, it++, p += 4) {
                uint32_t bits = st->swap ? GET(uint32_t, SW32, p) : GET(uint32_t, NOSW, p);
                float f;
                memcpy(&f, &bits, 4);
                it->kind = BT_STRUCT_DOUBLE;
                it->v.d = f;
            }
            continue;
        case BT__STEP_OP(STEP_BOOL, 1, 0):
        case BT__STEP_OP(STEP_BOOL, 1, 1):
            for (size_t j = 0; j < count; j++, it++) {
                it->kind = BT_STRUCT_BOOL;
                it->v.b = *p++ != 0;
            }
            continue;
        default: {
            const bt__struct_code *c = &codes[st->code];
            unpack_codes(c, 1, rec, it);
            it += code_items(c);
            continue;
        }
        }
    }
}

size_t bt__struct_wops(const bt__struct_code *codes, const bt__struct_step *steps,
                       size_t nsteps, bt__struct_wop *wops, size_t cap)
{
    if (!bt__struct_host_little())
        return 0;
    size_t n = 0;
    for (size_t k = 0; k < nsteps; k++) {
        const bt__struct_step *st = &steps[k];
        if ((st->kind != STEP_INT && st->kind != STEP_UINT && st->kind != STEP_F64) ||
            codes[st->code].count != st->count || st->code > UINT16_MAX ||
            n + st->count > BT__STRUCT_WIDE_MAX)
            return 0;
        bt__struct_wop w = {INT64_MIN, INT64_MAX, 0, st->shift, st->swap,
                            BT_STRUCT_DOUBLE, (uint16_t)st->code, BT_STRUCT_DOUBLE, 0};
        if (st->kind == STEP_INT) {
            w.lo = st->min;
            w.hi = (int64_t)st->max;
            w.kmin = BT_STRUCT_INT;
            w.kspan = 1;
            w.out_kind = BT_STRUCT_INT;
        } else if (st->kind == STEP_UINT) {
            /* Unsigned values above INT64_MAX take the general routine. */
            w.lo = 0;
            w.hi = st->max > INT64_MAX ? INT64_MAX : (int64_t)st->max;
            w.kmin = BT_STRUCT_INT;
            w.kspan = 1;
            w.out_kind = BT_STRUCT_UINT;
        }
        for (size_t j = 0; j < st->count; j++, n++) {
            if (n < cap) {
                wops[n] = w;
                wops[n].offset = (uint32_t)(st->offset + j * st->size);
            }
        }
    }
    return n;
}

/* Whether a wide record is only doubles, packed back to back from offset 0
 * in one byte order (an array of doubles, the commonest homogeneous record):
 * then pack and unpack are a copy loop with one kind test per value. */
bool bt__struct_doubles_only(const bt__struct_wop *wops, size_t nwops)
{
    for (size_t k = 0; k < nwops; k++)
        if (wops[k].out_kind != BT_STRUCT_DOUBLE || wops[k].swap != wops[0].swap ||
            wops[k].offset != 8 * k)
            return false;
    return nwops > 0;
}

/* How many wide values, from the first, have their whole 8-byte word
 * inside the record (offsets only grow, so they are a prefix). */
size_t bt__struct_nfull(const bt__struct_wop *wops, size_t nwops, size_t size)
{
    size_t k = 0;
    while (k < nwops && wops[k].offset + 8 <= size)
        k++;
    return k;
}

/* The copy loops below take their byte order as a constant where they are
 * inlined (always_inline), so each order gets a straight loop without a
 * test per value. */

/* Returns false when a value is not a DOUBLE: the general loop then packs
 * the record again and words any error. */
static inline __attribute__((always_inline)) bool
pack_doubles_in(const bt_struct_item *it, size_t n, unsigned char *rec, bool swap)
{
    unsigned bad = 0;
    for (size_t k = 0; k < n; k++) {
        uint64_t bits;
        bad |= (unsigned)it[k].kind ^ BT_STRUCT_DOUBLE;
        memcpy(&bits, &it[k].v.d, 8);
        bits = swap ? __builtin_bswap64(bits) : bits;
        memcpy(rec + 8 * k, &bits, 8);
    }
    return !bad;
}

static inline bool pack_doubles(const bt_struct_item *it, size_t n, unsigned char *rec, bool swap)
{
    if (swap)
        return pack_doubles_in(it, n, rec, true);
    return pack_doubles_in(it, n, rec, false);
}

static inline __attribute__((always_inline)) void
unpack_doubles_in(const unsigned char *rec, size_t n, bt_struct_item *it, bool swap)
{
    for (size_t k = 0; k < n; k++) {
        uint64_t bits;
        memcpy(&bits, rec + 8 * k, 8);
        bits = swap ? __builtin_bswap64(bits) : bits;
        it[k].kind = BT_STRUCT_DOUBLE;
        memcpy(&it[k].v.d, &bits, 8);
    }
}

static inline void unpack_doubles(const unsigned char *rec, size_t n, bt_struct_item *it,
                                  bool swap)
{
    if (swap)
        unpack_doubles_in(rec, n, it, true);
    else
        unpack_doubles_in(rec, n, it, false);
}

/* A wide value as the low `size` bytes of a word in its stored order. */
static inline uint64_t wide_value(const bt__struct_wop *w, uint64_t raw)
{
    unsigned shift = w->shift;
    return (w->swap ? __builtin_bswap64(raw) : raw << shift) >> shift;
}

/* Nonzero when the fast path cannot take the value: a kind the code does
 * not take as is, or out of range. A UINT is checked against [0, hi], so a
 * UINT above INT64_MAX never passes as a negative number. */
static inline uint64_t wide_bad(const bt__struct_wop *w, const bt_struct_item *it)
{
    uint64_t raw = it->v.u;
    unsigned kind = (unsigned)it->kind;
    uint64_t x = raw - (uint64_t)w->lo;
    uint64_t limit = (uint64_t)w->hi - (uint64_t)w->lo;
    if (kind == BT_STRUCT_UINT) {
        x = raw;
        limit = (uint64_t)w->hi;
    }
    return (uint64_t)(x > limit) | (uint64_t)(kind - w->kmin > w->kspan);
}

/* Packs value by value, in order: a value the wide check refuses goes to
 * its code's general routine, which packs it or stops with Python's error
 * (the path of pack_into, whose buffer keeps what came before the error). */
static inline __attribute__((always_inline)) int
pack_wide(const bt__struct_code *codes, const bt__struct_wop *wops, size_t nwops,
          const bt_struct_item *it, unsigned char *restrict rec, size_t size, bt_err *err)
{
    for (size_t k = 0; k < nwops; k++, it++) {
        const bt__struct_wop *w = &wops[k];
        if (BT__UNLIKELY(wide_bad(w, it))) {
            int rc = pack_one(&codes[w->code], it, rec, w->offset, err);
            if (rc < 0)
                return rc;
            continue;
        }
        uint64_t raw = wide_value(w, it->v.u);
        if (BT__LIKELY(w->offset + 8 <= size))
            memcpy(rec + w->offset, &raw, 8);
        else
            memcpy(rec + w->offset, &raw, 8 - w->shift / 8);
    }
    return 0;
}

/*
 * The leaf fast path of a compiled record: every value is checked and
 * stored with no call and no early exit, and one test at the end says
 * whether all of them were plain (a kind the code takes, in range). The
 * first nfull values are stored as whole 8-byte words (later ones overwrite
 * the spill of earlier ones, so unswapped values need no masking); the last
 * few, whose word would run past the record, are stored at their own
 * width. order: 1 all swapped, 0 none, -1 each value's own.
 */
static inline __attribute__((always_inline)) uint64_t
wide_full_stores(const bt__struct_wop *wops, size_t nfull, const bt_struct_item *it,
                 unsigned char *restrict rec, int order)
{
    uint64_t bad = 0;
    for (size_t k = 0; k < nfull; k++) {
        const bt__struct_wop *w = &wops[k];
        bool swap = order < 0 ? w->swap : order;
        bad |= wide_bad(w, &it[k]);
        uint64_t v = swap ? __builtin_bswap64(it[k].v.u) >> w->shift : it[k].v.u;
        memcpy(rec + w->offset, &v, 8);
    }
    return bad;
}

static inline bool wide_pack_fast(const bt__struct_wop *wops, size_t nwops, size_t nfull,
                                  int order, const bt_struct_item *it,
                                  unsigned char *restrict rec)
{
    uint64_t bad = order == 1   ? wide_full_stores(wops, nfull, it, rec, 1)
                   : order == 0 ? wide_full_stores(wops, nfull, it, rec, 0)
                                : wide_full_stores(wops, nfull, it, rec, -1);
    if (nfull == nwops)
        return !bad;
    /* The tail, whose words would run past the record: each value stored
     * at its own width. (Merging them into the record's last word read back
     * bytes just stored by wider, overlapping stores, which the CPU cannot
     * forward: ~8 ns of stall.) */
    for (size_t k = nfull; k < nwops; k++) {
        const bt__struct_wop *w = &wops[k];
        bad |= wide_bad(w, &it[k]);
        bt__struct_store(rec + w->offset, wide_value(w, it[k].v.u), 8 - w->shift / 8u,
                         bt__struct_host_little());
    }
    return !bad;
}

/* The value lands in the word's top bytes, then one shift brings it down,
 * arithmetic for signed codes (sign extension from the stored width). */
static inline __attribute__((always_inline)) void
wide_unpack_one(const bt__struct_wop *w, uint64_t raw, bt_struct_item *it, bool swap)
{
    unsigned shift = w->shift;
    uint64_t v = swap ? __builtin_bswap64(raw) : raw << shift;
    v = w->out_kind == BT_STRUCT_INT ? (uint64_t)((int64_t)v >> shift) : v >> shift;
    it->kind = (bt_struct_kind)w->out_kind;
    it->v.u = v;
}

/* Whole words in one byte order (order as for wide_full_stores). */
static inline __attribute__((always_inline)) void
wide_full_loads(const bt__struct_wop *wops, size_t nfull, const unsigned char *rec,
                bt_struct_item *restrict it, int order)
{
    for (size_t k = 0; k < nfull; k++) {
        uint64_t raw;
        memcpy(&raw, rec + wops[k].offset, 8);
        wide_unpack_one(&wops[k], raw, &it[k], order < 0 ? wops[k].swap : order);
    }
}

static void unpack_full(const bt__struct_wop *wops, size_t n, const unsigned char *rec,
                        bt_struct_item *restrict it, bool swap)
{
    if (swap)
        wide_full_loads(wops, n, rec, it, 1);
    else
        wide_full_loads(wops, n, rec, it, 0);
}

static void wide_unpack(const bt__struct_wop *wops, size_t nwops, size_t nfull,
                        const unsigned char *rec, size_t size, bt_struct_item *restrict it)
{
    wide_full_loads(wops, nfull, rec, it, -1);
    if (nfull == nwops)
        return;
    uint64_t word = 0;
    size_t base = size >= 8 ? size - 8 : 0;
    memcpy(&word, rec + base, size >= 8 ? 8 : size);
    for (size_t k = nfull; k < nwops; k++)
        wide_unpack_one(&wops[k], word >> (8 * (unsigned)(wops[k].offset - base)), &it[k],
                        wops[k].swap);
}

/* A compiled view: the heap struct, or a stack one for the one-shot forms. */
struct view {
    const bt__struct_code *codes;
    const bt__struct_step *steps;
    const bt__struct_wop *wops;
    size_t ncodes, nsteps, nwops, nfull, size, nitems;
    bool zero_fill;
};

static void unpack_view(const struct view *v, const unsigned char *rec, bt_struct_item *items)
{
    if (v->nwops)
        wide_unpack(v->wops, v->nwops, v->nfull, rec, v->size, items);
    else
        unpack_steps(v->codes, v->steps, v->nsteps, rec, items);
}

static int do_pack(const struct view *v, const bt_struct_item *items, size_t n,
                   unsigned char *rec, bt_err *err)
{
    if (n != v->nitems)
        return bt_err_setf(err, BT_ESTRUCT, -1, "pack expected %zu items for packing (got %zu)",
                           v->nitems, n);
    if (v->zero_fill)
        memset(rec, 0, v->size);
    if (v->nwops)
        return pack_wide(v->codes, v->wops, v->nwops, items, rec, v->size, err);
    return pack_steps(v->codes, v->steps, v->nsteps, items, rec, err);
}

static ptrdiff_t view_pack(const struct view *v, const bt_struct_item *items, size_t n,
                           void *out, size_t outlen, bt_err *err)
{
    if (outlen < v->size)
        return bt_err_setf(err, BT_ESTRUCT, -1,
                           "pack requires a buffer of at least %zu bytes (actual buffer "
                           "size is %zu)",
                           v->size, outlen);
    int rc = do_pack(v, items, n, out, err);
    return rc < 0 ? rc : (ptrdiff_t)v->size;
}

static int view_pack_into(const struct view *v, void *buf, size_t buflen, ptrdiff_t offset,
                          const bt_struct_item *items, size_t n, bt_err *err)
{
    if (n != v->nitems)
        return bt_err_setf(err, BT_ESTRUCT, -1, "pack_into expected %zu items for packing (got %zu)",
                           v->nitems, n);
    size_t off;
    if (offset < 0) {
        /* Python checks that the record fits before the end first. */
        size_t back = (size_t)-(offset + 1) + 1;
        if (back < v->size)
            return bt_err_setf(err, BT_ESTRUCT, -1, "no space to pack %zu bytes at offset %td",
                               v->size, offset);
        if (back > buflen)
            return bt_err_setf(err, BT_ESTRUCT, -1, "offset %td out of range for %zu-byte buffer",
                               offset, buflen);
        off = buflen - back;
    } else {
        off = (size_t)offset;
        if (buflen < off || buflen - off < v->size)
            return bt_err_setf(err, BT_ESTRUCT, -1,
                               "pack_into requires a buffer of at least %zu bytes for packing "
                               "%zu bytes at offset %zu (actual buffer size is %zu)",
                               v->size + off, v->size, off, buflen);
    }
    return do_pack(v, items, n, (unsigned char *)buf + off, err);
}

static int check_cap(const struct view *v, size_t cap, bt_err *err)
{
    if (cap < v->nitems)
        return bt_err_setf(err, BT_EVALUE, -1, "unpack needs room for %zu items (got %zu)",
                           v->nitems, cap);
    return 0;
}

static ptrdiff_t view_unpack(const struct view *v, const void *buf, size_t len,
                             bt_struct_item *items, size_t cap, bt_err *err)
{
    if (len != v->size)
        return bt_err_setf(err, BT_ESTRUCT, -1, "unpack requires a buffer of %zu bytes", v->size);
    int rc = check_cap(v, cap, err);
    if (rc < 0)
        return rc;
    unpack_view(v, buf, items);
    return (ptrdiff_t)v->nitems;
}

static ptrdiff_t view_unpack_from(const struct view *v, const void *buf, size_t len,
                                  ptrdiff_t offset, bt_struct_item *items, size_t cap,
                                  bt_err *err)
{
    size_t off;
    if (offset < 0) {
        size_t back = (size_t)-(offset + 1) + 1;
        if (back < v->size)
            return bt_err_setf(err, BT_ESTRUCT, -1,
                               "not enough data to unpack %zu bytes at offset %td", v->size,
                               offset);
        if (back > len)
            return bt_err_setf(err, BT_ESTRUCT, -1, "offset %td out of range for %zu-byte buffer",
                               offset, len);
        off = len - back;
    } else {
        off = (size_t)offset;
    }
    if (len < off || len - off < v->size) {
        return bt_err_setf(err, BT_ESTRUCT, -1,
                           "unpack_from requires a buffer of at least %zu bytes for unpacking "
                           "%zu bytes at offset %zu (actual buffer size is %zu)",
                           v->size + off, v->size, off, len);
    }
    int rc = check_cap(v, cap, err);
    if (rc < 0)
        return rc;
    unpack_view(v, (const unsigned char *)buf + off, items);
    return (ptrdiff_t)v->nitems;
}

static struct view heap_view(const bt_struct *s)
{
    return (struct view){s->codes, s->steps, s->wops, s->ncodes, s->nsteps, s->nwops,
                         s->nfull, s->size, s->nitems, s->zero_fill};
}

/* The general path of bt_struct_pack: kept out of line so the fast path
 * is a leaf that needs no saved registers. */
__attribute__((noinline)) static ptrdiff_t pack_general(const bt_struct *s,
                                                        const bt_struct_item *items, size_t n,
                                                        void *out, size_t outlen, bt_err *err)
{
    struct view v = heap_view(s);
    return view_pack(&v, items, n, out, outlen, err);
}

/* Records whose every value is a whole 8-byte word in one byte order (most
 * network headers): leaf loops with the byte order fixed. Each fast form
 * takes bt_struct_pack's arguments, checks them itself and hands a record
 * with an unusual value to the general path, so bt_struct_pack is one jump
 * through s->pack. */
static inline __attribute__((always_inline)) ptrdiff_t
pack_full(const bt_struct *s, const bt_struct_item *it, size_t n, void *out, size_t outlen,
          bt_err *err, int order)
{
    if (BT__LIKELY(n == s->nitems && outlen >= s->size &&
                   !wide_full_stores(s->wops, n, it, out, order)))
        return (ptrdiff_t)s->size;
    return pack_general(s, it, n, out, outlen, err);
}

__attribute__((noinline)) static ptrdiff_t pack_full_swapped(const bt_struct *s,
                                                             const bt_struct_item *it, size_t n,
                                                             void *out, size_t outlen, bt_err *err)
{
    return pack_full(s, it, n, out, outlen, err, 1);
}

__attribute__((noinline)) static ptrdiff_t pack_full_native(const bt_struct *s,
                                                            const bt_struct_item *it, size_t n,
                                                            void *out, size_t outlen, bt_err *err)
{
    return pack_full(s, it, n, out, outlen, err, 0);
}

__attribute__((noinline)) static ptrdiff_t pack_fast(const bt_struct *s,
                                                     const bt_struct_item *items, size_t n,
                                                     void *out, size_t outlen, bt_err *err)
{
    if (BT__LIKELY(n == s->nitems && outlen >= s->size &&
                   wide_pack_fast(s->wops, s->nwops, s->nfull, s->order, items, out)))
        return (ptrdiff_t)s->size;
    return pack_general(s, items, n, out, outlen, err);
}

__attribute__((noinline)) static ptrdiff_t pack_doubles_fn(const bt_struct *s,
                                                           const bt_struct_item *items, size_t n,
                                                           void *out, size_t outlen, bt_err *err)
{
    if (BT__LIKELY(n == s->nitems && outlen >= s->size &&
                   pack_doubles(items, n, out, s->wops[0].swap)))
        return (ptrdiff_t)s->size;
    return pack_general(s, items, n, out, outlen, err);
}

/* The fast form picked for s->fast (the general path when there is none). */
static bt__struct_pack_fn fast_pack_form(int fast)
{
    switch (fast) {
    case BT__STRUCT_FAST_DOUBLES: return pack_doubles_fn;
    case BT__STRUCT_FAST_SWAPPED: return pack_full_swapped;
    case BT__STRUCT_FAST_NATIVE: return pack_full_native;
    case BT__STRUCT_FAST_WIDE: return pack_fast;
    default: return pack_general;
    }
}

ptrdiff_t bt__struct_pack_any(const bt_struct *s, const bt_struct_item *items, size_t n,
                              void *out, size_t outlen, bt_err *err)
{
    return fast_pack_form(s->fast)(s, items, n, out, outlen, err);
}

ptrdiff_t bt_struct_pack(const bt_struct *s, const bt_struct_item *items, size_t n,
                         void *out, size_t outlen, bt_err *err)
{
    return s->pack(s, items, n, out, outlen, err);
}

int bt_struct_pack_into(const bt_struct *s, void *buf, size_t buflen, ptrdiff_t offset,
                        const bt_struct_item *items, size_t n, bt_err *err)
{
    struct view v = heap_view(s);
    return view_pack_into(&v, buf, buflen, offset, items, n, err);
}

__attribute__((noinline)) static ptrdiff_t unpack_general(const bt_struct *s, const void *buf,
                                                          size_t len, bt_struct_item *items,
                                                          size_t cap, bt_err *err)
{
    struct view v = heap_view(s);
    return view_unpack(&v, buf, len, items, cap, err);
}

ptrdiff_t bt__struct_unpack_any(const bt_struct *s, const void *buf, size_t len,
                                bt_struct_item *items, size_t cap, bt_err *err)
{
    if (BT__LIKELY(s->nwops && len == s->size && cap >= s->nitems)) {
        if (s->doubles)
            unpack_doubles(buf, s->nwops, items, s->wops[0].swap);
        else if (s->nfull == s->nwops && s->order >= 0)
            unpack_full(s->wops, s->nwops, buf, items, s->order);
        else
            wide_unpack(s->wops, s->nwops, s->nfull, buf, s->size, items);
        return (ptrdiff_t)s->nitems;
    }
    return unpack_general(s, buf, len, items, cap, err);
}

ptrdiff_t bt_struct_unpack(const bt_struct *s, const void *buf, size_t len,
                           bt_struct_item *items, size_t cap, bt_err *err)
{
    return s->unpack(s, buf, len, items, cap, err);
}

void bt__struct_choose(bt_struct *s)
{
    s->pack = fast_pack_form(s->fast);
    s->unpack = bt__struct_unpack_any;
    bt__struct_special(s);
}

ptrdiff_t bt_struct_unpack_from(const bt_struct *s, const void *buf, size_t len,
                                ptrdiff_t offset, bt_struct_item *items, size_t cap,
                                bt_err *err)
{
    struct view v = heap_view(s);
    return view_unpack_from(&v, buf, len, offset, items, cap, err);
}

int bt_struct_iter_unpack(const bt_struct *s, const void *buf, size_t len,
                          bt_struct_iter *it, bt_err *err)
{
    if (s->size == 0)
        return bt_err_setf(err, BT_ESTRUCT, -1,
                           "cannot iteratively unpack with a struct of length 0");
    if (len % s->size)
        return bt_err_setf(err, BT_ESTRUCT, -1,
                           "iterative unpacking requires a buffer of a multiple of %zu bytes",
                           s->size);
    *it = (bt_struct_iter){s, buf, len, 0};
    return 0;
}

int bt_struct_iter_next(bt_struct_iter *it, bt_struct_item *items, size_t cap)
{
    if (it->pos >= it->len)
        return 0;
    ptrdiff_t rc = it->s->unpack(it->s, it->buf + it->pos, it->s->size, items, cap, NULL);
    if (rc < 0)
        return (int)rc;
    it->pos += it->s->size;
    return 1;
}

bool bt__struct_zero_fill(const bt__struct_code *codes, size_t ncodes, size_t size)
{
    size_t covered = 0;
    for (size_t k = 0; k < ncodes; k++) {
        if (codes[k].op == OP_STR || codes[k].op == OP_PSTR)
            return true;
        covered += codes[k].count * codes[k].size;
    }
    return covered != size;
}

/* The one-shot forms compile into this much stack before touching the heap. */
enum { STACK_CODES = 32, STACK_STEPS = 64 };

struct oneshot {
    bt__struct_code stack[STACK_CODES];
    bt__struct_step stack_steps[STACK_STEPS];
    bt__struct_wop stack_wops[BT__STRUCT_WIDE_MAX];
    bt__struct_code *heap;
    bt__struct_step *heap_steps;
    struct view v;
};

static int oneshot_open(struct oneshot *o, const char *format, bt_err *err)
{
    o->heap = NULL;
    o->heap_steps = NULL;
    ptrdiff_t n = bt__struct_parse(format, o->stack, STACK_CODES, &o->v.size, &o->v.nitems, err);
    if (n < 0)
        return (int)n;
    bt__struct_code *codes = o->stack;
    if ((size_t)n > STACK_CODES) {
        codes = o->heap = bt_calloc((size_t)n, sizeof *o->heap);
        if (!codes)
            return BT_ENOMEM;
        bt__struct_parse(format, codes, (size_t)n, &o->v.size, &o->v.nitems, err);
    }
    size_t nsteps = bt__struct_steps(codes, (size_t)n, o->stack_steps, STACK_STEPS);
    bt__struct_step *steps = o->stack_steps;
    if (nsteps > STACK_STEPS) {
        steps = o->heap_steps = bt_calloc(nsteps, sizeof *steps);
        if (!steps)
            return BT_ENOMEM;
        bt__struct_steps(codes, (size_t)n, steps, nsteps);
    }
    size_t nwops = bt__struct_wops(codes, steps, nsteps, o->stack_wops, BT__STRUCT_WIDE_MAX);
    o->v = (struct view){codes, steps, o->stack_wops, (size_t)n, nsteps, nwops,
                         bt__struct_nfull(o->stack_wops, nwops, o->v.size), o->v.size,
                         o->v.nitems, bt__struct_zero_fill(codes, (size_t)n, o->v.size)};
    return 0;
}

static void oneshot_close(struct oneshot *o)
{
    bt_free(o->heap);
    bt_free(o->heap_steps);
}

ptrdiff_t bt_struct_pack_fmt(const char *format, const bt_struct_item *items, size_t n,
                             void *out, size_t outlen, bt_err *err)
{
    struct oneshot o;
    ptrdiff_t rc = oneshot_open(&o, format, err);
    if (rc == 0)
        rc = view_pack(&o.v, items, n, out, outlen, err);
    oneshot_close(&o);
    return rc;
}

int bt_struct_pack_into_fmt(const char *format, void *buf, size_t buflen, ptrdiff_t offset,
                            const bt_struct_item *items, size_t n, bt_err *err)
{
    struct oneshot o;
    int rc = oneshot_open(&o, format, err);
    if (rc == 0)
        rc = view_pack_into(&o.v, buf, buflen, offset, items, n, err);
    oneshot_close(&o);
    return rc;
}

ptrdiff_t bt_struct_unpack_fmt(const char *format, const void *buf, size_t len,
                               bt_struct_item *items, size_t cap, bt_err *err)
{
    struct oneshot o;
    ptrdiff_t rc = oneshot_open(&o, format, err);
    if (rc == 0)
        rc = view_unpack(&o.v, buf, len, items, cap, err);
    oneshot_close(&o);
    return rc;
}

ptrdiff_t bt_struct_unpack_from_fmt(const char *format, const void *buf, size_t len,
                                    ptrdiff_t offset, bt_struct_item *items, size_t cap,
                                    bt_err *err)
{
    struct oneshot o;
    ptrdiff_t rc = oneshot_open(&o, format, err);
    if (rc == 0)
        rc = view_unpack_from(&o.v, buf, len, offset, items, cap, err);
    oneshot_close(&o);
    return rc;
}
