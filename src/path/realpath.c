/*
 * realpath.c — os.path.realpath as Python 3.11 resolves it.
 *
 * Python resolves a path one component at a time, recursing into each
 * symbolic link's target, and remembers every link it met in a dict: None
 * while the link is being resolved (meeting it again then is a loop), its
 * resolved path afterwards (a later meeting reuses it). This file walks the
 * same steps with an explicit stack of frames in place of the recursion, so
 * a long chain of links cannot overflow the C stack, and with the same
 * memory of links, so every answer (including where a loop stops the
 * resolution, and which name an error carries) is Python's.
 */
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "path_int.h"

/* A link met on the way: its path as joined (the dict's key) and, once
 * resolved, where it leads. */
typedef struct seen_link {
    char *key;
    size_t klen;
    uint64_t hash;
    char *val; /* NULL while being resolved */
    size_t vlen;
} seen_link;

/* One level of the recursion: the part of a path still to resolve. */
typedef struct frame {
    char *own;        /* the link target this frame resolves (NULL: input) */
    const char *rest; /* what is left of it */
    size_t restlen;
    size_t link; /* the seen_link it resolves */
} frame;

typedef struct resolver {
    bool strict;
    bt_buf path;    /* resolved so far */
    bt_buf newpath; /* path + "/" + name */
    seen_link *seen;
    size_t nseen, capseen;
    frame *frames;
    size_t nframes, capframes;
    bt_err *err;
} resolver;

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static void resolver_fini(resolver *r)
{
    for (size_t i = 0; i < r->nseen; i++) {
        bt_free(r->seen[i].key);
        bt_free(r->seen[i].val);
    }
    for (size_t i = 0; i < r->nframes; i++)
        bt_free(r->frames[i].own);
    bt_free(r->seen);
    bt_free(r->frames);
    bt_buf_fini(&r->path);
    bt_buf_fini(&r->newpath);
}

/* Replaces b's contents with the n bytes at s. */
static int set_buf(bt_buf *b, const char *s, size_t n)
{
    bt_buf_clear(b);
    return bt_buf_append(b, s, n);
}

/* Appends "/" + s (n bytes) to b as posixpath.join(b, s) does for an s that
 * does not start with '/': no slash when b is empty or ends with one. */
static int join_rel(bt_buf *b, const char *s, size_t n)
{
    if (b->len && b->data[b->len - 1] != '/' && bt_buf_append_byte(b, '/') < 0)
        return BT_ENOMEM;
    return bt_buf_append(b, s, n);
}

/* posixpath.join(b, s) for any s: an absolute s replaces b. */
static int join_any(bt_buf *b, const char *s, size_t n)
{
    if (n && s[0] == '/')
        return set_buf(b, s, n);
    return join_rel(b, s, n);
}

/* Makes room for one more element in the array *items (count used, *cap
 * allocated, size bytes each), doubling it. */
static int grow(void **items, size_t count, size_t *cap, size_t size)
{
    if (count < *cap)
        return 0;
    size_t n = *cap ? 2 * *cap : 8;
    void *p = n > SIZE_MAX / size ? NULL : bt_realloc(*items, n * size);
    if (!p)
        return BT_ENOMEM;
    *items = p;
    *cap = n;
    return 0;
}

static int push_frame(resolver *r, char *own, const char *rest, size_t n,
                      size_t link)
{
    void *items = r->frames;
    int rc = grow(&items, r->nframes, &r->capframes, sizeof *r->frames);
    r->frames = items;
    if (rc < 0)
        return rc;
    r->frames[r->nframes++] = (frame){own, rest, n, link};
    /* An absolute target starts over at the root. */
    frame *f = &r->frames[r->nframes - 1];
    if (n && rest[0] == '/') {
        f->rest++;
        f->restlen--;
        return set_buf(&r->path, "/", 1);
    }
    return 0;
}

/* The index of the link whose key is s, or -1. */
static ptrdiff_t find_seen(const resolver *r, const char *s, size_t n,
                           uint64_t h)
{
    for (size_t i = 0; i < r->nseen; i++) {
        const seen_link *e = &r->seen[i];
        if (e->hash == h && e->klen == n && memcmp(e->key, s, n) == 0)
            return (ptrdiff_t)i;
    }
    return -1;
}

static int add_seen(resolver *r, const char *s, size_t n, uint64_t h)
{
    void *items = r->seen;
    int rc = grow(&items, r->nseen, &r->capseen, sizeof *r->seen);
    r->seen = items;
    if (rc < 0)
        return rc;
    char *key = bt_memdup(s, n);
    if (!key)
        return BT_ENOMEM;
    r->seen[r->nseen++] = (seen_link){key, n, h, NULL, 0};
    return 0;
}

/* The target of the link at path (NUL-terminated), in fresh memory. */
static int read_link(resolver *r, const char *path, char **out, size_t *len)
{
    char buf[PATH_MAX];
    ssize_t k = readlink(path, buf, sizeof buf);
    if (k < 0)
        return bt_err_oserror(r->err, -errno, path, NULL);
    *out = bt_memdup(buf, (size_t)k);
    *len = (size_t)k;
    return *out ? 0 : BT_ENOMEM;
}

/* ".." while resolving: path, name = split(path), and a ".." name stays
 * (join(path, "..", "..")); from an empty path, "..". */
static int parent(bt_buf *path)
{
    if (path->len == 0)
        return set_buf(path, "..", 2);
    const char *s = path->data;
    const char *slash = memrchr(s, '/', path->len);
    size_t i = slash ? (size_t)(slash - s) + 1 : 0;
    bool up = path->len - i == 2 && s[i] == '.' && s[i + 1] == '.';
    size_t h = i;
    while (h > 0 && s[h - 1] == '/')
        h--;
    bt__path_setlen(path, h ? h : i);
    if (up && (join_rel(path, "..", 2) < 0 || join_rel(path, "..", 2) < 0))
        return BT_ENOMEM;
    return 0;
}

/*
 * A loop without strict: the path ends here, as far as it was resolved,
 * with the rest of every frame joined on unresolved, innermost first.
 */
static int give_up(resolver *r)
{
    int rc = set_buf(&r->path, r->newpath.data, r->newpath.len);
    for (size_t k = r->nframes; rc == 0 && k-- > 0;)
        rc = join_any(&r->path, r->frames[k].rest, r->frames[k].restlen);
    return rc;
}

static int resolve(resolver *r, const char *input)
{
    int rc = bt_buf_reserve(&r->path, 0);
    if (rc == 0)
        rc = push_frame(r, NULL, input, strlen(input), SIZE_MAX);
    while (rc == 0) {
        frame *f = &r->frames[r->nframes - 1];
        if (f->restlen == 0) {
            if (r->nframes == 1)
                return 0;
            /* The link this frame resolved leads to path. */
            seen_link *e = &r->seen[f->link];
            e->val = bt_memdup(r->path.data, r->path.len + 1);
            if (!e->val)
                return BT_ENOMEM;
            e->vlen = r->path.len;
            bt_free(f->own);
            r->nframes--;
            continue;
        }
        /* name, _, rest = rest.partition('/') */
        const char *name = f->rest;
        const char *slash = memchr(name, '/', f->restlen);
        size_t nl = slash ? (size_t)(slash - name) : f->restlen;
        f->rest += slash ? nl + 1 : nl;
        f->restlen -= slash ? nl + 1 : nl;
        if (nl == 0 || (nl == 1 && name[0] == '.'))
            continue;
        if (nl == 2 && name[0] == '.' && name[1] == '.') {
            rc = parent(&r->path);
            continue;
        }
        rc = set_buf(&r->newpath, r->path.data, r->path.len);
        if (rc == 0)
            rc = join_rel(&r->newpath, name, nl);
        if (rc < 0)
            return rc;
        const char *np = r->newpath.data;
        struct stat st;
        bool is_link = false;
        if (lstat(np, &st) != 0) {
            if (r->strict)
                return bt_err_oserror(r->err, -errno, np, NULL);
        } else {
            is_link = S_ISLNK(st.st_mode);
        }
        if (!is_link) {
            bt_buf t = r->path;
            r->path = r->newpath;
            r->newpath = t;
            continue;
        }
        uint64_t h = hash_bytes(np, r->newpath.len);
        ptrdiff_t at = find_seen(r, np, r->newpath.len, h);
        if (at >= 0) {
            const seen_link *e = &r->seen[at];
            if (e->val) {
                rc = set_buf(&r->path, e->val, e->vlen);
                continue;
            }
            if (!r->strict)
                return give_up(r);
            /* Python stats the link to raise its ELOOP. */
            if (stat(np, &st) != 0)
                return bt_err_oserror(r->err, -errno, np, NULL);
            return bt_err_oserror(r->err, BT_ELOOP, np, NULL);
        }
        rc = add_seen(r, np, r->newpath.len, h);
        char *target = NULL;
        size_t tl = 0;
        if (rc == 0)
            rc = read_link(r, np, &target, &tl);
        if (rc == 0) {
            rc = push_frame(r, target, target, tl, r->nseen - 1);
            if (rc < 0 && r->frames[r->nframes - 1].own != target)
                bt_free(target);
        }
    }
    return rc;
}

int bt_path_realpath(const char *p, bool strict, bt_buf *out, bt_err *err)
{
    resolver r = {0};
    r.strict = strict;
    r.err = err;
    int rc = resolve(&r, p);
    if (rc == 0)
        rc = bt_path_abspath(r.path.data, out, err);
    resolver_fini(&r);
    return rc;
}
