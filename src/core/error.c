/* error.c — the error-code table: messages, Python names, C names; bt_err. */
#include <stdio.h>
#include <string.h>

#include "core_int.h"

struct lib_error {
    int code;
    const char *sym;
    const char *py;
    const char *msg;
};

static const struct lib_error lib_errors[] = {
#define ROW(name, value, py, msg) {value, #name, py, msg},
    BT_LIB_ERRORS(ROW)
#undef ROW
};

struct os_error {
    int err;
    const char *sym;
    const char *py;
};

static const struct os_error os_errors[] = {
#define ROW(name, py) {name, #name, py},
    BT_OS_ERRORS(ROW)
#undef ROW
};

static const struct lib_error *find_lib(int code)
{
    for (size_t i = 0; i < BT__COUNTOF(lib_errors); i++)
        if (lib_errors[i].code == code)
            return &lib_errors[i];
    return NULL;
}

static const struct os_error *find_os(int code)
{
    for (size_t i = 0; i < BT__COUNTOF(os_errors); i++)
        if (-os_errors[i].err == code)
            return &os_errors[i];
    return NULL;
}

const char *bt_strerror(int code)
{
    if (code == 0)
        return "Success";
    const struct lib_error *le = find_lib(code);
    if (le)
        return le->msg;
    if (code < 0) {
#ifdef HAVE_STRERRORDESC_NP
        const char *d = strerrordesc_np(-code);
        if (d)
            return d;
#else
        /* glibc's strerror() returns static text for known codes. */
        if (find_os(code))
            return strerror(-code);
#endif
    }
    static _Thread_local char unknown[32];
    snprintf(unknown, sizeof unknown, "Unknown error %d", code < 0 ? -code : code);
    return unknown;
}

const char *bt_errname(int code)
{
    if (code >= 0)
        return "";
    const struct lib_error *le = find_lib(code);
    if (le)
        return le->py;
    const struct os_error *oe = find_os(code);
    return oe ? oe->py : "OSError";
}

const char *bt_errsym(int code)
{
    if (code >= 0)
        return "";
    const struct lib_error *le = find_lib(code);
    if (le)
        return le->sym;
#ifdef HAVE_STRERRORNAME_NP
    const char *n = strerrorname_np(-code);
    if (n)
        return n;
#endif
    const struct os_error *oe = find_os(code);
    return oe ? oe->sym : "";
}

void bt_err_clear(bt_err *err)
{
    if (!err)
        return;
    err->code = 0;
    err->pos = -1;
    err->msg[0] = '\0';
}

int bt_err_setf(bt_err *err, int code, ptrdiff_t pos, const char *fmt, ...)
{
    if (!err)
        return code;
    err->code = code;
    err->pos = pos;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    return code;
}

/*
 * Appends repr(name) to the fixed message buffer without allocating; a name
 * too long to fit ends in "..." before the closing quote.
 */
static size_t append_repr(char *dst, size_t used, size_t cap,
                          const char *prefix, const char *name)
{
    size_t n = strlen(name);
    size_t plen = strlen(prefix);
    char quote = bt__repr_quote(name, n);
    char piece[BT__REPR_STEP_MAX];
    /* Room kept for "...", the closing quote and the NUL. */
    const size_t reserve = 5;
    if (used + plen + reserve + 1 >= cap)
        return used; /* not even "'...'" fits: leave the name out whole */
    memcpy(dst + used, prefix, plen);
    used += plen;
    dst[used++] = quote;
    size_t i = 0;
    while (i < n) {
        size_t adv;
        size_t k = bt__repr_step(piece, name + i, n - i, quote, &adv);
        if (used + k + reserve >= cap)
            break;
        memcpy(dst + used, piece, k);
        used += k;
        i += adv;
    }
    if (i < n) {
        memcpy(dst + used, "...", 3);
        used += 3;
    }
    dst[used++] = quote;
    dst[used] = '\0';
    return used;
}

int bt_err_oserror(bt_err *err, int code, const char *filename,
                   const char *filename2)
{
    if (!err)
        return code;
    err->code = code;
    err->pos = -1;
    size_t cap = sizeof err->msg;
    int k = snprintf(err->msg, cap, "[Errno %d] %s", -code, bt_strerror(code));
    size_t used = BT__MIN((size_t)(k < 0 ? 0 : k), cap - 1);
    if (filename) {
        used = append_repr(err->msg, used, cap, ": ", filename);
        if (filename2)
            append_repr(err->msg, used, cap, " -> ", filename2);
    }
    return code;
}
