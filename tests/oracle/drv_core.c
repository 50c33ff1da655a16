/*
 * drv_core.c — the C side of the core oracle (tests/oracle/core.py).
 *
 * Reads one case per line, "<group>\t<hex arg>\t<hex arg>...", and writes one
 * answer line of tab-separated fields in the order core.py's FIELDS lists.
 * Stdout is line-buffered so that, if a case crashes us, run.py knows which.
 */
#include <batteries/core.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drv_common.h"


static void put_hex(const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++)
        printf("%02x", s[i]);
}

/* A copy in memory of exactly n bytes after `off` bytes of padding, so that
 * ASan catches any read past the end and the fast paths meet every
 * alignment. */
static char *placed(const arg *a, size_t off)
{
    char *p = xmalloc(off + a->n);
    if (a->n)
        memcpy(p + off, a->p, a->n);
    return p;
}

static void case_utf8(const arg *a)
{
    char *s = placed(a, 0);
    size_t n = a->n;
    bt_err err = BT_ERR_INIT;
    int rc = bt_utf8_validate(s, n, &err);
    ptrdiff_t count = bt_utf8_count(s, n);

    if (rc == 0)
        printf("ok\t-\t-\t\t");
    else if (rc == BT_EUNICODE && err.pos >= 0 && (size_t)err.pos < n) {
        size_t adv;
        size_t start = (size_t)err.pos;
        int32_t cp = bt_utf8_decode(s + start, n - start, &adv);
        printf("err\t%zu\t", start);
        if (cp == -1)
            printf("%zu\t", start + adv);
        else
            printf("decode gave U+%04X\t", (unsigned)cp);
        put_hex(err.msg, strlen(err.msg));
        putchar('\t');
    } else
        printf("rc=%d pos=%td\t-\t-\t\t", rc, err.pos);

    if (count >= 0)
        printf("%td\t", count);
    else
        printf("%s\t", count == BT_EUNICODE ? "err" : "bad rc");

    /* Decode everything, bad spans as 'surrogateescape' does, and rebuild
     * the input from the pieces. */
    char *again = xmalloc(n);
    size_t i = 0, w = 0;
    ptrdiff_t first_bad = -1;
    bool sane = true;
    bt_buf cps = BT_BUF_INIT;
    while (i < n && sane) {
        size_t adv = 0;
        int32_t cp = bt_utf8_decode(s + i, n - i, &adv);
        if (adv < 1 || adv > 4 || adv > n - i) {
            sane = false;
            break;
        }
        if (cp < 0) {
            if (first_bad < 0)
                first_bad = (ptrdiff_t)i;
            for (size_t k = 0; k < adv; k++)
                (void)bt_buf_printf(&cps, "%06x",
                                    0xDC00u + (unsigned char)s[i + k]);
            memcpy(again + w, s + i, adv);
            w += adv;
        } else {
            (void)bt_buf_printf(&cps, "%06x", (unsigned)cp);
            char enc[4];
            size_t k = bt_utf8_encode((uint32_t)cp, enc);
            if (k != adv) {
                sane = false;
                break;
            }
            memcpy(again + w, enc, k);
            w += k;
        }
        i += adv;
    }
    if (first_bad >= 0)
        printf("%td\t", first_bad);
    else
        printf("-\t");
    if (!sane)
        printf("decode gave a bad length at byte %zu\t-\t", i);
    else
        printf("%s\t%s\t", cps.data ? cps.data : "",
               w == n && memcmp(again, s, n) == 0 ? "same" : "differs");
    bt_buf_fini(&cps);
    free(again);

    /* The word-at-a-time paths must not depend on where the data sits. */
    size_t off;
    for (off = 1; off < 16; off++) {
        char *t = placed(a, off);
        bt_err e2 = BT_ERR_INIT;
        bool same = bt_utf8_validate(t + off, n, &e2) == rc &&
                    e2.pos == err.pos && strcmp(e2.msg, err.msg) == 0 &&
                    bt_utf8_count(t + off, n) == count;
        free(t);
        if (!same)
            break;
    }
    if (off == 16)
        printf("same\n");
    else
        printf("differs at offset %zu\n", off);
    free(s);
}

static void case_repr(const arg *a, bool str)
{
    char *s = placed(a, 0);
    bt_buf out = BT_BUF_INIT;
    int rc = str ? bt_repr_str(&out, s, a->n) : bt_repr_bytes(&out, s, a->n);
    if (rc < 0)
        printf("rc=%d\n", rc);
    else {
        put_hex(out.data, out.len);
        putchar('\n');
    }
    bt_buf_fini(&out);
    free(s);
}

static void put_join(const bt_strvec *v, const arg *sep)
{
    bt_buf out = BT_BUF_INIT;
    if (bt_strvec_join(v, sep->p, sep->n, &out) < 0)
        printf("join failed");
    else
        put_hex(out.data, out.len);
    putchar('\t');
    bt_buf_fini(&out);
}

static void case_strvec(const arg *a, size_t nargs)
{
    const arg *sep = &a[0], *probe = &a[1];
    bt_strvec v = BT_STRVEC_INIT;
    for (size_t i = 2; i < nargs; i++) {
        if (bt_strvec_append(&v, a[i].p, a[i].n) < 0) {
            printf("append failed\n");
            bt_strvec_fini(&v);
            return;
        }
    }
    put_join(&v, sep);
    ptrdiff_t idx = bt_strvec_index(&v, probe->p, probe->n);
    if (idx >= 0)
        printf("%td\t", idx);
    else
        printf("%s\t", idx == BT_EVALUE ? "absent" : "bad rc");
    printf("%zu\t", v.count);
    if (bt_strvec_sort(&v) < 0)
        printf("sort failed\t");
    else
        put_join(&v, sep);
    for (size_t i = 0; i < v.count; i++) {
        if (i)
            putchar(',');
        put_hex(v.items[i], v.lens[i]);
    }
    putchar('\n');
    bt_strvec_fini(&v);
}

static void case_codepoint(const arg *a)
{
    if (a->n != 4) {
        printf("bad case\n");
        return;
    }
    const unsigned char *b = (const unsigned char *)a->p;
    uint32_t cp = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
                  (uint32_t)b[2] << 8 | b[3];
    char enc[4];
    size_t k = bt_utf8_encode(cp, enc);
    if (k)
        put_hex(enc, k);
    else
        printf("refused");
    printf("\t%d\n", bt_unicode_isprintable(cp) ? 1 : 0);
}

static void run_case(const char *group, arg *args, size_t nargs)
{
    if (strcmp(group, "utf8") == 0 && nargs == 1)
        case_utf8(&args[0]);
    else if (strcmp(group, "repr_str") == 0 && nargs == 1)
        case_repr(&args[0], true);
    else if (strcmp(group, "repr_bytes") == 0 && nargs == 1)
        case_repr(&args[0], false);
    else if (strcmp(group, "strvec") == 0 && nargs >= 2)
        case_strvec(args, nargs);
    else if (strcmp(group, "codepoint") == 0 && nargs == 1)
        case_codepoint(&args[0]);
    else
        printf("unknown case %s with %zu args\n", group, nargs);
}

int main(void)
{
    return drv_main(run_case);
}
