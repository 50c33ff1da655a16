/* local.c — threading.local for one value: a pthread key per object, and
 * a list of every thread's slot so the values outlive neither their thread
 * nor the object. */
#include <pthread.h>

#include "threading_int.h"

struct slot {
    bt_local *owner;
    void *value;
    struct slot *prev, *next;
};

struct bt_local {
    pthread_key_t key;
    pthread_mutex_t mu; /* guards the slot list */
    struct slot *head;
    void (*destroy)(void *value);
};

static void unlink_slot(bt_local *l, struct slot *s)
{
    if (s->prev)
        s->prev->next = s->next;
    else
        l->head = s->next;
    if (s->next)
        s->next->prev = s->prev;
}

/* A thread with a value exits. */
static void slot_exit(void *p)
{
    struct slot *s = p;
    bt_local *l = s->owner;
    pthread_mutex_lock(&l->mu);
    unlink_slot(l, s);
    pthread_mutex_unlock(&l->mu);
    if (l->destroy && s->value)
        l->destroy(s->value);
    bt_free(s);
}

int bt_local_new(bt_local **out, void (*destroy)(void *value))
{
    bt_local *l = bt_calloc(1, sizeof *l);
    if (!l)
        return BT_ENOMEM;
    int rc = bt__threading_mutex_init(&l->mu);
    if (rc == 0) {
        rc = -pthread_key_create(&l->key, slot_exit);
        if (rc < 0)
            pthread_mutex_destroy(&l->mu);
    }
    if (rc < 0) {
        bt_free(l);
        return rc == BT_ENOMEM ? BT_ENOMEM : BT_EAGAIN;
    }
    l->destroy = destroy;
    *out = l;
    return 0;
}

void bt_local_free(bt_local *l)
{
    if (!l)
        return;
    pthread_key_delete(l->key);
    struct slot *s = l->head;
    while (s) {
        struct slot *next = s->next;
        if (l->destroy && s->value)
            l->destroy(s->value);
        bt_free(s);
        s = next;
    }
    pthread_mutex_destroy(&l->mu);
    bt_free(l);
}

void *bt_local_get(bt_local *l)
{
    struct slot *s = pthread_getspecific(l->key);
    return s ? s->value : NULL;
}

int bt_local_set(bt_local *l, void *value)
{
    struct slot *s = pthread_getspecific(l->key);
    if (!s) {
        if (!value)
            return 0;
        s = bt_malloc(sizeof *s);
        if (!s)
            return BT_ENOMEM;
        if (pthread_setspecific(l->key, s) != 0) {
            bt_free(s);
            return BT_ENOMEM;
        }
        s->owner = l;
        s->value = NULL;
        pthread_mutex_lock(&l->mu);
        s->prev = NULL;
        s->next = l->head;
        if (l->head)
            l->head->prev = s;
        l->head = s;
        pthread_mutex_unlock(&l->mu);
    }
    void *old = s->value;
    s->value = value;
    if (!value) {
        /* Deleted: the thread holds no slot any more. */
        pthread_setspecific(l->key, NULL);
        pthread_mutex_lock(&l->mu);
        unlink_slot(l, s);
        pthread_mutex_unlock(&l->mu);
        bt_free(s);
    }
    if (old && old != value && l->destroy)
        l->destroy(old);
    return 0;
}
