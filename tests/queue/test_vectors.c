/* queue against CPython: every misuse of tools/gen_vectors/queue.py made
 * the same way in C (errors.tsv), and the order Queue, LifoQueue and
 * PriorityQueue hand items out, ties included (order.tsv). */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <batteries/queue.h>

#include "../threading/helpers.h"

static int one;
static int two;
#define ITEM1 ((void *)&one)
#define ITEM2 ((void *)&two)

struct item {
    int prio, id;
};

static int by_prio(const void *a, const void *b, void *ctx)
{
    (void)ctx;
    const struct item *x = a, *y = b;
    return (x->prio > y->prio) - (x->prio < y->prio);
}

static bt_queue *fifo(ptrdiff_t maxsize, int items)
{
    bt_queue *q;
    cr_assert_eq(bt_queue_new(&q, maxsize), 0);
    for (int i = 0; i < items; i++)
        cr_assert_eq(bt_queue_put_nowait(q, ITEM1), 0);
    return q;
}

/* get(block, timeout) on a fresh queue holding `items` times ITEM1. */
static int get_case(int kind, int items, bool block, double timeout,
                    bt_err *err, char *out)
{
    bt_queue *q;
    if (kind == 0)
        q = fifo(0, items);
    else
        cr_assert_eq(bt_lifoqueue_new(&q, 0), 0);
    void *item = NULL;
    int rc = bt_queue_get(q, &item, block, timeout, err);
    if (rc == 0)
        strcpy(out, item == ITEM1 ? "1" : "?");
    bt_queue_free(q);
    return rc;
}

/* put(ITEM2, block, timeout) on a Queue(maxsize) holding `items`. */
static int put_case(ptrdiff_t maxsize, int items, bool block, double timeout,
                    bt_err *err, char *out)
{
    bt_queue *q = fifo(maxsize, items);
    int rc = bt_queue_put(q, ITEM2, block, timeout, err);
    if (rc == 0)
        strcpy(out, "None");
    bt_queue_free(q);
    return rc;
}

#define GET(name, kind, items, block, timeout)                                 \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return get_case(kind, items, block, timeout, err, out);                \
    }
#define PUT(name, maxsize, items, block, timeout)                              \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return put_case(maxsize, items, block, timeout, err, out);             \
    }
GET(queue_get_negative, 0, 0, true, -1.5)
GET(queue_get_negative_with_item, 0, 1, true, -1.5)
GET(queue_get_nonblocking_negative, 0, 0, false, -1.5)
GET(queue_get_zero, 0, 0, true, 0)
GET(queue_get_short, 0, 0, true, 0.01)
GET(queue_get_huge, 0, 0, true, 1e20)
GET(queue_get_huge_with_item, 0, 1, true, 1e20)
GET(lifo_get_negative, 1, 0, true, -1.5)
PUT(queue_put_unbounded_negative, 0, 0, true, -1.5)
PUT(queue_put_unbounded_nan, 0, 0, true, NAN)
PUT(queue_put_bounded_negative, 1, 0, true, -1.5)
PUT(queue_put_full_zero, 1, 1, true, 0)
PUT(queue_put_full_short, 1, 1, true, 0.01)
PUT(queue_put_full_huge, 1, 1, true, 1e20)
PUT(queue_put_full_nonblocking_negative, 1, 1, false, -1.5)

static int queue_get_nowait_empty(bt_err *err, char *out)
{
    (void)err;
    (void)out;
    bt_queue *q = fifo(0, 0);
    void *item;
    int rc = bt_queue_get_nowait(q, &item);
    bt_queue_free(q);
    return rc;
}

static int priority_get_nowait_empty(bt_err *err, char *out)
{
    (void)err;
    (void)out;
    bt_queue *q;
    cr_assert_eq(bt_priorityqueue_new(&q, 0, by_prio, NULL), 0);
    void *item;
    int rc = bt_queue_get_nowait(q, &item);
    bt_queue_free(q);
    return rc;
}

static int queue_put_full_nowait(bt_err *err, char *out)
{
    (void)err;
    (void)out;
    bt_queue *q = fifo(1, 1);
    int rc = bt_queue_put_nowait(q, ITEM2);
    bt_queue_free(q);
    return rc;
}

static int queue_task_done_too_many(bt_err *err, char *out)
{
    (void)out;
    bt_queue *q = fifo(0, 0);
    int rc = bt_queue_task_done(q, err);
    bt_queue_free(q);
    return rc;
}

static int queue_task_done_after_get(bt_err *err, char *out)
{
    bt_queue *q = fifo(0, 1);
    void *item;
    cr_assert_eq(bt_queue_get(q, &item, true, BT_TIMEOUT_NONE, NULL), 0);
    int rc = bt_queue_task_done(q, err);
    strcpy(out, "None");
    bt_queue_free(q);
    return rc;
}

static int state_case(bt_queue *q, int value, bool is_bool, char *out)
{
    if (is_bool)
        strcpy(out, value ? "True" : "False");
    else
        sprintf(out, "%d", value);
    bt_queue_free(q);
    return 0;
}

static int queue_full_when_bound_reached(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q = fifo(2, 2);
    return state_case(q, bt_queue_full(q), true, out);
}

static int queue_full_unbounded(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q = fifo(0, 3);
    return state_case(q, bt_queue_full(q), true, out);
}

static int queue_full_negative_bound(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q = fifo(-5, 2);
    return state_case(q, bt_queue_full(q), true, out);
}

static int queue_maxsize_negative(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q = fifo(-5, 0);
    return state_case(q, (int)bt_queue_maxsize(q), false, out);
}

static int queue_qsize(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q;
    cr_assert_eq(bt_lifoqueue_new(&q, 0), 0);
    for (int i = 0; i < 3; i++)
        bt_queue_put_nowait(q, ITEM1);
    return state_case(q, (int)bt_queue_qsize(q), false, out);
}

static int queue_empty(bt_err *err, char *out)
{
    (void)err;
    bt_queue *q;
    cr_assert_eq(bt_priorityqueue_new(&q, 0, by_prio, NULL), 0);
    return state_case(q, bt_queue_empty(q), true, out);
}

static int simple_case(int items, bool block, double timeout, bt_err *err,
                       char *out)
{
    bt_simplequeue *q;
    cr_assert_eq(bt_simplequeue_new(&q), 0);
    for (int i = 0; i < items; i++)
        cr_assert_eq(bt_simplequeue_put(q, ITEM1), 0);
    void *item = NULL;
    int rc = bt_simplequeue_get(q, &item, block, timeout, err);
    if (rc == 0)
        strcpy(out, item == ITEM1 ? "1" : "?");
    bt_simplequeue_free(q);
    return rc;
}

#define SIMPLE(name, items, block, timeout)                                    \
    static int name(bt_err *err, char *out)                                    \
    {                                                                          \
        return simple_case(items, block, timeout, err, out);                   \
    }
SIMPLE(simple_get_negative, 0, true, -1.5)
SIMPLE(simple_get_nan, 0, true, NAN)
SIMPLE(simple_get_huge, 0, true, 1e20)
SIMPLE(simple_get_negative_with_item, 1, true, -1.5)
SIMPLE(simple_get_huge_with_item, 1, true, 1e20)
SIMPLE(simple_get_nonblocking_negative, 0, false, -1.5)
SIMPLE(simple_get_zero, 0, true, 0)

static int simple_get_nowait_empty(bt_err *err, char *out)
{
    (void)err;
    (void)out;
    bt_simplequeue *q;
    cr_assert_eq(bt_simplequeue_new(&q), 0);
    void *item;
    int rc = bt_simplequeue_get_nowait(q, &item);
    bt_simplequeue_free(q);
    return rc;
}

static int simple_qsize(bt_err *err, char *out)
{
    (void)err;
    bt_simplequeue *q;
    cr_assert_eq(bt_simplequeue_new(&q), 0);
    bt_simplequeue_put(q, ITEM1);
    bt_simplequeue_put_nowait(q, ITEM2);
    sprintf(out, "%zu", bt_simplequeue_qsize(q));
    bt_simplequeue_free(q);
    return 0;
}

static const named_case cases[] = {
    NAMED_CASE(queue_get_negative),
    NAMED_CASE(queue_get_negative_with_item),
    NAMED_CASE(queue_get_nowait_empty),
    NAMED_CASE(queue_get_nonblocking_negative),
    NAMED_CASE(queue_get_zero),
    NAMED_CASE(queue_get_short),
    NAMED_CASE(queue_get_huge),
    NAMED_CASE(queue_get_huge_with_item),
    NAMED_CASE(queue_put_unbounded_negative),
    NAMED_CASE(queue_put_unbounded_nan),
    NAMED_CASE(queue_put_bounded_negative),
    NAMED_CASE(queue_put_full_nowait),
    NAMED_CASE(queue_put_full_zero),
    NAMED_CASE(queue_put_full_short),
    NAMED_CASE(queue_put_full_huge),
    NAMED_CASE(queue_put_full_nonblocking_negative),
    NAMED_CASE(queue_task_done_too_many),
    NAMED_CASE(queue_task_done_after_get),
    NAMED_CASE(queue_full_when_bound_reached),
    NAMED_CASE(queue_full_unbounded),
    NAMED_CASE(queue_full_negative_bound),
    NAMED_CASE(queue_maxsize_negative),
    NAMED_CASE(queue_qsize),
    NAMED_CASE(queue_empty),
    NAMED_CASE(lifo_get_negative),
    NAMED_CASE(priority_get_nowait_empty),
    NAMED_CASE(simple_get_negative),
    NAMED_CASE(simple_get_nan),
    NAMED_CASE(simple_get_huge),
    NAMED_CASE(simple_get_negative_with_item),
    NAMED_CASE(simple_get_huge_with_item),
    NAMED_CASE(simple_get_nonblocking_negative),
    NAMED_CASE(simple_get_nowait_empty),
    NAMED_CASE(simple_get_zero),
    NAMED_CASE(simple_qsize),
};

/* CPython's class for a code. */
static const char *python_class(int code)
{
    switch (code) {
    case BT_EEMPTY:
        return "Empty";
    case BT_EFULL:
        return "Full";
    default:
        return bt_errname(code);
    }
}

Test(vectors, errors_match_cpython)
{
    replay_cases("queue", "errors", cases, sizeof cases / sizeof cases[0],
                 python_class);
}

Test(vectors, order_matches_cpython)
{
    bt_test_vectors v;
    char *f[BT_TEST_MAX_FIELDS];
    int rows = 0;
    bt_test_vectors_open(&v, "queue", "order");
    while (bt_test_vectors_next(&v, f) > 0) {
        bt_queue *q;
        if (strcmp(f[0], "fifo") == 0)
            cr_assert_eq(bt_queue_new(&q, 0), 0);
        else if (strcmp(f[0], "lifo") == 0)
            cr_assert_eq(bt_lifoqueue_new(&q, 0), 0);
        else
            cr_assert_eq(bt_priorityqueue_new(&q, 0, by_prio, NULL), 0);
        struct item items[256];
        int nitems = 0;
        char got[2048] = "";
        size_t len = 0;
        for (char *op = strtok(f[1], " "); op; op = strtok(NULL, " ")) {
            if (op[0] == 'p') {
                cr_assert_lt(nitems, 256);
                struct item *it = &items[nitems++];
                cr_assert_eq(sscanf(op, "p%d:%d", &it->prio, &it->id), 2);
                cr_assert_eq(bt_queue_put_nowait(q, it), 0);
            } else {
                void *p;
                cr_assert_eq(bt_queue_get_nowait(q, &p), 0);
                len += (size_t)snprintf(got + len, sizeof got - len, "%s%d",
                                        len ? " " : "", ((struct item *)p)->id);
            }
        }
        cr_expect_str_eq(got, f[2], "%s row %d", f[0], rows + 1);
        cr_expect(bt_queue_empty(q));
        bt_queue_free(q);
        rows++;
    }
    bt_test_vectors_close(&v);
    cr_assert_geq(rows, 100);
}
