/*
 * fs.c — the os.path functions that ask the operating system: abspath and
 * relpath (the current directory), the file tests, sizes and times,
 * samefile, ismount.
 */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_int.h"

int bt__path_getcwd(char *stack, size_t cap, char **heap, const char **dir,
                    size_t *len, bt_err *err)
{
    *heap = NULL;
    if (getcwd(stack, cap)) {
        *dir = stack;
        *len = strlen(stack);
        return 0;
    }
    for (size_t size = cap;;) {
        if (errno != ERANGE)
            return bt_err_oserror(err, -errno, NULL, NULL);
        if (size > SIZE_MAX / 2)
            return BT_ENOMEM;
        size *= 2;
        char *h = bt_malloc(size);
        if (!h)
            return BT_ENOMEM;
        if (getcwd(h, size)) {
            *heap = h;
            *dir = h;
            *len = strlen(h);
            return 0;
        }
        int e = errno;
        bt_free(h);
        errno = e;
    }
}

/* --------------------------------------------------------------- abspath */

int bt_path_abspath(const char *p, bt_buf *out, bt_err *err)
{
    if (p[0] == '/')
        return bt_path_normpath(p, out);
    char stack[PATH_MAX], *heap;
    const char *cwd;
    size_t cl, n = strlen(p);
    int rc = bt__path_getcwd(stack, sizeof stack, &heap, &cwd, &cl, err);
    if (rc < 0)
        return rc;
    /* join(cwd, p), written where the result goes, normalized in place. */
    size_t sep = cl == 0 || cwd[cl - 1] != '/';
    size_t total = cl + sep + n;
    if (bt__path_reserve(out, total, &p) < 0) {
        bt_free(heap);
        return BT_ENOMEM;
    }
    char *d = out->data + out->len;
    memcpy(d, cwd, cl);
    if (sep)
        d[cl] = '/';
    memcpy(d + cl + sep, p, n);
    bt__path_setlen(out, out->len + bt__path_norm(d, total, d));
    bt_free(heap);
    return 0;
}

/* --------------------------------------------------------------- relpath */

/* The number of components of a normalized absolute path. */
static size_t count_comps(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] != '/' && (i == 0 || s[i - 1] == '/');
    return k;
}

/* Advances *i past the next component of s[0, n); false at the end. */
static bool next_comp(const char *s, size_t n, size_t *i, size_t *start,
                      size_t *len)
{
    while (*i < n && s[*i] == '/')
        (*i)++;
    if (*i == n)
        return false;
    *start = *i;
    while (*i < n && s[*i] != '/')
        (*i)++;
    *len = *i - *start;
    return true;
}

/* Writes abspath(s) (s has n bytes) into d, with cwd already known when s is
 * relative; returns the length. d has room for the joined path and
 * BT__PATH_NORM_SLACK bytes more. */
static size_t abs_into(const char *s, size_t n, const char *cwd, size_t cl,
                       char *d)
{
    if (n && s[0] == '/')
        return bt__path_norm_fast(s, n, d);
    size_t sep = cl == 0 || cwd[cl - 1] != '/';
    memcpy(d, cwd, cl);
    if (sep)
        d[cl] = '/';
    memcpy(d + cl + sep, s, n);
    return bt__path_norm(d, cl + sep + n, d);
}

int bt_path_relpath(const char *p, const char *start, bt_buf *out, bt_err *err)
{
    if (!p[0])
        return bt_err_setf(err, BT_EVALUE, -1, "no path specified");
    if (!start)
        start = BT_PATH_CURDIR;
    size_t np = strlen(p), ns = strlen(start);
    char cwdbuf[PATH_MAX], *cwdheap = NULL;
    const char *cwd = "";
    size_t cl = 0;
    if (start[0] != '/' || p[0] != '/') {
        int rc =
            bt__path_getcwd(cwdbuf, sizeof cwdbuf, &cwdheap, &cwd, &cl, err);
        if (rc < 0)
            return rc;
    }
    /* Room for both absolute forms before normalizing (cwd + '/' + path,
     * at least 1 byte each), the second one's scratch bytes after it. */
    size_t ra = (start[0] == '/' ? 0 : cl + 1) + ns + 1;
    size_t rb = (p[0] == '/' ? 0 : cl + 1) + np + 1 + BT__PATH_NORM_SLACK;
    char small[1024], *work = small, *heap = NULL;
    int rc = 0;
    if (ra + rb > sizeof small) {
        work = heap = bt_malloc(ra + rb);
        if (!heap) {
            rc = BT_ENOMEM;
            goto done;
        }
    }
    size_t la = abs_into(start, ns, cwd, cl, work);
    char *b = work + la;
    size_t lb = abs_into(p, np, cwd, cl, b);

    /* Common leading components, then ".." for each left in start. */
    size_t ia = 0, ib = 0, as, al, bs, bl, common = 0;
    for (;;) {
        size_t sa = ia, sb = ib;
        if (!next_comp(work, la, &ia, &as, &al) ||
            !next_comp(b, lb, &ib, &bs, &bl) || al != bl ||
            memcmp(work + as, b + bs, al) != 0) {
            ia = sa;
            ib = sb;
            break;
        }
        common++;
    }
    size_t ups = count_comps(work, la) - common;
    size_t rest = lb - ib; /* "/c/d" still to copy from b, or "" */
    while (rest && b[ib] == '/') {
        ib++;
        rest--;
    }
    size_t total = ups ? 3 * ups - 1 + (rest ? rest + 1 : 0) : rest;
    if (bt__path_reserve(out, total ? total : 1, NULL) < 0) {
        rc = BT_ENOMEM;
        goto done;
    }
    char *d = out->data + out->len;
    size_t w = 0;
    for (size_t k = 0; k < ups; k++) {
        if (k)
            d[w++] = '/';
        d[w++] = '.';
        d[w++] = '.';
    }
    if (rest) {
        if (w)
            d[w++] = '/';
        memcpy(d + w, b + ib, rest);
        w += rest;
    }
    if (w == 0)
        d[w++] = '.';
    bt__path_setlen(out, out->len + w);
done:
    bt_free(heap);
    bt_free(cwdheap);
    return rc;
}

/* ------------------------------------------------------------ file tests */

bool bt_path_exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

bool bt_path_lexists(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0;
}

bool bt_path_isfile(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

bool bt_path_isdir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

bool bt_path_islink(const char *p)
{
    struct stat st;
    return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

bool bt_path_samestat(const struct stat *a, const struct stat *b)
{
    return a->st_ino == b->st_ino && a->st_dev == b->st_dev;
}

int bt_path_ismount(const char *p, bt_err *err)
{
    struct stat s1, s2;
    if (lstat(p, &s1) != 0 || S_ISLNK(s1.st_mode))
        return 0;
    const char *parts[] = {p, BT_PATH_PARDIR};
    bt_buf up = BT_BUF_INIT, parent = BT_BUF_INIT;
    int rc = bt_path_join(parts, 2, &up);
    if (rc == 0)
        rc = bt_path_realpath(up.data, false, &parent, err);
    if (rc == 0)
        rc = lstat(parent.data, &s2) == 0 &&
             (s1.st_dev != s2.st_dev || s1.st_ino == s2.st_ino);
    bt_buf_fini(&up);
    bt_buf_fini(&parent);
    return rc;
}

/* ------------------------------------------------------- sizes and times */

static int stat_or_err(const char *p, struct stat *st, bt_err *err)
{
    if (stat(p, st) != 0)
        return bt_err_oserror(err, -errno, p, NULL);
    return 0;
}

int bt_path_getsize(const char *p, int64_t *size, bt_err *err)
{
    struct stat st;
    int rc = stat_or_err(p, &st, err);
    if (rc == 0)
        *size = (int64_t)st.st_size;
    return rc;
}

/* Seconds as os.stat's float fields: whole seconds + nanoseconds * 1e-9. */
static double seconds(struct timespec t)
{
    return (double)t.tv_sec + (double)(unsigned long)t.tv_nsec * 1e-9;
}

static int64_t nanoseconds(struct timespec t)
{
    return (int64_t)t.tv_sec * 1000000000 + (int64_t)t.tv_nsec;
}

/* One of a file's three times (following links). */
typedef enum which_time { MTIME, ATIME, CTIME } which_time;

static int stat_time(const char *p, which_time which, struct timespec *t,
                     bt_err *err)
{
    struct stat st;
    int rc = stat_or_err(p, &st, err);
    if (rc == 0)
        *t = which == MTIME   ? st.st_mtim
             : which == ATIME ? st.st_atim
                              : st.st_ctim;
    return rc;
}

static int time_seconds(const char *p, which_time which, double *t, bt_err *err)
{
    struct timespec ts;
    int rc = stat_time(p, which, &ts, err);
    if (rc == 0)
        *t = seconds(ts);
    return rc;
}

static int time_ns(const char *p, which_time which, int64_t *ns, bt_err *err)
{
    struct timespec ts;
    int rc = stat_time(p, which, &ts, err);
    if (rc == 0)
        *ns = nanoseconds(ts);
    return rc;
}

int bt_path_getmtime(const char *p, double *t, bt_err *err)
{
    return time_seconds(p, MTIME, t, err);
}

int bt_path_getatime(const char *p, double *t, bt_err *err)
{
    return time_seconds(p, ATIME, t, err);
}

int bt_path_getctime(const char *p, double *t, bt_err *err)
{
    return time_seconds(p, CTIME, t, err);
}

int bt_path_getmtime_ns(const char *p, int64_t *ns, bt_err *err)
{
    return time_ns(p, MTIME, ns, err);
}

int bt_path_getatime_ns(const char *p, int64_t *ns, bt_err *err)
{
    return time_ns(p, ATIME, ns, err);
}

int bt_path_getctime_ns(const char *p, int64_t *ns, bt_err *err)
{
    return time_ns(p, CTIME, ns, err);
}

int bt_path_samefile(const char *a, const char *b, bt_err *err)
{
    struct stat sa, sb;
    int rc = stat_or_err(a, &sa, err);
    if (rc == 0)
        rc = stat_or_err(b, &sb, err);
    return rc < 0 ? rc : bt_path_samestat(&sa, &sb);
}

int bt_path_sameopenfile(int fd1, int fd2, bt_err *err)
{
    struct stat sa, sb;
    if (fstat(fd1, &sa) != 0 || fstat(fd2, &sb) != 0)
        return bt_err_oserror(err, -errno, NULL, NULL);
    return bt_path_samestat(&sa, &sb);
}
