/*
 * env.c — os.path.expandvars and os.path.expanduser: the environment and
 * the user database.
 */
#include <errno.h>
#include <pwd.h>
#include <unistd.h>

#include "path_int.h"

extern char **environ;

/*
 * The value of the environment variable whose name is the n bytes at name,
 * as os.environ[name] finds it: an entry's name is what comes before its
 * first '=', and the first entry with the name wins (as getenv). NULL when
 * there is none.
 */
static const char *env_lookup(const char *name, size_t n)
{
    if (memchr(name, '=', n))
        return NULL; /* no os.environ key holds '=' */
    for (char **e = environ; e && *e; e++) {
        const char *s = *e;
        if (strncmp(s, name, n) == 0 && s[n] == '=')
            return s + n + 1;
    }
    return NULL;
}

/* ----------------------------------------------------------- expandvars */

static bool is_word(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_';
}

/* Copies n bytes to d + *w when d is not NULL (never past cap), and counts
 * them into *w. */
static void emit(char *d, size_t cap, size_t *w, const char *s, size_t n)
{
    if (d && *w < cap)
        memcpy(d + *w, s, BT__MIN(n, cap - *w));
    *w += n;
}

/*
 * One pass of expandvars over p[0, n): with d NULL, measures the result;
 * otherwise writes it (at most cap bytes, in case the environment changed
 * since the measuring pass). Returns the result's length.
 */
static size_t expand(const char *p, size_t n, char *d, size_t cap)
{
    size_t w = 0, lit = 0, i = 0;
    while (i < n) {
        const char *dollar = memchr(p + i, '$', n - i);
        if (!dollar)
            break;
        size_t k = (size_t)(dollar - p), name, len, end;
        if (k + 1 < n && is_word((unsigned char)p[k + 1])) {
            /* $name: the longest run of word characters. */
            end = k + 1;
            while (end < n && is_word((unsigned char)p[end]))
                end++;
            name = k + 1;
            len = end - name;
        } else if (k + 1 < n && p[k + 1] == '{') {
            /* ${name}: anything up to the next '}'. */
            const char *close = memchr(p + k + 2, '}', n - k - 2);
            if (!close) {
                i = k + 1;
                continue;
            }
            name = k + 2;
            len = (size_t)(close - p) - name;
            end = (size_t)(close - p) + 1;
        } else {
            i = k + 1;
            continue;
        }
        const char *value = env_lookup(p + name, len);
        if (value) {
            emit(d, cap, &w, p + lit, k - lit);
            emit(d, cap, &w, value, strlen(value));
            lit = end;
        }
        i = end;
    }
    emit(d, cap, &w, p + lit, n - lit);
    return w;
}

int bt_path_expandvars(const char *p, bt_buf *out)
{
    size_t n = strlen(p);
    if (!memchr(p, '$', n)) {
        if (bt__path_reserve(out, n, &p) < 0)
            return BT_ENOMEM;
        memcpy(out->data + out->len, p, n);
        bt__path_setlen(out, out->len + n);
        return 0;
    }
    size_t total = expand(p, n, NULL, 0);
    if (bt__path_reserve(out, total, &p) < 0)
        return BT_ENOMEM;
    size_t w = expand(p, n, out->data + out->len, total);
    bt__path_setlen(out, out->len + BT__MIN(w, total));
    return 0;
}

/* ----------------------------------------------------------- expanduser */

/*
 * Looks up a user's home directory: by name (name_len bytes at name) or,
 * when name is NULL, the current user's. Uses buf (cap bytes) for the
 * answer, or fresh memory in *heap when the database needs more (ERANGE),
 * as Python's pwd module grows its buffer. Returns 1 and *home, 0 when
 * there is no such user (any failure of the lookup: Python's KeyError), or
 * BT_ENOMEM.
 */
static int home_of(const char *name, size_t name_len, char *buf, size_t cap,
                   char **heap, const char **home)
{
    size_t size = cap;
    char *mem = buf;
    *heap = NULL;
    for (;;) {
        struct passwd pw, *res = NULL;
        int rc;
        size_t used = 0;
        if (name) {
            /* The name, NUL-terminated, at the start of the buffer. */
            used = name_len + 1;
            if (used >= size)
                rc = ERANGE;
            else {
                memcpy(mem, name, name_len);
                mem[name_len] = '\0';
                rc = getpwnam_r(mem, &pw, mem + used, size - used, &res);
            }
        } else {
            rc = getpwuid_r(getuid(), &pw, mem, size, &res);
        }
        if (rc == 0 && res) {
            *home = res->pw_dir ? res->pw_dir : "";
            return 1;
        }
        if (rc != ERANGE)
            return 0;
        bt_free(*heap);
        *heap = NULL;
        if (size > SIZE_MAX / 4)
            return BT_ENOMEM;
        size = BT__MAX(size, used) * 2;
        mem = *heap = bt_malloc(size);
        if (!mem)
            return BT_ENOMEM;
    }
}

int bt_path_expanduser(const char *p, bt_buf *out)
{
    size_t n = strlen(p);
    if (p[0] != '~')
        return bt_path_normcase(p, out); /* as is */
    const char *slash = memchr(p + 1, '/', n - 1);
    size_t i = slash ? (size_t)(slash - p) : n;
    char buf[4096];
    char *heap = NULL;
    const char *home = NULL;
    int found;
    if (i == 1 && (home = env_lookup("HOME", 4)) != NULL)
        found = 1;
    else
        found = home_of(i == 1 ? NULL : p + 1, i - 1, buf, sizeof buf, &heap,
                        &home);
    if (found <= 0) {
        bt_free(heap);
        return found < 0 ? found : bt_path_normcase(p, out);
    }
    size_t hl = strlen(home);
    while (hl > 0 && home[hl - 1] == '/')
        hl--;
    size_t total = hl + (n - i);
    int rc = 0;
    if (bt__path_reserve(out, total ? total : 1, &p) < 0) {
        rc = BT_ENOMEM;
    } else if (total == 0) {
        out->data[out->len] = '/';
        bt__path_setlen(out, out->len + 1);
    } else {
        char *d = out->data + out->len;
        memcpy(d, home, hl);
        memcpy(d + hl, p + i, n - i);
        bt__path_setlen(out, out->len + total);
    }
    bt_free(heap);
    return rc;
}
