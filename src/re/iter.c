/*
 * iter.c — the functions that walk all matches: finditer, findall, split,
 * sub/subn (template or function), and escape.
 *
 * They share one loop with the rules of CPython 3.7+ (the scanner, findall,
 * split and subx loops of _sre.c): a search starts where the previous match
 * ended, and after an empty match the next one may not be empty at that
 * same place (PCRE2_NOTEMPTY_ATSTART) -- so an empty match right after a
 * non-empty one is found, and the loop always advances. The subject is
 * checked for UTF-8 once, and each loop has its own match data, so a
 * replacement function may run other matches.
 */
#include <string.h>

#include "re_int.h"

typedef struct re_loop {
    const bt_re_pattern *p;
    re_prog code, anch;
    pcre2_match_context *mctx;
    const char *s;
    size_t n, pos, endpos;
    size_t start;      /* where the next search starts */
    bool must_advance; /* the previous match was empty */
    bool done;
    pcre2_match_data *md;
    int rc;         /* PCRE2's count for the last match */
    uint32_t opts;  /* NOTEMPTY_ATSTART when it applied to the last match */
    size_t checked; /* str subjects: UTF-8 checked up to here */
} re_loop;

/*
 * Checks that the str subject is UTF-8 up to end. Str patterns are compiled
 * with PCRE2_MATCH_INVALID_UTF, so PCRE2 is safe on any bytes; the check
 * follows the matches over text PCRE2 has just read (still in the cache),
 * rather than reading the whole subject once more before the first match.
 */
static int loop_check(re_loop *l, size_t end, bt_err *err)
{
    if (l->p->bytes || end <= l->checked)
        return 0;
    if (!bt__re_check_ahead((const unsigned char *)l->s, l->n, &l->checked,
                            end)) {
        l->done = true;
        return bt_utf8_validate(l->s, l->n, err);
    }
    return 0;
}

static int loop_init(re_loop *l, const bt_re_pattern *p, const char *s,
                     size_t n, size_t pos, size_t endpos, bt_err *err)
{
    memset(l, 0, sizeof *l);
    if (n == BT_RE_NTS)
        n = strlen(s);
    /* The UTF-8 check of a str subject goes along with the matches (see
     * loop_next); what lies before pos is checked now. */
    int rc = bt__re_check_subject(p, s, n, &pos, &endpos, false, err);
    if (rc == 0 && !p->bytes && bt__re_validate(s, pos, NULL) < 0)
        rc = bt_utf8_validate(s, n, err);
    if (rc < 0)
        return rc;
    l->checked = pos;
    l->code = bt__re_code(p, KIND_SEARCH, false, &rc, err);
    if (!l->code.code)
        return rc;
    l->anch = l->code;
    if (p->has_pf) {
        l->anch = bt__re_code(p, KIND_MATCH, false, &rc, err);
        if (!l->anch.code)
            return rc;
    }
    l->mctx = bt__re_mctx();
    if (!l->mctx)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    pcre2_general_context *g = bt__re_gctx();
    if (!g)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    l->md = pcre2_match_data_create(p->groups + 1, g);
    pcre2_general_context_free(g);
    if (!l->md)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    l->p = p;
    l->s = s;
    l->n = n;
    l->pos = pos;
    l->endpos = endpos;
    l->start = pos;
    if (pos > endpos) { /* nothing to find, but the subject is checked */
        l->done = true;
        return loop_check(l, n, err);
    }
    return 0;
}

/* At the end of a loop that stopped early (count, maxsplit): the rest of a
 * str subject must be UTF-8 too. */
static int loop_finish(re_loop *l, bt_err *err)
{
    return loop_check(l, l->n, err);
}

static void loop_fini(re_loop *l)
{
    pcre2_match_data_free(l->md);
    l->md = NULL;
}

/* The next match: 1 (its ovector in l->md), 0 at the end, or an error. */
static int loop_next(re_loop *l, bt_err *err)
{
    if (l->done)
        return 0;
    uint32_t opts = l->must_advance ? PCRE2_NOTEMPTY_ATSTART : 0;
    int r = bt__re_search_exec_checked(l->p, l->code, l->anch, l->s, l->endpos,
                                       l->start, opts, l->md, l->mctx, l->n,
                                       l->p->bytes ? NULL : &l->checked);
    if (r == RE_SCAN_BADUTF) {
        l->done = true;
        return bt_utf8_validate(l->s, l->n, err);
    }
    if (r == PCRE2_ERROR_NOMATCH) {
        l->done = true;
        return loop_check(l, l->n, err);
    }
    if (r < 0) {
        l->done = true;
        return bt__re_match_error(r, err);
    }
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
    size_t b = ov[0], e = ov[1];
    int rc = loop_check(l, e, err);
    if (rc < 0)
        return rc;
    l->opts = (opts && b == l->start) ? opts : 0;
    l->rc = r;
    l->must_advance = e == b;
    l->start = e;
    return 1;
}

static void span_of(const re_loop *l, size_t g, ptrdiff_t *a, ptrdiff_t *b)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(l->md);
    if ((int)g < l->rc && ov[2 * g] != PCRE2_UNSET) {
        *a = (ptrdiff_t)ov[2 * g];
        *b = (ptrdiff_t)ov[2 * g + 1];
    } else {
        *a = *b = -1;
    }
}

/* ---------------------------------------------------------------- finditer */

struct bt_re_iter {
    re_loop loop;
    bt_re_matchobj *m;
};

int bt_re_finditer(const bt_re_pattern *p, const char *s, size_t n,
                   bt_re_iter **it, bt_err *err)
{
    return bt_re_finditer_range(p, s, n, 0, BT_RE_END, it, err);
}

int bt_re_finditer_range(const bt_re_pattern *p, const char *s, size_t n,
                         size_t pos, size_t endpos, bt_re_iter **it,
                         bt_err *err)
{
    *it = NULL;
    bt_re_iter *i = bt_calloc(1, sizeof *i);
    if (!i)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    int rc = loop_init(&i->loop, p, s, n, pos, endpos, err);
    if (rc == 0) {
        i->m = bt__re_match_new(p);
        if (!i->m)
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    if (rc < 0) {
        bt_re_iter_free(i);
        return rc;
    }
    *it = i;
    return 0;
}

int bt_re_iter_next(bt_re_iter *it, const bt_re_matchobj **m, bt_err *err)
{
    *m = NULL;
    int rc = loop_next(&it->loop, err);
    if (rc <= 0)
        return rc;
    re_loop *l = &it->loop;
    bt__re_match_fill(it->m, l->s, l->n, l->pos, l->endpos, KIND_SEARCH,
                      l->opts, l->md, l->rc);
    *m = it->m;
    return 1;
}

void bt_re_iter_free(bt_re_iter *it)
{
    if (!it)
        return;
    loop_fini(&it->loop);
    bt_re_match_free(it->m);
    bt_free(it);
}

/* ----------------------------------------------------------------- findall */

static void strvec_truncate(bt_strvec *v, size_t count)
{
    while (v->count > count)
        bt_strvec_remove(v, v->count - 1);
}

ptrdiff_t bt_re_findall(const bt_re_pattern *p, const char *s, size_t n,
                        bt_strvec *out, bt_err *err)
{
    return bt_re_findall_range(p, s, n, 0, BT_RE_END, out, err);
}

ptrdiff_t bt_re_findall_range(const bt_re_pattern *p, const char *s, size_t n,
                              size_t pos, size_t endpos, bt_strvec *out,
                              bt_err *err)
{
    re_loop l;
    int rc = loop_init(&l, p, s, n, pos, endpos, err);
    if (rc < 0) {
        loop_fini(&l);
        return rc;
    }
    size_t before = out->count;
    ptrdiff_t count = 0;
    while ((rc = loop_next(&l, err)) == 1) {
        size_t first = p->groups ? 1 : 0, last = p->groups ? p->groups : 0;
        for (size_t g = first; g <= last && rc >= 0; g++) {
            ptrdiff_t a, b;
            span_of(&l, g, &a, &b);
            rc = a < 0 ? bt_strvec_append(out, "", 0)
                       : bt_strvec_append(out, l.s + a, (size_t)(b - a));
        }
        if (rc < 0) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
            break;
        }
        count++;
    }
    loop_fini(&l);
    if (rc < 0) {
        strvec_truncate(out, before);
        return rc;
    }
    return count;
}

/* ------------------------------------------------------------------- split */

ptrdiff_t bt_re_split(const bt_re_pattern *p, const char *s, size_t n,
                      size_t maxsplit, bt_strvec *out, bt_err *err)
{
    re_loop l;
    int rc = loop_init(&l, p, s, n, 0, BT_RE_END, err);
    if (rc < 0) {
        loop_fini(&l);
        return rc;
    }
    size_t before = out->count, last = 0, splits = 0;
    while (maxsplit == 0 || splits < maxsplit) {
        rc = loop_next(&l, err);
        if (rc <= 0)
            break;
        ptrdiff_t a, b;
        span_of(&l, 0, &a, &b);
        rc = bt_strvec_append(out, l.s + last, (size_t)a - last);
        for (size_t g = 1; g <= p->groups && rc >= 0; g++) {
            ptrdiff_t ga, gb;
            span_of(&l, g, &ga, &gb);
            rc = ga < 0 ? bt_strvec_append(out, "", 0)
                        : bt_strvec_append(out, l.s + ga, (size_t)(gb - ga));
        }
        if (rc < 0) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
            break;
        }
        splits++;
        last = (size_t)b;
    }
    if (rc >= 0)
        rc = loop_finish(&l, err);
    if (rc >= 0 && bt_strvec_append(out, l.s + last, l.n - last) < 0)
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    loop_fini(&l);
    if (rc < 0) {
        strvec_truncate(out, before);
        return rc;
    }
    return (ptrdiff_t)(out->count - before);
}

/* --------------------------------------------------------------------- sub */

typedef int (*repl_fn)(void *ctx, const re_loop *l, bt_re_matchobj *m,
                       bt_buf *out);

static ptrdiff_t subx(const bt_re_pattern *p, repl_fn fn, void *ctx,
                      bool need_match, const char *s, size_t n, size_t count,
                      bt_buf *out, bt_err *err)
{
    re_loop l;
    int rc = loop_init(&l, p, s, n, 0, BT_RE_END, err);
    if (rc < 0) {
        loop_fini(&l);
        return rc;
    }
    bt_re_matchobj *m = need_match ? bt__re_match_new(p) : NULL;
    if (need_match && !m) {
        loop_fini(&l);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    size_t before = out->len, i = 0;
    ptrdiff_t done = 0;
    while (count == 0 || (size_t)done < count) {
        rc = loop_next(&l, err);
        if (rc <= 0)
            break;
        ptrdiff_t a, b;
        span_of(&l, 0, &a, &b);
        if ((size_t)a > i && bt_buf_append(out, l.s + i, (size_t)a - i) < 0) {
            rc = BT_ENOMEM;
            break;
        }
        if (m)
            bt__re_match_fill(m, l.s, l.n, l.pos, l.endpos, KIND_SEARCH, l.opts,
                              l.md, l.rc);
        rc = fn(ctx, &l, m, out);
        if (rc < 0)
            break;
        i = (size_t)b;
        done++;
    }
    if (rc >= 0)
        rc = loop_finish(&l, err);
    if (rc >= 0 && i < l.n && bt_buf_append(out, l.s + i, l.n - i) < 0)
        rc = BT_ENOMEM;
    loop_fini(&l);
    bt_re_match_free(m);
    if (rc < 0) {
        out->len = before;
        if (out->data)
            out->data[before] = '\0';
        if (rc == BT_ENOMEM)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        return rc;
    }
    /* an empty result still gives a NUL-terminated buffer */
    if (!out->data && bt_buf_reserve(out, 0) < 0)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    return done;
}

typedef struct tctx {
    const re_template *t;
    const char *lit; /* a template without backslashes: used as is */
    size_t litlen;
} tctx;

static int repl_template(void *ctx, const re_loop *l, bt_re_matchobj *m,
                         bt_buf *out)
{
    tctx *c = ctx;
    (void)m;
    if (c->lit)
        return bt_buf_append(out, c->lit, c->litlen);
    for (size_t i = 0; i < c->t->n; i++) {
        const re_titem *it = &c->t->items[i];
        int rc;
        if (it->group < 0) {
            rc = bt_buf_append(out, c->t->lit + it->off, it->len);
        } else {
            ptrdiff_t a, b;
            span_of(l, (size_t)it->group, &a, &b);
            if (a < 0)
                continue;
            rc = bt_buf_append(out, l->s + a, (size_t)(b - a));
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

ptrdiff_t bt_re_sub(const bt_re_pattern *p, const char *repl, size_t rlen,
                    const char *s, size_t n, size_t count, bt_buf *out,
                    bt_err *err)
{
    if (rlen == BT_RE_NTS)
        rlen = strlen(repl);
    tctx c = {NULL, NULL, 0};
    if (rlen == 0 || !memchr(repl, '\\', rlen)) {
        if (!p->bytes) {
            int rc = bt__re_validate(repl, rlen, err);
            if (rc < 0)
                return rc;
        }
        c.lit = rlen ? repl : "";
        c.litlen = rlen;
    } else {
        re_template *t;
        int rc = bt__re_template_parse(p, repl, rlen, &t, err);
        if (rc < 0)
            return rc;
        c.t = t;
    }
    ptrdiff_t r = subx(p, repl_template, &c, false, s, n, count, out, err);
    bt__re_template_free((re_template *)c.t);
    return r;
}

ptrdiff_t bt_re_subn(const bt_re_pattern *p, const char *repl, size_t rlen,
                     const char *s, size_t n, size_t count, bt_buf *out,
                     bt_err *err)
{
    return bt_re_sub(p, repl, rlen, s, n, count, out, err);
}

typedef struct fctx {
    bt_re_repl_fn fn;
    void *ctx;
} fctx;

static int repl_call(void *ctx, const re_loop *l, bt_re_matchobj *m,
                     bt_buf *out)
{
    fctx *c = ctx;
    (void)l;
    return c->fn(m, out, c->ctx);
}

ptrdiff_t bt_re_sub_fn(const bt_re_pattern *p, bt_re_repl_fn fn, void *ctx,
                       const char *s, size_t n, size_t count, bt_buf *out,
                       bt_err *err)
{
    fctx c = {fn, ctx};
    return subx(p, repl_call, &c, true, s, n, count, out, err);
}

/* ------------------------------------------------------------------ escape */

int bt_re_escape(const char *s, size_t n, bt_buf *out)
{
    static const char special[] = "()[]{}?*+-|^$\\.&~# \t\n\r\v\f";
    if (n == BT_RE_NTS)
        n = strlen(s);
    size_t extra = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] && strchr(special, s[i]))
            extra++;
    if (bt_buf_reserve(out, n + extra) < 0)
        return BT_ENOMEM;
    for (size_t i = 0; i < n; i++) {
        if (s[i] && strchr(special, s[i]))
            out->data[out->len++] = '\\';
        out->data[out->len++] = s[i];
    }
    out->data[out->len] = '\0';
    return 0;
}
