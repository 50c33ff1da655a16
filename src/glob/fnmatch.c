/*
 * fnmatch.c — shell-style matching with the exact semantics of CPython
 * 3.11's fnmatch, which translates a pattern to a regular expression. We
 * match directly instead, but build each [set] the way fnmatch.translate
 * builds its character class (hyphen chunks, dropped empty ranges, the
 * escapes it adds), then read that class with the regex engine's rules.
 */
#include <string.h>

#include <batteries/glob.h>

#include "core_int.h"
#include "glob_int.h"

/* The next character: a code point, or U+DC80..U+DCFF for a byte that is
 * not UTF-8 (surrogateescape), one byte at a time. */
static uint32_t next_char(const char *s, size_t *adv)
{
    size_t n = strnlen(s, 4);
    int32_t cp = bt_utf8_decode(s, n, adv);
    if (cp < 0) {
        *adv = 1;
        return 0xDC00u + (unsigned char)s[0];
    }
    return (uint32_t)cp;
}

/* One element of the character class translate() would write. */
typedef struct item {
    uint32_t cp;
    bool escaped; /* literal; an unescaped '-' between two items is a range */
} item;

typedef struct cls {
    item *items;
    size_t n;
    int kind; /* CLS_SET, CLS_NEVER ("(?!)"), CLS_ANY (".") */
    bool negate;
} cls;

enum { CLS_SET, CLS_NEVER, CLS_ANY };

/* Room for building one class of a body of n characters. */
typedef struct scratch {
    uint32_t *body;   /* n */
    uint32_t *chunks; /* n + 1 */
    size_t *starts;   /* n + 2 */
    item *items;      /* 2n + 2 */
} scratch;

/*
 * Builds the class of the set body b[0..n) (the text between '[' and ']'). Mirrors fnmatch.translate: without a
 * hyphen the body is taken as is; with one, it is cut into chunks at the
 * hyphens that can form ranges, chunks whose range would run backwards are
 * merged (dropping both ends), and the chunks are joined with range hyphens.
 */
static void build_class(const uint32_t *b, size_t n, const scratch *w, cls *c)
{
    item *items = w->items;
    size_t *chunk_start = w->starts;
    size_t m = 0;
    bool has_hyphen = false;
    for (size_t k = 0; k < n; k++)
        has_hyphen |= b[k] == '-';
    if (!has_hyphen) {
        for (size_t k = 0; k < n; k++)
            items[m++] = (item){b[k], b[k] == '\\'};
    } else {
        /* Chunks as [start, end) runs of b, collected into cb with their
         * starts in chunk_start (a chunk may grow by merging). */
        uint32_t *cb = w->chunks;
        size_t ncb = 0, nchunks = 0;
        size_t i = 0, k = b[0] == '!' ? 2 : 1;
        for (;;) {
            size_t h = k;
            while (h < n && b[h] != '-')
                h++;
            if (h >= n)
                break;
            chunk_start[nchunks++] = ncb;
            for (size_t t = i; t < h; t++)
                cb[ncb++] = b[t];
            i = h + 1;
            k = h + 3;
        }
        if (i < n) {
            chunk_start[nchunks++] = ncb;
            for (size_t t = i; t < n; t++)
                cb[ncb++] = b[t];
        } else {
            cb[ncb++] = '-'; /* a trailing hyphen joins the last chunk */
        }
        chunk_start[nchunks] = ncb;
        /* Right to left: a chunk whose last character is above the next
         * chunk's first loses it, and absorbs the rest of the next chunk. */
        for (size_t q = nchunks - 1; q > 0; q--) {
            size_t a0 = chunk_start[q - 1], a1 = chunk_start[q], b1 = chunk_start[q + 1];
            if (a1 > a0 && b1 > a1 && cb[a1 - 1] > cb[a1]) {
                memmove(cb + a1 - 1, cb + a1 + 1, (ncb - a1 - 1) * sizeof *cb);
                ncb -= 2;
                for (size_t r = q; r < nchunks; r++)
                    chunk_start[r] = chunk_start[r + 1] - 2;
                nchunks--;
            }
        }
        chunk_start[nchunks] = ncb;
        for (size_t q = 0; q < nchunks; q++) {
            if (q)
                items[m++] = (item){'-', false};
            for (size_t t = chunk_start[q]; t < chunk_start[q + 1]; t++)
                items[m++] = (item){cb[t], cb[t] == '\\' || cb[t] == '-'};
        }
    }
    /* What translate does with the whole class text. */
    c->items = items;
    c->negate = false;
    c->kind = CLS_SET;
    if (m == 0) {
        c->kind = CLS_NEVER;
    } else if (m == 1 && items[0].cp == '!' && !items[0].escaped) {
        c->kind = CLS_ANY;
    } else if (items[0].cp == '!' && !items[0].escaped) {
        c->negate = true;
        c->items++;
        m--;
    } else if (items[0].cp == '^' || items[0].cp == '[') {
        items[0].escaped = true;
    }
    c->n = m;
}

/* Membership, reading the class as the regex engine does: an unescaped '-'
 * between two elements makes a range; anywhere else it is literal. */
static bool in_class(const cls *c, uint32_t ch)
{
    if (c->kind == CLS_NEVER)
        return false;
    if (c->kind == CLS_ANY)
        return true;
    bool hit = false;
    for (size_t t = 0; t < c->n;) {
        uint32_t lo = c->items[t].cp;
        if (t + 2 < c->n && c->items[t + 1].cp == '-' && !c->items[t + 1].escaped) {
            uint32_t hi = c->items[t + 2].cp;
            hit |= lo <= ch && ch <= hi;
            t += 3;
        } else {
            hit |= lo == ch;
            t++;
        }
    }
    return hit != c->negate;
}

/* A backwards range would be re.error in CPython: the match fails. */
static bool class_valid(const cls *c)
{
    for (size_t t = 0; c->kind == CLS_SET && t < c->n;) {
        if (t + 2 < c->n && c->items[t + 1].cp == '-' && !c->items[t + 1].escaped) {
            if (c->items[t].cp > c->items[t + 2].cp)
                return false;
            t += 3;
        } else {
            t++;
        }
    }
    return true;
}

/* A compiled pattern: one token per pattern element, set classes in items. */
enum { TOK_LIT, TOK_ANY, TOK_STAR, TOK_SET };

typedef struct tok {
    uint8_t kind;
    uint32_t cp; /* TOK_LIT */
    cls set;     /* TOK_SET */
} tok;

int bt__fnmatch_compile(const char *pat, bt__fnpat *out)
{
    size_t len = strlen(pat);
    /* Bounds: a token per byte, and per set of n characters n + 1 chunk
     * characters, n + 2 starts and 2n + 2 items. */
    size_t ntok_max = len + 1, nitem_max = 2 * len + 2;
    size_t bytes = ntok_max * sizeof(tok) + nitem_max * sizeof(item) +
                   (2 * len + 2) * sizeof(uint32_t) + (len + 2) * sizeof(size_t);
    out->heap = NULL;
    out->invalid = false;
    void *mem = bytes <= sizeof out->stack ? (void *)out->stack : (out->heap = bt_malloc(bytes));
    if (!mem)
        return BT_ENOMEM;
    tok *toks = mem;
    item *items = (item *)(toks + ntok_max);
    uint32_t *body = (uint32_t *)(items + nitem_max);
    uint32_t *chunks = body + len + 1;
    size_t *starts = (size_t *)(void *)(chunks + len + 1);
    size_t nt = 0, ni = 0;
    const char *p = pat;
    while (*p) {
        size_t adv;
        uint32_t pc = next_char(p, &adv);
        if (pc == '*') {
            if (!nt || toks[nt - 1].kind != TOK_STAR)
                toks[nt++] = (tok){TOK_STAR, 0, {0}};
            p += adv;
            continue;
        }
        if (pc == '?') {
            toks[nt++] = (tok){TOK_ANY, 0, {0}};
            p += adv;
            continue;
        }
        if (pc != '[') {
            toks[nt++] = (tok){TOK_LIT, pc, {0}};
            p += adv;
            continue;
        }
        /* Find the set's end as translate does: '!' and a first ']' belong in. */
        const char *b = p + 1, *q = b;
        if (*q == '!')
            q++;
        if (*q == ']')
            q++;
        while (*q && *q != ']')
            q++;
        if (!*q) {
            toks[nt++] = (tok){TOK_LIT, '[', {0}}; /* no closing ']' */
            p++;
            continue;
        }
        size_t n = 0;
        for (const char *c = b; c < q; c += adv)
            body[n++] = next_char(c, &adv);
        scratch w = {body, chunks, starts, items + ni};
        tok t = {TOK_SET, 0, {0}};
        build_class(body, n, &w, &t.set);
        ni += (size_t)(t.set.items - (items + ni)) + t.set.n;
        /* CPython's re would reject a backwards range: nothing matches. */
        out->invalid |= !class_valid(&t.set);
        toks[nt++] = t;
        p = q + 1;
    }
    out->toks = toks;
    out->ntoks = nt;
    return 0;
}

void bt__fnmatch_free(bt__fnpat *p)
{
    bt_free(p->heap);
    p->heap = NULL;
}

static bool tok_match(const tok *t, uint32_t ch)
{
    switch (t->kind) {
    case TOK_LIT: return t->cp == ch;
    case TOK_ANY: return true;
    default: return in_class(&t->set, ch);
    }
}

bool bt__fnmatch_match(const bt__fnpat *p, const char *name)
{
    if (p->invalid)
        return false;
    const tok *toks = p->toks;
    size_t nt = p->ntoks, k = 0, star_k = SIZE_MAX;
    const char *s = name, *star_s = NULL;
    /* Greedy with backtracking to the last star only: enough for patterns
     * of single-character elements and stars, and linear per star. */
    while (*s) {
        if (k < nt && toks[k].kind == TOK_STAR) {
            star_k = ++k;
            star_s = s;
            continue;
        }
        size_t adv;
        uint32_t ch = (unsigned char)*s < 0x80 ? (adv = 1, (uint32_t)(unsigned char)*s)
                                               : next_char(s, &adv);
        if (k < nt && tok_match(&toks[k], ch)) {
            k++;
            s += adv;
            continue;
        }
        if (star_k == SIZE_MAX)
            return false;
        /* Let the last star take one more character. */
        next_char(star_s, &adv);
        star_s += adv;
        s = star_s;
        k = star_k;
    }
    while (k < nt && toks[k].kind == TOK_STAR)
        k++;
    return k == nt;
}

bool bt_fnmatch_fnmatchcase(const char *name, const char *pat)
{
    bt__fnpat p;
    if (bt__fnmatch_compile(pat, &p) < 0)
        return false;
    bool m = bt__fnmatch_match(&p, name);
    bt__fnmatch_free(&p);
    return m;
}

bool bt_fnmatch_fnmatch(const char *name, const char *pat)
{
    /* os.path.normcase is the identity on POSIX. */
    return bt_fnmatch_fnmatchcase(name, pat);
}

int bt_fnmatch_filter(const bt_strvec *names, const char *pat, bt_strvec *out)
{
    bt__fnpat p;
    if (bt__fnmatch_compile(pat, &p) < 0)
        return BT_ENOMEM;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < names->count; i++)
        if (bt__fnmatch_match(&p, names->items[i]))
            rc = bt_strvec_append(out, names->items[i], names->lens[i]);
    bt__fnmatch_free(&p);
    return rc;
}
