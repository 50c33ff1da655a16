/*
 * drv_path.c — the C side of the path oracle (tests/oracle/path.py).
 *
 * Reads one case per line, "<group>\t<hex path>...", and writes one answer
 * line with the fields path.py's FIELDS names. Every path is copied into an
 * exact-size NUL-terminated allocation, so ASan sees any read past it.
 */
#include <batteries/core.h>
#include <batteries/path.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_common.h"

static char *cstr(const arg *a)
{
    char *s = xmalloc(a->n + 1);
    memcpy(s, a->p, a->n);
    s[a->n] = '\0';
    return s;
}

static void put_hex(const bt_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        printf("%02x", (unsigned char)b->data[i]);
}

/* "ok<TAB>hex<TAB>" or "<exception><TAB><TAB><message>". */
static void put_result(int rc, const bt_buf *out, const bt_err *err)
{
    if (rc == 0) {
        printf("ok\t");
        put_hex(out);
        printf("\t\n");
    } else if (rc == BT_EVALUE) {
        printf("%s\t\t%s\n", bt_errname(rc), err->msg);
    } else {
        printf("%s\t\t\n", bt_errname(rc));
    }
}

static void put_pair(int rc, const bt_buf *a, const bt_buf *b)
{
    if (rc < 0) {
        printf("%s\t\n", bt_errname(rc));
        return;
    }
    put_hex(a);
    printf("\t");
    put_hex(b);
    printf("\n");
}

static void run_case(const char *group, arg *args, size_t nargs)
{
    char **p = xmalloc((nargs + 1) * sizeof *p);
    for (size_t i = 0; i < nargs; i++)
        p[i] = cstr(&args[i]);
    p[nargs] = NULL;
    bt_buf out = BT_BUF_INIT, out2 = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    bt_strvec v = BT_STRVEC_INIT;
    int rc;

    if (strcmp(group, "join") == 0) {
        put_result(bt_path_join((const char *const *)p, nargs, &out), &out,
                   &err);
    } else if (strcmp(group, "commonprefix") == 0 ||
               strcmp(group, "commonpath") == 0) {
        for (size_t i = 0; i < nargs; i++)
            if (bt_strvec_append(&v, p[i], strlen(p[i])) < 0)
                exit(2);
        rc = strcmp(group, "commonprefix") == 0
                 ? bt_path_commonprefix(&v, &out)
                 : bt_path_commonpath(&v, &out, &err);
        put_result(rc, &out, &err);
    } else if (nargs == 0) {
        printf("no path for %s\n", group);
    } else if (strcmp(group, "relpath") == 0) {
        rc = bt_path_relpath(p[0], nargs > 1 ? p[1] : NULL, &out, &err);
        put_result(rc, &out, &err);
    } else if (strcmp(group, "split") == 0) {
        put_pair(bt_path_split(p[0], &out, &out2), &out, &out2);
    } else if (strcmp(group, "splitext") == 0) {
        put_pair(bt_path_splitext(p[0], &out, &out2), &out, &out2);
    } else if (strcmp(group, "splitdrive") == 0) {
        put_pair(bt_path_splitdrive(p[0], &out, &out2), &out, &out2);
    } else if (strcmp(group, "isabs") == 0) {
        printf("%d\n", bt_path_isabs(p[0]));
    } else {
        static const struct {
            const char *name;
            int (*fn)(const char *, bt_buf *);
        } unary[] = {
            {"dirname", bt_path_dirname},
            {"basename", bt_path_basename},
            {"normpath", bt_path_normpath},
            {"normcase", bt_path_normcase},
            {"expandvars", bt_path_expandvars},
            {"expanduser", bt_path_expanduser},
        };
        size_t k = 0;
        while (k < sizeof unary / sizeof unary[0] &&
               strcmp(unary[k].name, group))
            k++;
        if (k < sizeof unary / sizeof unary[0])
            put_result(unary[k].fn(p[0], &out), &out, &err);
        else if (strcmp(group, "abspath") == 0)
            put_result(bt_path_abspath(p[0], &out, &err), &out, &err);
        else
            printf("unknown case %s with %zu args\n", group, nargs);
    }
    bt_strvec_fini(&v);
    bt_buf_fini(&out);
    bt_buf_fini(&out2);
    for (size_t i = 0; i < nargs; i++)
        free(p[i]);
    free(p);
}

int main(void)
{
    return drv_main(run_case);
}
