/* selectors: DefaultSelector (epoll) and PollSelector behave alike:
 * register/modify/unregister with user data, select with timeouts, and
 * Python's mapping of hang-ups to readiness. */
#include <math.h>

#include "helpers.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void exercise(bool epoll)
{
    bt_selector *sel;
    bt_err err = BT_ERR_INIT;
    cr_assert_eq(epoll ? bt_selector_new(&sel, &err)
                       : bt_selector_new_poll(&sel, &err),
                 0);
    cr_expect_str_eq(bt_selector_kind(sel), epoll ? "epoll" : "poll");
    bt_socket *a, *b;
    bt_socket_socketpair(&a, &b, 0, 0, 0, NULL);
    int fa = bt_socket_fileno(a), fb = bt_socket_fileno(b);
    int tag_a = 1, tag_b = 2;
    cr_assert_eq(bt_selector_register(sel, fa, BT_EVENT_READ, &tag_a, &err), 0);
    cr_assert_eq(bt_selector_register(sel, fb, BT_EVENT_READ, &tag_b, &err), 0);
    cr_expect_eq(bt_selector_count(sel), 2);
    bt_selector_event ev[4];
    double t0 = now();
    cr_expect_eq(bt_selector_select(sel, 0.05, ev, 4, &err), 0);
    double dt = now() - t0;
    cr_expect(dt >= 0.045 && dt < 2.0, "select waited %f s", dt);
    cr_expect_eq(bt_selector_select(sel, 0, ev, 4, &err), 0);
    bt_socket_sendall(b, "x", 1, 0, NULL);
    int n = bt_selector_select(sel, BT_TIMEOUT_NONE, ev, 4, &err);
    cr_assert_eq(n, 1);
    cr_expect_eq(ev[0].fd, fa);
    cr_expect_eq(ev[0].events, BT_EVENT_READ);
    cr_expect_eq(ev[0].data, &tag_a);
    /* modify: now b waits to write (always possible) with new data. */
    int tag_c = 3;
    cr_assert_eq(bt_selector_modify(sel, fb, BT_EVENT_WRITE, &tag_c, &err), 0);
    unsigned evs;
    void *data;
    cr_assert_eq(bt_selector_get_key(sel, fb, &evs, &data), 0);
    cr_expect_eq(evs, BT_EVENT_WRITE);
    cr_expect_eq(data, &tag_c);
    n = bt_selector_select(sel, 1.0, ev, 4, &err);
    cr_expect_eq(n, 2);
    bool saw_write = false;
    for (int i = 0; i < n; i++)
        if (ev[i].fd == fb)
            saw_write = ev[i].events == BT_EVENT_WRITE && ev[i].data == &tag_c;
    cr_expect(saw_write);
    /* max limits what is returned. */
    cr_expect_eq(bt_selector_select(sel, 0, ev, 1, &err), 1);
    cr_assert_eq(bt_selector_unregister(sel, fb, &err), 0);
    cr_expect_eq(bt_selector_get_key(sel, fb, NULL, NULL), BT_EKEY);
    cr_expect_eq(bt_selector_count(sel), 1);
    /* A hang-up wakes a reader (Python maps HUP to EVENT_READ). */
    char ch;
    bt_socket_recv_into(a, &ch, 1, 0, NULL);
    bt_socket_close(b);
    n = bt_selector_select(sel, 1.0, ev, 4, &err);
    cr_assert_eq(n, 1);
    cr_expect_eq(ev[0].events, BT_EVENT_READ);
    cr_expect_eq(bt_selector_select(sel, NAN, ev, 4, &err), BT_EVALUE);
    bt_selector_unregister(sel, fa, NULL);
    bt_socket_close(a);
    bt_selector_free(sel);
}

Test(selectors, epoll)
{
    exercise(true);
}
Test(selectors, poll)
{
    exercise(false);
}

Test(selectors, many_descriptors)
{
    bt_selector *sel;
    cr_assert_eq(bt_selector_new(&sel, NULL), 0);
    enum { N = 100 };
    bt_socket *a[N], *b[N];
    for (int i = 0; i < N; i++) {
        cr_assert_eq(bt_socket_socketpair(&a[i], &b[i], 0, 0, 0, NULL), 0);
        cr_assert_eq(bt_selector_register(sel, bt_socket_fileno(a[i]),
                                          BT_EVENT_READ,
                                          (void *)(intptr_t)(i + 1), NULL),
                     0);
    }
    for (int i = 0; i < N; i += 10)
        bt_socket_sendall(b[i], "x", 1, 0, NULL);
    bt_selector_event ev[N];
    int n = bt_selector_select(sel, 1.0, ev, N, NULL);
    cr_expect_eq(n, N / 10);
    for (int i = 0; i < n; i++)
        cr_expect_eq(((intptr_t)ev[i].data - 1) % 10, 0);
    for (int i = 0; i < N; i++) {
        bt_selector_unregister(sel, bt_socket_fileno(a[i]), NULL);
        bt_socket_close(a[i]);
        bt_socket_close(b[i]);
    }
    bt_selector_free(sel);
}
