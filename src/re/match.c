/*
 * match.c — search, match, fullmatch and the match object: groups, spans,
 * groupdict, lastindex (by re-running the match with marks, see
 * pattern.c), expand; and the character-offset helpers.
 */
#include <string.h>

#include "re_int.h"

int bt__re_check_subject(const bt_re_pattern *p, const char *s, size_t n,
                         size_t *pos, size_t *endpos, bool validate,
                         bt_err *err)
{
    if (*pos > n)
        *pos = n;
    if (*endpos > n)
        *endpos = n;
    if (p->bytes)
        return 0;
    if (validate) {
        int rc = bt__re_validate(s, n, err);
        if (rc < 0)
            return rc;
    }
    const unsigned char *u = (const unsigned char *)s;
    bool bad_pos = *pos < n && (u[*pos] & 0xC0) == 0x80;
    bool bad_end = *endpos < n && (u[*endpos] & 0xC0) == 0x80;
    if (!bad_pos && !bad_end)
        return 0;
    /* not on a boundary, or not UTF-8 at all */
    int rc = validate ? 0 : bt__re_validate(s, n, err);
    if (rc < 0)
        return rc;
    if (bad_pos)
        return bt_err_setf(err, BT_EVALUE, (ptrdiff_t)*pos,
                           "pos %zu is not on a character boundary", *pos);
    return bt_err_setf(err, BT_EVALUE, (ptrdiff_t)*endpos,
                       "endpos %zu is not on a character boundary", *endpos);
}

bt_re_matchobj *bt__re_match_new(const bt_re_pattern *p)
{
    size_t pairs = (size_t)p->groups + 1;
    bt_re_matchobj *m = bt_malloc(sizeof *m + 2 * pairs * sizeof(ptrdiff_t));
    if (!m)
        return NULL;
    m->re = (bt_re_pattern *)p;
    atomic_fetch_add(&m->re->refs, 1);
    m->ngroups = pairs;
    m->string = NULL;
    m->len = m->pos = m->endpos = 0;
    m->kind = KIND_SEARCH;
    m->opts = 0;
    atomic_init(&m->lastindex, LASTINDEX_UNKNOWN);
    for (size_t i = 0; i < 2 * pairs; i++)
        m->spans[i] = -1;
    return m;
}

void bt__re_match_fill(bt_re_matchobj *m, const char *s, size_t n, size_t pos,
                       size_t endpos, int kind, uint32_t opts,
                       pcre2_match_data *md, int rc)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    m->string = s;
    m->len = n;
    m->pos = pos;
    m->endpos = endpos;
    m->kind = kind;
    m->opts = opts;
    atomic_store_explicit(&m->lastindex, LASTINDEX_UNKNOWN,
                          memory_order_relaxed);
    for (size_t g = 0; g < m->ngroups; g++) {
        if ((int)g < rc && ov[2 * g] != PCRE2_UNSET) {
            m->spans[2 * g] = (ptrdiff_t)ov[2 * g];
            m->spans[2 * g + 1] = (ptrdiff_t)ov[2 * g + 1];
        } else {
            m->spans[2 * g] = m->spans[2 * g + 1] = -1;
        }
    }
}

static int run(const bt_re_pattern *p, int kind, const char *s, size_t n,
               size_t pos, size_t endpos, bt_re_matchobj **out, bt_err *err)
{
    if (out)
        *out = NULL;
    if (n == BT_RE_NTS)
        n = strlen(s);
    int rc = bt__re_check_subject(p, s, n, &pos, &endpos, true, err);
    if (rc < 0)
        return rc;
    /* endpos before pos: no match, as Python's documentation says. */
    if (pos > endpos)
        return 0;
    re_prog code = bt__re_code(p, kind, false, &rc, err), anch = code;
    if (!code.code)
        return rc;
    if (kind == KIND_SEARCH && p->has_pf) {
        anch = bt__re_code(p, KIND_MATCH, false, &rc, err);
        if (!anch.code)
            return rc;
    }
    pcre2_match_data *md = bt__re_scratch_md(p->groups + 1);
    pcre2_match_context *mctx = bt__re_mctx();
    if (!md || !mctx)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    int r = kind == KIND_SEARCH
                ? bt__re_search_exec(p, code, anch, s, endpos, pos, 0, md, mctx)
                : bt__re_exec(code, s, endpos, pos, 0, md, mctx);
    if (r == PCRE2_ERROR_NOMATCH)
        return 0;
    if (r < 0)
        return bt__re_match_error(r, err);
    if (out) {
        bt_re_matchobj *m = bt__re_match_new(p);
        if (!m)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        bt__re_match_fill(m, s, n, pos, endpos, kind, 0, md, r);
        *out = m;
    }
    return 1;
}

int bt_re_search(const bt_re_pattern *p, const char *s, size_t n,
                 bt_re_matchobj **m, bt_err *err)
{
    return run(p, KIND_SEARCH, s, n, 0, BT_RE_END, m, err);
}

int bt_re_match(const bt_re_pattern *p, const char *s, size_t n,
                bt_re_matchobj **m, bt_err *err)
{
    return run(p, KIND_MATCH, s, n, 0, BT_RE_END, m, err);
}

int bt_re_fullmatch(const bt_re_pattern *p, const char *s, size_t n,
                    bt_re_matchobj **m, bt_err *err)
{
    return run(p, KIND_FULLMATCH, s, n, 0, BT_RE_END, m, err);
}

int bt_re_search_range(const bt_re_pattern *p, const char *s, size_t n,
                       size_t pos, size_t endpos, bt_re_matchobj **m,
                       bt_err *err)
{
    return run(p, KIND_SEARCH, s, n, pos, endpos, m, err);
}

int bt_re_match_range(const bt_re_pattern *p, const char *s, size_t n,
                      size_t pos, size_t endpos, bt_re_matchobj **m,
                      bt_err *err)
{
    return run(p, KIND_MATCH, s, n, pos, endpos, m, err);
}

int bt_re_fullmatch_range(const bt_re_pattern *p, const char *s, size_t n,
                          size_t pos, size_t endpos, bt_re_matchobj **m,
                          bt_err *err)
{
    return run(p, KIND_FULLMATCH, s, n, pos, endpos, m, err);
}

/* ----------------------------------------------------------- the object */

void bt_re_match_free(bt_re_matchobj *m)
{
    if (!m)
        return;
    bt_re_pattern_free(m->re);
    bt_free(m);
}

int bt_re_match_copy(const bt_re_matchobj *m, bt_re_matchobj **out)
{
    size_t size = sizeof *m + 2 * m->ngroups * sizeof(ptrdiff_t);
    bt_re_matchobj *c = bt_malloc(size);
    *out = NULL;
    if (!c)
        return BT_ENOMEM;
    memcpy(c, m, size);
    atomic_init(&c->lastindex, atomic_load(&m->lastindex));
    atomic_fetch_add(&c->re->refs, 1);
    *out = c;
    return 0;
}

int bt_re_match_group(const bt_re_matchobj *m, size_t g, const char **s,
                      size_t *len)
{
    if (s)
        *s = NULL;
    if (len)
        *len = 0;
    if (g >= m->ngroups)
        return BT_EINDEX;
    ptrdiff_t a = m->spans[2 * g], b = m->spans[2 * g + 1];
    if (a < 0)
        return 0;
    if (s)
        *s = m->string + a;
    if (len)
        *len = (size_t)(b - a);
    return 1;
}

int bt_re_match_group_name(const bt_re_matchobj *m, const char *name,
                           size_t nlen, const char **s, size_t *len)
{
    ptrdiff_t g = bt_re_pattern_groupindex(m->re, name, nlen);
    if (g < 0) {
        if (s)
            *s = NULL;
        if (len)
            *len = 0;
        return BT_EINDEX;
    }
    return bt_re_match_group(m, (size_t)g, s, len);
}

static int append_group(const bt_re_matchobj *m, size_t g, const char *dflt,
                        size_t dlen, bt_strvec *out)
{
    const char *s;
    size_t n;
    if (bt_re_match_group(m, g, &s, &n) == 1)
        return bt_strvec_append(out, s, n);
    if (!dflt)
        return bt_strvec_append(out, "", 0);
    if (dlen == BT_RE_NTS)
        dlen = strlen(dflt);
    return bt_strvec_append(out, dflt, dlen);
}

/* Drops what was appended past count (on failure). */
static void strvec_truncate(bt_strvec *v, size_t count)
{
    while (v->count > count)
        bt_strvec_remove(v, v->count - 1);
}

int bt_re_match_group_many(const bt_re_matchobj *m, const size_t *groups,
                           size_t count, const char *dflt, size_t dlen,
                           bt_strvec *out)
{
    for (size_t i = 0; i < count; i++)
        if (groups[i] >= m->ngroups)
            return BT_EINDEX;
    size_t before = out->count;
    for (size_t i = 0; i < count; i++) {
        int rc = append_group(m, groups[i], dflt, dlen, out);
        if (rc < 0) {
            strvec_truncate(out, before);
            return rc;
        }
    }
    return 0;
}

int bt_re_match_groups(const bt_re_matchobj *m, const char *dflt, size_t dlen,
                       bt_strvec *out)
{
    size_t before = out->count;
    for (size_t g = 1; g < m->ngroups; g++) {
        int rc = append_group(m, g, dflt, dlen, out);
        if (rc < 0) {
            strvec_truncate(out, before);
            return rc;
        }
    }
    return 0;
}

int bt_re_match_groupdict(const bt_re_matchobj *m, const char *dflt,
                          size_t dlen, bt_strvec *out)
{
    size_t before = out->count;
    for (size_t g = 1; g < m->ngroups; g++) {
        const re_name *n = m->re->byindex[g];
        if (!n)
            continue;
        int rc = bt_strvec_append(out, n->name, n->len);
        if (rc == 0)
            rc = append_group(m, g, dflt, dlen, out);
        if (rc < 0) {
            strvec_truncate(out, before);
            return rc;
        }
    }
    return 0;
}

int bt_re_match_span(const bt_re_matchobj *m, size_t g, ptrdiff_t *start,
                     ptrdiff_t *end)
{
    if (g >= m->ngroups) {
        if (start)
            *start = -1;
        if (end)
            *end = -1;
        return BT_EINDEX;
    }
    if (start)
        *start = m->spans[2 * g];
    if (end)
        *end = m->spans[2 * g + 1];
    return 0;
}

ptrdiff_t bt_re_match_start(const bt_re_matchobj *m, size_t g)
{
    return g < m->ngroups ? m->spans[2 * g] : BT_EINDEX;
}

ptrdiff_t bt_re_match_end(const bt_re_matchobj *m, size_t g)
{
    return g < m->ngroups ? m->spans[2 * g + 1] : BT_EINDEX;
}

ptrdiff_t bt_re_match_lastindex(const bt_re_matchobj *cm)
{
    bt_re_matchobj *m = (bt_re_matchobj *)cm;
    long v = atomic_load_explicit(&m->lastindex, memory_order_acquire);
    if (v != LASTINDEX_UNKNOWN)
        return v;
    size_t groups = m->ngroups - 1;
    if (groups == 0) {
        v = -1;
    } else if (groups == 1) {
        v = m->spans[2] >= 0 ? 1 : -1;
    } else {
        /* Run the match again with marks, anchored where it starts. */
        int rc = 0;
        int kind = m->kind == KIND_FULLMATCH ? KIND_FULLMATCH : KIND_MATCH;
        re_prog code = bt__re_code(m->re, kind, true, &rc, NULL);
        if (!code.code)
            return rc;
        pcre2_match_data *md = bt__re_scratch_md((uint32_t)m->ngroups);
        pcre2_match_context *mctx = bt__re_mctx();
        if (!md || !mctx)
            return BT_ENOMEM;
        int r = bt__re_exec(code, m->string, m->endpos, (size_t)m->spans[0],
                            m->opts, md, mctx);
        if (r < 0 && r != PCRE2_ERROR_NOMATCH)
            return bt__re_match_error(r, NULL);
        v = -1;
        PCRE2_SPTR mark = r > 0 ? pcre2_get_mark(md) : NULL;
        if (mark) {
            long g = 0;
            for (const unsigned char *c = mark; *c; c++)
                g = g * 10 + (*c - '0');
            v = g;
        }
    }
    atomic_store_explicit(&m->lastindex, v, memory_order_release);
    return v;
}

const char *bt_re_match_lastgroup(const bt_re_matchobj *m, size_t *len)
{
    ptrdiff_t g = bt_re_match_lastindex(m);
    if (len)
        *len = 0;
    if (g <= 0)
        return NULL;
    return bt_re_pattern_group_name(m->re, (size_t)g, len);
}

int bt__re_template_expand(const re_template *t, const bt_re_matchobj *m,
                           bt_buf *out)
{
    for (size_t i = 0; i < t->n; i++) {
        const re_titem *it = &t->items[i];
        int rc;
        if (it->group < 0) {
            rc = bt_buf_append(out, t->lit + it->off, it->len);
        } else {
            const char *s;
            size_t n;
            if (bt_re_match_group(m, (size_t)it->group, &s, &n) != 1)
                continue;
            rc = bt_buf_append(out, s, n);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

int bt_re_match_expand(const bt_re_matchobj *m, const char *tpl, size_t tlen,
                       bt_buf *out, bt_err *err)
{
    if (tlen == BT_RE_NTS)
        tlen = strlen(tpl);
    re_template *t;
    int rc = bt__re_template_parse(m->re, tpl, tlen, &t, err);
    if (rc < 0)
        return rc;
    size_t before = out->len;
    rc = bt__re_template_expand(t, m, out);
    bt__re_template_free(t);
    if (rc < 0) {
        out->len = before;
        if (out->data)
            out->data[before] = '\0';
        return bt_err_setf(err, rc, -1, "out of memory");
    }
    return 0;
}

size_t bt_re_match_pos(const bt_re_matchobj *m)
{
    return m->pos;
}

size_t bt_re_match_endpos(const bt_re_matchobj *m)
{
    return m->endpos;
}

const bt_re_pattern *bt_re_match_re(const bt_re_matchobj *m)
{
    return m->re;
}

const char *bt_re_match_string(const bt_re_matchobj *m, size_t *len)
{
    if (len)
        *len = m->len;
    return m->string;
}

/* ----------------------------------------------------- character offsets */

ptrdiff_t bt_re_char_index(const char *s, size_t n, ptrdiff_t off)
{
    if (n == BT_RE_NTS)
        n = strlen(s);
    if (off < 0)
        return off;
    if ((size_t)off > n)
        return BT_EVALUE;
    if ((size_t)off < n && ((unsigned char)s[off] & 0xC0) == 0x80)
        return BT_EVALUE;
    return bt_utf8_count(s, (size_t)off);
}

ptrdiff_t bt_re_byte_offset(const char *s, size_t n, size_t index)
{
    if (n == BT_RE_NTS)
        n = strlen(s);
    size_t i = 0, k = 0;
    while (i < n && k < index) {
        size_t adv;
        if (bt_utf8_decode(s + i, n - i, &adv) < 0)
            return BT_EUNICODE;
        i += adv;
        k++;
    }
    return (ptrdiff_t)i;
}
