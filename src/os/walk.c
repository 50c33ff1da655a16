/*
 * walk.c — os.walk and os.fwalk as iterators over an explicit stack of
 * frames, one per directory on the current path from the top. A frame
 * holds the directory's path, its names split into dirs and files, and
 * where its descent has got to; frames are reused, so a walk allocates
 * little after its first branch.
 *
 * walk follows os.py's _walk: list, classify each entry as DirEntry.is_dir()
 * does (no stat when readdir gives the type), produce, then descend. Top-down
 * it checks islink(new_path) before entering, as Python does; here that
 * check rides on the open itself (O_NOFOLLOW: a symbolic link fails to open,
 * an lstat then confirms it). fwalk follows _fwalk: descriptors relative to
 * the parent, lstat/open/fstat to be sure the directory opened is the one
 * listed. With followlinks, a directory that is the same (st_dev, st_ino) as
 * one of its ancestors is not entered; onerror gets ELOOP for it.
 */
#include <assert.h>
#include <dirent.h>
#include <string.h>
#include <unistd.h>

#include "os_int.h"

typedef struct frame {
    bt_buf path;
    bt_strvec dirs, files;
    bt_buf walk_into; /* bottom-up walk: a byte per dir, 1 = descend */
    size_t next;      /* the next dir to descend */
    uint64_t dev, ino;
    int fd; /* fwalk: the directory's descriptor; walk: -1 */
    bool yielded;
} frame;

struct bt_os_walk_iter {
    bt_os_walk_opts o;
    bool fwalk, started, done;
    char *top;
    size_t top_len;
    int top_fd; /* fwalk: opened by bt_os_fwalk, owned until pushed */
    frame *frames;
    size_t depth, ready, cap; /* live frames, initialized frames, room */
    char *dirbuf;             /* the reader's buffer, shared by every scan */
    bt_err report;            /* what onerror is given */
};

static int start_iter(const char *top, const bt_os_walk_opts *opts,
                      bt_os_walk_iter **out)
{
    static const bt_os_walk_opts defaults = BT_OS_WALK_OPTS_INIT;
    bt_os_walk_iter *w = bt_calloc(1, sizeof *w);
    if (!w)
        return BT_ENOMEM;
    w->o = opts ? *opts : defaults;
    w->top_fd = -1;
    w->top_len = strlen(top);
    w->top = bt_strndup(top, w->top_len);
    w->dirbuf = bt_malloc(BT__OS_DIRBUF);
    if (!w->top || !w->dirbuf) {
        bt_free(w->top);
        bt_free(w->dirbuf);
        bt_free(w);
        return BT_ENOMEM;
    }
    *out = w;
    return 0;
}

int bt_os_walk(const char *top, const bt_os_walk_opts *opts,
               bt_os_walk_iter **out)
{
    assert(top);
    return start_iter(top, opts, out);
}

/* A fresh frame on top of the stack (not yet counted in depth). */
static frame *new_frame(bt_os_walk_iter *w)
{
    if (w->depth == w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 16;
        frame *f = bt_realloc(w->frames, cap * sizeof *f);
        if (!f)
            return NULL;
        w->frames = f;
        w->cap = cap;
    }
    frame *f = &w->frames[w->depth];
    if (w->depth == w->ready) {
        memset(f, 0, sizeof *f);
        w->ready++;
    }
    bt_buf_clear(&f->path);
    bt_strvec_clear(&f->dirs);
    bt_strvec_clear(&f->files);
    bt_buf_clear(&f->walk_into);
    f->next = 0;
    f->fd = -1;
    f->yielded = false;
    return f;
}

static void pop(bt_os_walk_iter *w)
{
    frame *f = &w->frames[--w->depth];
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
}

/* Hands an error to onerror. Returns 0 to go on, or onerror's stop code. */
static int report(bt_os_walk_iter *w, int code, const char *path)
{
    bt_err_oserror(&w->report, code, path, NULL);
    if (!w->o.onerror)
        return 0;
    int r = w->o.onerror(w->o.onerror_arg, code, &w->report);
    return r < 0 ? r : 0;
}

/* Whether (dev, ino) is one of the live frames: a loop. */
static bool on_stack(const bt_os_walk_iter *w, uint64_t dev, uint64_t ino)
{
    for (size_t i = 0; i < w->depth; i++)
        if (w->frames[i].dev == dev && w->frames[i].ino == ino)
            return true;
    return false;
}

/*
 * Lists the directory open on fd (taken over) into f, classifying each
 * entry. Returns 0, BT_ENOMEM, or -errno from reading.
 */
static int scan(bt_os_walk_iter *w, frame *f, int fd)
{
    bt__os_dir d;
    int rc = bt__os_dir_open(&d, fd, w->dirbuf);
    if (rc < 0)
        return rc;
    bool bottom_walk = !w->o.topdown && !w->fwalk;
    bt__os_dirent e;
    while ((rc = bt__os_dir_read(&d, &e)) > 0) {
        int is_dir, is_link = 0;
        bt_os_stat_result st, lst;
        bt__os_ecache c = {0, &lst, &st};
        if (e.type == DT_DIR) {
            is_dir = 1;
        } else if (e.type != DT_LNK && e.type != DT_UNKNOWN) {
            is_dir = 0;
        } else {
            is_dir =
                bt__os_entry_test_mode(d.fd, e.name, e.type, true, S_IFDIR, &c);
            if (is_dir < 0 && w->fwalk) {
                /* _fwalk: keep dangling symbolic links, drop what vanished. */
                if (bt__os_entry_is_symlink(d.fd, e.name, e.type, &c) <= 0)
                    continue;
            }
            if (is_dir > 0 && bottom_walk && !w->o.followlinks)
                is_link = bt__os_entry_is_symlink(d.fd, e.name, e.type, &c) > 0;
        }
        if (is_dir > 0) {
            rc = bt_strvec_append(&f->dirs, e.name, e.len);
            if (rc == 0 && bottom_walk)
                rc = bt_buf_append_byte(&f->walk_into, !is_link);
        } else {
            rc = bt_strvec_append(&f->files, e.name, e.len);
        }
        if (rc < 0)
            break;
    }
    bt__os_dir_close(&d);
    return rc;
}

/*
 * walk: enters the directory at f->path (a new frame, not yet live). With
 * nofollow, a symbolic link is skipped silently (Python's islink check).
 * Returns 1 when the frame is live, 0 when skipped or reported, or a
 * negative code that stops the walk.
 */
static int enter(bt_os_walk_iter *w, frame *f, bool nofollow)
{
    const char *path = f->path.data;
    int fd;
    BT__RETRY(fd, open(path, O_RDONLY | O_NONBLOCK | O_DIRECTORY |
                                    O_CLOEXEC | (nofollow ? O_NOFOLLOW : 0)));
    if (fd < 0) {
        int e = errno;
        struct stat st;
        if (nofollow && (e == ELOOP || e == ENOTDIR) && lstat(path, &st) == 0 &&
            S_ISLNK(st.st_mode))
            return 0;
        return report(w, -e, path);
    }
    if (w->o.followlinks) {
        struct stat st;
        if (fstat(fd, &st) < 0) {
            int e = errno;
            close(fd);
            return report(w, -e, path);
        }
        if (on_stack(w, st.st_dev, st.st_ino)) {
            close(fd);
            return report(w, BT_ELOOP, path);
        }
        f->dev = st.st_dev;
        f->ino = st.st_ino;
    }
    int rc = scan(w, f, fd);
    if (rc == BT_ENOMEM)
        return rc;
    if (rc < 0)
        return report(w, rc, path); /* Python yields nothing for it */
    w->depth++;
    return 1;
}

/* fwalk: lists the frame's descriptor through a duplicate, as scandir(fd)
 * does (the offset is shared, and rewound after). Failures here are what
 * Python raises: "[Errno 20] Not a directory: 5". */
static int scan_fd(bt_os_walk_iter *w, frame *f, bt_err *err)
{
    int copy = bt__os_dup_dirfd(f->fd, err);
    if (copy < 0)
        return copy;
    int rc = scan(w, f, copy);
    lseek(f->fd, 0, SEEK_SET);
    if (rc == BT_ENOMEM)
        return bt__os_nomem(err);
    return rc < 0 ? bt__os_fail_fd(err, rc, f->fd) : 0;
}

/* fwalk: a new frame for the directory open on fd (taken over). */
static int push_fd(bt_os_walk_iter *w, frame *f, int fd, const struct stat *st,
                   bt_err *err)
{
    f->fd = fd;
    f->dev = st->st_dev;
    f->ino = st->st_ino;
    w->depth++; /* live now: pop closes fd whatever happens next */
    int rc = scan_fd(w, f, err);
    if (rc < 0)
        return rc;
    return 1;
}

/* Descends from the top frame into its dir i. Returns >= 0 to go on, or a
 * negative code that ends the walk. */
static int descend(bt_os_walk_iter *w, size_t i, bt_err *err)
{
    frame *parent = &w->frames[w->depth - 1];
    const char *name = parent->dirs.items[i];
    size_t nlen = parent->dirs.lens[i];
    frame *f = new_frame(w);
    if (!f)
        return bt__os_nomem(err);
    parent = &w->frames[w->depth - 1]; /* the array may have moved */
    if (bt__os_join(&f->path, parent->path.data, parent->path.len, name, nlen) <
        0)
        return bt__os_nomem(err);
    if (!w->fwalk) {
        int rc = enter(w, f, w->o.topdown && !w->o.followlinks);
        return rc == BT_ENOMEM ? bt__os_nomem(err) : rc;
    }
    /* _fwalk: lstat, open, and (not following) check they are the same. */
    struct stat orig, st;
    int pfd = parent->fd;
    if (!w->o.followlinks && fstatat(pfd, name, &orig, AT_SYMLINK_NOFOLLOW) < 0)
        return report(w, -errno, name);
    int fd;
    BT__RETRY(fd, openat(pfd, name, O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return report(w, -errno, name);
    int rc;
    BT__RETRY(rc, fstat(fd, &st));
    if (rc < 0) {
        rc = bt__os_fail(err, NULL, NULL);
        close(fd);
        return rc;
    }
    if (!w->o.followlinks &&
        (orig.st_dev != st.st_dev || orig.st_ino != st.st_ino)) {
        close(fd);
        return 0;
    }
    if (w->o.followlinks && on_stack(w, st.st_dev, st.st_ino)) {
        close(fd);
        return report(w, BT_ELOOP, f->path.data);
    }
    return push_fd(w, f, fd, &st, err);
}

static int start(bt_os_walk_iter *w, bt_err *err)
{
    frame *f = new_frame(w);
    if (!f || bt_buf_append(&f->path, w->top, w->top_len) < 0 ||
        bt_buf_reserve(&f->path, 0) < 0)
        return bt__os_nomem(err);
    if (!w->fwalk) {
        int rc = enter(w, f, false);
        return rc == BT_ENOMEM ? bt__os_nomem(err) : rc;
    }
    if (w->top_fd < 0)
        return 0; /* fwalk of something that is not a directory: no steps */
    struct stat st;
    int fd = w->top_fd, rc;
    w->top_fd = -1;
    BT__RETRY(rc, fstat(fd, &st));
    if (rc < 0) {
        rc = bt__os_fail(err, NULL, NULL);
        close(fd);
        return rc;
    }
    return push_fd(w, f, fd, &st, err);
}

static void finish(bt_os_walk_iter *w)
{
    while (w->depth)
        pop(w);
    if (w->top_fd >= 0)
        close(w->top_fd);
    w->top_fd = -1;
    w->done = true;
}

static void fill(const bt_os_walk_iter *w, frame *f, bt_os_walk_step *step)
{
    step->dirpath = f->path.data;
    step->dirpath_len = f->path.len;
    step->dirnames = &f->dirs;
    step->filenames = &f->files;
    step->dirfd = w->fwalk ? f->fd : -1;
}

int bt_os_walk_next(bt_os_walk_iter *w, bt_os_walk_step *step, bt_err *err)
{
    if (w->done)
        return 0;
    int rc = 0;
    if (!w->started) {
        w->started = true;
        rc = start(w, err);
    }
    while (rc >= 0) {
        if (!w->depth) {
            finish(w);
            return 0;
        }
        frame *f = &w->frames[w->depth - 1];
        if (f->yielded && !w->o.topdown) {
            pop(w);
            continue;
        }
        if (!f->yielded && w->o.topdown) {
            f->yielded = true;
            fill(w, f, step);
            return 1;
        }
        if (!w->o.topdown && !w->fwalk) {
            while (f->next < f->dirs.count && !f->walk_into.data[f->next])
                f->next++;
        }
        if (f->next < f->dirs.count) {
            rc = descend(w, f->next++, err);
            continue;
        }
        if (w->o.topdown) {
            pop(w);
            continue;
        }
        f->yielded = true;
        fill(w, f, step);
        return 1;
    }
    finish(w);
    return rc;
}

void bt_os_walk_close(bt_os_walk_iter *w)
{
    if (!w)
        return;
    finish(w);
    for (size_t i = 0; i < w->ready; i++) {
        frame *f = &w->frames[i];
        bt_buf_fini(&f->path);
        bt_strvec_fini(&f->dirs);
        bt_strvec_fini(&f->files);
        bt_buf_fini(&f->walk_into);
    }
    bt_free(w->frames);
    bt_free(w->dirbuf);
    bt_free(w->top);
    bt_free(w);
}

int bt_os_fwalk(const char *top, const bt_os_walk_opts *opts, int dir_fd,
                bt_os_walk_iter **out, bt_err *err)
{
    if (!top)
        top = ".";
    bt_os_walk_iter *w;
    if (start_iter(top, opts, &w) < 0)
        return bt__os_nomem(err);
    w->fwalk = true;
    int dfd = bt__os_dirfd(dir_fd);
    struct stat orig, st;
    if (!w->o.followlinks &&
        fstatat(dfd, top, &orig, AT_SYMLINK_NOFOLLOW) < 0) {
        int rc = bt__os_fail(err, top, NULL);
        bt_os_walk_close(w);
        return rc;
    }
    int fd;
    BT__RETRY(fd, openat(dfd, top, O_RDONLY | O_CLOEXEC));
    if (fd < 0) {
        int rc = bt__os_fail(err, top, NULL);
        bt_os_walk_close(w);
        return rc;
    }
    if (!w->o.followlinks) {
        int rc;
        BT__RETRY(rc, fstat(fd, &st));
        if (rc < 0) {
            rc = bt__os_fail(err, NULL, NULL);
            close(fd);
            bt_os_walk_close(w);
            return rc;
        }
        if (!S_ISDIR(orig.st_mode) || orig.st_dev != st.st_dev ||
            orig.st_ino != st.st_ino) {
            close(fd); /* not a directory, or a link: a walk with no steps */
            fd = -1;
        }
    }
    w->top_fd = fd;
    *out = w;
    return 0;
}
