/* builder.c — ArgumentParser, add_argument, groups and subparsers, with
 * the checks (and messages) Python makes while a parser is built. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "argparse_int.h"

/* Keeps the first building error on the top parser for every parse. */
static int fail(bt_argparse *c, bt_err *err, int code, const char *fmt, ...)
    BT_PRINTF(4, 5);
static int fail(bt_argparse *c, bt_err *err, int code, const char *fmt, ...)
{
    char msg[BT_ERR_MSG_SIZE];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bt_argparse *top = c->top;
    if (!top->setup_rc) {
        top->setup_rc = code;
        bt_err_setf(&top->setup_err, code, -1, "%s", msg);
    }
    return bt_err_setf(err, code, -1, "%s", msg);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s)
        return NULL;
    char *d = bt_strdup(s);
    if (!d)
        *oom = true;
    return d;
}

static void action_free(ap_action *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nopts; i++)
        bt_free(a->opts[i]);
    bt_free(a->opts);
    bt_free(a->dest);
    bt__ap_value_fini(&a->konst);
    bt__ap_value_fini(&a->dflt);
    bt_free(a->type_name);
    for (size_t i = 0; i < a->nchoices; i++)
        bt__ap_value_fini(&a->choices[i]);
    bt_free(a->choices);
    bt_free(a->help);
    bt_free(a->metavar);
    for (size_t i = 0; i < a->nmetavars; i++)
        bt_free(a->metavars[i]);
    bt_free(a->metavars);
    bt_free(a->version);
    for (size_t i = 0; i < a->nsubs; i++)
        bt_free(a->subs[i].name);
    bt_free(a->subs);
    for (size_t i = 0; i < a->choice_actions.n; i++)
        action_free(a->choice_actions.items[i]);
    bt__ap_vec_fini(&a->choice_actions);
    bt_free(a->prog_prefix);
    bt_free(a);
}

static void object_fini(bt_argparse *p)
{
    bt_free(p->prog);
    bt_free(p->usage);
    bt_free(p->description);
    bt_free(p->epilog);
    bt_free(p->prefix_chars);
    bt_free(p->fromfile);
    if (p->kind == AP_KIND_PARSER)
        for (size_t i = 0; i < p->actions.n; i++)
            action_free(p->actions.items[i]);
    bt__ap_vec_fini(&p->actions);
    bt_free(p->tpl);
    bt_free(p->tplidx);
    bt_free(p->tplnames);
    bt_free(p->optv);
    bt_free(p->optidx);
    bt__ap_vec_fini(&p->groups);
    bt__ap_vec_fini(&p->mutexes);
    for (size_t i = 0; i < p->default_dests.n; i++) {
        bt_free(p->default_dests.items[i]);
        bt__ap_value_fini(&p->default_values[i]);
    }
    bt__ap_vec_fini(&p->default_dests);
    bt_free(p->default_values);
    bt_free(p->title);
    bt__ap_value_fini(&p->argument_default);
    bt__ap_vec_fini(&p->group_actions);
}

void bt_argparse_free(bt_argparse *p)
{
    if (!p || p->top != p)
        return;
    for (size_t i = 0; i < p->owned.n; i++) {
        object_fini(p->owned.items[i]);
        bt_free(p->owned.items[i]);
    }
    bt__ap_vec_fini(&p->owned);
    for (size_t i = 0; i < p->owned_sp.n; i++)
        bt_free(p->owned_sp.items[i]);
    bt__ap_vec_fini(&p->owned_sp);
    object_fini(p);
    bt_free(p);
}

/* A new group or parser owned by top (or the top itself when top is NULL). */
static bt_argparse *object_new(bt_argparse *top, int kind)
{
    bt_argparse *o = bt_calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->kind = kind;
    o->top = top ? top : o;
    o->parser = o;
    if (top && bt__ap_vec_push(&top->owned, o) < 0) {
        bt_free(o);
        return NULL;
    }
    return o;
}

static bt_argparse *group_new(bt_argparse *c, int kind, const char *title,
                              const char *desc)
{
    bt_argparse *g = object_new(c->top, kind);
    if (!g) {
        fail(c, NULL, BT_ENOMEM, "out of memory");
        return NULL;
    }
    g->parser = c->parser;
    g->prefix_chars = NULL;
    bool oom = false;
    g->title = dup_or_null(title, &oom);
    g->description = dup_or_null(desc, &oom);
    if (oom) {
        fail(c, NULL, BT_ENOMEM, "out of memory");
        return NULL;
    }
    return g;
}

bt_argparse *bt_argparse_add_argument_group(bt_argparse *c, const char *title,
                                            const char *description)
{
    if (!c)
        return NULL;
    bt_argparse *g = group_new(c, AP_KIND_GROUP, title, description);
    if (g && bt__ap_vec_push(&c->parser->groups, g) < 0) {
        fail(c, NULL, BT_ENOMEM, "out of memory");
        return NULL;
    }
    return g;
}

bt_argparse *bt_argparse_add_mutually_exclusive_group(bt_argparse *c,
                                                      bool required)
{
    if (!c)
        return NULL;
    bt_argparse *g = group_new(c, AP_KIND_MUTEX, NULL, NULL);
    if (!g)
        return NULL;
    g->required = required;
    /* Python's _container: where the group's actions are shown. */
    g->positionals = c;
    if (bt__ap_vec_push(&c->parser->mutexes, g) < 0) {
        fail(c, NULL, BT_ENOMEM, "out of memory");
        return NULL;
    }
    return g;
}

static bool in_chars(const bt_argparse *p, char c)
{
    return p->parser->is_prefix[(unsigned char)c];
}

/* Python's _negative_number_matcher: ^-\d+$|^-\d*\.\d+$ */
bool bt__ap_looks_negative(const char *s)
{
    if (*s++ != '-')
        return false;
    const char *d = s;
    while (*s >= '0' && *s <= '9')
        s++;
    if (!*s)
        return s > d;
    if (*s++ != '.')
        return false;
    d = s;
    while (*s >= '0' && *s <= '9')
        s++;
    return !*s && s > d;
}

ap_action *bt__ap_find_option(const bt_argparse *p, const char *s, size_t n)
{
    if (!p->idxcap)
        return NULL;
    uint32_t h = bt__ap_hash(s, n);
    for (size_t i = h & (p->idxcap - 1);; i = (i + 1) & (p->idxcap - 1)) {
        uint32_t k = p->optidx[i];
        if (!k)
            return NULL;
        const ap_opt *o = &p->optv[k - 1];
        if (o->hash == h && o->len == n && memcmp(o->s, s, n) == 0)
            return o->a;
    }
}

/* Room for `more` option strings in the order and in the index. */
static int reserve_opts(bt_argparse *p, size_t more)
{
    size_t need = p->nopt + more;
    if (need > p->capopt) {
        size_t cap = p->capopt ? p->capopt : 16;
        while (cap < need)
            cap *= 2;
        ap_opt *v = bt_realloc(p->optv, cap * sizeof *v);
        if (!v)
            return BT_ENOMEM;
        p->optv = v;
        p->capopt = cap;
    }
    if (need * 2 > p->idxcap) {
        size_t cap = p->idxcap ? p->idxcap : 32;
        while (cap < need * 2)
            cap *= 2;
        uint32_t *idx = bt_calloc(cap, sizeof *idx);
        if (!idx)
            return BT_ENOMEM;
        for (size_t k = 0; k < p->nopt; k++)
            for (size_t i = p->optv[k].hash & (cap - 1);;
                 i = (i + 1) & (cap - 1))
                if (!idx[i]) {
                    idx[i] = (uint32_t)k + 1;
                    break;
                }
        bt_free(p->optidx);
        p->optidx = idx;
        p->idxcap = cap;
    }
    return 0;
}

static int reserve(ap_vec *v)
{
    if (v->n < v->cap)
        return 0;
    int rc = bt__ap_vec_push(v, NULL);
    if (rc == 0)
        v->n--;
    return rc;
}

/* Room first, so a failure leaves nothing half added. */
static int add_to(bt_argparse *c, ap_action *a)
{
    bt_argparse *p = c->parser;
    bt_argparse *mutex = NULL;
    if (c->kind == AP_KIND_MUTEX) {
        mutex = c;
        c = c->positionals;
    }
    bt_argparse *g = c->kind == AP_KIND_GROUP ? c
                     : a->nopts               ? p->optionals
                                              : p->positionals;
    if (reserve(&p->actions) < 0 || reserve(&g->group_actions) < 0 ||
        (mutex && reserve(&mutex->group_actions) < 0) ||
        reserve_opts(p, a->nopts) < 0)
        return BT_ENOMEM;
    for (size_t i = 0; i < a->nopts; i++) {
        ap_opt *o = &p->optv[p->nopt];
        *o = (ap_opt){a->opts[i], strlen(a->opts[i]), 0, a};
        o->hash = bt__ap_hash(o->s, o->len);
        for (size_t k = o->hash & (p->idxcap - 1);;
             k = (k + 1) & (p->idxcap - 1))
            if (!p->optidx[k]) {
                p->optidx[k] = (uint32_t)p->nopt + 1;
                break;
            }
        p->nopt++;
    }
    a->dest_hash = bt__ap_hash(a->dest, strlen(a->dest));
    a->dest_suppress = bt__ap_str_is_suppress(a->dest);
    a->index = p->actions.n;
    bt__ap_vec_push(&p->actions, a);
    bt__ap_vec_push(&g->group_actions, a);
    if (mutex)
        bt__ap_vec_push(&mutex->group_actions, a);
    for (size_t i = 0; i < a->nopts; i++)
        if (bt__ap_looks_negative(a->opts[i]))
            p->has_negative_number_optionals = true;
    bt__ap_rebuild_template(p);
    return 0;
}

/* The metavar tuple must fit nargs as _format_args needs. */
static bool metavars_fit(const ap_action *a)
{
    if (!a->nmetavars)
        return true;
    size_t k = a->nmetavars;
    switch (a->nargs) {
    case AP_NONE:
    case AP_OPTIONAL:
    case AP_PARSER:
        return k == 1;
    case AP_ZOM:
        return k == 1 || k == 2;
    case AP_OOM:
        return k == 2;
    case AP_REMAINDER:
    case AP_SUPPRESS:
        return true;
    default:
        return (size_t)a->nargs == k;
    }
}

static int repr_into(char *dst, size_t size, const char *s)
{
    bt_buf b = BT_BUF_INIT;
    int rc = bt_repr_str(&b, s, strlen(s));
    snprintf(dst, size, "%s", rc == 0 && b.data ? b.data : "");
    bt_buf_fini(&b);
    return rc;
}

static const char *const class_names[] = {
    "_StoreAction",      "_StoreConstAction",    "_StoreTrueAction",
    "_StoreFalseAction", "_AppendAction",        "_AppendConstAction",
    "_CountAction",      "_HelpAction",          "_VersionAction",
    "_ExtendAction",     "BooleanOptionalAction"};

/* The keywords the action class refuses: 0, or the code with msg. */
static int kw_error(const bt_argparse_arg *kw, ap_action *a, char *kw_msg,
                    size_t size)
{
    switch (kw->action) {
    case BT_ARGPARSE_STORE:
    case BT_ARGPARSE_APPEND:
    case BT_ARGPARSE_EXTEND:
        if (kw->const_value.type != BT_ARGPARSE_UNSET &&
            kw->const_value.type != BT_ARGPARSE_NONE && a->nargs != AP_OPTIONAL)
            return snprintf(kw_msg, size, "nargs must be '?' to supply const"),
                   BT_EVALUE;
        return 0;
    default:
        if (kw->nargs || (kw->action != BT_ARGPARSE_STORE_CONST &&
                          kw->action != BT_ARGPARSE_APPEND_CONST &&
                          kw->const_value.type != BT_ARGPARSE_UNSET)) {
            snprintf(kw_msg, size,
                     "%s.__init__() got an unexpected keyword argument '%s'",
                     class_names[kw->action], kw->nargs ? "nargs" : "const");
            return BT_ETYPE;
        }
        return 0;
    }
}

/* _check_conflict (conflict_handler='error'), then _add_action. */
static int check_and_add(bt_argparse *c, ap_action *a, bt_err *err)
{
    bt_argparse *p = c->parser;
    bt_buf conf = BT_BUF_INIT;
    size_t nconf = 0;
    bool cfail = false;
    int rc = 0;
    for (size_t i = 0; i < a->nopts; i++)
        if (bt__ap_find_option(p, a->opts[i], strlen(a->opts[i])))
            cfail |= bt_buf_printf(&conf, "%s%s", nconf++ ? ", " : "",
                                   a->opts[i]) < 0;
    if (nconf) {
        bt_buf name = BT_BUF_INIT;
        cfail |= bt__ap_action_name(a, &name) < 0;
        if (cfail)
            rc = fail(c, err, BT_ENOMEM, "out of memory");
        else
            rc = fail(c, err, BT_EARGUMENT,
                      "argument %s: conflicting option string%s: %s", name.data,
                      nconf > 1 ? "s" : "", conf.data);
        bt_buf_fini(&name);
        bt_buf_fini(&conf);
        return rc;
    }
    if ((rc = add_to(c, a)) < 0)
        fail(c, err, rc, "out of memory");
    return rc;
}

int bt_argparse_add_argument(bt_argparse *c, const char *const *names,
                             const bt_argparse_arg *kwp, bt_err *err)
{
    if (!c)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    static const bt_argparse_arg none;
    const bt_argparse_arg *kw = kwp ? kwp : &none;
    bt_argparse *p = c->parser;
    size_t n = 0;
    while (names && names[n])
        n++;
    if ((unsigned)kw->action > BT_ARGPARSE_BOOLEAN_OPTIONAL)
        return fail(c, err, BT_EVALUE, "unknown action \"%d\"",
                    (int)kw->action);
    for (size_t i = 0; i < n; i++)
        if (!names[i][0])
            return fail(c, err, BT_EVALUE,
                        "an argument name must not be empty");
    bool positional = n == 0 || (n == 1 && !in_chars(p, names[0][0]));
    ap_action *a = bt_calloc(1, sizeof *a);
    if (!a)
        return fail(c, err, BT_ENOMEM, "out of memory");
    bool oom = false;
    int rc = 0;
    a->kind = (int)kw->action;
    a->nargs = kw->nargs == 0 ? AP_NONE : kw->nargs;
    if (kw->nargs < BT_ARGPARSE_REMAINDER) {
        rc = fail(c, err, BT_EVALUE, "invalid nargs value");
        goto out;
    }
    switch (kw->action) {
    case BT_ARGPARSE_STORE_CONST:
    case BT_ARGPARSE_STORE_TRUE:
    case BT_ARGPARSE_STORE_FALSE:
    case BT_ARGPARSE_APPEND_CONST:
    case BT_ARGPARSE_COUNT:
    case BT_ARGPARSE_HELP:
    case BT_ARGPARSE_VERSION:
    case BT_ARGPARSE_BOOLEAN_OPTIONAL:
        a->nargs = AP_ZERO;
        break;
    default:
        break;
    }
    char why[160];
    int code = kw_error(kw, a, why, sizeof why);
    if (code) {
        rc = fail(c, err, code, "%s", why);
        goto out;
    }
    if (positional) {
        if (n == 1 && kw->dest) {
            rc = fail(c, err, BT_EVALUE,
                      "dest supplied twice for positional argument");
            goto out;
        }
        if (n == 0 && !kw->dest) {
            rc = fail(c, err, BT_ETYPE,
                      "_get_positional_kwargs() missing 1 required positional "
                      "argument: "
                      "'dest'");
            goto out;
        }
        if (kw->required) {
            rc = fail(c, err, BT_ETYPE,
                      "'required' is an invalid argument for positionals");
            goto out;
        }
        a->dest = bt_strdup(n ? names[0] : kw->dest);
        oom |= !a->dest;
        a->required =
            !(a->nargs == AP_OPTIONAL || a->nargs == AP_ZOM) ||
            (a->nargs == AP_ZOM && kw->default_value.type == BT_ARGPARSE_UNSET);
    } else {
        size_t extra = kw->action == BT_ARGPARSE_BOOLEAN_OPTIONAL ? n : 0;
        a->opts = bt_calloc(n + extra, sizeof *a->opts);
        if (!a->opts) {
            rc = fail(c, err, BT_ENOMEM, "out of memory");
            goto out;
        }
        const char *longname = NULL;
        for (size_t i = 0; i < n; i++) {
            if (!in_chars(p, names[i][0])) {
                char r1[200], r2[100];
                repr_into(r1, sizeof r1, names[i]);
                repr_into(r2, sizeof r2, p->prefix_chars);
                rc = fail(
                    c, err, BT_EVALUE,
                    "invalid option string %s: must start with a character %s",
                    r1, r2);
                goto out;
            }
            if (!(a->opts[a->nopts++] = bt_strdup(names[i]))) {
                rc = fail(c, err, BT_ENOMEM, "out of memory");
                goto out;
            }
            if (!longname && names[i][1] && in_chars(p, names[i][1]))
                longname = names[i];
            if (extra && strncmp(names[i], "--", 2) == 0) {
                bt_buf b = BT_BUF_INIT;
                if (bt_buf_printf(&b, "--no-%s", names[i] + 2) < 0) {
                    rc = fail(c, err, BT_ENOMEM, "out of memory");
                    goto out;
                }
                a->opts[a->nopts++] = bt_buf_take(&b, NULL);
            }
        }
        if (kw->dest) {
            a->dest = bt_strdup(kw->dest);
            oom |= !a->dest;
        } else {
            const char *d = longname ? longname : names[0];
            while (*d && in_chars(p, *d))
                d++;
            if (!*d) {
                char r[200];
                repr_into(r, sizeof r, names[n - 1]);
                rc = fail(c, err, BT_EVALUE,
                          "dest= is required for options like %s", r);
                goto out;
            }
            if ((a->dest = bt_strdup(d)))
                for (char *q = a->dest; *q; q++)
                    if (*q == '-')
                        *q = '_';
            oom |= !a->dest;
        }
        a->required = kw->required;
    }
    if (oom) {
        rc = fail(c, err, BT_ENOMEM, "out of memory");
        goto out;
    }
    /* default: given, else the parser's set_defaults, else the action's */
    const bt_argparse_value *dv = &kw->default_value;
    if (dv->type == BT_ARGPARSE_UNSET)
        for (size_t i = 0; i < p->default_dests.n; i++)
            if (strcmp(p->default_dests.items[i], a->dest) == 0)
                dv = &p->default_values[i];
    bt_argparse_value dflt = *dv;
    if (dflt.type == BT_ARGPARSE_UNSET &&
        p->argument_default.type != BT_ARGPARSE_UNSET &&
        p->argument_default.type != BT_ARGPARSE_NONE)
        dflt = p->argument_default;
    if (dflt.type == BT_ARGPARSE_UNSET) {
        if (kw->action == BT_ARGPARSE_STORE_TRUE)
            dflt = BT_ARGPARSE_VBOOL(false);
        else if (kw->action == BT_ARGPARSE_STORE_FALSE)
            dflt = BT_ARGPARSE_VBOOL(true);
        else if (kw->action == BT_ARGPARSE_HELP ||
                 kw->action == BT_ARGPARSE_VERSION)
            dflt = BT_ARGPARSE_VSUPPRESS;
        else
            dflt = BT_ARGPARSE_VNONE;
    }
    bt_argparse_value konst = kw->const_value;
    if (kw->action == BT_ARGPARSE_STORE_TRUE)
        konst = BT_ARGPARSE_VBOOL(true);
    else if (kw->action == BT_ARGPARSE_STORE_FALSE)
        konst = BT_ARGPARSE_VBOOL(false);
    else if (konst.type == BT_ARGPARSE_UNSET)
        konst = BT_ARGPARSE_VNONE;
    if (bt__ap_value_copy(&a->dflt, &dflt) < 0 ||
        bt__ap_value_copy(&a->konst, &konst) < 0) {
        rc = fail(c, err, BT_ENOMEM, "out of memory");
        goto out;
    }
    a->type = kw->type;
    a->convert = kw->convert;
    a->convert_ctx = kw->convert_ctx;
    const char *help = kw->help;
    if (!help && kw->action == BT_ARGPARSE_VERSION)
        help = "show program's version number and exit";
    a->type_name = dup_or_null(
        kw->convert ? (kw->type_name ? kw->type_name : "type") : NULL, &oom);
    a->help = dup_or_null(help, &oom);
    a->metavar = dup_or_null(kw->metavar, &oom);
    a->version = dup_or_null(kw->version, &oom);
    if (kw->metavars) {
        while (kw->metavars[a->nmetavars])
            a->nmetavars++;
        a->metavars =
            bt_calloc(a->nmetavars ? a->nmetavars : 1, sizeof *a->metavars);
        oom |= !a->metavars;
        for (size_t i = 0; !oom && i < a->nmetavars; i++)
            oom |= !(a->metavars[i] = bt_strdup(kw->metavars[i]));
        if (oom)
            a->nmetavars = 0;
    }
    if (oom) {
        rc = fail(c, err, BT_ENOMEM, "out of memory");
        goto out;
    }
    if (kw->choices) {
        size_t k = 0;
        while (kw->choices[k])
            k++;
        a->has_choices = true;
        a->choices = bt_calloc(k ? k : 1, sizeof *a->choices);
        if (!a->choices) {
            rc = fail(c, err, BT_ENOMEM, "out of memory");
            goto out;
        }
        bt_buf msg = BT_BUF_INIT;
        for (size_t i = 0; i < k; i++) {
            rc = bt__ap_convert(a, kw->choices[i], &a->choices[i], &msg, NULL);
            if (rc < 0)
                break;
            a->nchoices++;
        }
        if (rc < 0) {
            rc = rc == BT_ENOMEM ? fail(c, err, rc, "out of memory")
                                 : fail(c, err, BT_EVALUE, "choice: %s",
                                        msg.data ? msg.data : "");
            bt_buf_fini(&msg);
            goto out;
        }
        bt_buf_fini(&msg);
    }
    if (!metavars_fit(a)) {
        rc = fail(c, err, BT_EVALUE,
                  "length of metavar tuple does not match nargs");
        goto out;
    }
    if (c->kind == AP_KIND_MUTEX && a->required) {
        rc = fail(c, err, BT_EVALUE,
                  "mutually exclusive arguments must be optional");
        goto out;
    }
    if ((rc = check_and_add(c, a, err)) < 0)
        goto out;
    return 0;
out:
    action_free(a);
    return rc;
}

/* parser._defaults[dest] = value */
static int defaults_put(bt_argparse *p, const char *dest,
                        const bt_argparse_value *value)
{
    for (size_t i = 0; i < p->default_dests.n; i++)
        if (strcmp(p->default_dests.items[i], dest) == 0) {
            bt_argparse_value v;
            if (bt__ap_value_copy(&v, value) < 0)
                return BT_ENOMEM;
            bt__ap_value_fini(&p->default_values[i]);
            p->default_values[i] = v;
            return 0;
        }
    bt_argparse_value *vals =
        bt_realloc(p->default_values, (p->default_dests.n + 1) * sizeof *vals);
    if (!vals)
        return BT_ENOMEM;
    p->default_values = vals;
    char *d = bt_strdup(dest);
    if (!d || bt__ap_value_copy(&vals[p->default_dests.n], value) < 0) {
        bt_free(d);
        return BT_ENOMEM;
    }
    if (bt__ap_vec_push(&p->default_dests, d) < 0) {
        bt__ap_value_fini(&vals[p->default_dests.n]);
        bt_free(d);
        return BT_ENOMEM;
    }
    return 0;
}

int bt_argparse_set_default(bt_argparse *p, const char *dest,
                            bt_argparse_value value)
{
    p = p->parser;
    for (size_t i = 0; i < p->actions.n; i++) {
        ap_action *a = p->actions.items[i];
        if (strcmp(a->dest, dest) == 0) {
            bt_argparse_value v;
            if (bt__ap_value_copy(&v, &value) < 0)
                return BT_ENOMEM;
            bt__ap_value_fini(&a->dflt);
            a->dflt = v;
        }
    }
    int rc = defaults_put(p, dest, &value);
    bt__ap_rebuild_template(p);
    return rc;
}

/* A parent's action, copied (Python shares the object). */
static ap_action *action_copy(const ap_action *src)
{
    ap_action *a = bt_calloc(1, sizeof *a);
    if (!a)
        return NULL;
    bool oom = false;
    a->kind = src->kind;
    a->nargs = src->nargs;
    a->type = src->type;
    a->convert = src->convert;
    a->convert_ctx = src->convert_ctx;
    a->has_choices = src->has_choices;
    a->required = src->required;
    a->dest = dup_or_null(src->dest, &oom);
    a->type_name = dup_or_null(src->type_name, &oom);
    a->help = dup_or_null(src->help, &oom);
    a->metavar = dup_or_null(src->metavar, &oom);
    a->version = dup_or_null(src->version, &oom);
    oom |= bt__ap_value_copy(&a->konst, &src->konst) < 0;
    oom |= bt__ap_value_copy(&a->dflt, &src->dflt) < 0;
    a->opts = bt_calloc(src->nopts + 1, sizeof *a->opts);
    a->choices = bt_calloc(src->nchoices + 1, sizeof *a->choices);
    a->metavars = bt_calloc(src->nmetavars + 1, sizeof *a->metavars);
    oom |= !a->opts || !a->choices || !a->metavars;
    for (size_t i = 0; !oom && i < src->nopts; i++, a->nopts++)
        oom |= !(a->opts[i] = bt_strdup(src->opts[i]));
    for (size_t i = 0; !oom && i < src->nchoices; i++, a->nchoices++)
        oom |= bt__ap_value_copy(&a->choices[i], &src->choices[i]) < 0;
    for (size_t i = 0; !oom && i < src->nmetavars; i++, a->nmetavars++)
        oom |= !(a->metavars[i] = bt_strdup(src->metavars[i]));
    if (oom) {
        action_free(a);
        return NULL;
    }
    return a;
}

static bt_argparse *group_named(bt_argparse *p, const char *title)
{
    for (size_t i = 0; i < p->groups.n; i++) {
        bt_argparse *g = p->groups.items[i];
        if ((!g->title && !title) ||
            (g->title && title && strcmp(g->title, title) == 0))
            return g;
    }
    return NULL;
}

/* _add_container_actions(parent), then the parent's defaults. */
static int add_parent(bt_argparse *p, const bt_argparse *parent)
{
    parent = parent->parser;
    if (parent->top->setup_rc) /* a parent that failed to build */
        return fail(p, NULL, parent->top->setup_rc, "%s",
                    parent->top->setup_err.msg);
    if (parent->subparsers)
        return fail(p, NULL, BT_ENOTIMPL,
                    "parents with subparsers are not supported");
    for (size_t i = 0; i < p->groups.n; i++)
        for (size_t j = i + 1; j < p->groups.n; j++) {
            const bt_argparse *a = p->groups.items[i], *b = p->groups.items[j];
            if (a->title && b->title && strcmp(a->title, b->title) == 0) {
                bt_buf r = BT_BUF_INIT;
                int rc =
                    bt_repr_str(&r, a->title, strlen(a->title)) < 0
                        ? fail(p, NULL, BT_ENOMEM, "out of memory")
                        : fail(p, NULL, BT_EVALUE,
                               "cannot merge actions - two groups are named %s",
                               r.data);
                bt_buf_fini(&r);
                return rc;
            }
        }
    /* the groups first (by title, made when new), then the mutexes */
    size_t ng = parent->groups.n, nm = parent->mutexes.n;
    bt_argparse **gmap = bt_calloc(ng + nm + 1, sizeof *gmap);
    if (!gmap)
        return fail(p, NULL, BT_ENOMEM, "out of memory");
    int rc = 0;
    for (size_t g = 0; rc == 0 && g < ng; g++) {
        const bt_argparse *pg = parent->groups.items[g];
        gmap[g] = group_named(p, pg->title);
        if (!gmap[g] && !(gmap[g] = bt_argparse_add_argument_group(
                              p, pg->title, pg->description)))
            rc = BT_ENOMEM;
    }
    for (size_t g = 0; rc == 0 && g < nm; g++) {
        const bt_argparse *pg = parent->mutexes.items[g];
        if (!(gmap[ng + g] =
                  bt_argparse_add_mutually_exclusive_group(p, pg->required)))
            rc = BT_ENOMEM;
    }
    /* then every action, in order, to the last group that maps it */
    for (size_t i = 0; rc == 0 && i < parent->actions.n; i++) {
        const ap_action *src = parent->actions.items[i];
        bt_argparse *target = p;
        for (size_t g = 0; g < ng + nm; g++) {
            const bt_argparse *pg = g < ng ? parent->groups.items[g]
                                           : parent->mutexes.items[g - ng];
            for (size_t k = 0; k < pg->group_actions.n; k++)
                if (pg->group_actions.items[k] == src)
                    target = gmap[g];
        }
        ap_action *a = action_copy(src);
        if (!a) {
            rc = fail(p, NULL, BT_ENOMEM, "out of memory");
            break;
        }
        if ((rc = check_and_add(target, a, NULL)) < 0)
            action_free(a);
    }
    bt_free(gmap);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < parent->default_dests.n; i++)
        if (defaults_put(p, parent->default_dests.items[i],
                         &parent->default_values[i]) < 0)
            return fail(p, NULL, BT_ENOMEM, "out of memory");
    bt__ap_rebuild_template(p);
    return 0;
}

extern char *program_invocation_short_name;

static bt_argparse *parser_new(const bt_argparse_opts *o, const char *prog,
                               bt_argparse *top)
{
    static const bt_argparse_opts none;
    if (!o)
        o = &none;
    bt_argparse *p = object_new(top, AP_KIND_PARSER);
    if (!p)
        return NULL;
    bool oom = false;
    if (!prog)
        prog = o->prog ? o->prog : program_invocation_short_name;
    p->prog = dup_or_null(prog ? prog : "", &oom);
    p->usage = dup_or_null(o->usage, &oom);
    p->description = dup_or_null(o->description, &oom);
    p->epilog = dup_or_null(o->epilog, &oom);
    p->prefix_chars =
        dup_or_null(o->prefix_chars ? o->prefix_chars : "-", &oom);
    p->fromfile = dup_or_null(o->fromfile_prefix_chars, &oom);
    for (const char *c = p->prefix_chars; c && *c; c++)
        p->is_prefix[(unsigned char)*c] = true;
    p->add_help = !o->no_add_help;
    p->allow_abbrev = !o->no_allow_abbrev;
    p->exit_on_error = o->exit_on_error;
    p->width = o->width;
    p->formatter = o->formatter_class;
    if (bt__ap_value_copy(&p->argument_default, &o->argument_default) < 0)
        oom = true;
    if (!oom &&
        (p->positionals =
             bt_argparse_add_argument_group(p, "positional arguments", NULL)) &&
        (p->optionals = bt_argparse_add_argument_group(p, "options", NULL)) &&
        p->add_help) {
        char h[3] = {0}, help[7] = "--help";
        char dp = strchr(p->prefix_chars, '-') ? '-' : p->prefix_chars[0];
        h[0] = dp;
        h[1] = 'h';
        help[0] = help[1] = dp;
        bt_argparse_add_argument(
            p, BT_ARGPARSE_NAMES(h, help),
            &(bt_argparse_arg){.action = BT_ARGPARSE_HELP,
                               .default_value = BT_ARGPARSE_VSUPPRESS,
                               .help = "show this help message and exit"},
            NULL);
    }
    for (size_t i = 0;
         !oom && p->positionals && p->optionals && o->parents && o->parents[i];
         i++)
        add_parent(p, o->parents[i]);
    if (oom || !p->positionals || !p->optionals ||
        p->top->setup_rc == BT_ENOMEM) {
        if (!top)
            bt_argparse_free(p);
        else
            fail(top, NULL, BT_ENOMEM, "out of memory");
        return NULL;
    }
    return p;
}

bt_argparse *bt_argparse_new(const bt_argparse_opts *opts)
{
    if (opts && opts->prefix_chars && !opts->prefix_chars[0])
        return NULL;
    return parser_new(opts, NULL, NULL);
}

bt_argparse_subparsers *
bt_argparse_add_subparsers(bt_argparse *p, const bt_argparse_subparsers_opts *o,
                           bt_err *err)
{
    static const bt_argparse_subparsers_opts none;
    if (!o)
        o = &none;
    if (!p)
        return NULL;
    p = p->parser;
    if (p->subparsers) {
        fail(p, err, BT_EARGUMENT, "cannot have multiple subparser arguments");
        return NULL;
    }
    bt_argparse *group = p->positionals;
    if (o->title || o->description)
        group = bt_argparse_add_argument_group(
            p, o->title ? o->title : "subcommands", o->description);
    bt_argparse_subparsers *sp = bt_calloc(1, sizeof *sp);
    ap_action *a = bt_calloc(1, sizeof *a);
    bool oom =
        !group || !sp || !a || bt__ap_vec_push(&p->top->owned_sp, sp) < 0;
    if (oom) {
        bt_free(sp);
        bt_free(a);
        fail(p, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    a->kind = AP_PARSERS_ACTION;
    a->nargs = AP_PARSER;
    a->has_choices = true;
    a->required = o->required;
    a->dflt = BT_ARGPARSE_VNONE;
    a->konst = BT_ARGPARSE_VNONE;
    a->dest = dup_or_null(o->dest ? o->dest : BT_ARGPARSE_SUPPRESS, &oom);
    a->help = dup_or_null(o->help, &oom);
    a->metavar = dup_or_null(o->metavar, &oom);
    if (o->prog)
        a->prog_prefix = dup_or_null(o->prog, &oom);
    else {
        bt_buf b = BT_BUF_INIT;
        int rc = bt__ap_format_prog_usage(p, &b, err);
        if (rc < 0)
            oom = true;
        else
            a->prog_prefix = bt_buf_take(&b, NULL);
        oom |= !a->prog_prefix;
        bt_buf_fini(&b);
    }
    if (oom || add_to(group, a) < 0) {
        action_free(a);
        fail(p, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    p->subparsers = a;
    sp->parser = p;
    sp->action = a;
    return sp;
}

bt_argparse *bt_argparse_add_parser(bt_argparse_subparsers *sp,
                                    const char *name, const bt_argparse_opts *o,
                                    bt_err *err)
{
    if (!sp)
        return NULL;
    ap_action *a = sp->action;
    bt_argparse *top = sp->parser->top;
    size_t nal = 0;
    while (o && o->aliases && o->aliases[nal])
        nal++;
    for (size_t k = 0; k <= nal; k++) {
        const char *nm = k == 0 ? name : o->aliases[k - 1];
        for (size_t i = 0; i < a->nsubs; i++)
            if (strcmp(a->subs[i].name, nm) == 0) {
                bt_buf an = BT_BUF_INIT;
                if (bt__ap_action_name(a, &an) < 0)
                    fail(top, err, BT_ENOMEM, "out of memory");
                else
                    fail(top, err, BT_EARGUMENT,
                         "argument %s: conflicting subparser%s: %s",
                         an.data ? an.data : "", k ? " alias" : "", nm);
                bt_buf_fini(&an);
                return NULL;
            }
    }
    bt_buf prog = BT_BUF_INIT;
    if (!(o && o->prog) &&
        bt_buf_printf(&prog, "%s %s", a->prog_prefix, name) < 0) {
        fail(top, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    bt_argparse *sub = parser_new(o, o && o->prog ? o->prog : prog.data, top);
    bt_buf_fini(&prog);
    if (!sub) {
        fail(top, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    ap_sub *subs = bt_realloc(a->subs, (a->nsubs + nal + 1) * sizeof *subs);
    if (!subs) {
        fail(top, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    a->subs = subs;
    bool oom = false;
    for (size_t k = 0; k <= nal; k++) {
        char *nm = bt_strdup(k == 0 ? name : o->aliases[k - 1]);
        if (!nm) {
            oom = true;
            break;
        }
        subs[a->nsubs].name = nm;
        subs[a->nsubs++].parser = sub;
    }
    if (!oom && o && o->help) {
        ap_action *ch = bt_calloc(1, sizeof *ch);
        bt_buf mv = BT_BUF_INIT;
        if (!ch || bt__ap_vec_push(&a->choice_actions, ch) < 0) {
            bt_free(ch);
            oom = true;
        } else {
            ch->nargs = AP_NONE;
            ch->dflt = BT_ARGPARSE_VNONE;
            ch->konst = BT_ARGPARSE_VNONE;
            ch->dest = dup_or_null(name, &oom);
            ch->help = dup_or_null(o->help, &oom);
            oom |= bt_buf_append_str(&mv, name) < 0;
            for (size_t k = 0; k < nal; k++)
                oom |= bt_buf_printf(&mv, "%s%s", k ? ", " : " (",
                                     o->aliases[k]) < 0;
            if (nal)
                oom |= bt_buf_append_byte(&mv, ')') < 0;
            if (!oom)
                ch->metavar = bt_buf_take(&mv, NULL);
            bt_buf_fini(&mv);
        }
    }
    if (oom) {
        fail(top, err, BT_ENOMEM, "out of memory");
        return NULL;
    }
    return sub;
}
