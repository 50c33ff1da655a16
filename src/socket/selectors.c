/*
 * selectors.c — selectors.DefaultSelector (EpollSelector) and PollSelector.
 * Registrations live in a table indexed by descriptor (descriptors are
 * small integers), so lookups after epoll_wait are O(1).
 */
#include <math.h>
#include <poll.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "socket_int.h"

struct key {
    bool used;
    unsigned events;
    void *data;
};

struct bt_selector {
    int epfd; /* -1 for a PollSelector */
    struct key *keys;
    size_t cap;
    size_t count;
    void *scratch; /* epoll_event[] or pollfd[] for select */
    size_t scratch_cap;
};

static int make(bt_selector **out, bool use_epoll, bt_err *err)
{
    bt_selector *sel = bt_calloc(1, sizeof *sel);
    if (!sel)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    sel->epfd = -1;
    if (use_epoll) {
        sel->epfd = epoll_create1(EPOLL_CLOEXEC);
        if (sel->epfd < 0) {
            int e = -errno;
            bt_free(sel);
            return bt__socket_oserror(err, e);
        }
    }
    *out = sel;
    return 0;
}

int bt_selector_new(bt_selector **out, bt_err *err)
{
    int rc = make(out, true, NULL);
    /* The poll fallback, where epoll is missing (ENOSYS) or refused. */
    if (rc < 0 && rc != BT_ENOMEM)
        rc = make(out, false, err);
    else if (rc == BT_ENOMEM)
        bt_err_setf(err, rc, -1, "out of memory");
    return rc;
}

int bt_selector_new_poll(bt_selector **out, bt_err *err)
{
    return make(out, false, err);
}

void bt_selector_free(bt_selector *sel)
{
    if (!sel)
        return;
    if (sel->epfd >= 0)
        close(sel->epfd);
    bt_free(sel->keys);
    bt_free(sel->scratch);
    bt_free(sel);
}

const char *bt_selector_kind(const bt_selector *sel)
{
    return sel->epfd >= 0 ? "epoll" : "poll";
}

static struct key *find(const bt_selector *sel, int fd)
{
    if (fd < 0 || (size_t)fd >= sel->cap || !sel->keys[fd].used)
        return NULL;
    return &sel->keys[fd];
}

static uint32_t epoll_mask(unsigned events)
{
    return (events & BT_EVENT_READ ? EPOLLIN : 0u) |
           (events & BT_EVENT_WRITE ? EPOLLOUT : 0u);
}

static int check_args(int fd, unsigned events, bt_err *err)
{
    if (fd < 0)
        return bt_err_setf(err, BT_EVALUE, -1, "Invalid file descriptor: %d",
                           fd);
    if (events == 0 || (events & ~(BT_EVENT_READ | BT_EVENT_WRITE)))
        return bt_err_setf(err, BT_EVALUE, -1, "Invalid events: %u", events);
    return 0;
}

int bt_selector_register(bt_selector *sel, int fd, unsigned events, void *data,
                         bt_err *err)
{
    int rc = check_args(fd, events, err);
    if (rc < 0)
        return rc;
    if (find(sel, fd))
        return bt_err_setf(err, BT_EKEY, -1, "%d (FD %d) is already registered",
                           fd, fd);
    if ((size_t)fd >= sel->cap) {
        size_t cap = sel->cap ? sel->cap : 64;
        while (cap <= (size_t)fd)
            cap *= 2;
        struct key *k = bt_realloc(sel->keys, cap * sizeof *k);
        if (!k)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        memset(k + sel->cap, 0, (cap - sel->cap) * sizeof *k);
        sel->keys = k;
        sel->cap = cap;
    }
    if (sel->epfd >= 0) {
        struct epoll_event ev = {0};
        ev.events = epoll_mask(events);
        ev.data.fd = fd;
        if (epoll_ctl(sel->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
            return bt__socket_oserror(err, -errno);
    }
    sel->keys[fd] = (struct key){true, events, data};
    sel->count++;
    return 0;
}

int bt_selector_modify(bt_selector *sel, int fd, unsigned events, void *data,
                       bt_err *err)
{
    struct key *k = find(sel, fd);
    if (!k)
        return bt_err_setf(err, BT_EKEY, -1, "%d is not registered", fd);
    int rc = check_args(fd, events, err);
    if (rc < 0)
        return rc;
    if (sel->epfd >= 0 && events != k->events) {
        struct epoll_event ev = {0};
        ev.events = epoll_mask(events);
        ev.data.fd = fd;
        if (epoll_ctl(sel->epfd, EPOLL_CTL_MOD, fd, &ev) < 0)
            return bt__socket_oserror(err, -errno);
    }
    k->events = events;
    k->data = data;
    return 0;
}

int bt_selector_unregister(bt_selector *sel, int fd, bt_err *err)
{
    struct key *k = find(sel, fd);
    if (!k)
        return bt_err_setf(err, BT_EKEY, -1, "%d is not registered", fd);
    /* As Python: a descriptor closed before unregister is not an error. */
    if (sel->epfd >= 0)
        epoll_ctl(sel->epfd, EPOLL_CTL_DEL, fd, NULL);
    k->used = false;
    sel->count--;
    return 0;
}

int bt_selector_get_key(const bt_selector *sel, int fd, unsigned *events,
                        void **data)
{
    const struct key *k = find(sel, fd);
    if (!k)
        return BT_EKEY;
    if (events)
        *events = k->events;
    if (data)
        *data = k->data;
    return 0;
}

size_t bt_selector_count(const bt_selector *sel)
{
    return sel->count;
}

static int reserve_scratch(bt_selector *sel, size_t n, size_t each, bt_err *err)
{
    if (n <= sel->scratch_cap)
        return 0;
    void *p = bt_realloc(sel->scratch, n * each);
    if (!p)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    sel->scratch = p;
    sel->scratch_cap = n;
    return 0;
}

/* Python's translation: anything but "readable" wakes writers, anything
 * but "writable" wakes readers (so HUP and ERR wake both). */
static unsigned ready_events(uint32_t ev, uint32_t in, uint32_t out)
{
    unsigned r = 0;
    if (ev & ~in)
        r |= BT_EVENT_WRITE;
    if (ev & ~out)
        r |= BT_EVENT_READ;
    return r;
}

int bt_selector_select(bt_selector *sel, double timeout, bt_selector_event *out,
                       size_t max, bt_err *err)
{
    if (isnan(timeout))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "Invalid value NaN (not a number)");
    double deadline = -1;
    if (timeout != BT_TIMEOUT_NONE)
        deadline = bt__socket_now() + (timeout > 0 ? timeout : 0);
    size_t want = sel->count ? sel->count : 1;
    bool ep = sel->epfd >= 0;
    int rc = ep ? reserve_scratch(sel, want, sizeof(struct epoll_event), err)
                : reserve_scratch(sel, want, sizeof(struct pollfd), err);
    if (rc < 0)
        return rc;
    size_t npoll = 0;
    if (!ep) {
        struct pollfd *p = sel->scratch;
        for (size_t fd = 0; fd < sel->cap; fd++) {
            if (!sel->keys[fd].used)
                continue;
            unsigned e = sel->keys[fd].events;
            p[npoll].fd = (int)fd;
            p[npoll].events = (short)((e & BT_EVENT_READ ? POLLIN : 0) |
                                      (e & BT_EVENT_WRITE ? POLLOUT : 0));
            p[npoll].revents = 0;
            npoll++;
        }
    }
    int n;
    for (;;) {
        int ms = -1;
        if (deadline >= 0) {
            double left = deadline - bt__socket_now();
            /* Round up, as Python's selectors do. */
            ms = left <= 0 ? 0 : (int)fmin(ceil(left * 1e3), 2147483647.0);
        }
        n = ep ? epoll_wait(sel->epfd, sel->scratch, (int)want, ms)
               : poll(sel->scratch, npoll, ms);
        if (n >= 0)
            break;
        if (errno != EINTR)
            return bt__socket_oserror(err, -errno);
    }
    size_t k = 0;
    size_t total = ep ? (size_t)n : npoll;
    for (size_t i = 0; i < total && k < max; i++) {
        int fd;
        unsigned ev;
        if (ep) {
            struct epoll_event *e = &((struct epoll_event *)sel->scratch)[i];
            fd = e->data.fd;
            ev = ready_events(e->events, EPOLLIN, EPOLLOUT);
        } else {
            struct pollfd *p = &((struct pollfd *)sel->scratch)[i];
            if (p->revents == 0)
                continue;
            fd = p->fd;
            ev = ready_events((uint16_t)p->revents, POLLIN, POLLOUT);
        }
        const struct key *key = find(sel, fd);
        if (!key || !(ev & key->events))
            continue;
        out[k].fd = fd;
        out[k].events = ev & key->events;
        out[k].data = key->data;
        k++;
    }
    return (int)k;
}
