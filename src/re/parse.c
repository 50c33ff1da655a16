/*
 * parse.c — reads a pattern the way CPython 3.11's re._parser does.
 *
 * The structure follows the parser's: a tokenizer that always holds the next
 * token (one character, or a backslash and the character after it), so that
 * a trailing backslash is reported as soon as the token before it is taken;
 * _parse_sub for alternations (with its two rewrites: a prefix common to all
 * branches moves out, and branches of one character become a set); _parse
 * for a sequence; _escape and _class_escape; the flags parser. Each error is
 * raised where Python raises it, with its message and position (a character
 * index in the message, a byte offset in bt_err.pos).
 *
 * Parse errors unwind with longjmp to bt__re_parse; every allocation is in
 * the arena, so nothing leaks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "re_int.h"

/* Python's recursion limit, in nested groups (about 495 from a plain
 * script; the parser recurses twice per group). */
#define MAX_NESTING 490

/* ----------------------------------------------------------------- arena */

struct re_chunk {
    struct re_chunk *next;
    size_t used, cap;
    max_align_t data[];
};

void bt__re_arena_free(re_arena *a)
{
    struct re_chunk *c = a->head;
    while (c) {
        struct re_chunk *next = c->next;
        bt_free(c);
        c = next;
    }
    a->head = NULL;
}

static void *arena_alloc(re_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) *
        sizeof(max_align_t);
    struct re_chunk *c = a->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 8192 ? n : 8192;
        c = bt_malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->used = 0;
        c->cap = cap;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* ---------------------------------------------------------------- parser */

typedef struct tok {
    size_t at;
    int len; /* 0: None (end of pattern), 1: a character, 2: an escape */
} tok;

typedef struct group_state {
    re_width width;
    bool closed;
} group_state;

typedef struct refpos {
    uint32_t group;
    size_t pos;
} refpos;

typedef struct msgbufs {
    bt_buf a, b;
} msgbufs;

typedef struct parser {
    const uint32_t *s; /* the pattern's characters (bytes: Latin-1) */
    size_t len;
    const size_t *boff; /* byte offset of each character, len + 1 */
    bool istext;
    bool has_newline;
    /* tokenizer */
    size_t index;
    tok next;
    /* state */
    int flags;
    uint32_t groups; /* len(groupwidths): groups opened + 1 */
    group_state *gs;
    size_t gscap;
    re_name *names;
    size_t nnames, namecap;
    int64_t lookbehindgroups; /* -1: None */
    refpos *refs;
    size_t nrefs, refcap;
    int depth;
    re_arena *arena;
    bt_err *err;
    int code;
    msgbufs msg;
    jmp_buf jb;
} parser;

static _Noreturn void fail_nomem(parser *p)
{
    p->code = bt_err_setf(p->err, BT_ENOMEM, -1, "out of memory");
    longjmp(p->jb, 1);
}

static void *alloc(parser *p, size_t n)
{
    void *r = arena_alloc(p->arena, n ? n : 1);
    if (!r)
        fail_nomem(p);
    return r;
}

/* Appends the UTF-8 of characters s[a..b) to out (bytes patterns: their
 * Latin-1 meaning, as Python's messages show them). */
static void text_of(parser *p, size_t a, size_t b, bt_buf *out)
{
    for (size_t i = a; i < b && i < p->len; i++) {
        char u[4];
        size_t k = bt_utf8_encode(p->s[i], u);
        if (bt_buf_append(out, u, k) < 0)
            fail_nomem(p);
    }
}

/*
 * Messages about a bytes pattern show the characters the tokenizer read
 * from it (Latin-1) that are not ASCII as \xNN, as Python's do. The text
 * holds them as UTF-8 (two bytes each, all below U+0100).
 */
static void backslashreplace(char *msg, size_t cap)
{
    char out[BT_ERR_MSG_SIZE];
    size_t k = 0;
    const unsigned char *u = (const unsigned char *)msg;
    for (size_t i = 0; u[i] && k + 5 < sizeof out;) {
        if (u[i] >= 0xC2 && u[i] <= 0xC3 && (u[i + 1] & 0xC0) == 0x80) {
            unsigned c = ((u[i] & 0x1Fu) << 6) | (u[i + 1] & 0x3Fu);
            k += (size_t)snprintf(out + k, sizeof out - k, "\\x%02x", c);
            i += 2;
        } else {
            out[k++] = (char)u[i++];
        }
    }
    out[k] = '\0';
    snprintf(msg, cap, "%s", out);
}

/*
 * Raises re.error(msg, pattern, pos): the message gets " at position N" and,
 * when the pattern holds a newline, " (line L, column C)".
 */
static _Noreturn void fail_at(parser *p, size_t pos, const char *fmt, ...)
    BT_PRINTF(3, 4);

static _Noreturn void fail_at(parser *p, size_t pos, const char *fmt, ...)
{
    char msg[BT_ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (!p->istext)
        backslashreplace(msg, sizeof msg);
    if (pos > p->len)
        pos = p->len;
    if (p->has_newline) {
        size_t line = 1, col;
        size_t last = (size_t)-1;
        for (size_t i = 0; i < pos; i++)
            if (p->s[i] == '\n') {
                line++;
                last = i;
            }
        col = pos - last; /* pos - rfind (rfind -1 when none) */
        p->code = bt_err_setf(p->err, BT_ERE, (ptrdiff_t)p->boff[pos],
                              "%s at position %zu (line %zu, column %zu)", msg,
                              pos, line, col);
    } else {
        p->code = bt_err_setf(p->err, BT_ERE, (ptrdiff_t)p->boff[pos],
                              "%s at position %zu", msg, pos);
    }
    longjmp(p->jb, 1);
}

/* source.tell() */
static size_t tell(const parser *p)
{
    return p->next.at;
}

/* source.error(msg, offset) */
#define FAIL(p, offset, ...)                                                   \
    fail_at((p), tell(p) - (size_t)(offset), __VA_ARGS__)

/* Tokenizer.__next */
static void advance(parser *p)
{
    size_t i = p->index;
    if (i >= p->len) {
        p->next.at = p->len;
        p->next.len = 0;
        return;
    }
    if (p->s[i] == '\\') {
        if (i + 1 >= p->len)
            fail_at(p, p->len - 1, "bad escape (end of pattern)");
        p->next.at = i;
        p->next.len = 2;
        p->index = i + 2;
        return;
    }
    p->next.at = i;
    p->next.len = 1;
    p->index = i + 1;
}

static tok get(parser *p)
{
    tok t = p->next;
    advance(p);
    return t;
}

static bool is(const parser *p, tok t, uint32_t c)
{
    return t.len == 1 && p->s[t.at] == c;
}

static bool next_is(const parser *p, uint32_t c)
{
    return is(p, p->next, c);
}

static bool match(parser *p, uint32_t c)
{
    if (next_is(p, c)) {
        advance(p);
        return true;
    }
    return false;
}

static void seek(parser *p, size_t index)
{
    p->index = index;
    advance(p);
}

static bool is_digit(uint32_t c)
{
    return c >= '0' && c <= '9';
}

static bool is_oct(uint32_t c)
{
    return c >= '0' && c <= '7';
}

static bool is_hex(uint32_t c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_ascii_letter(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool next_in(const parser *p, bool (*set)(uint32_t))
{
    return p->next.len == 1 && set(p->s[p->next.at]);
}

/* getwhile(n, charset): the end of the characters taken. */
static size_t getwhile(parser *p, int n, bool (*set)(uint32_t))
{
    for (int k = 0; k < n && next_in(p, set); k++)
        advance(p);
    return tell(p);
}

/* getuntil(terminator, name): the characters [*a, *b) before terminator. */
static void getuntil(parser *p, uint32_t term, const char *what, size_t *a,
                     size_t *b)
{
    size_t start = tell(p);
    for (;;) {
        tok c = p->next;
        advance(p);
        if (c.len == 0) {
            if (c.at == start)
                FAIL(p, 0, "missing %s", what);
            FAIL(p, c.at - start, "missing %c, unterminated name", (int)term);
        }
        if (is(p, c, term)) {
            if (c.at == start)
                FAIL(p, 1, "missing %s", what);
            *a = start;
            *b = c.at;
            return;
        }
    }
}

/* repr() of the characters [a, b) as a C string in buf (for messages). */
static const char *repr_of(parser *p, size_t a, size_t b, bt_buf *buf)
{
    bt_buf text = BT_BUF_INIT;
    bt_buf_clear(buf);
    text_of(p, a, b, &text);
    int rc = bt_repr_str(buf, text.data ? text.data : "", text.len);
    bt_buf_fini(&text);
    if (rc < 0)
        fail_nomem(p);
    return buf->data;
}

/* The text of [a, b) as a C string in buf. */
static const char *str_of(parser *p, size_t a, size_t b, bt_buf *buf)
{
    bt_buf_clear(buf);
    text_of(p, a, b, buf);
    if (bt_buf_append(buf, "", 0) < 0 || !buf->data) {
        if (bt_buf_append_byte(buf, 0) < 0)
            fail_nomem(p);
        buf->len = 0;
    }
    return buf->data;
}

/* Messages quote names with repr(); these buffers live in the parser until
 * bt__re_parse returns. */
static msgbufs *mb(parser *p)
{
    return &p->msg;
}

/* ---------------------------------------------------------- Python int() */

/*
 * int(text) of characters [a, b) as Python 3.11 reads a str: surrounding
 * whitespace, a sign, Unicode decimal digits with single underscores
 * between them. Gives the value's decimal digits (no leading zeros) in
 * digits; returns false on ValueError.
 */
static bool py_int(parser *p, size_t a, size_t b, bool *negative, char *digits,
                   size_t cap)
{
    while (a < b && bt__re_is_space_uni(p->s[a]))
        a++;
    while (b > a && bt__re_is_space_uni(p->s[b - 1]))
        b--;
    *negative = false;
    if (a < b && (p->s[a] == '+' || p->s[a] == '-')) {
        *negative = p->s[a] == '-';
        a++;
    }
    if (a == b)
        return false;
    size_t n = 0;
    bool prev_digit = false;
    for (size_t i = a; i < b; i++) {
        uint32_t c = p->s[i];
        if (c == '_') {
            if (!prev_digit || i + 1 == b)
                return false;
            prev_digit = false;
            continue;
        }
        int v = bt__re_digit_value(c);
        if (v < 0)
            return false;
        prev_digit = true;
        if (n == 0 && v == 0)
            continue;
        if (n + 1 < cap)
            digits[n++] = (char)('0' + v);
    }
    if (n == 0)
        digits[n++] = '0';
    digits[n] = '\0';
    return true;
}

/* The value of a decimal digit string, saturated at UINT64_MAX. */
static uint64_t digits_value(const char *d)
{
    uint64_t v = 0;
    for (; *d; d++) {
        if (v > (UINT64_MAX - 9) / 10)
            return UINT64_MAX;
        v = v * 10 + (uint64_t)(*d - '0');
    }
    return v;
}

/* ----------------------------------------------------------- tree pieces */

static re_seq *seq_new(parser *p)
{
    re_seq *s = alloc(p, sizeof *s);
    s->v = NULL;
    s->n = s->cap = 0;
    return s;
}

static void seq_push(parser *p, re_seq *s, re_node *n)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4;
        re_node **v = alloc(p, cap * sizeof *v);
        if (s->n)
            memcpy(v, s->v, s->n * sizeof *v);
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = n;
}

static re_node *node(parser *p, re_op op)
{
    re_node *n = alloc(p, sizeof *n);
    memset(n, 0, sizeof *n);
    n->op = op;
    return n;
}

static re_node *literal(parser *p, uint32_t c)
{
    re_node *n = node(p, OP_LITERAL);
    n->u.c = c;
    return n;
}

static bool item_eq(const re_setitem *a, const re_setitem *b)
{
    return a->op == b->op && a->lo == b->lo && a->hi == b->hi;
}

/* Tuple equality of two nodes, as the prefix rewrite compares them: nodes
 * holding a SubPattern compare by identity, so only these can be equal. */
static bool node_eq(const re_node *a, const re_node *b)
{
    if (a == b)
        return true;
    if (a->op != b->op)
        return false;
    switch (a->op) {
    case OP_LITERAL:
    case OP_NOT_LITERAL:
    case OP_GROUPREF:
        return a->u.c == b->u.c;
    case OP_ANY:
        return true;
    case OP_AT:
        return a->u.at == b->u.at;
    case OP_IN:
        if (a->u.set.n != b->u.set.n)
            return false;
        for (size_t i = 0; i < a->u.set.n; i++)
            if (!item_eq(&a->u.set.v[i], &b->u.set.v[i]))
                return false;
        return true;
    default:
        return false;
    }
}

/* _uniq: drops repeated items, keeping the first of each. */
static size_t uniq(re_setitem *v, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool seen = false;
        for (size_t j = 0; j < k && !seen; j++)
            seen = item_eq(&v[j], &v[i]);
        if (!seen)
            v[k++] = v[i];
    }
    return k;
}

/* ------------------------------------------------------------- the state */

static void open_group(parser *p, size_t name_a, size_t name_b, bool named,
                       uint32_t *gid)
{
    uint32_t g = p->groups;
    if (g >= p->gscap) {
        size_t cap = p->gscap ? 2 * p->gscap : 16;
        group_state *v = alloc(p, cap * sizeof *v);
        memcpy(v, p->gs, p->gscap * sizeof *v);
        p->gs = v;
        p->gscap = cap;
    }
    p->gs[g].closed = false;
    p->groups++;
    if (p->groups > RE_MAXGROUPS)
        FAIL(p, named ? name_b - name_a + 1 : 0, "too many groups");
    if (named) {
        bt_buf text = BT_BUF_INIT;
        text_of(p, name_a, name_b, &text);
        for (size_t i = 0; i < p->nnames; i++) {
            re_name *n = &p->names[i];
            if (n->len == text.len && memcmp(n->name, text.data, n->len) == 0) {
                bt_buf_fini(&text);
                FAIL(p, name_b - name_a + 1,
                     "redefinition of group name %s as group %u; was group "
                     "%u",
                     repr_of(p, name_a, name_b, &mb(p)->a), g, n->group);
            }
        }
        if (p->nnames == p->namecap) {
            size_t cap = p->namecap ? 2 * p->namecap : 8;
            re_name *v = alloc(p, cap * sizeof *v);
            if (p->nnames)
                memcpy(v, p->names, p->nnames * sizeof *v);
            p->names = v;
            p->namecap = cap;
        }
        re_name *n = &p->names[p->nnames++];
        n->name = alloc(p, text.len + 1);
        if (text.len)
            memcpy(n->name, text.data, text.len);
        n->name[text.len] = '\0';
        n->len = text.len;
        n->group = g;
        bt_buf_fini(&text);
    }
    *gid = g;
}

static int64_t group_by_name(parser *p, size_t a, size_t b)
{
    bt_buf text = BT_BUF_INIT;
    text_of(p, a, b, &text);
    int64_t found = -1;
    for (size_t i = 0; i < p->nnames && found < 0; i++) {
        re_name *n = &p->names[i];
        if (n->len == text.len &&
            (n->len == 0 || memcmp(n->name, text.data, n->len) == 0))
            found = n->group;
    }
    bt_buf_fini(&text);
    return found;
}

static bool checkgroup(const parser *p, uint64_t gid)
{
    return gid < p->groups && p->gs[gid].closed;
}

static void checklookbehindgroup(parser *p, uint64_t gid)
{
    if (p->lookbehindgroups >= 0) {
        if (!checkgroup(p, gid))
            FAIL(p, 0, "cannot refer to an open group");
        if (gid >= (uint64_t)p->lookbehindgroups)
            FAIL(p, 0,
                 "cannot refer to group defined in the same lookbehind "
                 "subpattern");
    }
}

static re_width seq_width(const group_state *gs, const re_seq *s);

static void close_group(parser *p, uint32_t gid, const re_seq *body)
{
    p->gs[gid].width = seq_width(p->gs, body);
    p->gs[gid].closed = true;
}

/* ----------------------------------------------------------------- width */

#define WCAP ((uint64_t)1 << 62)

static uint64_t sat_add(uint64_t a, uint64_t b)
{
    uint64_t r = a + b;
    return r > WCAP || r < a ? WCAP : r;
}

static uint64_t sat_mul(uint64_t a, uint64_t b)
{
    if (a == 0 || b == 0)
        return 0;
    if (a > WCAP / b)
        return WCAP;
    return a * b;
}

static re_width seq_width(const group_state *gs, const re_seq *s)
{
    uint64_t lo = 0, hi = 0;
    for (size_t k = 0; k < s->n; k++) {
        const re_node *n = s->v[k];
        re_width w;
        switch (n->op) {
        case OP_BRANCH: {
            uint64_t i = RE_MAXREPEAT - 1, j = 0;
            for (size_t b = 0; b < n->u.branch.n; b++) {
                w = seq_width(gs, n->u.branch.v[b]);
                i = BT__MIN(i, w.lo);
                j = BT__MAX(j, w.hi);
            }
            lo = sat_add(lo, i);
            hi = sat_add(hi, j);
            break;
        }
        case OP_ATOMIC_GROUP:
            w = seq_width(gs, n->u.body);
            lo = sat_add(lo, w.lo);
            hi = sat_add(hi, w.hi);
            break;
        case OP_SUBPATTERN:
            w = seq_width(gs, n->u.sub.body);
            lo = sat_add(lo, w.lo);
            hi = sat_add(hi, w.hi);
            break;
        case OP_MAX_REPEAT:
        case OP_MIN_REPEAT:
        case OP_POSSESSIVE_REPEAT:
            w = seq_width(gs, n->u.rep.body);
            lo = sat_add(lo, sat_mul(w.lo, n->u.rep.min));
            hi = sat_add(hi, sat_mul(w.hi, n->u.rep.max));
            break;
        case OP_ANY:
        case OP_IN:
        case OP_LITERAL:
        case OP_NOT_LITERAL:
            lo = sat_add(lo, 1);
            hi = sat_add(hi, 1);
            break;
        case OP_GROUPREF:
            lo = sat_add(lo, gs[n->u.c].width.lo);
            hi = sat_add(hi, gs[n->u.c].width.hi);
            break;
        case OP_GROUPREF_EXISTS: {
            w = seq_width(gs, n->u.cond.yes);
            uint64_t i = w.lo, j = w.hi;
            if (n->u.cond.no) {
                re_width w2 = seq_width(gs, n->u.cond.no);
                i = BT__MIN(i, w2.lo);
                j = BT__MAX(j, w2.hi);
            } else {
                i = 0;
            }
            lo = sat_add(lo, i);
            hi = sat_add(hi, j);
            break;
        }
        default: /* AT, ASSERT, ASSERT_NOT: no width */
            break;
        }
    }
    re_width r = {BT__MIN(lo, (uint64_t)RE_MAXREPEAT - 1),
                  BT__MIN(hi, (uint64_t)RE_MAXREPEAT)};
    return r;
}

re_width bt__re_width(const re_tree *t, const re_seq *s, bool *oom)
{
    /* The tree keeps the widths the parser computed for each group. */
    group_state *gs = NULL;
    group_state local[64];
    size_t n = (size_t)t->groups + 1;
    if (n <= 64)
        gs = local;
    else
        gs = bt_malloc(n * sizeof *gs);
    if (!gs) {
        re_width w = {0, 0};
        *oom = true;
        return w;
    }
    for (size_t g = 0; g < n; g++) {
        gs[g].width = g ? t->widths[g] : (re_width){0, 0};
        gs[g].closed = true;
    }
    re_width w = seq_width(gs, s);
    if (gs != local)
        bt_free(gs);
    return w;
}

/* ---------------------------------------------------------------- escapes */

typedef enum code_kind { C_LITERAL, C_CATEGORY, C_AT, C_GROUPREF } code_kind;

typedef struct code {
    code_kind kind;
    uint32_t v;
} code;

static code mk(code_kind k, uint32_t v)
{
    code c = {k, v};
    return c;
}

/* ESCAPES: \a \b \f \n \r \t \v \\ */
static bool simple_escape(uint32_t c, uint32_t *out)
{
    switch (c) {
    case 'a':
        *out = 7;
        return true;
    case 'b':
        *out = 8;
        return true;
    case 'f':
        *out = 12;
        return true;
    case 'n':
        *out = 10;
        return true;
    case 'r':
        *out = 13;
        return true;
    case 't':
        *out = 9;
        return true;
    case 'v':
        *out = 11;
        return true;
    case '\\':
        *out = '\\';
        return true;
    default:
        return false;
    }
}

/* CATEGORIES that are sets: \d \D \s \S \w \W */
static bool category_escape(uint32_t c, uint32_t *out)
{
    switch (c) {
    case 'd':
        *out = CAT_DIGIT;
        return true;
    case 'D':
        *out = CAT_NOT_DIGIT;
        return true;
    case 's':
        *out = CAT_SPACE;
        return true;
    case 'S':
        *out = CAT_NOT_SPACE;
        return true;
    case 'w':
        *out = CAT_WORD;
        return true;
    case 'W':
        *out = CAT_NOT_WORD;
        return true;
    default:
        return false;
    }
}

static uint32_t hex_value(parser *p, size_t a, size_t b)
{
    uint32_t v = 0;
    for (size_t i = a; i < b; i++) {
        uint32_t c = p->s[i];
        v = v * 16 + (is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10);
    }
    return v;
}

static uint32_t oct_value(parser *p, size_t a, size_t b)
{
    uint32_t v = 0;
    for (size_t i = a; i < b; i++)
        v = v * 8 + (p->s[i] - '0');
    return v;
}

/*
 * The escapes both contexts share: \x \u \U \N. Returns true with *out when
 * esc is one of them (for the pattern's kind); errors as Python's.
 */
static bool unicode_escape(parser *p, tok esc, uint32_t *out)
{
    uint32_t c = p->s[esc.at + 1];
    bt_buf *buf = &mb(p)->a;
    if (c == 'x') {
        size_t end = getwhile(p, 2, is_hex);
        if (end - esc.at != 4)
            FAIL(p, end - esc.at, "incomplete escape %s",
                 str_of(p, esc.at, end, buf));
        *out = hex_value(p, esc.at + 2, end);
        return true;
    }
    if (c == 'u' && p->istext) {
        size_t end = getwhile(p, 4, is_hex);
        if (end - esc.at != 6)
            FAIL(p, end - esc.at, "incomplete escape %s",
                 str_of(p, esc.at, end, buf));
        *out = hex_value(p, esc.at + 2, end);
        return true;
    }
    if (c == 'U' && p->istext) {
        size_t end = getwhile(p, 8, is_hex);
        if (end - esc.at != 10)
            FAIL(p, end - esc.at, "incomplete escape %s",
                 str_of(p, esc.at, end, buf));
        uint32_t v = hex_value(p, esc.at + 2, end);
        if (v > 0x10FFFF) /* chr() raises ValueError */
            FAIL(p, end - esc.at, "bad escape %s", str_of(p, esc.at, end, buf));
        *out = v;
        return true;
    }
    if (c == 'N' && p->istext) {
        if (!match(p, '{'))
            FAIL(p, 0, "missing {");
        size_t a, b;
        getuntil(p, '}', "character name", &a, &b);
        bt_buf name = BT_BUF_INIT;
        text_of(p, a, b, &name);
        int32_t cp = bt__re_lookup_name(name.data ? name.data : "", name.len);
        bt_buf_fini(&name);
        if (cp < 0)
            FAIL(p, (b - a) + 4, "undefined character name %s",
                 repr_of(p, a, b, buf));
        *out = (uint32_t)cp;
        return true;
    }
    return false;
}

/* _class_escape */
static code class_escape(parser *p, tok esc)
{
    uint32_t c = p->s[esc.at + 1], v;
    bt_buf *buf = &mb(p)->a;
    if (simple_escape(c, &v))
        return mk(C_LITERAL, v);
    if (category_escape(c, &v))
        return mk(C_CATEGORY, v);
    if (unicode_escape(p, esc, &v))
        return mk(C_LITERAL, v);
    if (is_oct(c)) {
        size_t end = getwhile(p, 2, is_oct);
        v = oct_value(p, esc.at + 1, end);
        if (v > 0377)
            FAIL(p, end - esc.at,
                 "octal escape value %s outside of range 0-0o377",
                 str_of(p, esc.at, end, buf));
        return mk(C_LITERAL, v);
    }
    if (!is_digit(c) && !is_ascii_letter(c))
        return mk(C_LITERAL, c);
    FAIL(p, 2, "bad escape %s", str_of(p, esc.at, esc.at + 2, buf));
}

/* _escape */
static code escape(parser *p, tok esc)
{
    uint32_t c = p->s[esc.at + 1], v;
    bt_buf *buf = &mb(p)->a;
    switch (c) {
    case 'A':
        return mk(C_AT, AT_BEGINNING_STRING);
    case 'b':
        return mk(C_AT, AT_BOUNDARY);
    case 'B':
        return mk(C_AT, AT_NON_BOUNDARY);
    case 'Z':
        return mk(C_AT, AT_END_STRING);
    default:
        break;
    }
    if (category_escape(c, &v))
        return mk(C_CATEGORY, v);
    if (simple_escape(c, &v))
        return mk(C_LITERAL, v);
    if (unicode_escape(p, esc, &v))
        return mk(C_LITERAL, v);
    if (c == '0') {
        size_t end = getwhile(p, 2, is_oct);
        return mk(C_LITERAL, oct_value(p, esc.at + 1, end));
    }
    if (is_digit(c)) {
        size_t end = esc.at + 2;
        if (next_in(p, is_digit)) {
            advance(p);
            end++;
            if (is_oct(p->s[esc.at + 1]) && is_oct(p->s[esc.at + 2]) &&
                next_in(p, is_oct)) {
                advance(p);
                end++;
                v = oct_value(p, esc.at + 1, end);
                if (v > 0377)
                    FAIL(p, end - esc.at,
                         "octal escape value %s outside of range 0-0o377",
                         str_of(p, esc.at, end, buf));
                return mk(C_LITERAL, v);
            }
        }
        uint32_t group = 0;
        for (size_t i = esc.at + 1; i < end; i++)
            group = group * 10 + (p->s[i] - '0');
        if (group < p->groups) {
            if (!checkgroup(p, group))
                FAIL(p, end - esc.at, "cannot refer to an open group");
            checklookbehindgroup(p, group);
            return mk(C_GROUPREF, group);
        }
        FAIL(p, end - esc.at - 1, "invalid group reference %u", group);
    }
    if (!is_ascii_letter(c))
        return mk(C_LITERAL, c);
    FAIL(p, 2, "bad escape %s", str_of(p, esc.at, esc.at + 2, buf));
}

static re_node *code_node(parser *p, code c)
{
    re_node *n;
    switch (c.kind) {
    case C_LITERAL:
        return literal(p, c.v);
    case C_AT:
        n = node(p, OP_AT);
        n->u.at = (re_at)c.v;
        return n;
    case C_GROUPREF:
        n = node(p, OP_GROUPREF);
        n->u.c = c.v;
        return n;
    default:
        n = node(p, OP_IN);
        n->u.set.v = alloc(p, sizeof(re_setitem));
        n->u.set.v[0].op = S_CATEGORY;
        n->u.set.v[0].lo = c.v;
        n->u.set.v[0].hi = 0;
        n->u.set.n = 1;
        return n;
    }
}

/* ----------------------------------------------------------------- flags */

static int flag_of(uint32_t c)
{
    switch (c) {
    case 'i':
        return F_I;
    case 'L':
        return F_L;
    case 'm':
        return F_M;
    case 's':
        return F_S;
    case 'x':
        return F_X;
    case 'a':
        return F_A;
    case 't':
        return F_TEMPLATE;
    case 'u':
        return F_U;
    default:
        return 0;
    }
}

static int tok_flag(const parser *p, tok t)
{
    return t.len == 1 ? flag_of(p->s[t.at]) : 0;
}

/* "unknown flag" when the character is a letter, else the other message. */
static _Noreturn void bad_flag(parser *p, tok t, const char *other)
{
    bool alpha = t.len == 1 && bt__re_is_alpha(p->s[t.at]);
    FAIL(p, t.len, "%s", alpha ? "unknown flag" : other);
}

/* _parse_flags: false for global flags (then applied), true with the
 * scoped add and del flags. */
static bool parse_flags(parser *p, tok ch, int *add, int *del)
{
    int add_flags = 0, del_flags = 0;
    if (!is(p, ch, '-')) {
        for (;;) {
            int flag = tok_flag(p, ch);
            if (p->istext) {
                if (p->s[ch.at] == 'L')
                    FAIL(p, 0,
                         "bad inline flags: cannot use 'L' flag with a "
                         "str pattern");
            } else if (p->s[ch.at] == 'u') {
                FAIL(p, 0,
                     "bad inline flags: cannot use 'u' flag with a "
                     "bytes pattern");
            }
            add_flags |= flag;
            if ((flag & F_TYPE) && (add_flags & F_TYPE) != flag)
                FAIL(p, 0,
                     "bad inline flags: flags 'a', 'u' and 'L' are "
                     "incompatible");
            ch = get(p);
            if (ch.len == 0)
                FAIL(p, 0, "missing -, : or )");
            if (is(p, ch, ')') || is(p, ch, '-') || is(p, ch, ':'))
                break;
            if (!tok_flag(p, ch))
                bad_flag(p, ch, "missing -, : or )");
        }
    }
    if (is(p, ch, ')')) {
        p->flags |= add_flags;
        return false;
    }
    if (add_flags & F_GLOBAL)
        FAIL(p, 1, "bad inline flags: cannot turn on global flag");
    if (is(p, ch, '-')) {
        ch = get(p);
        if (ch.len == 0)
            FAIL(p, 0, "missing flag");
        if (!tok_flag(p, ch))
            bad_flag(p, ch, "missing flag");
        for (;;) {
            int flag = tok_flag(p, ch);
            if (flag & F_TYPE)
                FAIL(p, 0,
                     "bad inline flags: cannot turn off flags 'a', 'u' "
                     "and 'L'");
            del_flags |= flag;
            ch = get(p);
            if (ch.len == 0)
                FAIL(p, 0, "missing :");
            if (is(p, ch, ':'))
                break;
            if (!tok_flag(p, ch))
                bad_flag(p, ch, "missing :");
        }
    }
    if (del_flags & F_GLOBAL)
        FAIL(p, 1, "bad inline flags: cannot turn off global flag");
    if (add_flags & del_flags)
        FAIL(p, 1, "bad inline flags: flag turned on and off");
    *add = add_flags;
    *del = del_flags;
    return true;
}

/* ----------------------------------------------------------------- parse */

static re_seq *parse_sub(parser *p, bool verbose, int nested);
static re_seq *parse_seq(parser *p, bool verbose, int nested, bool first);

static void enter(parser *p)
{
    if (++p->depth > 2 * MAX_NESTING + 2) {
        p->code = bt_err_setf(p->err, BT_ERUNTIME, -1,
                              "maximum recursion depth exceeded");
        longjmp(p->jb, 1);
    }
}

/* Removes the first node of a sequence (del item[0]). */
static void seq_pop_front(re_seq *s)
{
    memmove(s->v, s->v + 1, (s->n - 1) * sizeof *s->v);
    s->n--;
}

static re_seq *parse_sub(parser *p, bool verbose, int nested)
{
    enter(p);
    re_seq **items = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        re_seq *item = parse_seq(p, verbose, nested + 1, !nested && n == 0);
        if (n == cap) {
            cap = cap ? 2 * cap : 4;
            re_seq **v = alloc(p, cap * sizeof *v);
            if (n)
                memcpy(v, items, n * sizeof *v);
            items = v;
        }
        items[n++] = item;
        if (!match(p, '|'))
            break;
        /* Global flags at the start of the pattern hold for the branches
         * after it too. */
        if (!nested && (p->flags & F_X))
            verbose = true;
    }
    p->depth--;
    if (n == 1)
        return items[0];

    re_seq *sub = seq_new(p);
    /* A prefix common to all branches moves out of the branch. */
    for (;;) {
        re_node *prefix = NULL;
        bool common = true;
        for (size_t i = 0; i < n && common; i++) {
            if (items[i]->n == 0)
                common = false;
            else if (!prefix)
                prefix = items[i]->v[0];
            else if (!node_eq(items[i]->v[0], prefix))
                common = false;
        }
        if (!common)
            break;
        for (size_t i = 0; i < n; i++)
            seq_pop_front(items[i]);
        seq_push(p, sub, prefix);
    }
    /* Branches of one character each become a set. */
    size_t total = 0;
    bool setlike = true;
    for (size_t i = 0; i < n && setlike; i++) {
        if (items[i]->n != 1) {
            setlike = false;
            break;
        }
        re_node *x = items[i]->v[0];
        if (x->op == OP_LITERAL)
            total++;
        else if (x->op == OP_IN && x->u.set.v[0].op != S_NEGATE)
            total += x->u.set.n;
        else
            setlike = false;
    }
    if (setlike) {
        re_setitem *v = alloc(p, total * sizeof *v);
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            re_node *x = items[i]->v[0];
            if (x->op == OP_LITERAL) {
                v[k].op = S_LITERAL;
                v[k].lo = x->u.c;
                v[k].hi = 0;
                k++;
            } else {
                memcpy(v + k, x->u.set.v, x->u.set.n * sizeof *v);
                k += x->u.set.n;
            }
        }
        re_node *in = node(p, OP_IN);
        in->u.set.v = v;
        in->u.set.n = uniq(v, k);
        seq_push(p, sub, in);
        return sub;
    }
    re_node *br = node(p, OP_BRANCH);
    br->u.branch.v = items;
    br->u.branch.n = n;
    seq_push(p, sub, br);
    return sub;
}

/* The character set after '[' (here: the position of '['). */
static re_node *parse_set(parser *p, size_t here)
{
    re_setitem *v = NULL;
    size_t n = 0, cap = 0;
    bool negate = match(p, '^');
    for (;;) {
        tok t = get(p);
        if (t.len == 0)
            FAIL(p, tell(p) - here, "unterminated character set");
        if (is(p, t, ']') && n > 0)
            break;
        code c1;
        if (t.len == 2)
            c1 = class_escape(p, t);
        else
            c1 = mk(C_LITERAL, p->s[t.at]);
        re_setitem item;
        if (match(p, '-')) {
            tok u = get(p);
            if (u.len == 0)
                FAIL(p, tell(p) - here, "unterminated character set");
            if (is(p, u, ']')) {
                /* "a-]": the item, then '-' */
                if (n + 2 > cap) {
                    cap = cap * 2 + 4;
                    re_setitem *w = alloc(p, cap * sizeof *w);
                    if (n)
                        memcpy(w, v, n * sizeof *w);
                    v = w;
                }
                v[n].op = c1.kind == C_LITERAL ? S_LITERAL : S_CATEGORY;
                v[n].lo = c1.v;
                v[n].hi = 0;
                n++;
                v[n].op = S_LITERAL;
                v[n].lo = '-';
                v[n].hi = 0;
                n++;
                break;
            }
            code c2;
            if (u.len == 2)
                c2 = class_escape(p, u);
            else
                c2 = mk(C_LITERAL, p->s[u.at]);
            if (c1.kind != C_LITERAL || c2.kind != C_LITERAL || c2.v < c1.v) {
                bt_buf *b1 = &mb(p)->a, *b2 = &mb(p)->b;
                const char *s1 = str_of(p, t.at, t.at + (size_t)t.len, b1);
                const char *s2 = str_of(p, u.at, u.at + (size_t)u.len, b2);
                FAIL(p, (size_t)t.len + 1 + (size_t)u.len,
                     "bad character range %s-%s", s1, s2);
            }
            item.op = S_RANGE;
            item.lo = c1.v;
            item.hi = c2.v;
        } else {
            item.op = c1.kind == C_LITERAL ? S_LITERAL : S_CATEGORY;
            item.lo = c1.v;
            item.hi = 0;
        }
        if (n + 1 > cap) {
            cap = cap * 2 + 4;
            re_setitem *w = alloc(p, cap * sizeof *w);
            if (n)
                memcpy(w, v, n * sizeof *w);
            v = w;
        }
        v[n++] = item;
    }
    n = uniq(v, n);
    if (n == 1 && v[0].op == S_LITERAL) {
        re_node *x = node(p, negate ? OP_NOT_LITERAL : OP_LITERAL);
        x->u.c = v[0].lo;
        return x;
    }
    re_node *x = node(p, OP_IN);
    if (negate) {
        re_setitem *w = alloc(p, (n + 1) * sizeof *w);
        w[0].op = S_NEGATE;
        w[0].lo = w[0].hi = 0;
        memcpy(w + 1, v, n * sizeof *w);
        v = w;
        n++;
    }
    x->u.set.v = v;
    x->u.set.n = n;
    return x;
}

static bool is_repeat_op(re_op op)
{
    return op == OP_MAX_REPEAT || op == OP_MIN_REPEAT ||
           op == OP_POSSESSIVE_REPEAT;
}

/* The digits [a, b) as a number, or OverflowError past MAXREPEAT - 1. */
static uint32_t repeat_count(parser *p, size_t a, size_t b)
{
    uint64_t v = 0;
    for (size_t i = a; i < b; i++) {
        v = v * 10 + (p->s[i] - '0');
        if (v >= RE_MAXREPEAT) {
            p->code = bt_err_setf(p->err, BT_EOVERFLOWERR, -1,
                                  "the repetition number is too large");
            longjmp(p->jb, 1);
        }
    }
    return (uint32_t)v;
}

/* A repeat character was taken (this); applies it to the last item. */
static bool parse_repeat(parser *p, re_seq *sub, tok this)
{
    size_t here = tell(p);
    uint32_t min = 0, max = RE_MAXREPEAT;
    uint32_t ch = p->s[this.at];
    if (ch == '?') {
        max = 1;
    } else if (ch == '+') {
        min = 1;
    } else if (ch == '{') {
        if (next_is(p, '}')) {
            seq_push(p, sub, literal(p, '{'));
            return true;
        }
        size_t lo_a = tell(p);
        while (next_in(p, is_digit))
            advance(p);
        size_t lo_b = tell(p), hi_a, hi_b;
        if (match(p, ',')) {
            hi_a = tell(p);
            while (next_in(p, is_digit))
                advance(p);
            hi_b = tell(p);
        } else {
            hi_a = lo_a;
            hi_b = lo_b;
        }
        if (!match(p, '}')) {
            seq_push(p, sub, literal(p, '{'));
            seek(p, here);
            return true;
        }
        if (lo_b > lo_a)
            min = repeat_count(p, lo_a, lo_b);
        if (hi_b > hi_a) {
            max = repeat_count(p, hi_a, hi_b);
            if (max < min)
                FAIL(p, tell(p) - here, "min repeat greater than max repeat");
        }
    }
    if (sub->n == 0 || sub->v[sub->n - 1]->op == OP_AT)
        FAIL(p, tell(p) - here + (size_t)this.len, "nothing to repeat");
    re_node *last = sub->v[sub->n - 1];
    if (is_repeat_op(last->op))
        FAIL(p, tell(p) - here + (size_t)this.len, "multiple repeat");
    re_seq *item;
    if (last->op == OP_SUBPATTERN && last->u.sub.group < 0 &&
        !last->u.sub.add && !last->u.sub.del) {
        item = last->u.sub.body;
    } else {
        item = seq_new(p);
        seq_push(p, item, last);
    }
    re_op op = OP_MAX_REPEAT;
    if (match(p, '?'))
        op = OP_MIN_REPEAT;
    else if (match(p, '+'))
        op = OP_POSSESSIVE_REPEAT;
    re_node *r = node(p, op);
    r->u.rep.min = min;
    r->u.rep.max = max;
    r->u.rep.body = item;
    sub->v[sub->n - 1] = r;
    return true;
}

/* '(' was taken at start: a group, an assertion, a conditional, a named
 * backreference, a comment or flags. */
static void parse_group(parser *p, re_seq *sub, size_t start, bool *verbose,
                        int nested, bool first)
{
    bool capture = true, atomic = false, named = false;
    size_t name_a = 0, name_b = 0;
    int add = 0, del = 0;
    bt_buf *buf = &mb(p)->a;
    if (match(p, '?')) {
        tok ch = get(p);
        if (ch.len == 0)
            FAIL(p, 0, "unexpected end of pattern");
        if (is(p, ch, 'P')) {
            if (match(p, '<')) {
                getuntil(p, '>', "group name", &name_a, &name_b);
                if (!bt__re_is_identifier(p->s + name_a, name_b - name_a))
                    FAIL(p, name_b - name_a + 1,
                         "bad character in group name %s",
                         repr_of(p, name_a, name_b, buf));
                named = true;
            } else if (match(p, '=')) {
                getuntil(p, ')', "group name", &name_a, &name_b);
                if (!bt__re_is_identifier(p->s + name_a, name_b - name_a))
                    FAIL(p, name_b - name_a + 1,
                         "bad character in group name %s",
                         repr_of(p, name_a, name_b, buf));
                int64_t gid = group_by_name(p, name_a, name_b);
                if (gid < 0)
                    FAIL(p, name_b - name_a + 1, "unknown group name %s",
                         repr_of(p, name_a, name_b, buf));
                if (!checkgroup(p, (uint64_t)gid))
                    FAIL(p, name_b - name_a + 1,
                         "cannot refer to an open group");
                checklookbehindgroup(p, (uint64_t)gid);
                re_node *r = node(p, OP_GROUPREF);
                r->u.c = (uint32_t)gid;
                seq_push(p, sub, r);
                return;
            } else {
                tok c = get(p);
                if (c.len == 0)
                    FAIL(p, 0, "unexpected end of pattern");
                FAIL(p, (size_t)c.len + 2, "unknown extension ?P%s",
                     str_of(p, c.at, c.at + (size_t)c.len, buf));
            }
        } else if (is(p, ch, ':')) {
            capture = false;
        } else if (is(p, ch, '#')) {
            for (;;) {
                if (p->next.len == 0)
                    FAIL(p, tell(p) - start, "missing ), unterminated comment");
                if (is(p, get(p), ')'))
                    break;
            }
            return;
        } else if (is(p, ch, '=') || is(p, ch, '!') || is(p, ch, '<')) {
            int dir = 1;
            bool neg = is(p, ch, '!');
            int64_t saved = -2;
            if (is(p, ch, '<')) {
                tok c = get(p);
                if (c.len == 0)
                    FAIL(p, 0, "unexpected end of pattern");
                if (!is(p, c, '=') && !is(p, c, '!'))
                    FAIL(p, (size_t)c.len + 2, "unknown extension ?<%s",
                         str_of(p, c.at, c.at + (size_t)c.len, buf));
                neg = is(p, c, '!');
                dir = -1;
                saved = p->lookbehindgroups;
                if (saved < 0)
                    p->lookbehindgroups = p->groups;
            }
            re_seq *body = parse_sub(p, *verbose, nested + 1);
            if (dir < 0 && saved < 0)
                p->lookbehindgroups = -1;
            if (!match(p, ')'))
                FAIL(p, tell(p) - start, "missing ), unterminated subpattern");
            re_node *a = node(p, neg ? OP_ASSERT_NOT : OP_ASSERT);
            a->u.as.dir = dir;
            a->u.as.body = body;
            seq_push(p, sub, a);
            return;
        } else if (is(p, ch, '(')) {
            size_t a, b;
            getuntil(p, ')', "group name", &a, &b);
            uint64_t cond;
            if (bt__re_is_identifier(p->s + a, b - a)) {
                int64_t gid = group_by_name(p, a, b);
                if (gid < 0)
                    FAIL(p, b - a + 1, "unknown group name %s",
                         repr_of(p, a, b, buf));
                cond = (uint64_t)gid;
            } else {
                char digits[64];
                bool negative;
                if (!py_int(p, a, b, &negative, digits, sizeof digits) ||
                    (negative && strcmp(digits, "0") != 0))
                    FAIL(p, b - a + 1, "bad character in group name %s",
                         repr_of(p, a, b, buf));
                uint64_t v = digits_value(digits);
                if (v == 0)
                    FAIL(p, b - a + 1, "bad group number");
                if (v >= RE_MAXGROUPS)
                    FAIL(p, b - a + 1, "invalid group reference %s", digits);
                cond = v;
                bool seen = false;
                for (size_t i = 0; i < p->nrefs && !seen; i++)
                    seen = p->refs[i].group == v;
                if (!seen) {
                    if (p->nrefs == p->refcap) {
                        size_t cap = p->refcap ? 2 * p->refcap : 4;
                        refpos *r = alloc(p, cap * sizeof *r);
                        if (p->nrefs)
                            memcpy(r, p->refs, p->nrefs * sizeof *r);
                        p->refs = r;
                        p->refcap = cap;
                    }
                    p->refs[p->nrefs].group = (uint32_t)v;
                    p->refs[p->nrefs].pos = tell(p) - (b - a) - 1;
                    p->nrefs++;
                }
            }
            checklookbehindgroup(p, cond);
            enter(p);
            re_seq *yes = parse_seq(p, *verbose, nested + 1, false);
            re_seq *no = NULL;
            if (match(p, '|')) {
                no = parse_seq(p, *verbose, nested + 1, false);
                if (next_is(p, '|'))
                    FAIL(p, 0,
                         "conditional backref with more than two "
                         "branches");
            }
            p->depth--;
            if (!match(p, ')'))
                FAIL(p, tell(p) - start, "missing ), unterminated subpattern");
            re_node *c = node(p, OP_GROUPREF_EXISTS);
            c->u.cond.group = (uint32_t)cond;
            c->u.cond.yes = yes;
            c->u.cond.no = no;
            seq_push(p, sub, c);
            return;
        } else if (is(p, ch, '>')) {
            capture = false;
            atomic = true;
        } else if (tok_flag(p, ch) || is(p, ch, '-')) {
            if (!parse_flags(p, ch, &add, &del)) {
                if (!first || sub->n > 0)
                    FAIL(p, tell(p) - start,
                         "global flags not at the start of the expression");
                *verbose = (p->flags & F_X) != 0;
                return;
            }
            capture = false;
        } else {
            FAIL(p, (size_t)ch.len + 1, "unknown extension ?%s",
                 str_of(p, ch.at, ch.at + (size_t)ch.len, buf));
        }
    }
    uint32_t group = 0;
    if (capture)
        open_group(p, name_a, name_b, named, &group);
    bool sub_verbose = (*verbose || (add & F_X)) && !(del & F_X);
    re_seq *body = parse_sub(p, sub_verbose, nested + 1);
    if (!match(p, ')'))
        FAIL(p, tell(p) - start, "missing ), unterminated subpattern");
    if (capture)
        close_group(p, group, body);
    re_node *g;
    if (atomic) {
        g = node(p, OP_ATOMIC_GROUP);
        g->u.body = body;
    } else {
        g = node(p, OP_SUBPATTERN);
        g->u.sub.group = capture ? (int32_t)group : -1;
        g->u.sub.add = add;
        g->u.sub.del = del;
        g->u.sub.body = body;
    }
    seq_push(p, sub, g);
}

static bool is_ws(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 11 ||
           c == 12;
}

static re_seq *parse_seq(parser *p, bool verbose, int nested, bool first)
{
    enter(p);
    re_seq *sub = seq_new(p);
    for (;;) {
        if (p->next.len == 0)
            break;
        if (next_is(p, '|') || next_is(p, ')'))
            break;
        tok this = get(p);
        if (verbose) {
            if (this.len == 1 && is_ws(p->s[this.at]))
                continue;
            if (is(p, this, '#')) {
                for (;;) {
                    tok t = get(p);
                    if (t.len == 0 || is(p, t, '\n'))
                        break;
                }
                continue;
            }
        }
        if (this.len == 2) {
            seq_push(p, sub, code_node(p, escape(p, this)));
            continue;
        }
        uint32_t c = p->s[this.at];
        switch (c) {
        case '[':
            seq_push(p, sub, parse_set(p, tell(p) - 1));
            break;
        case '*':
        case '+':
        case '?':
        case '{':
            parse_repeat(p, sub, this);
            break;
        case '.':
            seq_push(p, sub, node(p, OP_ANY));
            break;
        case '(':
            parse_group(p, sub, tell(p) - 1, &verbose, nested, first);
            break;
        case '^': {
            re_node *n = node(p, OP_AT);
            n->u.at = AT_BEGINNING;
            seq_push(p, sub, n);
            break;
        }
        case '$': {
            re_node *n = node(p, OP_AT);
            n->u.at = AT_END;
            seq_push(p, sub, n);
            break;
        }
        default:
            seq_push(p, sub, literal(p, c));
            break;
        }
    }
    /* Non-capturing groups without flags are inlined. */
    bool any = false;
    for (size_t i = 0; i < sub->n && !any; i++) {
        re_node *x = sub->v[i];
        any = x->op == OP_SUBPATTERN && x->u.sub.group < 0 && !x->u.sub.add &&
              !x->u.sub.del;
    }
    if (any) {
        re_seq *flat = seq_new(p);
        for (size_t i = 0; i < sub->n; i++) {
            re_node *x = sub->v[i];
            if (x->op == OP_SUBPATTERN && x->u.sub.group < 0 && !x->u.sub.add &&
                !x->u.sub.del) {
                for (size_t k = 0; k < x->u.sub.body->n; k++)
                    seq_push(p, flat, x->u.sub.body->v[k]);
            } else {
                seq_push(p, flat, x);
            }
        }
        sub = flat;
    }
    p->depth--;
    return sub;
}

/* fix_flags */
static int fix_flags(parser *p, int flags)
{
    if (p->istext) {
        if (flags & F_L)
            return bt_err_setf(p->err, BT_EVALUE, -1,
                               "cannot use LOCALE flag with a str pattern");
        if (!(flags & F_A))
            flags |= F_U;
        else if (flags & F_U)
            return bt_err_setf(p->err, BT_EVALUE, -1,
                               "ASCII and UNICODE flags are incompatible");
    } else {
        if (flags & F_U)
            return bt_err_setf(p->err, BT_EVALUE, -1,
                               "cannot use UNICODE flag with a bytes pattern");
        if ((flags & F_L) && (flags & F_A))
            return bt_err_setf(p->err, BT_EVALUE, -1,
                               "ASCII and LOCALE flags are incompatible");
    }
    return flags;
}

/* Sets up a parser over text[0..len): its characters and byte offsets. */
static int parser_init(parser **out, const char *text, size_t len, bool istext,
                       bt_err *err)
{
    size_t nchars = 0;
    uint32_t *chars = bt_malloc((len + 1) * sizeof *chars);
    size_t *boff = bt_malloc((len + 1) * sizeof *boff);
    parser *p = bt_malloc(sizeof *p);
    if (!chars || !boff || !p) {
        bt_free(chars);
        bt_free(boff);
        bt_free(p);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = 0; i < len;) {
        boff[nchars] = i;
        if (istext) {
            size_t adv;
            int32_t c = bt_utf8_decode(u + i, len - i, &adv);
            chars[nchars++] = (uint32_t)c; /* validated by the caller */
            i += adv;
        } else {
            chars[nchars++] = u[i++];
        }
    }
    boff[nchars] = len;
    memset(p, 0, sizeof *p);
    p->s = chars;
    p->len = nchars;
    p->boff = boff;
    p->istext = istext;
    p->has_newline = len > 0 && memchr(text, '\n', len) != NULL;
    p->groups = 1;
    p->lookbehindgroups = -1;
    p->err = err;
    *out = p;
    return 0;
}

static void parser_fini(parser *p)
{
    bt_buf_fini(&p->msg.a);
    bt_buf_fini(&p->msg.b);
    bt_free((void *)p->s);
    bt_free((void *)p->boff);
    bt_free(p);
}

int bt__re_parse(const char *pattern, size_t len, int flags, bool istext,
                 re_arena *arena, re_tree *tree, bt_err *err)
{
    parser *p;
    int rc = parser_init(&p, pattern, len, istext, err);
    if (rc < 0)
        return rc;
    p->flags = flags;
    p->arena = arena;
    if (setjmp(p->jb)) {
        rc = p->code;
        goto out;
    }
    /* group 0 */
    p->gscap = 16;
    p->gs = alloc(p, p->gscap * sizeof *p->gs);
    p->gs[0].closed = false;
    advance(p);
    re_seq *root = parse_sub(p, (flags & F_X) != 0, 0);
    int fixed = fix_flags(p, p->flags);
    if (fixed < 0) {
        rc = fixed;
        goto out;
    }
    if (p->next.len != 0)
        FAIL(p, 0, "unbalanced parenthesis");
    for (size_t i = 0; i < p->nrefs; i++)
        if (p->refs[i].group >= p->groups)
            fail_at(p, p->refs[i].pos, "invalid group reference %u",
                    p->refs[i].group);
    tree->root = root;
    tree->flags = fixed;
    tree->istext = istext;
    tree->groups = p->groups - 1;
    tree->widths = alloc(p, p->groups * sizeof *tree->widths);
    for (uint32_t g = 0; g < p->groups; g++)
        tree->widths[g] = p->gs[g].width;
    tree->names = p->names;
    tree->nnames = p->nnames;
out:
    parser_fini(p);
    return rc;
}

/* -------------------------------------------------------------- templates */

typedef struct tbuild {
    re_titem *items;
    size_t n, cap;
    bt_buf lit;
    size_t run; /* start of the literal run being built */
} tbuild;

static void t_push(parser *p, tbuild *b, int64_t group, size_t off, size_t len)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 8;
        re_titem *v = bt_realloc(b->items, cap * sizeof *v);
        if (!v)
            fail_nomem(p);
        b->items = v;
        b->cap = cap;
    }
    b->items[b->n].group = group;
    b->items[b->n].off = off;
    b->items[b->n].len = len;
    b->n++;
}

/* Ends the literal run (if any). */
static void t_flush(parser *p, tbuild *b)
{
    if (b->lit.len > b->run)
        t_push(p, b, -1, b->run, b->lit.len - b->run);
    b->run = b->lit.len;
}

/* Appends character c to the literal (UTF-8 for str, a byte for bytes). */
static void t_char(parser *p, tbuild *b, uint32_t c)
{
    int rc;
    if (p->istext) {
        char u[4];
        size_t k = bt_utf8_encode(c, u);
        rc = bt_buf_append(&b->lit, u, k);
    } else {
        rc = bt_buf_append_byte(&b->lit, (unsigned char)c);
    }
    if (rc < 0)
        fail_nomem(p);
}

static void t_group(parser *p, tbuild *b, uint64_t index, size_t offset,
                    uint32_t groups)
{
    if (index > groups)
        FAIL(p, offset, "invalid group reference %llu",
             (unsigned long long)index);
    t_flush(p, b);
    t_push(p, b, (int64_t)index, 0, 0);
}

int bt__re_template_parse(const bt_re_pattern *pat, const char *t, size_t n,
                          re_template **out, bt_err *err)
{
    bool istext = !pat->bytes;
    *out = NULL;
    if (istext) {
        int rc = bt__re_validate(t, n, err);
        if (rc < 0)
            return rc;
    }
    parser *p;
    int rc = parser_init(&p, t, n, istext, err);
    if (rc < 0)
        return rc;
    tbuild b;
    memset(&b, 0, sizeof b);
    re_arena arena = {0};
    p->arena = &arena;
    p->names = pat->names;
    p->nnames = pat->nnames;
    if (setjmp(p->jb)) {
        rc = p->code;
        bt_free(b.items);
        bt_buf_fini(&b.lit);
        goto out;
    }
    bt_buf *buf = &mb(p)->a;
    advance(p);
    for (;;) {
        tok this = get(p);
        if (this.len == 0)
            break;
        if (this.len == 1) {
            t_char(p, &b, p->s[this.at]);
            continue;
        }
        uint32_t c = p->s[this.at + 1];
        if (c == 'g') {
            if (!match(p, '<'))
                FAIL(p, 0, "missing <");
            size_t a, e;
            getuntil(p, '>', "group name", &a, &e);
            uint64_t index;
            if (bt__re_is_identifier(p->s + a, e - a)) {
                int64_t g = group_by_name(p, a, e);
                if (g < 0) {
                    p->code =
                        bt_err_setf(err, BT_EINDEX, -1, "unknown group name %s",
                                    repr_of(p, a, e, buf));
                    longjmp(p->jb, 1);
                }
                index = (uint64_t)g;
            } else {
                char digits[64];
                bool negative;
                if (!py_int(p, a, e, &negative, digits, sizeof digits) ||
                    (negative && strcmp(digits, "0") != 0))
                    FAIL(p, e - a + 1, "bad character in group name %s",
                         repr_of(p, a, e, buf));
                if (strlen(digits) > 18 || digits_value(digits) >= RE_MAXGROUPS)
                    FAIL(p, e - a + 1, "invalid group reference %s", digits);
                index = digits_value(digits);
            }
            t_group(p, &b, index, e - a + 1, pat->groups);
        } else if (c == '0') {
            size_t end = getwhile(p, 2, is_oct);
            t_char(p, &b, oct_value(p, this.at + 1, end) & 0xff);
        } else if (is_digit(c)) {
            size_t end = this.at + 2;
            bool isoctal = false;
            if (next_in(p, is_digit)) {
                advance(p);
                end++;
                if (is_oct(c) && is_oct(p->s[this.at + 2]) &&
                    next_in(p, is_oct)) {
                    advance(p);
                    end++;
                    isoctal = true;
                    uint32_t v = oct_value(p, this.at + 1, end);
                    if (v > 0377)
                        FAIL(p, end - this.at,
                             "octal escape value %s outside of range 0-0o377",
                             str_of(p, this.at, end, buf));
                    t_char(p, &b, v);
                }
            }
            if (!isoctal) {
                uint64_t g = 0;
                for (size_t i = this.at + 1; i < end; i++)
                    g = g * 10 + (p->s[i] - '0');
                t_group(p, &b, g, end - this.at - 1, pat->groups);
            }
        } else {
            uint32_t v;
            if (simple_escape(c, &v)) {
                t_char(p, &b, v);
            } else {
                if (is_ascii_letter(c))
                    FAIL(p, 2, "bad escape %s",
                         str_of(p, this.at, this.at + 2, buf));
                t_char(p, &b, '\\');
                t_char(p, &b, c);
            }
        }
    }
    t_flush(p, &b);
    re_template *tp = bt_malloc(sizeof *tp);
    if (!tp) {
        bt_free(b.items);
        bt_buf_fini(&b.lit);
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        goto out;
    }
    tp->items = b.items;
    tp->n = b.n;
    tp->lit = b.lit.data; /* may be NULL when there is no literal */
    *out = tp;
out:
    bt__re_arena_free(&arena);
    p->names = NULL;
    parser_fini(p);
    return rc;
}

void bt__re_template_free(re_template *t)
{
    if (!t)
        return;
    bt_free(t->items);
    bt_free(t->lit);
    bt_free(t);
}
