/* sharedctypes.c — Value and Array: numbers in MAP_SHARED memory with an
 * optional RLock, typecodes as multiprocessing.sharedctypes maps them. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mp_int.h"

/* The whole object is one shared mapping, so a child's copy of the pointer
 * is the same object. */
struct bt_mp_array {
    bt_mp_lock lock;
    bool has_lock;
    char typecode;
    size_t len, itemsize, mapsize;
    max_align_t data[];
};

static size_t itemsize(char t)
{
    switch (t) {
    case 'c':
    case 'b':
    case 'B':
        return 1;
    case 'h':
    case 'H':
        return sizeof(short);
    case 'i':
    case 'I':
        return sizeof(int);
    case 'l':
    case 'L':
        return sizeof(long);
    case 'q':
    case 'Q':
        return sizeof(long long);
    case 'f':
        return sizeof(float);
    case 'd':
        return sizeof(double);
    default:
        return 0;
    }
}

int bt_mp_array_new(bt_mp_array **out, char typecode, size_t length, bool lock,
                    bt_err *err)
{
    *out = NULL;
    size_t size = itemsize(typecode), total;
    if (!size)
        return bt_err_setf(err, BT_ETYPE, -1, "this type has no size");
    if (bt__mul_overflow(size, length, &total) ||
        bt__add_overflow(total, sizeof(bt_mp_array), &total))
        return bt_err_setf(err, BT_ENOMEM, -1, "%s", "");
    bt_mp_array *a = bt__mp_shared_alloc(total);
    if (!a)
        return bt_err_oserror(err, -errno, NULL, NULL);
    if (lock) {
        int rc = bt__mp_lock_init(&a->lock, BT__MP_RLOCK, 1, 1);
        if (rc < 0) {
            bt__mp_shared_free(a, total);
            return bt_err_oserror(err, rc, NULL, NULL);
        }
    }
    a->has_lock = lock;
    a->typecode = typecode;
    a->len = length;
    a->itemsize = size;
    a->mapsize = total;
    *out = a;
    return 0;
}

int bt_mp_value_new(bt_mp_array **out, char typecode, bool lock, bt_err *err)
{
    return bt_mp_array_new(out, typecode, 1, lock, err);
}

void bt_mp_array_free(bt_mp_array *a)
{
    if (a)
        bt__mp_shared_free(a, a->mapsize);
}

void *bt_mp_array_get_obj(bt_mp_array *a)
{
    return a->data;
}

size_t bt_mp_array_len(const bt_mp_array *a)
{
    return a->len;
}

char bt_mp_array_typecode(const bt_mp_array *a)
{
    return a->typecode;
}

bt_mp_rlock *bt_mp_array_get_lock(bt_mp_array *a)
{
    return a->has_lock ? &a->lock : NULL;
}

static const bt__deadline forever = {.forever = true};

/* Resolves a Python index; NULL (and the IndexError) when out of range. */
static void *item(bt_mp_array *a, ptrdiff_t i, bt_err *err)
{
    if (i < 0)
        i += (ptrdiff_t)a->len;
    if (i < 0 || (size_t)i >= a->len) {
        bt_err_setf(err, BT_EINDEX, -1, "invalid index");
        return NULL;
    }
    return (char *)a->data + (size_t)i * a->itemsize;
}

static void lock(bt_mp_array *a)
{
    if (a->has_lock)
        bt__mp_lock_acquire_until(&a->lock, &forever);
}

static void unlock(bt_mp_array *a)
{
    if (a->has_lock)
        bt_mp_lock_release(&a->lock, NULL);
}

static bool is_float(char t)
{
    return t == 'f' || t == 'd';
}

int bt_mp_array_get_long(bt_mp_array *a, ptrdiff_t i, long long *out,
                         bt_err *err)
{
    void *p = item(a, i, err);
    if (!p)
        return BT_EINDEX;
    if (is_float(a->typecode))
        return bt_err_setf(err, BT_ETYPE, -1,
                           "'float' object cannot be interpreted as an "
                           "integer");
    lock(a);
    switch (a->typecode) {
    case 'c':
        *out = *(unsigned char *)p;
        break;
    case 'b':
        *out = *(signed char *)p;
        break;
    case 'B':
        *out = *(unsigned char *)p;
        break;
    case 'h':
        *out = *(short *)p;
        break;
    case 'H':
        *out = *(unsigned short *)p;
        break;
    case 'i':
        *out = *(int *)p;
        break;
    case 'I':
        *out = *(unsigned *)p;
        break;
    case 'l':
        *out = *(long *)p;
        break;
    case 'L':
        *out = (long long)*(unsigned long *)p;
        break;
    case 'q':
        *out = *(long long *)p;
        break;
    default:
        *out = (long long)*(unsigned long long *)p;
        break;
    }
    unlock(a);
    return 0;
}

int bt_mp_array_set_long(bt_mp_array *a, ptrdiff_t i, long long x, bt_err *err)
{
    void *p = item(a, i, err);
    if (!p)
        return BT_EINDEX;
    unsigned long long u = (unsigned long long)x; /* wraps, as ctypes */
    lock(a);
    switch (a->typecode) {
    case 'c':
    case 'b':
    case 'B':
        *(unsigned char *)p = (unsigned char)u;
        break;
    case 'h':
    case 'H':
        *(unsigned short *)p = (unsigned short)u;
        break;
    case 'i':
    case 'I':
        *(unsigned *)p = (unsigned)u;
        break;
    case 'l':
    case 'L':
        *(unsigned long *)p = (unsigned long)u;
        break;
    case 'q':
    case 'Q':
        *(unsigned long long *)p = u;
        break;
    case 'f':
        *(float *)p = (float)x;
        break;
    default:
        *(double *)p = (double)x;
        break;
    }
    unlock(a);
    return 0;
}

int bt_mp_array_get_double(bt_mp_array *a, ptrdiff_t i, double *out,
                           bt_err *err)
{
    if (!item(a, i, err))
        return BT_EINDEX;
    if (!is_float(a->typecode)) {
        long long v;
        int rc = bt_mp_array_get_long(a, i, &v, err);
        bool unsig = a->typecode == 'L' || a->typecode == 'Q';
        *out = unsig ? (double)(unsigned long long)v : (double)v;
        return rc;
    }
    void *p = item(a, i, err);
    lock(a);
    *out = a->typecode == 'f' ? (double)*(float *)p : *(double *)p;
    unlock(a);
    return 0;
}

int bt_mp_array_set_double(bt_mp_array *a, ptrdiff_t i, double x, bt_err *err)
{
    void *p = item(a, i, err);
    if (!p)
        return BT_EINDEX;
    if (!is_float(a->typecode))
        return bt_err_setf(err, BT_ETYPE, -1,
                           "'float' object cannot be interpreted as an "
                           "integer");
    lock(a);
    if (a->typecode == 'f')
        *(float *)p = (float)x;
    else
        *(double *)p = x;
    unlock(a);
    return 0;
}
