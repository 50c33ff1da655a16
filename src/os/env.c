/*
 * env.c — the process environment (getenv, putenv, unsetenv, a snapshot of
 * environ) behind one lock the library's calls share, and bt_os_env: an
 * environment built for a child that never touches environ. See THE RULE
 * in os.h: libc's own readers of environ take no lock, so changing the
 * process environment is safe only before threads start.
 */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "os_int.h"

extern char **environ;

static pthread_mutex_t env_lock = PTHREAD_MUTEX_INITIALIZER;

int bt_os_getenv(const char *key, bt_buf *out)
{
    assert(key && out);
    pthread_mutex_lock(&env_lock);
    const char *v = getenv(key);
    int rc = v ? 1 : 0;
    if (v && (bt_buf_append_str(out, v) < 0 || bt_buf_reserve(out, 0) < 0))
        rc = BT_ENOMEM;
    pthread_mutex_unlock(&env_lock);
    return rc;
}

int bt_os_putenv(const char *key, const char *value, bt_err *err)
{
    assert(key && value);
    if (strchr(key, '='))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "illegal environment variable name");
    pthread_mutex_lock(&env_lock);
    int rc = setenv(key, value, 1) < 0 ? bt__os_fail(err, NULL, NULL) : 0;
    pthread_mutex_unlock(&env_lock);
    return rc;
}

int bt_os_unsetenv(const char *key, bt_err *err)
{
    assert(key);
    pthread_mutex_lock(&env_lock);
    int rc = unsetenv(key) < 0 ? bt__os_fail(err, NULL, NULL) : 0;
    pthread_mutex_unlock(&env_lock);
    return rc;
}

/* Whether environ[i] repeats a key of an earlier entry (Python's
 * os.environ keeps the first). */
static bool seen_before(char **env, size_t i, const char *s, size_t klen)
{
    for (size_t k = 0; k < i; k++) {
        const char *eq = strchr(env[k], '=');
        if (eq && (size_t)(eq - env[k]) == klen && memcmp(env[k], s, klen) == 0)
            return true;
    }
    return false;
}

ptrdiff_t bt_os_environ(bt_strvec *out)
{
    size_t before = out->count;
    int rc = 0;
    pthread_mutex_lock(&env_lock);
    for (size_t i = 0; environ && environ[i] && rc == 0; i++) {
        const char *s = environ[i], *eq = strchr(s, '=');
        if (eq && !seen_before(environ, i, s, (size_t)(eq - s)))
            rc = bt_strvec_append_str(out, s);
    }
    pthread_mutex_unlock(&env_lock);
    if (rc < 0) {
        while (out->count > before)
            bt_strvec_remove(out, out->count - 1);
        return rc;
    }
    return (ptrdiff_t)(out->count - before);
}

struct bt_os_env {
    char **items; /* "KEY=VALUE", NULL after the last: the envp */
    size_t *klen; /* length of each key */
    size_t count, cap;
};

int bt_os_env_new(bt_os_env **out)
{
    bt_os_env *e = bt_calloc(1, sizeof *e);
    if (!e || !(e->items = bt_calloc(1, sizeof *e->items))) {
        bt_free(e);
        return BT_ENOMEM;
    }
    *out = e;
    return 0;
}

void bt_os_env_free(bt_os_env *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->count; i++)
        bt_free(e->items[i]);
    bt_free(e->items);
    bt_free(e->klen);
    bt_free(e);
}

static ptrdiff_t find(const bt_os_env *e, const char *key, size_t klen)
{
    for (size_t i = 0; i < e->count; i++)
        if (e->klen[i] == klen && memcmp(e->items[i], key, klen) == 0)
            return (ptrdiff_t)i;
    return -1;
}

static int grow(bt_os_env *e)
{
    if (e->count < e->cap)
        return 0;
    size_t cap = e->cap ? e->cap * 2 : 16;
    char **items = bt_realloc(e->items, (cap + 1) * sizeof *items);
    if (!items)
        return BT_ENOMEM;
    e->items = items;
    size_t *klen = bt_realloc(e->klen, cap * sizeof *klen);
    if (!klen)
        return BT_ENOMEM; /* items grew, cap did not: still consistent */
    e->klen = klen;
    e->cap = cap;
    return 0;
}

/* Sets key (klen bytes) to the entry s ("KEY=VALUE", taken over). */
static int put(bt_os_env *e, char *s, size_t klen)
{
    ptrdiff_t i = find(e, s, klen);
    if (i >= 0) {
        bt_free(e->items[i]);
        e->items[i] = s;
        return 0;
    }
    if (grow(e) < 0) {
        bt_free(s);
        return BT_ENOMEM;
    }
    e->items[e->count] = s;
    e->klen[e->count] = klen;
    e->items[++e->count] = NULL;
    return 0;
}

int bt_os_env_set(bt_os_env *e, const char *key, const char *value, bt_err *err)
{
    assert(e && key && value);
    if (strchr(key, '='))
        return bt_err_setf(err, BT_EVALUE, -1,
                           "illegal environment variable name");
    size_t klen = strlen(key), vlen = strlen(value);
    char *s = bt_malloc(klen + vlen + 2);
    if (!s)
        return bt__os_nomem(err);
    memcpy(s, key, klen);
    s[klen] = '=';
    memcpy(s + klen + 1, value, vlen + 1);
    return put(e, s, klen) < 0 ? bt__os_nomem(err) : 0;
}

int bt_os_environ_copy(bt_os_env **out)
{
    bt_os_env *e;
    if (bt_os_env_new(&e) < 0)
        return BT_ENOMEM;
    int rc = 0;
    pthread_mutex_lock(&env_lock);
    for (size_t i = 0; environ && environ[i] && rc == 0; i++) {
        const char *s = environ[i], *eq = strchr(s, '=');
        if (!eq || find(e, s, (size_t)(eq - s)) >= 0)
            continue; /* the first of duplicate keys wins */
        char *copy = bt_strdup(s);
        rc = copy ? put(e, copy, (size_t)(eq - s)) : BT_ENOMEM;
    }
    pthread_mutex_unlock(&env_lock);
    if (rc < 0) {
        bt_os_env_free(e);
        return rc;
    }
    *out = e;
    return 0;
}

int bt_os_env_unset(bt_os_env *e, const char *key)
{
    ptrdiff_t i = find(e, key, strlen(key));
    if (i < 0)
        return BT_EKEY;
    bt_free(e->items[i]);
    size_t rest = e->count - (size_t)i - 1;
    memmove(e->items + i, e->items + i + 1, (rest + 1) * sizeof *e->items);
    memmove(e->klen + i, e->klen + i + 1, rest * sizeof *e->klen);
    e->count--;
    return 0;
}

const char *bt_os_env_get(const bt_os_env *e, const char *key)
{
    size_t klen = strlen(key);
    ptrdiff_t i = find(e, key, klen);
    return i < 0 ? NULL : e->items[i] + klen + 1;
}

size_t bt_os_env_len(const bt_os_env *e)
{
    return e->count;
}

char *const *bt_os_env_envp(const bt_os_env *e)
{
    return e->items;
}
