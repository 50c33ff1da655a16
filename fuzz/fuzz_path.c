/*
 * fuzz_path.c — os.path's pure functions on arbitrary bytes must keep the
 * promises Python makes for them:
 *
 *  - normpath is idempotent, never empty, has no "." part, no empty part, no
 *    trailing slash (but for the root), keeps one or exactly two leading
 *    slashes, and an absolute result has no ".." part;
 *  - split: head + tail put back together name the same path
 *    (normpath(join(head, tail)) == normpath(p)), the tail holds no slash,
 *    p starts with the head and ends with the tail, and dirname and basename
 *    are the head and the tail;
 *  - splitext: root + ext == p; ext is "" or a '.' and no slash;
 *  - relpath(a, b) of absolute paths leads from b to a: normpath(join(b,
 *    relpath(a, b))) has the components of normpath(a);
 *  - commonpath is the longest common run of components (checked against a
 *    plain re-computation), or ValueError exactly for an empty list or a mix
 *    of absolute and relative paths; commonprefix is a prefix of every path;
 *  - expandvars and expanduser leave a path without '$' / leading '~' alone;
 *  - join(p, q) is q for an absolute q, else p, a slash when needed, q;
 *  - nothing crashes or leaks (the replay runs under ASan and LSan).
 *
 * Input: up to 8 paths separated by NUL bytes (a C path cannot hold one).
 */
#include <batteries/core.h>
#include <batteries/path.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

enum { MAX_PATHS = 8 };

/* The library's plain byte-by-byte normpath (src/path/path_int.h), which
 * bt_path_normpath's vector version must agree with. */
size_t bt__path_norm(const char *s, size_t n, char *d);

static bool eq(const bt_buf *b, const char *s, size_t n)
{
    return b->len == n && (n == 0 || memcmp(b->data, s, n) == 0);
}

static void check_normal(const bt_buf *n)
{
    const char *s = n->data;
    size_t len = n->len;
    CHECK(len > 0 && s[len] == '\0' && !memchr(s, '\0', len));
    size_t lead = 0;
    while (lead < len && s[lead] == '/')
        lead++;
    CHECK(lead <= 2);
    CHECK(len == lead || s[len - 1] != '/');
    /* Components: none empty, none ".", no ".." in an absolute path and,
     * in a relative one, only at the start. */
    bool seen_name = false;
    for (size_t i = lead; i < len;) {
        const char *e = memchr(s + i, '/', len - i);
        size_t j = e ? (size_t)(e - s) : len;
        CHECK(j > i);
        bool dot = j - i == 1 && s[i] == '.';
        bool dotdot = j - i == 2 && s[i] == '.' && s[i + 1] == '.';
        CHECK(!dot || len == 1);
        CHECK(!dotdot || (lead == 0 && !seen_name));
        seen_name |= !dotdot && !dot;
        i = j + 1;
    }
}

/* The components commonpath keeps: not "" nor ".". */
static size_t comps(const char *s, const char **start, size_t *lens, size_t cap)
{
    size_t k = 0, n = strlen(s);
    for (size_t i = 0; i < n;) {
        const char *e = memchr(s + i, '/', n - i);
        size_t j = e ? (size_t)(e - s) : n;
        if (j > i && !(j - i == 1 && s[i] == '.') && k < cap) {
            start[k] = s + i;
            lens[k++] = j - i;
        }
        i = j + 1;
    }
    return k;
}

static void check_split(const char *p)
{
    size_t n = strlen(p);
    bt_buf h = BT_BUF_INIT, t = BT_BUF_INIT, d = BT_BUF_INIT, b = BT_BUF_INIT;
    CHECK(bt_path_split(p, &h, &t) == 0);
    CHECK(!memchr(t.data, '/', t.len));
    CHECK(h.len + t.len <= n && memcmp(p, h.data, h.len) == 0);
    CHECK(memcmp(p + n - t.len, t.data, t.len) == 0);
    CHECK(bt_path_dirname(p, &d) == 0 && eq(&d, h.data, h.len));
    CHECK(bt_path_basename(p, &b) == 0 && eq(&b, t.data, t.len));
    const char *parts[] = {h.data, t.data};
    bt_buf j = BT_BUF_INIT, nj = BT_BUF_INIT, np = BT_BUF_INIT;
    CHECK(bt_path_join(parts, 2, &j) == 0);
    CHECK(bt_path_normpath(j.data, &nj) == 0);
    CHECK(bt_path_normpath(p, &np) == 0);
    CHECK(eq(&nj, np.data, np.len));
    bt_buf_fini(&h);
    bt_buf_fini(&t);
    bt_buf_fini(&d);
    bt_buf_fini(&b);
    bt_buf_fini(&j);
    bt_buf_fini(&nj);
    bt_buf_fini(&np);
}

static void check_splitext(const char *p)
{
    size_t n = strlen(p);
    bt_buf r = BT_BUF_INIT, e = BT_BUF_INIT;
    CHECK(bt_path_splitext(p, &r, &e) == 0);
    CHECK(r.len + e.len == n && memcmp(r.data, p, r.len) == 0);
    CHECK(memcmp(e.data, p + r.len, e.len) == 0);
    CHECK(e.len == 0 || (e.data[0] == '.' && !memchr(e.data, '/', e.len)));
    bt_buf_fini(&r);
    bt_buf_fini(&e);
}

/* The components of normpath(s), without its leading slashes. */
static void norm_tail(const char *s, bt_buf *out)
{
    bt_buf n = BT_BUF_INIT;
    CHECK(bt_path_normpath(s, &n) == 0);
    size_t lead = 0;
    while (lead < n.len && n.data[lead] == '/')
        lead++;
    CHECK(bt_buf_append(out, n.data + lead, n.len - lead) == 0);
    bt_buf_fini(&n);
}

static void check_relpath(const char *a, const char *b)
{
    bt_buf aa = BT_BUF_INIT, ab = BT_BUF_INIT, r = BT_BUF_INIT;
    CHECK(bt_buf_append_str(&aa, "/") == 0 && bt_buf_append_str(&aa, a) == 0);
    CHECK(bt_buf_append_str(&ab, "/") == 0 && bt_buf_append_str(&ab, b) == 0);
    CHECK(bt_path_relpath(aa.data, ab.data, &r, NULL) == 0);
    check_normal(&r);
    const char *parts[] = {ab.data, r.data};
    bt_buf j = BT_BUF_INIT, x = BT_BUF_INIT, y = BT_BUF_INIT;
    CHECK(bt_path_join(parts, 2, &j) == 0);
    norm_tail(j.data, &x);
    norm_tail(aa.data, &y);
    CHECK(eq(&x, y.data, y.len));
    bt_buf_fini(&aa);
    bt_buf_fini(&ab);
    bt_buf_fini(&r);
    bt_buf_fini(&j);
    bt_buf_fini(&x);
    bt_buf_fini(&y);
}

static void check_common(char **paths, size_t count)
{
    bt_strvec v = BT_STRVEC_INIT;
    for (size_t i = 0; i < count; i++)
        CHECK(bt_strvec_append_str(&v, paths[i]) == 0);
    bt_buf out = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    int rc = bt_path_commonpath(&v, &out, &err);
    bool mixed = false;
    for (size_t i = 1; i < count; i++)
        mixed |= (paths[i][0] == '/') != (paths[0][0] == '/');
    if (count == 0 || mixed) {
        CHECK(rc == BT_EVALUE && err.code == BT_EVALUE && out.len == 0);
    } else {
        CHECK(rc == 0);
        /* The longest common run of components, computed plainly. */
        enum { CAP = 256 };
        const char *s0[CAP], *sj[CAP];
        size_t l0[CAP], lj[CAP];
        size_t k0 = comps(paths[0], s0, l0, CAP), common = k0;
        for (size_t j = 1; j < count; j++) {
            size_t kj = comps(paths[j], sj, lj, CAP), m = 0;
            while (m < common && m < kj && l0[m] == lj[m] &&
                   memcmp(s0[m], sj[m], l0[m]) == 0)
                m++;
            common = m;
        }
        bt_buf want = BT_BUF_INIT;
        if (paths[0][0] == '/')
            CHECK(bt_buf_append_byte(&want, '/') == 0);
        for (size_t m = 0; m < common; m++) {
            if (m)
                CHECK(bt_buf_append_byte(&want, '/') == 0);
            CHECK(bt_buf_append(&want, s0[m], l0[m]) == 0);
        }
        if (k0 < CAP)
            CHECK(eq(&out, want.data, want.len));
        bt_buf_fini(&want);
    }
    bt_buf_clear(&out);
    CHECK(bt_path_commonprefix(&v, &out) == 0);
    for (size_t i = 0; i < count; i++)
        CHECK(out.len <= strlen(paths[i]) &&
              memcmp(out.data, paths[i], out.len) == 0);
    bt_buf_fini(&out);
    bt_strvec_fini(&v);
}

static void check_env(const char *p)
{
    size_t n = strlen(p);
    bt_buf out = BT_BUF_INIT;
    CHECK(bt_path_expandvars(p, &out) == 0);
    if (!memchr(p, '$', n))
        CHECK(eq(&out, p, n));
    bt_buf_clear(&out);
    CHECK(bt_path_expanduser(p, &out) == 0);
    if (p[0] != '~')
        CHECK(eq(&out, p, n));
    bt_buf_fini(&out);
}

static void check_join(const char *p, const char *q)
{
    bt_buf out = BT_BUF_INIT;
    const char *parts[] = {p, q};
    CHECK(bt_path_join(parts, 2, &out) == 0);
    size_t pn = strlen(p), qn = strlen(q);
    if (q[0] == '/') {
        CHECK(eq(&out, q, qn));
    } else {
        size_t sep = pn && p[pn - 1] != '/';
        CHECK(out.len == pn + sep + qn && memcmp(out.data, p, pn) == 0);
        CHECK(!sep || out.data[pn] == '/');
        CHECK(memcmp(out.data + pn + sep, q, qn) == 0);
    }
    bt_buf_fini(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool env_ready;
    if (!env_ready) {
        setenv("BT_FZ", "value", 1);
        setenv("HOME", "/home/fuzz", 1);
        env_ready = true;
    }
    char *paths[MAX_PATHS];
    size_t count = 0, start = 0;
    while (count < MAX_PATHS && start <= size) {
        const uint8_t *nul =
            size > start ? memchr(data + start, 0, size - start) : NULL;
        size_t end = nul ? (size_t)(nul - data) : size;
        paths[count] = malloc(end - start + 1);
        CHECK(paths[count]);
        memcpy(paths[count], data + start, end - start);
        paths[count++][end - start] = '\0';
        start = end + 1;
    }
    const char *p = paths[0];
    const char *q = count > 1 ? paths[1] : "";

    bt_buf n1 = BT_BUF_INIT, n2 = BT_BUF_INIT;
    CHECK(bt_path_normpath(p, &n1) == 0);
    check_normal(&n1);
    CHECK(bt_path_normpath(n1.data, &n2) == 0);
    CHECK(eq(&n2, n1.data, n1.len));
    size_t pn = strlen(p);
    char *ref = malloc(pn + 1);
    CHECK(ref);
    size_t rn = bt__path_norm(p, pn, ref);
    CHECK(eq(&n1, ref, rn));
    free(ref);
    bt_buf_fini(&n1);
    bt_buf_fini(&n2);

    CHECK(bt_path_isabs(p) == (p[0] == '/'));
    check_split(p);
    check_splitext(p);
    check_relpath(p, q);
    check_common(paths, count > 1 ? count - (size % 2) : count);
    check_common(paths, 0);
    check_env(p);
    check_join(p, q);

    for (size_t i = 0; i < count; i++)
        free(paths[i]);
    return 0;
}
