/*
 * emit.c — writes the PCRE2 pattern that means what the parsed Python
 * pattern means, with Python's compile-time rules (re._compiler):
 *
 *  - flags are applied here, per scope (_combine_flags), never passed to
 *    PCRE2: a scoped (?i:...) or (?a:...) changes what is written inside;
 *  - case-insensitive matching is written out: a literal becomes the set
 *    of characters Python's sre would accept for it (same lowercase, plus
 *    re._casefix's equivalences), a set becomes the set of characters s
 *    whose lowercase the set accepts (IN_UNI_IGNORE), with the quirks of
 *    _optimize_charset for characters outside the BMP; backreferences use
 *    PCRE2's caseless comparison (a documented deviation);
 *  - \w \d \s and \b \B are Python's definitions: the native PCRE2 forms
 *    with PCRE2_UCP only when the engine check in pattern.c found them equal
 *    to Python's (PCRE2 <= 10.42), else explicit classes and lookarounds;
 *    \s is always explicit (Python's includes \x1c-\x1f);
 *  - \B never matches an empty string, as in sre;
 *  - a lookbehind of Python's fixed width w becomes (?<=(?=X)(?s:.){w}),
 *    which is how sre runs one (step back w characters, match X forward),
 *    so backreferences and conditionals work inside as in Python;
 *  - groups are numbered as in Python; names stay on our side.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "re_int.h"

/* PCRE2's quantifier limit. */
#define PCRE_MAXQ 65535u

/* ---------------------------------------------------------- interval set */

typedef struct iset {
    uint32_t (*v)[2];
    size_t n, cap;
    bool oom;
    bool sorted;
} iset;

static void iset_add(iset *s, uint32_t lo, uint32_t hi)
{
    if (s->oom || lo > hi)
        return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        void *v = bt_realloc(s->v, cap * sizeof *s->v);
        if (!v) {
            s->oom = true;
            return;
        }
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n][0] = lo;
    s->v[s->n][1] = hi;
    s->n++;
    s->sorted = false;
}

static int cmp_iv(const void *a, const void *b)
{
    const uint32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0];
}

static void iset_norm(iset *s)
{
    if (s->sorted || s->n == 0) {
        s->sorted = true;
        return;
    }
    qsort(s->v, s->n, sizeof *s->v, cmp_iv);
    size_t k = 0;
    for (size_t i = 0; i < s->n; i++) {
        if (k && (uint64_t)s->v[i][0] <= (uint64_t)s->v[k - 1][1] + 1) {
            if (s->v[i][1] > s->v[k - 1][1])
                s->v[k - 1][1] = s->v[i][1];
        } else {
            s->v[k][0] = s->v[i][0];
            s->v[k][1] = s->v[i][1];
            k++;
        }
    }
    s->n = k;
    s->sorted = true;
}

static bool iset_has(iset *s, uint32_t c)
{
    iset_norm(s);
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->v[mid][1] < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < s->n && s->v[lo][0] <= c;
}

/* Removes one point. */
static void iset_remove(iset *s, uint32_t c)
{
    iset_norm(s);
    for (size_t i = 0; i < s->n; i++) {
        if (s->v[i][0] <= c && c <= s->v[i][1]) {
            uint32_t lo = s->v[i][0], hi = s->v[i][1];
            if (lo == hi) {
                memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
                s->n--;
            } else if (c == lo) {
                s->v[i][0] = c + 1;
            } else if (c == hi) {
                s->v[i][1] = c - 1;
            } else {
                s->v[i][1] = c - 1;
                iset_add(s, c + 1, hi);
                iset_norm(s);
            }
            return;
        }
    }
}

static void iset_fini(iset *s)
{
    bt_free(s->v);
    memset(s, 0, sizeof *s);
}

/* ---------------------------------------------------------------- emitter */

typedef struct emitter {
    const re_tree *t;
    const re_engine *eng;
    bool marks;
    bool utf; /* str pattern: PCRE2_UTF */
    bool ucp; /* PCRE2_UCP: native \w \d \b are Python's Unicode ones */
    bool ascii_native; /* non-UCP \w \b are ASCII */
    bt_buf *out;
    bt_err *err;
    int rc;
    bool loc_ready;
    unsigned char loc_lower[256], loc_upper[256];
    bool loc_word[256];
} emitter;

/* The kinds of matching a scope's flags select. */
typedef enum cmode { M_UNICODE, M_ASCII, M_LOCALE } cmode;

static cmode mode_of(const emitter *e, int flags)
{
    if (flags & F_L)
        return M_LOCALE;
    if (flags & F_U)
        return M_UNICODE;
    (void)e;
    return M_ASCII;
}

static void put(emitter *e, const char *s)
{
    if (e->rc == 0 && bt_buf_append_str(e->out, s) < 0)
        e->rc = BT_ENOMEM;
}

static void putf(emitter *e, const char *fmt, ...) BT_PRINTF(2, 3);

static void putf(emitter *e, const char *fmt, ...)
{
    if (e->rc)
        return;
    va_list ap;
    va_start(ap, fmt);
    if (bt_buf_vprintf(e->out, fmt, ap) < 0)
        e->rc = BT_ENOMEM;
    va_end(ap);
}

static void fail(emitter *e, int code, const char *msg)
{
    if (e->rc == 0)
        e->rc = bt_err_setf(e->err, code, -1, "%s", msg);
}

/* One character, escaped for use anywhere (in a class or outside). */
static void put_char(emitter *e, uint32_t c)
{
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
        (c >= 'A' && c <= 'Z')) {
        char s[2] = {(char)c, 0};
        put(e, s);
    } else if (c < 128 && c > 32 && c != 127) {
        char s[3] = {'\\', (char)c, 0};
        put(e, s);
    } else {
        putf(e, "\\x{%x}", (unsigned)c);
    }
}

static void ensure_locale(emitter *e)
{
    if (e->loc_ready)
        return;
    for (int c = 0; c < 256; c++) {
        e->loc_lower[c] = (unsigned char)tolower(c);
        e->loc_upper[c] = (unsigned char)toupper(c);
        e->loc_word[c] = isalnum(c) || c == '_';
    }
    e->loc_ready = true;
}

/* ---------------------------------------------------------- categories */

static bool ascii_word(uint32_t c)
{
    return c < 128 && (isalnum((int)c) || c == '_');
}

static bool ascii_space(uint32_t c)
{
    return c == ' ' || (c >= 9 && c <= 13);
}

static bool ascii_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

/* Python's category test under a mode (CH_UNICODE / CH_LOCALE / ASCII). */
static bool cat_has(emitter *e, cmode m, re_cat cat, uint32_t c)
{
    bool r;
    switch (cat) {
    case CAT_DIGIT:
    case CAT_NOT_DIGIT:
        r = m == M_UNICODE ? bt__re_is_digit_uni(c) : ascii_digit(c);
        break;
    case CAT_SPACE:
    case CAT_NOT_SPACE:
        r = m == M_UNICODE ? bt__re_is_space_uni(c) : ascii_space(c);
        break;
    default:
        if (m == M_UNICODE) {
            r = bt__re_is_word_uni(c);
        } else if (m == M_LOCALE) {
            ensure_locale(e);
            r = c < 256 && e->loc_word[c];
        } else {
            r = ascii_word(c);
        }
        break;
    }
    bool neg =
        cat == CAT_NOT_DIGIT || cat == CAT_NOT_SPACE || cat == CAT_NOT_WORD;
    return neg ? !r : r;
}

/* ------------------------------------------------------------ char sets */

/*
 * A set of characters ready to write: explicit intervals, plus (Unicode
 * mode of a str pattern) the property classes for \w \W \d \D, minus some
 * exception points, possibly negated.
 */
typedef struct cset {
    iset iv;
    bool uw, unw, ud, und; /* \w \W \d \D (Unicode) */
    iset exc;              /* points removed (covered by a category) */
    bool negate;
} cset;

/* Adds a category to a set: intervals when they are explicit, else the
 * property flags. */
static void cset_add_cat(emitter *e, cset *s, cmode m, re_cat cat, bool bytes)
{
    if (m != M_UNICODE || bytes) {
        uint32_t top = bytes ? 255 : 0x10FFFF;
        if (m == M_LOCALE || bytes) {
            for (uint32_t c = 0; c <= 255; c++)
                if (cat_has(e, m, cat, c))
                    iset_add(&s->iv, c, c);
            if (top > 255 && cat_has(e, m, cat, 0x100))
                iset_add(&s->iv, 0x100, top);
            return;
        }
        /* ASCII categories of a str pattern */
        for (uint32_t c = 0; c < 128; c++)
            if (cat_has(e, m, cat, c))
                iset_add(&s->iv, c, c);
        if (cat_has(e, m, cat, 0x80))
            iset_add(&s->iv, 0x80, 0x10FFFF);
        return;
    }
    switch (cat) {
    case CAT_SPACE:
        for (size_t i = 0; i < bt__re_space_n; i++)
            iset_add(&s->iv, bt__re_space[i].lo, bt__re_space[i].hi);
        break;
    case CAT_NOT_SPACE: {
        uint32_t next = 0;
        for (size_t i = 0; i < bt__re_space_n; i++) {
            if (bt__re_space[i].lo > next)
                iset_add(&s->iv, next, bt__re_space[i].lo - 1);
            next = bt__re_space[i].hi + 1;
        }
        iset_add(&s->iv, next, 0x10FFFF);
        break;
    }
    case CAT_WORD:
        s->uw = true;
        break;
    case CAT_NOT_WORD:
        s->unw = true;
        break;
    case CAT_DIGIT:
        s->ud = true;
        break;
    default:
        s->und = true;
        break;
    }
}

/* Whether c is in the set (before negation). */
static bool cset_has(cset *s, uint32_t c)
{
    if (iset_has(&s->iv, c))
        return true;
    if (s->uw && bt__re_is_word_uni(c))
        return true;
    if (s->unw && !bt__re_is_word_uni(c))
        return true;
    if (s->ud && bt__re_is_digit_uni(c))
        return true;
    if (s->und && !bt__re_is_digit_uni(c))
        return true;
    return false;
}

static bool cset_cat_has(const cset *s, uint32_t c)
{
    return (s->uw && bt__re_is_word_uni(c)) ||
           (s->unw && !bt__re_is_word_uni(c)) ||
           (s->ud && bt__re_is_digit_uni(c)) ||
           (s->und && !bt__re_is_digit_uni(c));
}

static void put_intervals(emitter *e, iset *s)
{
    iset_norm(s);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t lo = s->v[i][0], hi = s->v[i][1];
        put_char(e, lo);
        if (hi > lo) {
            if (hi > lo + 1)
                put(e, "-");
            put_char(e, hi);
        }
    }
}

/* The class body of the positive part (intervals and properties). Returns
 * false when it is empty. */
static bool put_class_body(emitter *e, cset *s, bool with_unw)
{
    iset_norm(&s->iv);
    bool any = s->iv.n > 0 || s->uw || s->ud || s->und || (with_unw && s->unw);
    if (!any)
        return false;
    put_intervals(e, &s->iv);
    if (s->uw)
        put(e, e->ucp ? "\\w" : "\\p{L}\\p{N}_");
    if (s->ud)
        put(e, e->ucp ? "\\d" : "\\p{Nd}");
    if (s->und)
        put(e, e->ucp ? "\\D" : "\\P{Nd}");
    if (with_unw && s->unw)
        put(e, "\\W");
    return true;
}

/* Is the whole code space in the intervals (or the byte space)? */
static bool iv_all(iset *s, uint32_t top)
{
    iset_norm(s);
    return s->n == 1 && s->v[0][0] == 0 && s->v[0][1] >= top;
}

/* Writes a one-character matcher for the set; *atom tells whether it can
 * take a quantifier as is. */
static void put_cset(emitter *e, cset *s, bool *atom)
{
    uint32_t top = e->utf ? 0x10FFFF : 255;
    iset_norm(&s->exc);
    bool unw_inline = e->ucp; /* \W inside a class is Python's \W */
    bool sep_nw = s->unw && !unw_inline;
    bool has_exc = s->exc.n > 0;
    *atom = true;
    if (!sep_nw && !has_exc && !s->uw && !s->ud && !s->und && !s->unw) {
        /* Pure intervals */
        iset_norm(&s->iv);
        if (s->iv.n == 0) {
            if (s->negate) {
                put(e, "(?s:.)");
            } else {
                put(e, "(?!)");
                *atom = false;
            }
            return;
        }
        if (iv_all(&s->iv, top)) {
            if (s->negate) {
                put(e, "(?!)");
                *atom = false;
            } else {
                put(e, "(?s:.)");
            }
            return;
        }
        if (!s->negate && s->iv.n == 1 && s->iv.v[0][0] == s->iv.v[0][1]) {
            put_char(e, s->iv.v[0][0]);
            return;
        }
        put(e, s->negate ? "[^" : "[");
        put_intervals(e, &s->iv);
        put(e, "]");
        return;
    }
    if (!sep_nw && !has_exc) {
        put(e, s->negate ? "[^" : "[");
        put_class_body(e, s, true);
        put(e, "]");
        return;
    }
    *atom = false;
    put(e, "(?:");
    if (!s->negate) {
        if (has_exc) {
            put(e, "(?![");
            put_intervals(e, &s->exc);
            put(e, "])");
        }
        put(e, "(?:");
        bool any = false;
        size_t mark = e->out->len;
        put(e, "[");
        if (put_class_body(e, s, !sep_nw)) {
            put(e, "]");
            any = true;
        } else if (e->rc == 0) {
            e->out->len = mark;
            e->out->data[mark] = 0;
        }
        if (sep_nw) {
            if (any)
                put(e, "|");
            put(e, "[^\\p{L}\\p{N}_]");
        }
        put(e, "))");
        return;
    }
    /* negated: exceptions, or (not in K and not in NW) */
    if (has_exc) {
        put(e, "[");
        put_intervals(e, &s->exc);
        put(e, "]|");
    }
    size_t mark = e->out->len;
    put(e, "(?![");
    if (!put_class_body(e, s, !sep_nw) && e->rc == 0) {
        e->out->len = mark;
        e->out->data[mark] = 0;
    } else {
        put(e, "])");
    }
    put(e, sep_nw ? "[\\p{L}\\p{N}_]" : "(?s:.)");
    put(e, ")");
}

/* Is c cased in the mode (sre's iscased)? */
static bool iscased(cmode m, uint32_t c)
{
    if (m == M_UNICODE)
        return bt__re_lower_uni(c) != c || bt__re_upper_uni(c) != c;
    return c < 128 && isalpha((int)c);
}

static uint32_t fold(cmode m, uint32_t c)
{
    if (m == M_UNICODE)
        return bt__re_lower_uni(c);
    return c < 128 && c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static const bt__re_fix *fixes_of(uint32_t c)
{
    size_t lo = 0, hi = bt__re_fixes_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bt__re_fixes[mid].cp < c)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < bt__re_fixes_n && bt__re_fixes[lo].cp == c ? &bt__re_fixes[lo]
                                                           : NULL;
}

/* Adds every s with fold(s) == t (t must be its own fold to count). */
static void add_folding_to(cset *s, cmode m, uint32_t t)
{
    if (fold(m, t) == t)
        iset_add(&s->iv, t, t);
    if (m == M_UNICODE) {
        size_t lo = 0, hi = bt__re_lower_inv_n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (bt__re_lower_inv[mid].cp < t)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (; lo < bt__re_lower_inv_n && bt__re_lower_inv[lo].cp == t; lo++)
            iset_add(&s->iv, bt__re_lower_inv[lo].to, bt__re_lower_inv[lo].to);
    } else if (t >= 'a' && t <= 'z') {
        iset_add(&s->iv, t - 32, t - 32);
    }
}

/* The set a literal (or NOT_LITERAL) matches under the scope's flags. */
static void literal_set(emitter *e, int flags, uint32_t c, cset *s)
{
    cmode m = mode_of(e, flags);
    if (!(flags & F_I)) {
        iset_add(&s->iv, c, c);
        return;
    }
    if (m == M_LOCALE) { /* bytes: char_loc_ignore */
        ensure_locale(e);
        for (uint32_t x = 0; x < 256; x++)
            if (x == c || e->loc_lower[x] == c || e->loc_upper[x] == c)
                iset_add(&s->iv, x, x);
        return;
    }
    if (!iscased(m, c)) {
        iset_add(&s->iv, c, c);
        return;
    }
    uint32_t lo = fold(m, c);
    add_folding_to(s, m, lo);
    if (m == M_UNICODE) {
        const bt__re_fix *f = fixes_of(lo);
        for (uint32_t k = 0; f && k < f->n; k++)
            add_folding_to(s, m, f->to[k]);
    }
    if (!e->utf) { /* bytes: only bytes */
        iset_norm(&s->iv);
        while (s->iv.n && s->iv.v[s->iv.n - 1][0] > 255)
            s->iv.n--;
        if (s->iv.n && s->iv.v[s->iv.n - 1][1] > 255)
            s->iv.v[s->iv.n - 1][1] = 255;
    }
}

/* Characters whose fold differs from themselves, in [a, b], for the mode. */
typedef struct lf_iter {
    cmode m;
    size_t i;
    uint32_t a, b;
} lf_iter;

static void lf_start(lf_iter *it, cmode m, uint32_t a, uint32_t b)
{
    it->m = m;
    it->a = a;
    it->b = b;
    if (m == M_UNICODE) {
        size_t lo = 0, hi = bt__re_lower_n;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (bt__re_lower[mid].cp < a)
                lo = mid + 1;
            else
                hi = mid;
        }
        it->i = lo;
    } else {
        it->i = a < 'A' ? 'A' : a;
    }
}

static bool lf_next(lf_iter *it, uint32_t *c)
{
    if (it->m == M_UNICODE) {
        if (it->i >= bt__re_lower_n || bt__re_lower[it->i].cp > it->b)
            return false;
        *c = bt__re_lower[it->i++].cp;
        return true;
    }
    if (it->i > 'Z' || it->i > it->b)
        return false;
    *c = (uint32_t)it->i++;
    return true;
}

/* Does [a, b] hold a cased character? */
static bool range_cased(cmode m, uint32_t a, uint32_t b)
{
    if (m != M_UNICODE)
        return (a <= 'Z' && b >= 'A') || (a <= 'z' && b >= 'a');
    lf_iter it;
    uint32_t c;
    lf_start(&it, m, a, b);
    if (lf_next(&it, &c))
        return true;
    size_t lo = 0, hi = bt__re_upper_n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bt__re_upper[mid].cp < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < bt__re_upper_n && bt__re_upper[lo].cp <= b;
}

/*
 * The set an IN node matches: Python's _optimize_charset and the IN,
 * IN_IGNORE, IN_UNI_IGNORE and IN_LOC_IGNORE opcodes.
 */
static void in_set(emitter *e, int flags, const re_setitem *v, size_t n,
                   cset *s)
{
    cmode m = mode_of(e, flags);
    bool bytes = !e->utf;
    bool negate = n > 0 && v[0].op == S_NEGATE;
    if (negate) {
        v++;
        n--;
    }
    s->negate = negate;
    if (bytes) {
        /* Evaluate every byte (also covers LOCALE). */
        bool ignore = (flags & F_I) != 0;
        if (m == M_LOCALE)
            ensure_locale(e);
        bool hascased = false;
        if (ignore && m != M_LOCALE)
            for (size_t i = 0; i < n; i++)
                if ((v[i].op == S_LITERAL && iscased(m, v[i].lo)) ||
                    (v[i].op == S_RANGE && range_cased(m, v[i].lo, v[i].hi)))
                    hascased = true;
        for (uint32_t x = 0; x < 256; x++) {
            uint32_t probe[3] = {x, x, x};
            int np = 1;
            if (ignore && m == M_LOCALE) {
                probe[1] = e->loc_lower[x];
                probe[2] = e->loc_upper[x];
                np = 3;
            } else if (ignore && hascased) {
                probe[0] = fold(m, x);
            }
            bool hit = false;
            for (int k = 0; k < np && !hit; k++) {
                uint32_t ch = probe[k];
                for (size_t i = 0; i < n && !hit; i++) {
                    const re_setitem *it = &v[i];
                    bool fixup = ignore && m != M_LOCALE;
                    switch (it->op) {
                    case S_LITERAL:
                        hit = ch == (fixup ? fold(m, it->lo) : it->lo);
                        break;
                    case S_RANGE:
                        if (fixup) {
                            for (uint32_t y = it->lo; y <= it->hi && !hit; y++)
                                hit = fold(m, y) == ch;
                        } else {
                            hit = it->lo <= ch && ch <= it->hi;
                        }
                        break;
                    default:
                        hit = cat_has(e, m, (re_cat)it->lo, ch);
                        break;
                    }
                }
            }
            if (hit)
                iset_add(&s->iv, x, x);
        }
        return;
    }
    if (!(flags & F_I)) {
        for (size_t i = 0; i < n; i++) {
            if (v[i].op == S_LITERAL)
                iset_add(&s->iv, v[i].lo, v[i].lo);
            else if (v[i].op == S_RANGE)
                iset_add(&s->iv, v[i].lo, v[i].hi);
            else
                cset_add_cat(e, s, m, (re_cat)v[i].lo, false);
        }
        return;
    }
    /* M_UNICODE or M_ASCII with fold (LOCALE is bytes-only). */
    bool hascased = false;
    iset tail_ranges = {0};
    for (size_t i = 0; i < n; i++) {
        const re_setitem *it = &v[i];
        if (it->op == S_LITERAL) {
            uint32_t lo = fold(m, it->lo);
            if (lo > 0xFFFF) { /* tail: the literal as written */
                hascased = true;
                iset_add(&s->iv, it->lo, it->lo);
                continue;
            }
            iset_add(&s->iv, lo, lo);
            if (m == M_UNICODE) {
                const bt__re_fix *f = fixes_of(lo);
                for (uint32_t k = 0; f && k < f->n; k++)
                    iset_add(&s->iv, f->to[k], f->to[k]);
            }
            if (iscased(m, it->lo))
                hascased = true;
        } else if (it->op == S_RANGE) {
            uint32_t a = it->lo, b = BT__MIN(it->hi, 0xFFFFu);
            if (a <= b) {
                /* fold of every character of [a, b] */
                lf_iter li;
                uint32_t c, next = a;
                lf_start(&li, m, a, b);
                while (lf_next(&li, &c)) {
                    if (c > next)
                        iset_add(&s->iv, next, c - 1);
                    iset_add(&s->iv, fold(m, c), fold(m, c));
                    next = c + 1;
                }
                if (next <= b)
                    iset_add(&s->iv, next, b);
                if (range_cased(m, a, b))
                    hascased = true;
            }
            if (it->hi > 0xFFFF) { /* tail: RANGE_UNI_IGNORE */
                hascased = true;
                iset_add(&tail_ranges, it->lo, it->hi);
            }
        } else {
            cset_add_cat(e, s, m, (re_cat)it->lo, false);
        }
    }
    if (m == M_UNICODE) {
        /* fixes of the folded characters (for ranges) */
        iset_norm(&s->iv);
        for (size_t k = 0; k < bt__re_fixes_n; k++)
            if (iset_has(&s->iv, bt__re_fixes[k].cp))
                for (uint32_t j = 0; j < bt__re_fixes[k].n; j++)
                    iset_add(&s->iv, bt__re_fixes[k].to[j],
                             bt__re_fixes[k].to[j]);
    }
    /* RANGE_UNI_IGNORE(lo, hi): ch in range or upper(ch) in range */
    iset_norm(&tail_ranges);
    for (size_t r = 0; r < tail_ranges.n; r++) {
        uint32_t lo = tail_ranges.v[r][0], hi = tail_ranges.v[r][1];
        iset_add(&s->iv, lo, hi);
        for (size_t k = 0; k < bt__re_upper_n; k++)
            if (bt__re_upper[k].to >= lo && bt__re_upper[k].to <= hi)
                iset_add(&s->iv, bt__re_upper[k].cp, bt__re_upper[k].cp);
    }
    iset_fini(&tail_ranges);
    if (!hascased)
        return; /* IN: the characters themselves */
    /* IN_*_IGNORE: s matches when fold(s) is in the set. Only characters
     * whose fold differs change: add those whose fold is in, remove those
     * in the set whose fold is not. */
    iset_norm(&s->iv);
    iset add = {0}, del = {0};
    lf_iter li;
    uint32_t c;
    lf_start(&li, m, 0, 0x10FFFF);
    while (lf_next(&li, &c)) {
        bool in_fold = cset_has(s, fold(m, c));
        bool in_self = cset_has(s, c);
        if (in_fold && !in_self)
            iset_add(&add, c, c);
        else if (!in_fold && in_self)
            iset_add(&del, c, c);
    }
    for (size_t i = 0; i < add.n; i++)
        iset_add(&s->iv, add.v[i][0], add.v[i][1]);
    iset_norm(&s->iv);
    for (size_t i = 0; i < del.n; i++) {
        uint32_t x = del.v[i][0];
        if (cset_cat_has(s, x))
            iset_add(&s->exc, x, x);
        else
            iset_remove(&s->iv, x);
    }
    if (add.oom || del.oom)
        s->iv.oom = true;
    iset_fini(&add);
    iset_fini(&del);
}

/* ----------------------------------------------------------------- nodes */

static void emit_seq(emitter *e, const re_seq *s, int flags, bool *atom);

static void drop_surrogates(emitter *e, iset *s);

static void emit_cset(emitter *e, cset *s, bool *atom)
{
    drop_surrogates(e, &s->iv);
    drop_surrogates(e, &s->exc);
    if (s->iv.oom || s->exc.oom) {
        fail(e, BT_ENOMEM, "out of memory");
        return;
    }
    put_cset(e, s, atom);
}

static bool is_surrogate(uint32_t c)
{
    return c >= 0xD800 && c <= 0xDFFF;
}

/* Surrogates (\ud800 in a pattern) are characters Python's str may hold
 * but UTF-8 cannot: they never match here, and PCRE2 refuses to name them. */
static void drop_surrogates(emitter *e, iset *s)
{
    if (!e->utf)
        return;
    iset_norm(s);
    for (size_t i = 0; i < s->n; i++) {
        uint32_t lo = s->v[i][0], hi = s->v[i][1];
        if (hi < 0xD800 || lo > 0xDFFF)
            continue;
        if (lo >= 0xD800 && hi <= 0xDFFF) {
            memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof *s->v);
            s->n--;
            i--;
        } else if (lo < 0xD800 && hi > 0xDFFF) {
            s->v[i][1] = 0xD7FF;
            iset_add(s, 0xE000, hi);
            iset_norm(s);
        } else if (lo < 0xD800) {
            s->v[i][1] = 0xD7FF;
        } else {
            s->v[i][0] = 0xE000;
        }
    }
}

static void emit_literal(emitter *e, int flags, uint32_t c, bool negate,
                         bool *atom)
{
    cset s = {0};
    if (!(flags & F_I) && !negate && !(e->utf && is_surrogate(c))) {
        put_char(e, c);
        *atom = true;
        return;
    }
    literal_set(e, flags, c, &s);
    s.negate = negate;
    emit_cset(e, &s, atom);
    iset_fini(&s.iv);
    iset_fini(&s.exc);
}

static void emit_in(emitter *e, int flags, const re_node *n, bool *atom)
{
    /* \d \w ... alone: the native escapes when they are Python's */
    if (n->u.set.n == 1 && n->u.set.v[0].op == S_CATEGORY && e->utf &&
        mode_of(e, flags) == M_UNICODE) {
        re_cat cat = (re_cat)n->u.set.v[0].lo;
        *atom = true;
        switch (cat) {
        case CAT_DIGIT:
            put(e, e->ucp ? "\\d" : "\\p{Nd}");
            return;
        case CAT_NOT_DIGIT:
            put(e, e->ucp ? "\\D" : "\\P{Nd}");
            return;
        case CAT_WORD:
            put(e, e->ucp ? "\\w" : "[\\p{L}\\p{N}_]");
            return;
        case CAT_NOT_WORD:
            put(e, e->ucp ? "\\W" : "[^\\p{L}\\p{N}_]");
            return;
        default:
            break;
        }
    }
    cset s = {0};
    in_set(e, flags, n->u.set.v, n->u.set.n, &s);
    emit_cset(e, &s, atom);
    iset_fini(&s.iv);
    iset_fini(&s.exc);
}

/* The word class of a mode, for boundary lookarounds. */
static void put_word_class(emitter *e, cmode m)
{
    if (m == M_UNICODE) {
        put(e, e->ucp ? "\\w" : "[\\p{L}\\p{N}_]");
        return;
    }
    cset s = {0};
    cset_add_cat(e, &s, m, CAT_WORD, !e->utf);
    bool atom;
    emit_cset(e, &s, &atom);
    iset_fini(&s.iv);
    iset_fini(&s.exc);
}

static void emit_at(emitter *e, int flags, re_at at)
{
    cmode m = mode_of(e, flags);
    bool native = (m == M_UNICODE && e->ucp) ||
                  (m == M_ASCII && !e->ucp && e->ascii_native);
    switch (at) {
    case AT_BEGINNING:
        put(e, (flags & F_M) ? "(?m:^)" : "^");
        break;
    case AT_BEGINNING_STRING:
        put(e, "\\A");
        break;
    case AT_END:
        put(e, (flags & F_M) ? "(?m:$)" : "$");
        break;
    case AT_END_STRING:
        put(e, "\\z");
        break;
    case AT_BOUNDARY:
        if (native) {
            put(e, "\\b");
        } else {
            put(e, "(?:(?<=");
            put_word_class(e, m);
            put(e, ")(?!");
            put_word_class(e, m);
            put(e, ")|(?<!");
            put_word_class(e, m);
            put(e, ")(?=");
            put_word_class(e, m);
            put(e, "))");
        }
        break;
    case AT_NON_BOUNDARY:
        /* sre: never at all in an empty string */
        if (native) {
            put(e, "(?!\\A\\z)\\B");
        } else {
            put(e, "(?!\\A\\z)(?:(?<=");
            put_word_class(e, m);
            put(e, ")(?=");
            put_word_class(e, m);
            put(e, ")|(?<!");
            put_word_class(e, m);
            put(e, ")(?!");
            put_word_class(e, m);
            put(e, "))");
        }
        break;
    }
}

static int combine_flags(int flags, int add, int del)
{
    if (add & F_TYPE)
        flags &= ~F_TYPE;
    return (flags | add) & ~del;
}

static void put_quant(emitter *e, re_op op, uint32_t min, uint32_t max)
{
    if (min == 0 && max == RE_MAXREPEAT)
        put(e, "*");
    else if (min == 1 && max == RE_MAXREPEAT)
        put(e, "+");
    else if (min == 0 && max == 1)
        put(e, "?");
    else if (max == RE_MAXREPEAT)
        putf(e, "{%u,}", min);
    else if (min == max)
        putf(e, "{%u}", min);
    else
        putf(e, "{%u,%u}", min, max);
    if (op == OP_MIN_REPEAT)
        put(e, "?");
    else if (op == OP_POSSESSIVE_REPEAT)
        put(e, "+");
}

/* Wraps what was written since mark in (?: ... ). */
static void wrap(emitter *e, size_t mark)
{
    if (e->rc)
        return;
    if (bt_buf_reserve(e->out, 4) < 0) {
        e->rc = BT_ENOMEM;
        return;
    }
    char *d = e->out->data;
    memmove(d + mark + 3, d + mark, e->out->len - mark + 1);
    memcpy(d + mark, "(?:", 3);
    e->out->len += 3;
    put(e, ")");
}

/* Wraps what was written since mark in (?> ... ). */
static void wrap_atomic(emitter *e, size_t mark)
{
    wrap(e, mark);
    if (e->rc == 0)
        e->out->data[mark + 2] = '>';
}

/* A body of one node that matches one character (no group inside). */
static bool is_char_atom(const re_seq *s)
{
    if (s->n != 1)
        return false;
    re_op op = s->v[0]->op;
    return op == OP_LITERAL || op == OP_NOT_LITERAL || op == OP_ANY ||
           op == OP_IN;
}

static const char *op_name(re_op op)
{
    return op == OP_MAX_REPEAT   ? "MAX_REPEAT"
           : op == OP_MIN_REPEAT ? "MIN_REPEAT"
                                 : "POSSESSIVE_REPEAT";
}

static void emit_node(emitter *e, const re_node *n, int flags, bool *atom)
{
    *atom = false;
    switch (n->op) {
    case OP_LITERAL:
        emit_literal(e, flags, n->u.c, false, atom);
        break;
    case OP_NOT_LITERAL:
        emit_literal(e, flags, n->u.c, true, atom);
        break;
    case OP_ANY:
        put(e, (flags & F_S) ? "(?s:.)" : ".");
        *atom = true;
        break;
    case OP_IN:
        emit_in(e, flags, n, atom);
        break;
    case OP_AT:
        emit_at(e, flags, n->u.at);
        break;
    case OP_BRANCH:
        put(e, "(?:");
        for (size_t i = 0; i < n->u.branch.n; i++) {
            bool a;
            if (i)
                put(e, "|");
            emit_seq(e, n->u.branch.v[i], flags, &a);
        }
        put(e, ")");
        *atom = true;
        break;
    case OP_SUBPATTERN: {
        int f = combine_flags(flags, n->u.sub.add, n->u.sub.del);
        bool a;
        put(e, n->u.sub.group >= 0 ? "(" : "(?:");
        emit_seq(e, n->u.sub.body, f, &a);
        if (n->u.sub.group >= 0 && e->marks)
            putf(e, "(*MARK:%d)", (int)n->u.sub.group);
        put(e, ")");
        *atom = true;
        break;
    }
    case OP_MAX_REPEAT:
    case OP_MIN_REPEAT:
    case OP_POSSESSIVE_REPEAT: {
        if (flags & F_TEMPLATE) {
            if (e->rc == 0)
                e->rc = bt_err_setf(e->err, BT_ERE, -1,
                                    "internal: unsupported template operator "
                                    "%s",
                                    op_name(n->op));
            return;
        }
        if (n->u.rep.min > PCRE_MAXQ ||
            (n->u.rep.max != RE_MAXREPEAT && n->u.rep.max > PCRE_MAXQ)) {
            fail(e, BT_ERE,
                 "repeat counts above 65535 are not supported (a PCRE2 "
                 "limit; Python allows up to 4294967294)");
            return;
        }
        size_t mark = e->out->len;
        bool a;
        emit_seq(e, n->u.rep.body, flags, &a);
        bool single = a && is_char_atom(n->u.rep.body);
        if (n->op == OP_POSSESSIVE_REPEAT && !single) {
            /* sre runs X{m,n}+ one pass at a time and never goes back
             * into a pass: (?>(?>X){m,n}). (PCRE2's own possessive group
             * repeat would also keep the captures of a pass given up.) */
            wrap_atomic(e, mark);
            put_quant(e, OP_MAX_REPEAT, n->u.rep.min, n->u.rep.max);
            wrap_atomic(e, mark);
            *atom = true;
            break;
        }
        if (!a)
            wrap(e, mark);
        put_quant(e, n->op, n->u.rep.min, n->u.rep.max);
        break;
    }
    case OP_ATOMIC_GROUP: {
        bool a;
        put(e, "(?>");
        emit_seq(e, n->u.body, flags, &a);
        put(e, ")");
        *atom = true;
        break;
    }
    case OP_GROUPREF:
        if (flags & F_I)
            putf(e, "(?i:\\g{%u})", n->u.c);
        else
            putf(e, "\\g{%u}", n->u.c);
        *atom = true;
        break;
    case OP_GROUPREF_EXISTS: {
        bool a;
        putf(e, "(?(%u)", n->u.cond.group);
        emit_seq(e, n->u.cond.yes, flags, &a);
        if (n->u.cond.no) {
            put(e, "|");
            emit_seq(e, n->u.cond.no, flags, &a);
        }
        put(e, ")");
        *atom = true;
        break;
    }
    case OP_ASSERT:
    case OP_ASSERT_NOT: {
        bool neg = n->op == OP_ASSERT_NOT, a;
        if (n->u.as.dir > 0) {
            put(e, neg ? "(?!" : "(?=");
            emit_seq(e, n->u.as.body, flags, &a);
            put(e, ")");
            break;
        }
        bool oom = false;
        re_width w = bt__re_width(e->t, n->u.as.body, &oom);
        if (oom) {
            fail(e, BT_ENOMEM, "out of memory");
            return;
        }
        if (w.lo != w.hi) {
            fail(e, BT_ERE, "look-behind requires fixed-width pattern");
            return;
        }
        if (w.lo > PCRE_MAXQ) {
            fail(e, BT_ERE,
                 "look-behind wider than 65535 characters is not supported "
                 "(a PCRE2 limit)");
            return;
        }
        if (w.lo == 0) {
            put(e, neg ? "(?!" : "(?=");
            emit_seq(e, n->u.as.body, flags, &a);
            put(e, ")");
        } else {
            put(e, neg ? "(?<!(?=" : "(?<=(?=");
            emit_seq(e, n->u.as.body, flags, &a);
            if (w.lo == 1)
                put(e, ")(?s:.))");
            else
                putf(e, ")(?s:.){%u})", (unsigned)w.lo);
        }
        break;
    }
    }
}

static void emit_seq(emitter *e, const re_seq *s, int flags, bool *atom)
{
    *atom = false;
    for (size_t i = 0; i < s->n && e->rc == 0; i++) {
        bool a;
        emit_node(e, s->v[i], flags, &a);
        *atom = s->n == 1 && a;
    }
}

int bt__re_emit(const re_tree *tree, const re_engine *eng, bool marks,
                bt_buf *out, bool *ucp, bt_err *err)
{
    emitter *e = bt_calloc(1, sizeof *e);
    if (!e)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    e->t = tree;
    e->eng = eng;
    e->marks = marks;
    e->utf = tree->istext;
    e->ucp = tree->istext && (tree->flags & F_U) && eng->native_word;
    e->ascii_native = eng->native_ascii_word;
    e->out = out;
    e->err = err;
    bool atom;
    emit_seq(e, tree->root, tree->flags, &atom);
    int rc = e->rc;
    if (rc == BT_ENOMEM && (!err || err->code != BT_ENOMEM))
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    *ucp = e->ucp;
    bt_free(e);
    return rc;
}
