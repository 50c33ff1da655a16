/* argparse against CPython (tests/argparse/vectors/argparse.tsv: parsers in
 * the spec language, command lines with CPython's namespace or error text,
 * help at two widths), plus the C API's own cases. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/argparse.h>

#include "ap_spec.h"
#include "bt_test.h"

#define MAXSPECS 64

typedef struct specs {
    char *name[MAXSPECS];
    char *text[MAXSPECS];
    bt_argparse *p80[MAXSPECS];
    size_t n;
} specs;

static const char *spec_text(specs *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0)
            return s->text[i];
    cr_assert_fail("unknown spec %s", name);
    return NULL;
}

static bt_argparse *spec_parser80(specs *s, const char *name)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->name[i], name) == 0) {
            if (!s->p80[i]) {
                setenv("COLUMNS", "80", 1);
                int rc;
                bt_err err = BT_ERR_INIT;
                s->p80[i] = ap_spec_build(s->text[i], &rc, &err);
                cr_assert_not_null(s->p80[i], "spec %s: %d %s", name, rc,
                                   err.msg);
            }
            return s->p80[i];
        }
    cr_assert_fail("unknown spec %s", name);
    return NULL;
}

/* "hex|count": count strings joined by NUL, hex-encoded. */
static size_t parse_list(const char *field, char **mem, const char **items,
                         size_t max)
{
    const char *bar = strrchr(field, '|');
    cr_assert_not_null(bar);
    char *hex = strndup(field, (size_t)(bar - field));
    size_t len;
    *mem = bt_test_unhex(hex, &len);
    free(hex);
    size_t n = (size_t)atoi(bar + 1);
    cr_assert_leq(n, max);
    const char *p = *mem;
    for (size_t i = 0; i < n; i++) {
        items[i] = p;
        p += strlen(p) + 1;
    }
    return n;
}

static char *unhex(const char *f)
{
    size_t n;
    return bt_test_unhex(f, &n);
}

static void extras_repr(const bt_strvec *v, bt_buf *out)
{
    bt_buf_append_byte(out, '[');
    for (size_t i = 0; i < v->count; i++) {
        if (i)
            bt_buf_append_str(out, ", ");
        bt_repr_str(out, v->items[i], v->lens[i]);
    }
    bt_buf_append_byte(out, ']');
}

Test(argparse, matches_cpython, .timeout = 60)
{
    cr_assert_eq(chdir(BT_TEST_SOURCE_ROOT), 0);
    specs s = {0};
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    size_t helps = 0, parses = 0, fails = 0;
    bt_test_vectors_open(&v, "argparse", "argparse");
    while (bt_test_vectors_next(&v, f) >= 6) {
        if (strcmp(f[0], "spec") == 0) {
            cr_assert_lt(s.n, MAXSPECS);
            s.name[s.n] = strdup(f[1]);
            s.text[s.n++] = unhex(f[2]);
            continue;
        }
        if (strcmp(f[0], "help") == 0) {
            setenv("COLUMNS", f[2], 1);
            int rc;
            bt_err err = BT_ERR_INIT;
            bt_argparse *p = ap_spec_build(spec_text(&s, f[1]), &rc, &err);
            cr_assert_not_null(p, "spec %s: %s", f[1], err.msg);
            bt_buf h = BT_BUF_INIT, u = BT_BUF_INIT;
            cr_expect_eq(bt_argparse_format_help(p, &h, &err), 0, "%s",
                         err.msg);
            cr_expect_eq(bt_argparse_format_usage(p, &u, &err), 0, "%s",
                         err.msg);
            char *wh = unhex(f[3]), *wu = unhex(f[4]);
            bool ok = strcmp(h.data ? h.data : "", wh) == 0 &&
                      strcmp(u.data ? u.data : "", wu) == 0;
            cr_expect(ok,
                      "help of %s at COLUMNS=%s:\n--- got\n%s--- want\n%s--- "
                      "usage got\n%s--- want\n%s",
                      f[1], f[2], h.data, wh, u.data, wu);
            fails += !ok;
            free(wh);
            free(wu);
            bt_buf_fini(&h);
            bt_buf_fini(&u);
            bt_argparse_free(p);
            helps++;
            continue;
        }
        if (strcmp(f[0], "setup") == 0)
            continue; /* test_argparse_api.c */
        bt_argparse *p = spec_parser80(&s, f[1]);
        setenv("COLUMNS", "80", 1);
        char *mem;
        const char *args[64];
        size_t n = parse_list(f[2], &mem, args, 64);
        bt_argparse_ns *ns = NULL;
        bt_err err = BT_ERR_INIT;
        int rc = strcmp(f[0], "parse_args") == 0
                     ? bt_argparse_parse_args(p, args, n, &ns, &err)
                 : strcmp(f[0], "parse_known_args") == 0
                     ? bt_argparse_parse_known_args(p, args, n, &ns, &err)
                     : bt_argparse_parse_intermixed_args(p, args, n, &ns, &err);
        char *want1 = unhex(f[4]), *want2 = unhex(f[5]);
        bt_buf got = BT_BUF_INIT, cmdline = BT_BUF_INIT;
        for (size_t i = 0; i < n; i++)
            bt_buf_printf(&cmdline, "%s'%s'", i ? " " : "", args[i]);
        cr_assert_not_null(ns, "%s %s [%s]: rc %d", f[0], f[1], cmdline.data,
                           rc);
        bool ok;
        if (strcmp(f[3], "ok") == 0) {
            bt_argparse_ns_repr(ns, &got);
            bt_buf ex = BT_BUF_INIT;
            extras_repr(bt_argparse_ns_extras(ns), &ex);
            ok = rc == 0 && strcmp(got.data, want1) == 0 &&
                 strcmp(ex.data, want2) == 0;
            cr_expect(ok, "%s %s [%s]: rc %d %s\n got %s %s\nwant %s %s", f[0],
                      f[1], cmdline.data ? cmdline.data : "", rc,
                      bt_argparse_ns_output(ns), got.data, ex.data, want1,
                      want2);
            bt_buf_fini(&ex);
        } else {
            int status = atoi(want1);
            int want_rc = status == 0 ? BT_ARGPARSE_EXIT : BT_EARGUMENT;
            ok = rc == want_rc && bt_argparse_ns_status(ns) == status &&
                 strcmp(bt_argparse_ns_output(ns), want2) == 0;
            cr_expect(ok,
                      "%s %s [%s]: rc %d (want %d) status %d\n--- got\n%s--- "
                      "want\n%s",
                      f[0], f[1], cmdline.data ? cmdline.data : "", rc, want_rc,
                      bt_argparse_ns_status(ns), bt_argparse_ns_output(ns),
                      want2);
            if (rc == BT_EARGUMENT)
                cr_expect(strstr(want2, err.msg) != NULL, "err.msg %s",
                          err.msg);
        }
        fails += !ok;
        bt_buf_fini(&got);
        bt_buf_fini(&cmdline);
        bt_argparse_ns_free(ns);
        free(mem);
        free(want1);
        free(want2);
        parses++;
    }
    bt_test_vectors_close(&v);
    cr_expect_gt(helps, 50);
    cr_expect_gt(parses, 2000);
    for (size_t i = 0; i < s.n; i++) {
        free(s.name[i]);
        free(s.text[i]);
        bt_argparse_free(s.p80[i]);
    }
    fprintf(stderr, "argparse vectors: %zu helps, %zu parses, %zu failures\n",
            helps, parses, fails);
}
