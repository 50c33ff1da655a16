/*
 * glob.c — glob.glob as CPython 3.11's glob.py walks: split the pattern at
 * its last slash, expand the directory part (recursively, if it has
 * wildcards), then match the last part in each directory; "**" walks whole
 * trees. Lookups go through *at() calls on dir_fd, as Python's dir_fd does.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/glob.h>

#include "core_int.h"
#include "glob_int.h"

/* One directory's listing: names, and a byte per name telling whether it
 * is a directory (symbolic links followed, as DirEntry.is_dir()). */
typedef struct listing {
    struct listing *next;
    char *path;
    bt_strvec names;
    bt_buf isdir;
} listing;

/*
 * The listings read during one glob call, by directory path: a recursive
 * pattern for C files lists every directory twice in CPython (once for the
 * directories, once for the files); we read it once. The kernel's readdir
 * is most of the cost of a recursive glob.
 */
typedef struct cache {
    listing **slots;
    size_t nslots, count;
} cache;

typedef struct ctx {
    int dfd;
    const char *root;
    bool recursive, hidden;
    bt_buf tmp;
    cache dirs;
} ctx;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static void cache_fini(cache *c)
{
    for (size_t i = 0; i < c->nslots; i++) {
        for (listing *l = c->slots[i], *next; l; l = next) {
            next = l->next;
            bt_free(l->path);
            bt_strvec_fini(&l->names);
            bt_buf_fini(&l->isdir);
            bt_free(l);
        }
    }
    bt_free(c->slots);
}

static listing *cache_find(const cache *c, const char *path)
{
    if (!c->nslots)
        return NULL;
    for (listing *l = c->slots[hash_str(path) & (c->nslots - 1)]; l; l = l->next)
        if (strcmp(l->path, path) == 0)
            return l;
    return NULL;
}

/* Takes ownership of l (freed by cache_fini); grows at load 1. */
static int cache_add(cache *c, listing *l)
{
    if (c->count >= c->nslots) {
        size_t n = c->nslots ? c->nslots * 2 : 64;
        listing **slots = bt_calloc(n, sizeof *slots);
        if (!slots)
            return BT_ENOMEM;
        for (size_t i = 0; i < c->nslots; i++) {
            for (listing *e = c->slots[i], *next; e; e = next) {
                next = e->next;
                size_t k = hash_str(e->path) & (n - 1);
                e->next = slots[k];
                slots[k] = e;
            }
        }
        bt_free(c->slots);
        c->slots = slots;
        c->nslots = n;
    }
    size_t k = hash_str(l->path) & (c->nslots - 1);
    l->next = c->slots[k];
    c->slots[k] = l;
    c->count++;
    return 0;
}

bool bt_glob_has_magic(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

int bt_glob_escape(const char *pathname, bt_buf *out)
{
    size_t start = out->len;
    for (const char *p = pathname; *p; p++) {
        int rc = strchr("*?[", *p) ? bt_buf_printf(out, "[%c]", *p)
                                   : bt_buf_append_byte(out, (unsigned char)*p);
        if (rc < 0) {
            out->len = start;
            if (out->data)
                out->data[start] = '\0';
            return BT_ENOMEM;
        }
    }
    return bt_buf_reserve(out, 0);
}

/* os.path.join(a, b) into out (replacing its contents). */
static int path_join(bt_buf *out, const char *a, const char *b)
{
    bt_buf_clear(out);
    if (*b == '/' || !*a)
        return bt_buf_append_str(out, b);
    int rc = bt_buf_append_str(out, a);
    if (rc == 0 && a[strlen(a) - 1] != '/')
        rc = bt_buf_append_byte(out, '/');
    return rc ? rc : bt_buf_append_str(out, b);
}

/* The path the file system sees: root_dir joined with p (glob's _join). */
static const char *fs_path(ctx *c, const char *p)
{
    if (!c->root || !*c->root)
        return *p ? p : ".";
    if (path_join(&c->tmp, c->root, p) < 0)
        return NULL;
    return c->tmp.data;
}

static bool lexists(ctx *c, const char *p)
{
    struct stat st;
    const char *f = fs_path(c, p);
    return f && fstatat(c->dfd, f, &st, AT_SYMLINK_NOFOLLOW) == 0;
}

static bool isdir(ctx *c, const char *p)
{
    struct stat st;
    const char *f = fs_path(c, p);
    return f && fstatat(c->dfd, f, &st, 0) == 0 && S_ISDIR(st.st_mode);
}

/* Reads one directory into a new listing; a directory that cannot be read
 * gives an empty one, as os.scandir's failure gives Python nothing. */
static int read_dir(ctx *c, const char *dir, listing **out)
{
    listing *l = bt_calloc(1, sizeof *l);
    if (!l || !(l->path = bt_strdup(dir))) {
        bt_free(l);
        return BT_ENOMEM;
    }
    *out = l;
    const char *f = fs_path(c, dir);
    if (!f)
        return BT_ENOMEM;
    int fd = openat(c->dfd, f, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    DIR *d = fdopendir(fd);
    if (!d) {
        close(fd);
        return 0;
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        const char *n = e->d_name;
        if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
            continue;
        bool is_dir = e->d_type == DT_DIR;
        if (e->d_type == DT_LNK || e->d_type == DT_UNKNOWN) {
            struct stat st;
            is_dir = fstatat(dirfd(d), n, &st, 0) == 0 && S_ISDIR(st.st_mode);
        }
        rc = bt_strvec_append_str(&l->names, n);
        if (rc == 0)
            rc = bt_buf_append_byte(&l->isdir, is_dir);
    }
    closedir(d);
    return rc;
}

/* os.scandir of dir, from the call's cache when it was read before. */
static int listdir(ctx *c, const char *dir, const listing **out)
{
    listing *l = cache_find(&c->dirs, dir);
    if (!l) {
        int rc = read_dir(c, dir, &l);
        if (rc == 0)
            rc = cache_add(&c->dirs, l);
        if (rc < 0) {
            if (l) {
                bt_free(l->path);
                bt_strvec_fini(&l->names);
                bt_buf_fini(&l->isdir);
                bt_free(l);
            }
            return rc;
        }
    }
    *out = l;
    return 0;
}

static bool visible(ctx *c, const char *name)
{
    return c->hidden || name[0] != '.';
}

/* _glob1: the names in dir that match a pattern without slashes. */
static int glob1(ctx *c, const char *dir, const char *pat, bool dironly, bt_strvec *out)
{
    const listing *l;
    bt__fnpat fp;
    int rc = listdir(c, dir, &l);
    if (rc < 0 || (rc = bt__fnmatch_compile(pat, &fp)) < 0)
        return rc;
    bool want_hidden = c->hidden || pat[0] == '.';
    for (size_t i = 0; rc == 0 && i < l->names.count; i++) {
        const char *n = l->names.items[i];
        if ((!dironly || l->isdir.data[i]) && (want_hidden || n[0] != '.') &&
            bt__fnmatch_match(&fp, n))
            rc = bt_strvec_append(out, n, l->names.lens[i]);
    }
    bt__fnmatch_free(&fp);
    return rc;
}

/*
 * _rlistdir: every name below dir, depth first, as paths relative to it.
 * prefix holds the relative path of dir itself (empty at the top); names are
 * appended to out as prefix + name, built in place.
 */
static int rlistdir(ctx *c, bt_buf *dir, bt_buf *prefix, bool dironly, bt_strvec *out)
{
    const listing *l;
    int rc = listdir(c, dir->data ? dir->data : "", &l);
    size_t dlen = dir->len, plen = prefix->len;
    /* l stays valid while the cache grows: listings never move. */
    for (size_t i = 0; rc == 0 && i < l->names.count; i++) {
        const char *x = l->names.items[i];
        size_t xlen = l->names.lens[i];
        bool x_is_dir = l->isdir.data[i];
        if (!visible(c, x) || (dironly && !x_is_dir))
            continue;
        prefix->len = plen;
        if (plen)
            rc = bt_buf_append_byte(prefix, '/');
        if (rc == 0)
            rc = bt_buf_append(prefix, x, xlen);
        if (rc == 0)
            rc = bt_strvec_append(out, prefix->data, prefix->len);
        /* Python tries to list every entry; a non-directory gives nothing. */
        if (rc < 0 || !x_is_dir)
            continue;
        dir->len = dlen;
        if (dlen && dir->data[dlen - 1] != '/')
            rc = bt_buf_append_byte(dir, '/');
        if (rc == 0)
            rc = bt_buf_append(dir, x, xlen);
        if (rc == 0)
            rc = rlistdir(c, dir, prefix, dironly, out);
    }
    dir->len = dlen;
    prefix->len = plen;
    if (dir->data)
        dir->data[dlen] = '\0';
    if (prefix->data)
        prefix->data[plen] = '\0';
    return rc;
}

/* _glob2: "**" is the directory itself ("") and everything below it. */
static int glob2(ctx *c, const char *dir, bool dironly, bt_strvec *out)
{
    bt_buf d = BT_BUF_INIT, prefix = BT_BUF_INIT;
    int rc = bt_strvec_append(out, "", 0);
    if (rc == 0)
        rc = bt_buf_append_str(&d, dir);
    if (rc == 0)
        rc = rlistdir(c, &d, &prefix, dironly, out);
    bt_buf_fini(&d);
    bt_buf_fini(&prefix);
    return rc;
}

/* _glob0: a last part without wildcards names one file (or, when empty, the
 * directory itself: a pattern ending in '/' matches directories only). */
static int glob0(ctx *c, const char *dir, const char *base, bt_strvec *out)
{
    bt_buf p = BT_BUF_INIT;
    int rc = 0;
    if (*base) {
        rc = *dir ? path_join(&p, dir, base) : bt_buf_append_str(&p, base);
        if (rc == 0 && lexists(c, p.data))
            rc = bt_strvec_append_str(out, base);
    } else if (isdir(c, dir)) {
        rc = bt_strvec_append(out, "", 0);
    }
    bt_buf_fini(&p);
    return rc;
}

/* os.path.split into fresh copies: the head keeps a lone run of slashes. */
static int split(const char *path, char **head, char **tail)
{
    const char *slash = strrchr(path, '/');
    size_t hl = slash ? (size_t)(slash - path) + 1 : 0;
    size_t keep = hl;
    while (keep > 0 && path[keep - 1] == '/')
        keep--;
    if (keep == 0)
        keep = hl; /* all slashes: keep them */
    *head = bt_strndup(path, keep);
    *tail = bt_strdup(path + hl);
    if (!*head || !*tail) {
        bt_free(*head);
        bt_free(*tail);
        return BT_ENOMEM;
    }
    return 0;
}

static int iglob(ctx *c, const char *pathname, bool dironly, bt_strvec *out)
{
    char *dir, *base;
    int rc = split(pathname, &dir, &base);
    if (rc < 0)
        return rc;
    bt_strvec dirs = BT_STRVEC_INIT, names = BT_STRVEC_INIT;
    bt_buf joined = BT_BUF_INIT;
    if (!bt_glob_has_magic(pathname)) {
        if (*base ? lexists(c, pathname) : isdir(c, dir))
            rc = bt_strvec_append_str(out, pathname);
        goto done;
    }
    bool rec = c->recursive && strcmp(base, "**") == 0;
    if (!*dir) {
        rc = rec ? glob2(c, "", dironly, out) : glob1(c, "", base, dironly, out);
        goto done;
    }
    if (strcmp(dir, pathname) != 0 && bt_glob_has_magic(dir))
        rc = iglob(c, dir, true, &dirs);
    else
        rc = bt_strvec_append_str(&dirs, dir);
    for (size_t i = 0; rc == 0 && i < dirs.count; i++) {
        const char *d = dirs.items[i];
        bt_strvec_clear(&names);
        if (!bt_glob_has_magic(base))
            rc = glob0(c, d, base, &names);
        else if (rec)
            rc = glob2(c, d, dironly, &names);
        else
            rc = glob1(c, d, base, dironly, &names);
        for (size_t k = 0; rc == 0 && k < names.count; k++) {
            rc = path_join(&joined, d, names.items[k]);
            if (rc == 0)
                rc = bt_strvec_append(out, joined.data, joined.len);
        }
    }
done:
    bt_free(dir);
    bt_free(base);
    bt_strvec_fini(&dirs);
    bt_strvec_fini(&names);
    bt_buf_fini(&joined);
    return rc;
}

ptrdiff_t bt_glob_glob(const char *pathname, const bt_glob_opts *opts, bt_strvec *out)
{
    static const bt_glob_opts defaults = BT_GLOB_OPTS_INIT;
    if (!opts)
        opts = &defaults;
    ctx c = {opts->dir_fd >= 0 ? opts->dir_fd : AT_FDCWD, opts->root_dir, opts->recursive,
             opts->include_hidden, BT_BUF_INIT, {NULL, 0, 0}};
    size_t before = out->count;
    int rc = iglob(&c, pathname, false, out);
    bt_buf_fini(&c.tmp);
    cache_fini(&c.dirs);
    /* An empty pattern, or one starting with "**" when recursive, would
     * first yield the empty string: Python skips it. */
    bool skip_first = !*pathname || (c.recursive && strncmp(pathname, "**", 2) == 0);
    if (rc == 0 && skip_first && out->count > before && out->lens[before] == 0)
        bt_strvec_remove(out, before);
    return rc < 0 ? rc : (ptrdiff_t)(out->count - before);
}
