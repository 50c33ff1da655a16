/* ns.c — the namespace: attributes in Python's insertion order, typed
 * lookups, repr, and the exit Python's parse_args would make. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "argparse_int.h"

bt_argparse_ns *bt__ap_ns_new(void)
{
    bt_argparse_ns *ns = bt_calloc(1, sizeof *ns);
    return ns;
}

void bt_argparse_ns_free(bt_argparse_ns *ns)
{
    if (!ns)
        return;
    for (size_t i = 0; i < ns->n; i++)
        bt__ap_value_fini_in(ns, &ns->e[i].v);
    while (ns->names) {
        ap_chunk *next = ns->names->next;
        bt_free(ns->names);
        ns->names = next;
    }
    bt_free(ns->e);
    bt_free(ns->idx);
    bt_strvec_fini(&ns->extras);
    bt_strvec_fini(&ns->unrecognized);
    bt_buf_fini(&ns->output);
    bt_free(ns);
}

char *bt__ap_ns_strndup(bt_argparse_ns *ns, const char *s, size_t len)
{
    size_t n = len + 1;
    ap_chunk *c = ns->names;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > 1024 ? n : 1024;
        c = bt_malloc(sizeof *c + cap);
        if (!c)
            return NULL;
        c->next = ns->names;
        c->used = 0;
        c->cap = cap;
        ns->names = c;
    }
    char *d = c->data + c->used;
    memcpy(d, s, len);
    d[len] = 0;
    c->used += n;
    return d;
}

void bt__ap_ns_adopt_strings(bt_argparse_ns *ns, bt_argparse_ns *from)
{
    ap_chunk **tail = &from->names;
    while (*tail)
        tail = &(*tail)->next;
    if (tail == &from->names)
        return;
    /* from's chunks go after ns's newest one, which keeps filling */
    if (ns->names) {
        *tail = ns->names->next;
        ns->names->next = from->names;
    } else
        ns->names = from->names;
    from->names = NULL;
}

ap_entry *bt__ap_ns_find_h(const bt_argparse_ns *ns, const char *dest,
                           uint32_t hash)
{
    if (!ns->idxcap)
        return NULL;
    for (size_t i = hash & (ns->idxcap - 1);; i = (i + 1) & (ns->idxcap - 1)) {
        uint32_t k = ns->idx[i];
        if (!k)
            return NULL;
        ap_entry *e = &ns->e[k - 1];
        if (e->hash == hash && (e->key == dest || strcmp(e->dest, dest) == 0))
            return e;
    }
}

static void index_put(uint32_t *idx, size_t cap, uint32_t hash, size_t k)
{
    for (size_t i = hash & (cap - 1);; i = (i + 1) & (cap - 1))
        if (!idx[i]) {
            idx[i] = (uint32_t)k + 1;
            return;
        }
}

/* An index with room for `want` entries, rebuilt from the entries. */
static int reindex(bt_argparse_ns *ns, size_t want)
{
    size_t cap = ns->idxcap;
    if (cap < 2 * want || !cap) {
        cap = cap ? cap : 32;
        while (cap < 2 * want)
            cap *= 2;
        uint32_t *idx = bt_calloc(cap, sizeof *idx);
        if (!idx)
            return BT_ENOMEM;
        bt_free(ns->idx);
        ns->idx = idx;
        ns->idxcap = cap;
    } else
        memset(ns->idx, 0, cap * sizeof *ns->idx);
    for (size_t k = 0; k < ns->n; k++)
        index_put(ns->idx, cap, ns->e[k].hash, k);
    return 0;
}

int bt__ap_ns_reserve(bt_argparse_ns *ns, size_t want)
{
    if (want > ns->cap) {
        ap_entry *e = bt_realloc(ns->e, want * sizeof *e);
        if (!e)
            return BT_ENOMEM;
        ns->e = e;
        ns->cap = want;
    }
    return 2 * want > ns->idxcap ? reindex(ns, want) : 0;
}

void bt__ap_rebuild_template(bt_argparse *p)
{
    p->tpl_ok = false;
    bt_free(p->tpl);
    bt_free(p->tplidx);
    bt_free(p->tplnames);
    p->tpl = NULL;
    p->tplidx = NULL;
    p->tplnames = NULL;
    p->ntpl = p->tplidxcap = p->tplnameslen = 0;
    /* a scratch namespace with borrowed names and values, as Python's
     * parse_known_args fills it before parsing */
    bt_argparse_ns tmp = {0};
    size_t want = p->actions.n + p->default_dests.n + 1;
    bool ok = bt__ap_ns_reserve(&tmp, want) == 0;
    size_t names = 0;
    for (size_t i = 0; ok && i < p->actions.n; i++) {
        ap_action *a = p->actions.items[i];
        a->slot = -1;
        if (a->dest_suppress || bt__ap_is_suppress(&a->dflt))
            continue;
        ap_entry *e = bt__ap_ns_find_h(&tmp, a->dest, a->dest_hash);
        if (e)
            continue;
        index_put(tmp.idx, tmp.idxcap, a->dest_hash, tmp.n);
        e = &tmp.e[tmp.n++];
        *e = (ap_entry){a->dest_hash, a->dest, a->dest, a->dflt, a};
        if (e->v.type == BT_ARGPARSE_UNSET)
            e->v.type = BT_ARGPARSE_NONE;
        names += strlen(a->dest) + 1;
    }
    for (size_t i = 0; ok && i < p->default_dests.n; i++) {
        const char *d = p->default_dests.items[i];
        uint32_t h = bt__ap_hash(d, strlen(d));
        if (bt__ap_ns_find_h(&tmp, d, h))
            continue;
        index_put(tmp.idx, tmp.idxcap, h, tmp.n);
        tmp.e[tmp.n++] =
            (ap_entry){h, NULL, (char *)d, p->default_values[i], NULL};
        names += strlen(d) + 1;
    }
    /* every action's dest has the slot of its entry */
    for (size_t i = 0; ok && i < p->actions.n; i++) {
        ap_action *a = p->actions.items[i];
        ap_entry *e = a->dest_suppress
                          ? NULL
                          : bt__ap_ns_find_h(&tmp, a->dest, a->dest_hash);
        a->slot = e ? e - tmp.e : -1;
    }
    char *block = ok ? bt_malloc(names + 1) : NULL;
    if (!block) {
        for (size_t i = 0; i < p->actions.n; i++)
            ((ap_action *)p->actions.items[i])->slot = -1;
        bt_free(tmp.e);
        bt_free(tmp.idx);
        /* kept for the parses, as any building error */
        bt_argparse *top = p->top;
        if (!top->setup_rc) {
            top->setup_rc = BT_ENOMEM;
            bt_err_setf(&top->setup_err, BT_ENOMEM, -1, "out of memory");
        }
        return;
    }
    size_t off = 0;
    for (size_t i = 0; i < tmp.n; i++) {
        size_t l = strlen(tmp.e[i].dest) + 1;
        memcpy(block + off, tmp.e[i].dest, l);
        tmp.e[i].dest = (char *)(uintptr_t)off; /* an offset until copied */
        off += l;
    }
    p->tpl = tmp.e;
    p->ntpl = tmp.n;
    p->tplidx = tmp.idx;
    p->tplidxcap = tmp.idxcap;
    p->tplnames = block;
    p->tplnameslen = names;
    p->tpl_ok = true;
}

int bt__ap_ns_from_template(bt_argparse_ns *ns, const bt_argparse *p)
{
    if (bt__ap_ns_reserve(ns, p->ntpl + 8) < 0)
        return BT_ENOMEM;
    if (ns->idxcap != p->tplidxcap) {
        uint32_t *idx = bt_malloc(p->tplidxcap * sizeof *idx);
        if (!idx)
            return BT_ENOMEM;
        bt_free(ns->idx);
        ns->idx = idx;
        ns->idxcap = p->tplidxcap;
    }
    char *names = bt__ap_ns_strndup(ns, p->tplnames, p->tplnameslen);
    if (!names)
        return BT_ENOMEM;
    memcpy(ns->idx, p->tplidx, p->tplidxcap * sizeof *ns->idx);
    for (size_t i = 0; i < p->ntpl; i++) {
        ap_entry *e = &ns->e[i];
        *e = p->tpl[i];
        e->dest = names + (uintptr_t)p->tpl[i].dest;
        if (e->v.type == BT_ARGPARSE_STR || e->v.type == BT_ARGPARSE_LIST) {
            if (bt__ap_value_copy_in(ns, &e->v, &p->tpl[i].v) < 0) {
                ns->n = i; /* the rest hold borrowed values */
                return BT_ENOMEM;
            }
        }
        ns->n = i + 1;
    }
    return 0;
}

ap_entry *bt__ap_ns_find(const bt_argparse_ns *ns, const char *dest)
{
    return bt__ap_ns_find_h(ns, dest, bt__ap_hash(dest, strlen(dest)));
}

int bt__ap_ns_set(bt_argparse_ns *ns, const char *dest, bt_argparse_value *v,
                  const ap_action *default_of)
{
    int rc = bt__ap_ns_set_h(ns, dest, bt__ap_hash(dest, strlen(dest)), v,
                             default_of);
    ap_entry *e = rc == 0 ? bt__ap_ns_find(ns, dest) : NULL;
    if (e)
        e->key = NULL; /* dest may be a string that goes away */
    return rc;
}

int bt__ap_ns_set_h(bt_argparse_ns *ns, const char *dest, uint32_t hash,
                    bt_argparse_value *v, const ap_action *default_of)
{
    ap_entry *e = bt__ap_ns_find_h(ns, dest, hash);
    if (!e) {
        if (ns->n == ns->cap) {
            size_t cap = ns->cap ? ns->cap * 2 : 8;
            ap_entry *ne = bt_realloc(ns->e, cap * sizeof *ne);
            if (!ne)
                return BT_ENOMEM;
            ns->e = ne;
            ns->cap = cap;
        }
        if (2 * (ns->n + 1) > ns->idxcap && reindex(ns, ns->n + 1) < 0)
            return BT_ENOMEM;
        char *d = bt__ap_ns_strndup(ns, dest, strlen(dest));
        if (!d)
            return BT_ENOMEM;
        index_put(ns->idx, ns->idxcap, hash, ns->n);
        e = &ns->e[ns->n++];
        e->hash = hash;
        e->key = dest;
        e->dest = d;
        e->v.type = BT_ARGPARSE_UNSET;
    }
    bt__ap_value_fini_in(ns, &e->v);
    e->v = *v;
    e->default_of = default_of;
    v->type = BT_ARGPARSE_UNSET;
    return 0;
}

int bt__ap_ns_del(bt_argparse_ns *ns, const char *dest)
{
    ap_entry *e = bt__ap_ns_find(ns, dest);
    if (!e)
        return BT_EKEY;
    bt__ap_value_fini_in(ns, &e->v);
    size_t i = (size_t)(e - ns->e);
    memmove(e, e + 1, (ns->n - i - 1) * sizeof *e);
    ns->n--;
    return reindex(ns, ns->n);
}

static bool identifier(const char *s)
{
    if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          (unsigned char)*s >= 0x80))
        return false;
    for (; *s; s++)
        if (!(*s == '_' || (*s >= 'a' && *s <= 'z') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              (unsigned char)*s >= 0x80))
            return false;
    return true;
}

void bt__ap_ns_forget_keys(bt_argparse_ns *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        ns->e[i].key = NULL;
}

int bt_argparse_ns_repr(const bt_argparse_ns *ns, bt_buf *out)
{
    size_t mark = out->len;
    int rc = bt_buf_append_str(out, "Namespace(");
    bool first = true, star = false;
    for (size_t i = 0; rc == 0 && i < ns->n; i++) {
        if (!identifier(ns->e[i].dest)) {
            star = true;
            continue;
        }
        rc = bt_buf_printf(out, "%s%s=", first ? "" : ", ", ns->e[i].dest);
        if (rc == 0)
            rc = bt__ap_value_repr(out, &ns->e[i].v);
        first = false;
    }
    if (rc == 0 && star) {
        rc = bt_buf_printf(out, "%s**{", first ? "" : ", ");
        bool f2 = true;
        for (size_t i = 0; rc == 0 && i < ns->n; i++) {
            if (identifier(ns->e[i].dest))
                continue;
            rc = f2 ? 0 : bt_buf_append_str(out, ", ");
            if (rc == 0)
                rc = bt_repr_str(out, ns->e[i].dest, strlen(ns->e[i].dest));
            if (rc == 0)
                rc = bt_buf_append_str(out, ": ");
            if (rc == 0)
                rc = bt__ap_value_repr(out, &ns->e[i].v);
            f2 = false;
        }
        if (rc == 0)
            rc = bt_buf_append_byte(out, '}');
    }
    if (rc == 0)
        rc = bt_buf_append_byte(out, ')');
    if (rc < 0) {
        out->len = mark;
        if (out->data)
            out->data[mark] = 0;
        return BT_ENOMEM;
    }
    return 0;
}

const bt_strvec *bt_argparse_ns_extras(const bt_argparse_ns *ns)
{
    return &ns->extras;
}

const char *bt_argparse_ns_output(const bt_argparse_ns *ns)
{
    return ns->output.data ? ns->output.data : "";
}

int bt_argparse_ns_status(const bt_argparse_ns *ns)
{
    return ns->status;
}

void bt_argparse_exit(bt_argparse_ns *ns)
{
    int status = ns ? ns->status : 0;
    if (ns && ns->output.len)
        fwrite(ns->output.data, 1, ns->output.len, status ? stderr : stdout);
    bt_argparse_ns_free(ns);
    fflush(stdout);
    fflush(stderr);
    exit(status);
}

int bt_argparse_get(const bt_argparse_ns *ns, const char *dest,
                    const bt_argparse_value **out, bt_err *err)
{
    ap_entry *e = bt__ap_ns_find(ns, dest);
    if (!e)
        return bt_err_setf(err, BT_EKEY, -1,
                           "'Namespace' object has no attribute '%s'", dest);
    *out = &e->v;
    return 0;
}

static const char *tname(bt_argparse_type t)
{
    static const char *const names[] = {"None",  "None", "str",  "int",
                                        "float", "bool", "list", "object"};
    return names[t];
}

static int wrong(bt_err *err, const char *dest, const bt_argparse_value *v,
                 const char *want)
{
    const char *have = tname(v->type);
    return bt_err_setf(err, BT_ETYPE, -1, "dest '%s' is a%s %s, not a%s %s",
                       dest, have[0] == 'i' ? "n" : "", have,
                       want[0] == 'i' ? "n" : "", want);
}

/* The value of dest: 0, 1 for None, or the lookup's error. */
static int lookup(const bt_argparse_ns *ns, const char *dest,
                  const bt_argparse_value **v, bt_err *err)
{
    int rc = bt_argparse_get(ns, dest, v, err);
    return rc < 0 ? rc : (*v)->type == BT_ARGPARSE_NONE;
}

int bt_argparse_get_str(const bt_argparse_ns *ns, const char *dest,
                        const char **out, bt_err *err)
{
    const bt_argparse_value *v;
    int rc = lookup(ns, dest, &v, err);
    if (rc != 0) {
        if (rc == 1)
            *out = NULL;
        return rc < 0 ? rc : 0;
    }
    if (v->type != BT_ARGPARSE_STR)
        return wrong(err, dest, v, "str");
    *out = v->s;
    return 0;
}

int bt_argparse_get_int(const bt_argparse_ns *ns, const char *dest,
                        int64_t *out, bt_err *err)
{
    const bt_argparse_value *v;
    int rc = lookup(ns, dest, &v, err);
    if (rc != 0)
        return rc;
    if (v->type == BT_ARGPARSE_INT)
        *out = v->i;
    else if (v->type == BT_ARGPARSE_BOOL)
        *out = v->b;
    else
        return wrong(err, dest, v, "int");
    return 0;
}

int bt_argparse_get_count(const bt_argparse_ns *ns, const char *dest,
                          int64_t *out, bt_err *err)
{
    int rc = bt_argparse_get_int(ns, dest, out, err);
    if (rc == 1) {
        *out = 0;
        rc = 0;
    }
    return rc;
}

int bt_argparse_get_double(const bt_argparse_ns *ns, const char *dest,
                           double *out, bt_err *err)
{
    const bt_argparse_value *v;
    int rc = lookup(ns, dest, &v, err);
    if (rc != 0)
        return rc;
    if (v->type == BT_ARGPARSE_FLOAT)
        *out = v->f;
    else if (v->type == BT_ARGPARSE_INT)
        *out = (double)v->i;
    else
        return wrong(err, dest, v, "float");
    return 0;
}

int bt_argparse_get_bool(const bt_argparse_ns *ns, const char *dest, bool *out,
                         bt_err *err)
{
    const bt_argparse_value *v;
    int rc = lookup(ns, dest, &v, err);
    if (rc != 0)
        return rc;
    if (v->type != BT_ARGPARSE_BOOL)
        return wrong(err, dest, v, "bool");
    *out = v->b;
    return 0;
}

int bt_argparse_get_list(const bt_argparse_ns *ns, const char *dest,
                         const bt_argparse_value **items, size_t *n,
                         bt_err *err)
{
    const bt_argparse_value *v;
    int rc = lookup(ns, dest, &v, err);
    if (rc != 0)
        return rc;
    if (v->type != BT_ARGPARSE_LIST)
        return wrong(err, dest, v, "list");
    *items = v->list.items;
    *n = v->list.n;
    return 0;
}

int bt_argparse_get_strs(const bt_argparse_ns *ns, const char *dest,
                         bt_strvec *out, bt_err *err)
{
    const bt_argparse_value *items;
    size_t n;
    int rc = bt_argparse_get_list(ns, dest, &items, &n, err);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < n; i++)
        if (items[i].type != BT_ARGPARSE_STR)
            return bt_err_setf(err, BT_ETYPE, -1,
                               "dest '%s' item %zu is a%s %s, not a str", dest,
                               i, items[i].type == BT_ARGPARSE_INT ? "n" : "",
                               tname(items[i].type));
    size_t mark = out->count;
    for (size_t i = 0; i < n; i++)
        if (bt_strvec_append_str(out, items[i].s) < 0) {
            while (out->count > mark)
                bt_strvec_remove(out, out->count - 1);
            return BT_ENOMEM;
        }
    return 0;
}
