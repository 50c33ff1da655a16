/*
 * drv_re.c — the C side of the re oracle (tests/oracle/re.py).
 *
 * Every case starts with the pattern's kind ("s" str, "b" bytes), the flags
 * (decimal) and the pattern; the rest depends on the group. Answers use byte
 * offsets; strings are hex. Subjects and templates are copied into buffers
 * of their exact size so that ASan sees any read past them.
 */
#include <batteries/core.h>
#include <batteries/re.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_common.h"

static char *exact(const arg *a)
{
    char *p = xmalloc(a->n);
    if (a->n)
        memcpy(p, a->p, a->n);
    return p;
}

static long num(const arg *a)
{
    char buf[32];
    size_t n = a->n < sizeof buf - 1 ? a->n : sizeof buf - 1;
    memcpy(buf, a->p, n);
    buf[n] = '\0';
    return strtol(buf, NULL, 10);
}

static void put_hex(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        printf("%02x", (unsigned char)p[i]);
}

/* The message, hex-encoded (it may hold a newline of the pattern). */
static void put_msg(const char *m)
{
    put_hex(m, strlen(m));
}

static void put_error(int rc, const bt_err *err, int extra_fields)
{
    printf("%s\t", bt_errname(rc));
    put_msg(err->msg);
    for (int i = 0; i < extra_fields; i++)
        printf("\t-");
    printf("\n");
}

static int compile(const arg *args, bt_re_pattern **p, bt_err *err)
{
    int flags = (int)num(&args[1]);
    if (args[0].n == 1 && args[0].p[0] == 'b')
        flags |= BT_RE_BYTES;
    char *pat = exact(&args[2]);
    int rc = bt_re_compile(pat, args[2].n, flags, p, err);
    free(pat);
    return rc;
}

static void put_spans(const bt_re_matchobj *m)
{
    size_t groups = bt_re_pattern_groups(bt_re_match_re(m));
    for (size_t g = 0; g <= groups; g++) {
        ptrdiff_t a, b;
        bt_re_match_span(m, g, &a, &b);
        printf("%s%td,%td", g ? ";" : "", a, b);
    }
}

static void do_compile(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 3) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        printf("%s\t", bt_errname(rc));
        put_msg(err.msg);
        printf("\t%td\t-\t-\t-\n", err.pos);
        return;
    }
    printf("ok\t-\t-\t%d\t%zu\t", bt_re_pattern_flags(p),
           bt_re_pattern_groups(p));
    /* groupindex, in group order */
    bool first = true;
    for (size_t g = 1; g <= bt_re_pattern_groups(p); g++) {
        size_t len;
        const char *name = bt_re_pattern_group_name(p, g, &len);
        if (!name)
            continue;
        if (bt_re_pattern_groupindex(p, name, len) != (ptrdiff_t)g) {
            printf("groupindex disagrees");
            break;
        }
        printf("%s", first ? "" : ";");
        put_hex(name, len);
        printf("=%zu", g);
        first = false;
    }
    printf("%s\n", first ? "-" : "");
    bt_re_pattern_free(p);
}

static void do_match(const char *group, arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 6) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 3);
        return;
    }
    char *s = exact(&args[3]);
    long pos = num(&args[4]), endpos = num(&args[5]);
    size_t upos = pos < 0 ? 0 : (size_t)pos;
    size_t uend = endpos < 0 ? 0 : (size_t)endpos;
    bt_re_matchobj *m = NULL;
    if (strcmp(group, "search") == 0)
        rc = bt_re_search_range(p, s, args[3].n, upos, uend, &m, &err);
    else if (strcmp(group, "match") == 0)
        rc = bt_re_match_range(p, s, args[3].n, upos, uend, &m, &err);
    else
        rc = bt_re_fullmatch_range(p, s, args[3].n, upos, uend, &m, &err);
    if (rc < 0) {
        put_error(rc, &err, 3);
    } else if (rc == 0) {
        printf("none\t-\t-\t-\t-\n");
    } else {
        printf("ok\t-\t");
        put_spans(m);
        ptrdiff_t li = bt_re_match_lastindex(m);
        size_t glen;
        const char *lg = bt_re_match_lastgroup(m, &glen);
        printf("\t%td\t", li);
        if (lg)
            put_hex(lg, glen);
        else
            printf("-");
        printf("\n");
        bt_re_match_free(m);
    }
    free(s);
    bt_re_pattern_free(p);
}

static void put_items(const bt_strvec *v)
{
    printf("%zu:", v->count);
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            printf(",");
        put_hex(v->items[i], v->lens[i]);
    }
}

static void do_findall(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 6) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
        return;
    }
    char *s = exact(&args[3]);
    bt_strvec v = BT_STRVEC_INIT;
    long pos = num(&args[4]), endpos = num(&args[5]);
    ptrdiff_t k =
        bt_re_findall_range(p, s, args[3].n, pos < 0 ? 0 : (size_t)pos,
                            endpos < 0 ? 0 : (size_t)endpos, &v, &err);
    if (k < 0) {
        put_error((int)k, &err, 1);
    } else {
        printf("ok\t-\t");
        put_items(&v);
        printf("\n");
    }
    bt_strvec_fini(&v);
    free(s);
    bt_re_pattern_free(p);
}

static void do_finditer(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 6) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
        return;
    }
    char *s = exact(&args[3]);
    long pos = num(&args[4]), endpos = num(&args[5]);
    bt_re_iter *it;
    rc = bt_re_finditer_range(p, s, args[3].n, pos < 0 ? 0 : (size_t)pos,
                              endpos < 0 ? 0 : (size_t)endpos, &it, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
    } else {
        const bt_re_matchobj *m;
        int n = 0;
        bt_buf out = BT_BUF_INIT;
        printf("ok\t-\t");
        while ((rc = bt_re_iter_next(it, &m, &err)) == 1) {
            printf("%s", n++ ? "|" : "");
            put_spans(m);
            printf("/%td", bt_re_match_lastindex(m));
        }
        printf("%s\n", n ? "" : "-");
        bt_buf_fini(&out);
        bt_re_iter_free(it);
    }
    free(s);
    bt_re_pattern_free(p);
}

static void do_split(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 5) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
        return;
    }
    char *s = exact(&args[3]);
    bt_strvec v = BT_STRVEC_INIT;
    ptrdiff_t k = bt_re_split(p, s, args[3].n, (size_t)num(&args[4]), &v, &err);
    if (k < 0) {
        put_error((int)k, &err, 1);
    } else {
        printf("ok\t-\t");
        put_items(&v);
        printf("\n");
    }
    bt_strvec_fini(&v);
    free(s);
    bt_re_pattern_free(p);
}

static void do_sub(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 6) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 2);
        return;
    }
    char *repl = exact(&args[3]);
    char *s = exact(&args[4]);
    bt_buf out = BT_BUF_INIT;
    ptrdiff_t k = bt_re_sub(p, repl, args[3].n, s, args[4].n,
                            (size_t)num(&args[5]), &out, &err);
    if (k < 0) {
        put_error((int)k, &err, 2);
    } else {
        printf("ok\t-\t");
        put_hex(out.data, out.len);
        printf("\t%td\n", k);
    }
    bt_buf_fini(&out);
    free(repl);
    free(s);
    bt_re_pattern_free(p);
}

static void do_expand(arg *args, size_t nargs)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (nargs != 5) {
        printf("bad case\n");
        return;
    }
    int rc = compile(args, &p, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
        return;
    }
    char *s = exact(&args[3]);
    char *t = exact(&args[4]);
    bt_re_matchobj *m;
    rc = bt_re_search(p, s, args[3].n, &m, &err);
    if (rc < 0) {
        put_error(rc, &err, 1);
    } else if (rc == 0) {
        printf("none\t-\t-\n");
    } else {
        bt_buf out = BT_BUF_INIT;
        rc = bt_re_match_expand(m, t, args[4].n, &out, &err);
        if (rc < 0) {
            put_error(rc, &err, 1);
        } else {
            printf("ok\t-\t");
            put_hex(out.data, out.len);
            printf("\n");
        }
        bt_buf_fini(&out);
        bt_re_match_free(m);
    }
    free(s);
    free(t);
    bt_re_pattern_free(p);
}

static void do_escape(arg *args, size_t nargs)
{
    if (nargs != 1) {
        printf("bad case\n");
        return;
    }
    char *s = exact(&args[0]);
    bt_buf out = BT_BUF_INIT;
    if (bt_re_escape(s, args[0].n, &out) < 0)
        printf("MemoryError\n");
    else {
        put_hex(out.data, out.len);
        printf("\n");
    }
    bt_buf_fini(&out);
    free(s);
}

static void run(const char *group, arg *args, size_t nargs)
{
    if (strcmp(group, "compile") == 0)
        do_compile(args, nargs);
    else if (strcmp(group, "search") == 0 || strcmp(group, "match") == 0 ||
             strcmp(group, "fullmatch") == 0)
        do_match(group, args, nargs);
    else if (strcmp(group, "findall") == 0)
        do_findall(args, nargs);
    else if (strcmp(group, "finditer") == 0)
        do_finditer(args, nargs);
    else if (strcmp(group, "split") == 0)
        do_split(args, nargs);
    else if (strcmp(group, "sub") == 0)
        do_sub(args, nargs);
    else if (strcmp(group, "expand") == 0)
        do_expand(args, nargs);
    else if (strcmp(group, "escape") == 0)
        do_escape(args, nargs);
    else
        printf("bad case\n");
}

int main(void)
{
    int rc = drv_main(run);
    bt_re_purge();
    return rc;
}
