/* re against CPython's answers (tests/re/vectors, made by
 * tools/gen_vectors/re.py): every field is compared as the generator wrote
 * it -- spans as byte offsets, texts in hex, messages word for word. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/re.h>

#include "bt_test.h"

/* A growing text to build an answer in the vector's notation. */
typedef struct text {
    char *s;
    size_t n, cap;
} text;

static void tput(text *t, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void tput(text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s ? t->s + t->n : NULL, t->s ? t->cap - t->n : 0,
                          fmt, ap);
        va_end(ap);
        if (t->s && (size_t)k < t->cap - t->n) {
            t->n += (size_t)k;
            return;
        }
        t->cap = t->cap * 2 + (size_t)k + 64;
        t->s = realloc(t->s, t->cap);
        cr_assert(t->s);
        if (t->n == 0)
            t->s[0] = '\0';
    }
}

static void thex(text *t, const char *p, size_t n)
{
    tput(t, "%s", "");
    for (size_t i = 0; i < n; i++)
        tput(t, "%02x", (unsigned char)p[i]);
}

static const char *tstr(text *t)
{
    if (!t->s)
        tput(t, "%s", "");
    return t->s;
}

static void tclear(text *t)
{
    t->n = 0;
    if (t->s)
        t->s[0] = '\0';
}

static void tfree(text *t)
{
    free(t->s);
    memset(t, 0, sizeof *t);
}

static int kind_flags(const char *kind, const char *flags)
{
    int f = atoi(flags);
    return strcmp(kind, "b") == 0 ? f | BT_RE_BYTES : f;
}

static size_t upos(const char *s)
{
    long v = atol(s);
    return v < 0 ? 0 : (size_t)v;
}

static void spans(text *t, const bt_re_matchobj *m)
{
    size_t groups = bt_re_pattern_groups(bt_re_match_re(m));
    for (size_t g = 0; g <= groups; g++) {
        ptrdiff_t a, b;
        cr_assert_eq(bt_re_match_span(m, g, &a, &b), 0);
        cr_assert_eq(bt_re_match_start(m, g), a);
        cr_assert_eq(bt_re_match_end(m, g), b);
        tput(t, "%s%td,%td", g ? ";" : "", a, b);
    }
}

/* The message field: hex of Python's str(exc). */
static void expect_message(const char *want_hex, const bt_err *err,
                           const char *ctx)
{
    size_t n;
    char *want = bt_test_unhex(want_hex, &n);
    cr_expect_str_eq(err->msg, want, "%s: message", ctx);
    free(want);
}

Test(re_vectors, compile)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "compile");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n;
        char *pat = bt_test_unhex(f[2], &n);
        bt_re_pattern *p = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = bt_re_compile(pat, n, kind_flags(f[0], f[1]), &p, &err);
        char ctx[600];
        snprintf(ctx, sizeof ctx, "line %d (%s %s)", v.lineno, f[0], f[2]);
        if (strcmp(f[3], "ok") == 0) {
            cr_expect_eq(rc, 0, "%s: %s", ctx, err.msg);
            if (rc == 0) {
                cr_expect_eq(bt_re_pattern_flags(p), atoi(f[6]), "%s", ctx);
                cr_expect_eq(bt_re_pattern_groups(p), (size_t)atol(f[7]), "%s",
                             ctx);
                tclear(&t);
                for (size_t g = 1; g <= bt_re_pattern_groups(p); g++) {
                    size_t len;
                    const char *name = bt_re_pattern_group_name(p, g, &len);
                    if (!name)
                        continue;
                    cr_expect_eq(bt_re_pattern_groupindex(p, name, len),
                                 (ptrdiff_t)g);
                    if (t.n)
                        tput(&t, ";");
                    thex(&t, name, len);
                    tput(&t, "=%zu", g);
                }
                cr_expect_str_eq(t.n ? tstr(&t) : "-", f[8], "%s", ctx);
                size_t plen;
                const char *src = bt_re_pattern_pattern(p, &plen);
                cr_expect(plen == n && memcmp(src, pat, n) == 0, "%s", ctx);
                cr_expect_eq(bt_re_pattern_is_bytes(p), f[0][0] == 'b');
            }
        } else {
            cr_expect_str_eq(bt_errname(rc), f[3], "%s: %s", ctx, err.msg);
            cr_expect_eq(err.code, rc, "%s", ctx);
            expect_message(f[4], &err, ctx);
            cr_expect_eq(err.pos, (ptrdiff_t)atol(f[5]), "%s", ctx);
        }
        bt_re_pattern_free(p);
        free(pat);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    bt_re_purge();
    cr_assert_gt(cases, 400);
}

Test(re_vectors, match)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "match");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, sn;
        char *pat = bt_test_unhex(f[3], &n);
        char *s = bt_test_unhex(f[4], &sn);
        char ctx[600];
        snprintf(ctx, sizeof ctx, "line %d (%s %s %s %s)", v.lineno, f[0], f[1],
                 f[3], f[4]);
        bt_re_pattern *p = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = bt_re_compile(pat, n, kind_flags(f[1], f[2]), &p, &err);
        bt_re_matchobj *m = NULL;
        if (rc == 0) {
            size_t pos = upos(f[5]), endpos = upos(f[6]);
            if (strcmp(f[0], "search") == 0)
                rc = bt_re_search_range(p, s, sn, pos, endpos, &m, &err);
            else if (strcmp(f[0], "match") == 0)
                rc = bt_re_match_range(p, s, sn, pos, endpos, &m, &err);
            else
                rc = bt_re_fullmatch_range(p, s, sn, pos, endpos, &m, &err);
        }
        if (strcmp(f[7], "ok") == 0) {
            cr_expect_eq(rc, 1, "%s: rc %d %s", ctx, rc, err.msg);
            if (rc == 1) {
                tclear(&t);
                spans(&t, m);
                cr_expect_str_eq(tstr(&t), f[8], "%s", ctx);
                cr_expect_eq(bt_re_match_lastindex(m), atol(f[9]), "%s", ctx);
                size_t glen;
                const char *lg = bt_re_match_lastgroup(m, &glen);
                tclear(&t);
                if (lg)
                    thex(&t, lg, glen);
                cr_expect_str_eq(lg ? tstr(&t) : "-", f[10], "%s", ctx);
                size_t len;
                cr_expect_eq(bt_re_match_string(m, &len), s);
                cr_expect_eq(len, sn);
            }
        } else if (strcmp(f[7], "none") == 0) {
            cr_expect_eq(rc, 0, "%s: rc %d %s", ctx, rc, err.msg);
            cr_expect_null(m);
        } else {
            cr_expect_str_eq(bt_errname(rc), f[7], "%s", ctx);
            expect_message(f[11], &err, ctx);
        }
        bt_re_match_free(m);
        bt_re_pattern_free(p);
        free(pat);
        free(s);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    bt_re_purge();
    cr_assert_gt(cases, 1000);
}

Test(re_vectors, findall_finditer)
{
    const char *files[] = {"findall", "finditer"};
    text t = {0};
    for (int k = 0; k < 2; k++) {
        bt_test_vectors v;
        char *f[BT_TEST_MAX_FIELDS];
        int cases = 0;
        bt_test_vectors_open(&v, "re", files[k]);
        while (bt_test_vectors_next(&v, f) > 0) {
            size_t n, sn;
            char *pat = bt_test_unhex(f[2], &n);
            char *s = bt_test_unhex(f[3], &sn);
            char ctx[600];
            snprintf(ctx, sizeof ctx, "%s line %d", files[k], v.lineno);
            bt_re_pattern *p;
            bt_err err = BT_ERR_INIT;
            cr_assert_eq(
                bt_re_compile(pat, n, kind_flags(f[0], f[1]), &p, &err), 0,
                "%s: %s", ctx, err.msg);
            size_t pos = upos(f[4]), endpos = upos(f[5]);
            tclear(&t);
            if (k == 0) {
                bt_strvec out = BT_STRVEC_INIT;
                ptrdiff_t c =
                    bt_re_findall_range(p, s, sn, pos, endpos, &out, &err);
                cr_expect_eq(c, atol(f[7]), "%s: %s", ctx, err.msg);
                for (size_t i = 0; i < out.count; i++) {
                    if (i)
                        tput(&t, ",");
                    thex(&t, out.items[i], out.lens[i]);
                }
                cr_expect_str_eq(tstr(&t), f[8], "%s", ctx);
                bt_strvec_fini(&out);
            } else {
                bt_re_iter *it;
                cr_assert_eq(
                    bt_re_finditer_range(p, s, sn, pos, endpos, &it, &err), 0);
                const bt_re_matchobj *m;
                int c = 0;
                while (bt_re_iter_next(it, &m, &err) == 1) {
                    if (c++)
                        tput(&t, "|");
                    spans(&t, m);
                    tput(&t, "/%td", bt_re_match_lastindex(m));
                }
                cr_expect_eq(bt_re_iter_next(it, &m, &err), 0);
                bt_re_iter_free(it);
                cr_expect_str_eq(c ? tstr(&t) : "-", f[7], "%s", ctx);
            }
            bt_re_pattern_free(p);
            free(pat);
            free(s);
            cases++;
        }
        bt_test_vectors_close(&v);
        cr_assert_gt(cases, 50);
    }
    tfree(&t);
    bt_re_purge();
}

Test(re_vectors, split)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "split");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, sn;
        char *pat = bt_test_unhex(f[2], &n);
        char *s = bt_test_unhex(f[3], &sn);
        bt_re_pattern *p;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_re_compile(pat, n, kind_flags(f[0], f[1]), &p, &err),
                     0);
        bt_strvec out = BT_STRVEC_INIT;
        ptrdiff_t c = bt_re_split(p, s, sn, upos(f[4]), &out, &err);
        cr_expect_eq(c, atol(f[6]), "line %d", v.lineno);
        /* None (~) comes back as "": the documented deviation */
        tclear(&t);
        for (size_t i = 0; i < out.count; i++) {
            if (i)
                tput(&t, ",");
            thex(&t, out.items[i], out.lens[i]);
        }
        char *want = strdup(f[7]);
        for (char *q = want; (q = strchr(q, '~'));)
            memmove(q, q + 1, strlen(q));
        cr_expect_str_eq(tstr(&t), want, "line %d", v.lineno);
        free(want);
        bt_strvec_fini(&out);
        bt_re_pattern_free(p);
        free(pat);
        free(s);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    bt_re_purge();
    cr_assert_gt(cases, 50);
}

Test(re_vectors, sub)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "sub");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, rn, sn;
        char *pat = bt_test_unhex(f[2], &n);
        char *repl = bt_test_unhex(f[3], &rn);
        char *s = bt_test_unhex(f[4], &sn);
        char ctx[300];
        snprintf(ctx, sizeof ctx, "line %d", v.lineno);
        bt_re_pattern *p;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_re_compile(pat, n, kind_flags(f[0], f[1]), &p, &err),
                     0);
        bt_buf out = BT_BUF_INIT;
        bt_buf_append_str(&out, "keep");
        ptrdiff_t c = (cases % 2 ? bt_re_subn : bt_re_sub)(
            p, repl, rn, s, sn, upos(f[5]), &out, &err);
        if (strcmp(f[6], "ok") == 0) {
            cr_expect_eq(c, atol(f[8]), "%s: %s", ctx, err.msg);
            tclear(&t);
            thex(&t, out.data + 4, out.len - 4);
            cr_expect_str_eq(tstr(&t), f[7], "%s", ctx);
        } else {
            cr_expect_str_eq(bt_errname((int)c), f[6], "%s", ctx);
            expect_message(f[9], &err, ctx);
            cr_expect_eq(out.len, 4, "%s: output unchanged", ctx);
        }
        bt_buf_fini(&out);
        bt_re_pattern_free(p);
        free(pat);
        free(repl);
        free(s);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    bt_re_purge();
    cr_assert_gt(cases, 40);
}

Test(re_vectors, expand)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "expand");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n, sn, tn;
        char *pat = bt_test_unhex(f[2], &n);
        char *s = bt_test_unhex(f[3], &sn);
        char *tpl = bt_test_unhex(f[4], &tn);
        bt_re_pattern *p;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_re_compile(pat, n, kind_flags(f[0], f[1]), &p, &err),
                     0);
        bt_re_matchobj *m;
        cr_assert_eq(bt_re_search(p, s, sn, &m, &err), 1);
        bt_buf out = BT_BUF_INIT;
        int rc = bt_re_match_expand(m, tpl, tn, &out, &err);
        if (strcmp(f[5], "ok") == 0) {
            cr_expect_eq(rc, 0, "line %d: %s", v.lineno, err.msg);
            tclear(&t);
            thex(&t, out.data ? out.data : "", out.len);
            cr_expect_str_eq(tstr(&t), f[6], "line %d", v.lineno);
        } else {
            cr_expect_str_eq(bt_errname(rc), f[5], "line %d", v.lineno);
            expect_message(f[7], &err, "expand");
        }
        bt_buf_fini(&out);
        bt_re_match_free(m);
        bt_re_pattern_free(p);
        free(pat);
        free(s);
        free(tpl);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    bt_re_purge();
    cr_assert_gt(cases, 4);
}

Test(re_vectors, escape)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int cases = 0;
    text t = {0};
    bt_test_vectors_open(&v, "re", "escape");
    while (bt_test_vectors_next(&v, f) > 0) {
        size_t n;
        char *s = bt_test_unhex(f[1], &n);
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(bt_re_escape(s, n, &out), 0);
        tclear(&t);
        thex(&t, out.data, out.len);
        cr_expect_str_eq(tstr(&t), f[2], "line %d", v.lineno);
        bt_buf_fini(&out);
        free(s);
        cases++;
    }
    bt_test_vectors_close(&v);
    tfree(&t);
    cr_assert_gt(cases, 10);
}
