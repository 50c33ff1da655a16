/* parse.c — ArgumentParser.parse_known_args and friends, ported from
 * CPython 3.11's argparse step by step (the pattern of 'O', 'A' and '-'
 * over the arguments, nargs patterns matched greedily with backtracking,
 * consume_optional / consume_positionals, defaults, required checks). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argparse_int.h"

enum { MODE_NORMAL, MODE_INTERMIXED_1, MODE_INTERMIXED_2 };

typedef struct opt_tuple {
    bool is_opt;
    const ap_action *a; /* NULL: looks like an option nobody knows */
    const char *os;     /* the option string */
    size_t oslen;
    const char *explicit_arg; /* NULL: None */
} opt_tuple;

typedef struct st {
    const bt_argparse *p;
    bt_argparse_ns *ns;  /* the namespace being filled */
    bt_argparse_ns *res; /* where exit text and status go */
    int mode;
    const char *usage; /* the usage errors show */
    const char **args;
    size_t n;
    char *pattern;
    opt_tuple *ot;
    bool *seen, *seen_nd;
    ap_action **positionals;
    size_t npos;
    bt_strvec *extras;
    bt_strvec owned; /* arguments read from files */
    bt_buf msg;
    bt_err *err;
    bool slots; /* the namespace came from p's template: actions' slots hold */
} st;

/* The namespace entry of a's dest, if any. */
static ap_entry *entry_of(const st *s, const ap_action *a)
{
    if (s->slots && a->slot >= 0)
        return &s->ns->e[a->slot];
    return bt__ap_ns_find_h(s->ns, a->dest, a->dest_hash);
}

/* setattr(namespace, a.dest, *v), taking *v. */
static int set_action(st *s, const ap_action *a, bt_argparse_value *v)
{
    if (s->slots && a->slot >= 0) {
        ap_entry *e = &s->ns->e[a->slot];
        bt__ap_value_fini_in(s->ns, &e->v);
        e->v = *v;
        e->default_of = NULL;
        v->type = BT_ARGPARSE_UNSET;
        return 0;
    }
    return bt__ap_ns_set_h(s->ns, a->dest, a->dest_hash, v, NULL);
}

/* ------------------------------------------------------------------ */
/* per-mode views of an action (parse_intermixed_args changes them)    */
/* ------------------------------------------------------------------ */

static int a_nargs(const st *s, const ap_action *a)
{
    return s->mode == MODE_INTERMIXED_1 && !a->nopts ? AP_SUPPRESS : a->nargs;
}

static const bt_argparse_value *a_default(const st *s, const ap_action *a)
{
    static const bt_argparse_value sup = {.type = BT_ARGPARSE_STR,
                                          .s = BT_ARGPARSE_SUPPRESS};
    return s->mode == MODE_INTERMIXED_1 && !a->nopts ? &sup : &a->dflt;
}

static bool a_required(const st *s, const ap_action *a)
{
    return s->mode == MODE_INTERMIXED_2 && a->nopts ? false : a->required;
}

/* ------------------------------------------------------------------ */
/* errors                                                              */
/* ------------------------------------------------------------------ */

/* ArgumentError(action, msg): "argument NAME: msg" in s->msg. */
static int arg_error(st *s, const ap_action *a, const char *fmt, ...)
    BT_PRINTF(3, 4);
static int arg_error(st *s, const ap_action *a, const char *fmt, ...)
{
    bt_buf_clear(&s->msg);
    bt_buf name = BT_BUF_INIT;
    int rc = a ? bt__ap_action_name(a, &name) : 0;
    if (rc < 0)
        return BT_ENOMEM;
    if (rc == 1 && bt_buf_printf(&s->msg, "argument %s: ", name.data) < 0)
        rc = BT_ENOMEM;
    bt_buf_fini(&name);
    if (rc < 0)
        return rc;
    va_list ap;
    va_start(ap, fmt);
    rc = bt_buf_vprintf(&s->msg, fmt, ap);
    va_end(ap);
    return rc < 0 ? BT_ENOMEM : BT_EARGUMENT;
}

/* The message is in s->msg: write usage + "prog: error: msg" once. */
static int report(st *s, int rc)
{
    if (rc != BT_EARGUMENT || s->res->status)
        return rc;
    bt_argparse_ns *r = s->res;
    bt_buf_clear(&r->output);
    int e = bt__ap_usage_with(s->p, s->usage, &r->output, NULL);
    if (e == 0 && bt_buf_printf(&r->output, "%s: error: %s\n", s->p->prog,
                                s->msg.data ? s->msg.data : "") < 0)
        e = BT_ENOMEM;
    if (e < 0)
        return e;
    r->status = 2;
    bt_err_setf(s->err, BT_EARGUMENT, -1, "%s", s->msg.data ? s->msg.data : "");
    return BT_EARGUMENT;
}

static int error_plain(st *s, const char *msg)
{
    bt_buf_clear(&s->msg);
    return bt_buf_append_str(&s->msg, msg) < 0 ? BT_ENOMEM : BT_EARGUMENT;
}

/* ------------------------------------------------------------------ */
/* nargs patterns                                                      */
/* ------------------------------------------------------------------ */

enum { SD = 1, SA = 2, SO = 4 };

typedef struct el {
    unsigned char set;
    unsigned char min;
    size_t max; /* SIZE_MAX: * */
    size_t group;
} el;

/* _get_nargs_pattern as elements; optionals drop the '-' parts. */
static int nargs_els(int nargs, bool optional, size_t group, el *out,
                     size_t *ne, size_t cap)
{
    size_t n = *ne;
#define EL(s, lo, hi)                                                          \
    do {                                                                       \
        unsigned char s_ = (unsigned char)((s) & (optional ? ~SD : 0xff));     \
        if (s_) {                                                              \
            if (n >= cap)                                                      \
                return BT_EVALUE;                                              \
            out[n++] = (el){s_, (lo), (hi), group};                            \
        }                                                                      \
    } while (0)
    switch (nargs) {
    case AP_NONE:
        EL(SD, 0, SIZE_MAX);
        EL(SA, 1, 1);
        EL(SD, 0, SIZE_MAX);
        break;
    case AP_OPTIONAL:
        EL(SD, 0, SIZE_MAX);
        EL(SA, 0, 1);
        EL(SD, 0, SIZE_MAX);
        break;
    case AP_ZOM:
        EL(SD, 0, SIZE_MAX);
        EL(SA | SD, 0, SIZE_MAX);
        break;
    case AP_OOM:
        EL(SD, 0, SIZE_MAX);
        EL(SA, 1, 1);
        EL(SA | SD, 0, SIZE_MAX);
        break;
    case AP_REMAINDER:
        EL(SA | SD | SO, 0, SIZE_MAX);
        break;
    case AP_PARSER:
        EL(SD, 0, SIZE_MAX);
        EL(SA, 1, 1);
        EL(SA | SD | SO, 0, SIZE_MAX);
        break;
    case AP_SUPPRESS:
        EL(SD, 0, SIZE_MAX);
        EL(SD, 0, SIZE_MAX);
        break;
    default:
        EL(SD, 0, SIZE_MAX);
        for (int i = 0; i < nargs; i++) {
            if (i)
                EL(SD, 0, SIZE_MAX);
            EL(SA, 1, 1);
        }
        EL(SD, 0, SIZE_MAX);
    }
#undef EL
    *ne = n;
    return 0;
}

static unsigned char cls(char c)
{
    return c == 'A' ? SA : c == 'O' ? SO : SD;
}

/* re.match of the elements at pat: greedy, backtracking like sre. */
static bool match_els(const el *els, size_t ne, size_t ei, const char *pat,
                      size_t plen, size_t pi, size_t *counts,
                      unsigned long *budget)
{
    if (ei == ne)
        return true;
    if (!(*budget)--)
        return false;
    const el *e = &els[ei];
    size_t k = 0;
    while (k < e->max && pi + k < plen && (cls(pat[pi + k]) & e->set))
        k++;
    for (;;) {
        if (k < e->min)
            return false;
        counts[ei] = k;
        if (match_els(els, ne, ei + 1, pat, plen, pi + k, counts, budget))
            return true;
        if (k == 0)
            return false;
        k--;
    }
}

/* _match_arguments_partial: how many strings each leading action takes;
 * returns the number of actions matched (0..n). */
static int match_partial(const st *s, ap_action *const *acts, size_t n,
                         const char *pat, size_t *out_counts)
{
    size_t cap = 8;
    for (size_t i = 0; i < n; i++)
        cap += 3 + 2 * (size_t)(acts[i]->nargs > 0 ? acts[i]->nargs : 0);
    el stackels[32];
    size_t stackcounts[32];
    el *els = cap <= 32 ? stackels : bt_calloc(cap, sizeof *els);
    size_t *counts = cap <= 32 ? stackcounts : bt_calloc(cap, sizeof *counts);
    if (!els || !counts) {
        if (els != stackels)
            bt_free(els);
        if (counts != stackcounts)
            bt_free(counts);
        return BT_ENOMEM;
    }
    size_t plen = strlen(pat);
    int result = 0;
    for (size_t i = n; i > 0; i--) {
        size_t ne = 0;
        for (size_t j = 0; j < i; j++)
            nargs_els(a_nargs(s, acts[j]), acts[j]->nopts > 0, j, els, &ne,
                      cap);
        unsigned long budget = 1000000;
        if (match_els(els, ne, 0, pat, plen, 0, counts, &budget)) {
            for (size_t j = 0; j < i; j++)
                out_counts[j] = 0;
            for (size_t k = 0; k < ne; k++)
                out_counts[els[k].group] += counts[k];
            result = (int)i;
            break;
        }
    }
    if (els != stackels)
        bt_free(els);
    if (counts != stackcounts)
        bt_free(counts);
    return result;
}

/* _match_argument: how many strings the action takes from pat. */
/* An optional's pattern has no '-' parts: it is a run of 'A's (or of
 * 'A's and 'O's for REMAINDER and PARSER), so the greedy match is a count.
 * Returns false when it does not match. */
static bool match_optional(int nargs, const char *pat, size_t *count)
{
    size_t k = 0;
    bool ao = nargs == AP_REMAINDER || nargs == AP_PARSER;
    while (pat[k] == 'A' ||
           (ao && pat[k] == 'O' && (k || nargs == AP_REMAINDER)))
        k++;
    switch (nargs) {
    case AP_NONE:
        *count = 1;
        return k >= 1;
    case AP_OPTIONAL:
        *count = k ? 1 : 0;
        return true;
    case AP_ZOM:
    case AP_REMAINDER:
        *count = k;
        return true;
    case AP_OOM:
    case AP_PARSER:
        *count = k;
        return k >= 1;
    case AP_SUPPRESS:
        *count = 0;
        return true;
    default:
        *count = (size_t)nargs;
        return k >= (size_t)nargs;
    }
}

static int match_argument(st *s, const ap_action *a, const char *pat,
                          size_t *count)
{
    int nargs = a_nargs(s, a);
    if (a->nopts && match_optional(nargs, pat, count))
        return 0;
    size_t cap = 8 + 2 * (size_t)(nargs > 0 ? nargs : 0);
    el stackels[16];
    size_t stackcounts[16];
    el *els = cap <= 16 ? stackels : bt_calloc(cap, sizeof *els);
    size_t *counts = cap <= 16 ? stackcounts : bt_calloc(cap, sizeof *counts);
    int rc = 0;
    if (!els || !counts)
        rc = BT_ENOMEM;
    size_t ne = 0;
    if (rc == 0)
        nargs_els(nargs, a->nopts > 0, 0, els, &ne, cap);
    unsigned long budget = 1000000;
    if (rc == 0 &&
        match_els(els, ne, 0, pat, strlen(pat), 0, counts, &budget)) {
        *count = 0;
        for (size_t k = 0; k < ne; k++)
            *count += counts[k];
    } else if (rc == 0) {
        if (nargs == AP_NONE)
            rc = arg_error(s, a, "expected one argument");
        else if (nargs == AP_OPTIONAL)
            rc = arg_error(s, a, "expected at most one argument");
        else if (nargs == AP_OOM)
            rc = arg_error(s, a, "expected at least one argument");
        else
            rc = arg_error(s, a, "expected %d argument%s", nargs,
                           nargs == 1 ? "" : "s");
    }
    if (els != stackels)
        bt_free(els);
    if (counts != stackcounts)
        bt_free(counts);
    return rc;
}

/* ------------------------------------------------------------------ */
/* _parse_optional                                                     */
/* ------------------------------------------------------------------ */

static bool is_dashdash(const char *a)
{
    return a[0] == '-' && a[1] == '-' && !a[2];
}

static bool in_chars(const bt_argparse *p, char c)
{
    return p->parser->is_prefix[(unsigned char)c];
}

static size_t u8len(const char *s)
{
    unsigned char c = (unsigned char)*s;
    size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    for (size_t i = 1; i < n; i++)
        if (!s[i])
            return i;
    return n;
}

/* The options arg may abbreviate (or, single-dash, start with): their
 * number, the first two in found, their names in names when given. */
static ptrdiff_t option_tuples(const bt_argparse *p, const char *arg,
                               size_t alen, const char *eq, opt_tuple found[2],
                               bt_buf *names)
{
    bool dash2 = in_chars(p, arg[u8len(arg)]);
    if (dash2 && !p->allow_abbrev)
        return 0;
    size_t plen = dash2 && eq ? (size_t)(eq - arg) : alen;
    size_t shortlen = u8len(arg);
    shortlen += u8len(arg + shortlen);
    ptrdiff_t n = 0;
    for (size_t i = 0; i < p->nopt; i++) {
        const ap_opt *o = &p->optv[i];
        /* both ways of matching need arg's first two bytes */
        if (o->len < 2 || o->s[0] != arg[0] || o->s[1] != arg[1])
            continue;
        opt_tuple t = {true, o->a, o->s, o->len, NULL};
        if (dash2)
            t.explicit_arg = eq ? eq + 1 : NULL;
        else if (o->len == shortlen && memcmp(o->s, arg, shortlen) == 0)
            t.explicit_arg = arg + shortlen;
        if (!t.explicit_arg &&
            !(o->len >= plen && memcmp(o->s, arg, plen) == 0))
            continue;
        if (dash2 && !(o->len >= plen && memcmp(o->s, arg, plen) == 0))
            continue;
        if (n < 2)
            found[n] = t;
        if (names && bt_buf_printf(names, "%s%s", n ? ", " : "", o->s) < 0)
            return BT_ENOMEM;
        n++;
    }
    return n;
}

static int parse_optional(st *s, const char *arg, opt_tuple *t)
{
    const bt_argparse *p = s->p;
    memset(t, 0, sizeof *t);
    if (!arg[0] || !in_chars(p, arg[0]))
        return 0;
    size_t alen = strlen(arg);
    const ap_action *a = bt__ap_find_option(p, arg, alen);
    if (a) {
        *t = (opt_tuple){true, a, arg, alen, NULL};
        return 0;
    }
    if (u8len(arg) + u8len(arg + u8len(arg)) > alen && alen == u8len(arg))
        return 0; /* len(arg) == 1 */
    const char *eq = strchr(arg, '=');
    if (eq && (a = bt__ap_find_option(p, arg, (size_t)(eq - arg)))) {
        *t = (opt_tuple){true, a, arg, (size_t)(eq - arg), eq + 1};
        return 0;
    }
    /* _get_option_tuples; the names only for the ambiguity message */
    opt_tuple found[2];
    ptrdiff_t nfound = option_tuples(p, arg, alen, eq, found, NULL);
    if (nfound > 1) {
        bt_buf names = BT_BUF_INIT;
        int rc =
            option_tuples(p, arg, alen, eq, found, &names) < 0 ? BT_ENOMEM : 0;
        bt_buf_clear(&s->msg);
        if (rc == 0)
            rc = bt_buf_printf(&s->msg, "ambiguous option: %s could match %s",
                               arg, names.data) < 0
                     ? BT_ENOMEM
                     : BT_EARGUMENT;
        bt_buf_fini(&names);
        return rc;
    }
    if (nfound == 1) {
        *t = found[0];
        return 0;
    }
    if (bt__ap_looks_negative(arg) && !p->has_negative_number_optionals)
        return 0;
    if (strchr(arg, ' '))
        return 0;
    *t = (opt_tuple){true, NULL, arg, alen, NULL};
    return 0;
}

/* ------------------------------------------------------------------ */
/* values                                                              */
/* ------------------------------------------------------------------ */

static int check_value(st *s, const ap_action *a, const bt_argparse_value *v)
{
    if (!a->has_choices)
        return 0;
    for (size_t i = 0; i < a->nchoices; i++)
        if (bt__ap_value_eq(v, &a->choices[i]))
            return 0;
    for (size_t i = 0; i < a->nsubs; i++)
        if (v->type == BT_ARGPARSE_STR && strcmp(v->s, a->subs[i].name) == 0)
            return 0;
    bt_buf vr = BT_BUF_INIT, cr = BT_BUF_INIT;
    int rc = bt__ap_value_repr(&vr, v);
    for (size_t i = 0; rc == 0 && i < a->nchoices; i++) {
        if (i)
            rc = bt_buf_append_str(&cr, ", ") < 0 ? BT_ENOMEM : 0;
        if (rc == 0)
            rc = bt__ap_value_repr(&cr, &a->choices[i]);
    }
    for (size_t i = 0; rc == 0 && i < a->nsubs; i++) {
        if (i)
            rc = bt_buf_append_str(&cr, ", ") < 0 ? BT_ENOMEM : 0;
        if (rc == 0)
            rc = bt_repr_str(&cr, a->subs[i].name, strlen(a->subs[i].name)) < 0
                     ? BT_ENOMEM
                     : 0;
    }
    if (rc == 0)
        rc = arg_error(s, a, "invalid choice: %s (choose from %s)", vr.data,
                       cr.data ? cr.data : "");
    bt_buf_fini(&vr);
    bt_buf_fini(&cr);
    return rc;
}

static int get_value(st *s, const ap_action *a, const char *str,
                     bt_argparse_value *out)
{
    bt_buf m = BT_BUF_INIT;
    int rc = bt__ap_convert(a, str, out, &m, s->ns);
    if (rc == BT_EARGUMENT)
        rc = arg_error(s, a, "%s", m.data ? m.data : "");
    bt_buf_fini(&m);
    return rc;
}

static int make_list(st *s, const ap_action *a, const char **strs, size_t k,
                     bool check, bt_argparse_value *out)
{
    /* nargs=0 actions get [] for every option: no memory for it */
    bt_argparse_value *items = k ? bt_calloc(k, sizeof *items) : NULL;
    if (k && !items)
        return BT_ENOMEM;
    *out = (bt_argparse_value){.type = BT_ARGPARSE_LIST, .list = {items, 0}};
    for (size_t i = 0; i < k; i++) {
        int rc = get_value(s, a, strs[i], &items[i]);
        if (rc < 0)
            return rc;
        out->list.n = i + 1;
    }
    for (size_t i = 0; check && i < k; i++) {
        int rc = check_value(s, a, &items[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* _get_values; *is_default: Python's "values is action.default". */
static int get_values(st *s, const ap_action *a, const char **in, size_t kin,
                      bt_argparse_value *out, bool *is_default, bool *suppress)
{
    int nargs = a_nargs(s, a);
    const bt_argparse_value *dflt = a_default(s, a);
    const char *stack[8];
    const char **strs = kin <= 8 ? stack : bt_calloc(kin, sizeof *strs);
    if (!strs)
        return BT_ENOMEM;
    size_t k = 0;
    bool removed = nargs == AP_PARSER || nargs == AP_REMAINDER;
    for (size_t i = 0; i < kin; i++) {
        if (!removed && is_dashdash(in[i])) {
            removed = true;
            continue;
        }
        strs[k++] = in[i];
    }
    int rc = 0;
    *is_default = false;
    *suppress = false;
    out->type = BT_ARGPARSE_UNSET;
    if (k == 0 && nargs == AP_OPTIONAL) {
        const bt_argparse_value *src = a->nopts ? &a->konst : dflt;
        bool identity = !a->convert && (a->type == BT_ARGPARSE_UNSET ||
                                        a->type == BT_ARGPARSE_STR);
        if (bt__ap_is_suppress(src) && identity) {
            /* str(SUPPRESS) is SUPPRESS: take_action then stores nothing */
            *suppress = true;
            *is_default = !a->nopts;
        } else if (src->type == BT_ARGPARSE_STR) {
            rc = get_value(s, a, src->s, out);
            if (rc == 0)
                rc = check_value(s, a, out);
            *is_default =
                !a->nopts && !a->convert &&
                (a->type == BT_ARGPARSE_UNSET || a->type == BT_ARGPARSE_STR);
        } else {
            rc = bt__ap_value_copy_in(s->ns, out, src);
            *is_default = !a->nopts || (a->konst.type == BT_ARGPARSE_NONE &&
                                        (dflt->type == BT_ARGPARSE_NONE));
        }
    } else if (k == 0 && nargs == AP_ZOM && !a->nopts) {
        if (bt__ap_is_suppress(dflt)) {
            *suppress = true;
            *is_default = true;
        } else if (dflt->type != BT_ARGPARSE_NONE &&
                   dflt->type != BT_ARGPARSE_UNSET) {
            rc = bt__ap_value_copy_in(s->ns, out, dflt);
            *is_default = true;
        } else
            *out = (bt_argparse_value){.type = BT_ARGPARSE_LIST};
        if (rc == 0)
            rc = check_value(s, a, *suppress ? dflt : out);
    } else if (k == 1 && (nargs == AP_NONE || nargs == AP_OPTIONAL)) {
        rc = get_value(s, a, strs[0], out);
        if (rc == 0)
            rc = check_value(s, a, out);
    } else if (nargs == AP_REMAINDER) {
        rc = make_list(s, a, strs, k, false, out);
    } else if (nargs == AP_PARSER) {
        rc = make_list(s, a, strs, k, false, out);
        if (rc == 0 && out->list.n)
            rc = check_value(s, a, &out->list.items[0]);
    } else if (nargs == AP_SUPPRESS) {
        *suppress = true;
        *is_default = bt__ap_is_suppress(dflt);
    } else {
        rc = make_list(s, a, strs, k, true, out);
    }
    if (strs != stack)
        bt_free(strs);
    return rc;
}

/* ------------------------------------------------------------------ */
/* actions                                                             */
/* ------------------------------------------------------------------ */

static int known_args(const bt_argparse *p, const char *const *args, size_t n,
                      bt_argparse_ns *ns, bt_argparse_ns *res, int mode,
                      const char *usage, bt_strvec *extras, bt_err *err);

static int list_copy_of(st *s, const ap_action *a, bt_argparse_value *items)
{
    ap_entry *e = entry_of(s, a);
    if (!e || e->v.type == BT_ARGPARSE_NONE) {
        *items = (bt_argparse_value){.type = BT_ARGPARSE_LIST};
        return 0;
    }
    if (e->v.type != BT_ARGPARSE_LIST) {
        bt_buf_clear(&s->msg);
        return bt_err_setf(s->err, BT_ETYPE, -1,
                           "'%s' object has no attribute 'append'",
                           e->v.type == BT_ARGPARSE_STR ? "str" : "int");
    }
    return bt__ap_value_copy_in(s->ns, items, &e->v);
}

static int list_push(bt_argparse_value *list, bt_argparse_value *v)
{
    bt_argparse_value *items = bt_realloc((void *)list->list.items,
                                          (list->list.n + 1) * sizeof *items);
    if (!items)
        return BT_ENOMEM;
    items[list->list.n++] = *v;
    list->list.items = items;
    v->type = BT_ARGPARSE_UNSET;
    return 0;
}

static int call_action(st *s, const ap_action *a, bt_argparse_value *values,
                       const char *os, size_t oslen)
{
    int rc = 0;
    bt_argparse_value v = {.type = BT_ARGPARSE_UNSET};
    switch (a->kind) {
    case BT_ARGPARSE_STORE:
        return set_action(s, a, values);
    case BT_ARGPARSE_STORE_CONST:
    case BT_ARGPARSE_STORE_TRUE:
    case BT_ARGPARSE_STORE_FALSE:
        if ((rc = bt__ap_value_copy_in(s->ns, &v, &a->konst)) < 0)
            return rc;
        rc = set_action(s, a, &v);
        break;
    case BT_ARGPARSE_BOOLEAN_OPTIONAL:
        v = BT_ARGPARSE_VBOOL(!(oslen >= 5 && strncmp(os, "--no-", 5) == 0));
        return set_action(s, a, &v);
    case BT_ARGPARSE_APPEND:
    case BT_ARGPARSE_APPEND_CONST:
    case BT_ARGPARSE_EXTEND: {
        bt_argparse_value items;
        if ((rc = list_copy_of(s, a, &items)) < 0)
            return rc;
        if (a->kind == BT_ARGPARSE_APPEND)
            rc = list_push(&items, values);
        else if (a->kind == BT_ARGPARSE_APPEND_CONST) {
            rc = bt__ap_value_copy_in(s->ns, &v, &a->konst);
            if (rc == 0)
                rc = list_push(&items, &v);
        } else if (values->type == BT_ARGPARSE_LIST) {
            for (size_t i = 0; rc == 0 && i < values->list.n; i++) {
                rc = bt__ap_value_copy_in(s->ns, &v, &values->list.items[i]);
                if (rc == 0)
                    rc = list_push(&items, &v);
            }
        } else if (values->type == BT_ARGPARSE_STR) {
            /* list.extend(str): one item per character */
            for (const char *c = values->s; rc == 0 && *c;) {
                size_t l = u8len(c);
                char *one = bt__ap_ns_strndup(s->ns, c, l);
                if (!one)
                    rc = BT_ENOMEM;
                else {
                    v = BT_ARGPARSE_VSTR(one);
                    rc = list_push(&items, &v);
                }
                c += l;
            }
        } else {
            rc = bt_err_setf(s->err, BT_ETYPE, -1, "object is not iterable");
        }
        if (rc == 0)
            rc = set_action(s, a, &items);
        bt__ap_value_fini_in(s->ns, &items);
        break;
    }
    case BT_ARGPARSE_COUNT: {
        ap_entry *e = entry_of(s, a);
        int64_t c = 0;
        if (e && e->v.type == BT_ARGPARSE_INT)
            c = e->v.i;
        else if (e && e->v.type == BT_ARGPARSE_BOOL)
            c = e->v.b;
        else if (e && e->v.type != BT_ARGPARSE_NONE)
            return bt_err_setf(s->err, BT_ETYPE, -1,
                               "can only concatenate str (not \"int\") to str");
        v = BT_ARGPARSE_VINT(c + 1);
        return set_action(s, a, &v);
    }
    case BT_ARGPARSE_HELP:
        bt_buf_clear(&s->res->output);
        rc = bt_argparse_format_help(s->p, &s->res->output, s->err);
        s->res->status = 0;
        return rc < 0 ? rc : BT_ARGPARSE_EXIT;
    case BT_ARGPARSE_VERSION:
        bt_buf_clear(&s->res->output);
        rc = a->version ? bt__ap_format_version(s->p, a->version,
                                                &s->res->output, s->err)
                        : 0;
        s->res->status = 0;
        return rc < 0 ? rc : BT_ARGPARSE_EXIT;
    case AP_PARSERS_ACTION: {
        const char *name = values->list.items[0].s;
        if (!a->dest_suppress) {
            char *d = bt__ap_ns_strndup(s->ns, name, strlen(name));
            if (!d)
                return BT_ENOMEM;
            v = BT_ARGPARSE_VSTR(d);
            if ((rc = set_action(s, a, &v)) < 0)
                return rc;
        }
        const bt_argparse *sub = NULL;
        for (size_t i = 0; i < a->nsubs; i++)
            if (strcmp(a->subs[i].name, name) == 0)
                sub = a->subs[i].parser;
        if (!sub)
            return arg_error(s, a, "unknown parser '%s'", name);
        size_t k = values->list.n - 1;
        const char **rest = bt_calloc(k ? k : 1, sizeof *rest);
        bt_argparse_ns *subns = bt__ap_ns_new();
        bt_strvec sextras = BT_STRVEC_INIT;
        rc = rest && subns ? 0 : BT_ENOMEM;
        for (size_t i = 0; rc == 0 && i < k; i++)
            rest[i] = values->list.items[i + 1].s;
        if (rc == 0)
            rc = known_args(sub, rest, k, subns, s->res, MODE_NORMAL,
                            sub->usage, &sextras, s->err);
        for (size_t i = 0; rc == 0 && i < subns->n; i++)
            rc = bt__ap_ns_set(s->ns, subns->e[i].dest, &subns->e[i].v, NULL);
        for (size_t i = 0; rc == 0 && i < sextras.count; i++)
            rc = bt_strvec_append(&s->ns->unrecognized, sextras.items[i],
                                  sextras.lens[i]);
        bt_strvec_fini(&sextras);
        if (subns)
            bt__ap_ns_adopt_strings(s->ns, subns); /* the moved values' */
        bt_argparse_ns_free(subns);
        bt_free(rest);
        return rc;
    }
    }
    bt__ap_value_fini_in(s->ns, &v);
    return rc;
}

static int take_action(st *s, const ap_action *a, const char **strs, size_t k,
                       const char *os, size_t oslen)
{
    s->seen[a->index] = true;
    bt_argparse_value values;
    bool is_default, suppress;
    int rc = get_values(s, a, strs, k, &values, &is_default, &suppress);
    if (rc < 0) {
        bt__ap_value_fini_in(s->ns, &values);
        return rc;
    }
    if (!is_default) {
        s->seen_nd[a->index] = true;
        for (size_t g = 0; rc == 0 && g < s->p->mutexes.n; g++) {
            const bt_argparse *grp = s->p->mutexes.items[g];
            bool member = false;
            for (size_t i = 0; i < grp->group_actions.n; i++)
                member |= grp->group_actions.items[i] == a;
            if (!member)
                continue;
            for (size_t i = 0; i < grp->group_actions.n; i++) {
                const ap_action *c = grp->group_actions.items[i];
                if (c != a && s->seen_nd[c->index]) {
                    bt_buf name = BT_BUF_INIT;
                    rc = bt__ap_action_name(c, &name) < 0
                             ? BT_ENOMEM
                             : arg_error(s, a, "not allowed with argument %s",
                                         name.data ? name.data : "None");
                    bt_buf_fini(&name);
                    break;
                }
            }
        }
    }
    if (rc == 0 && !suppress)
        rc = call_action(s, a, &values, os, oslen);
    bt__ap_value_fini_in(s->ns, &values);
    return rc;
}

typedef struct tup {
    const ap_action *a;
    size_t start, count; /* strings args[start .. start+count) */
    const char *explicit_arg;
    char os[16];
    const char *osp;
    size_t oslen;
} tup;

/* One action of a cluster; an option string in the caller's scratch
 * buffer is copied, as the buffer changes for the next one. */
static void push_tup(tup *t, const ap_action *a, size_t start, size_t count,
                     const char *ex, const char *os, size_t oslen,
                     const char *scratch)
{
    *t = (tup){a, start, count, ex, {0}, os, oslen};
    if (os == scratch) {
        memcpy(t->os, scratch, sizeof t->os);
        t->osp = t->os;
    }
}

static int ignored_explicit(st *s, const ap_action *a, const char *explicit_arg)
{
    bt_buf r = BT_BUF_INIT;
    int rc = bt_repr_str(&r, explicit_arg, strlen(explicit_arg)) < 0
                 ? BT_ENOMEM
                 : arg_error(s, a, "ignored explicit argument %s", r.data);
    bt_buf_fini(&r);
    return rc;
}

static int consume_optional(st *s, size_t start_index, size_t *stop_out)
{
    opt_tuple *t = &s->ot[start_index];
    const ap_action *a = t->a;
    const char *os = t->os;
    size_t oslen = t->oslen;
    const char *explicit_arg = t->explicit_arg;
    char osbuf[16];
    tup tups[64];
    size_t nt = 0;
    size_t stop = 0;
    for (;;) {
        if (!a) {
            *stop_out = start_index + 1;
            return bt_strvec_append_str(s->extras, s->args[start_index]);
        }
        if (nt == 64)
            return arg_error(s, a, "too many clustered options");
        if (explicit_arg) {
            size_t count;
            int rc = match_argument(s, a, "A", &count);
            if (rc < 0)
                return rc;
            if (count == 0 && oslen > 1 && !in_chars(s->p, os[1]) &&
                explicit_arg[0]) {
                push_tup(&tups[nt++], a, 0, 0, NULL, os, oslen, osbuf);
                size_t cl = u8len(explicit_arg);
                osbuf[0] = os[0];
                memcpy(osbuf + 1, explicit_arg, cl);
                osbuf[1 + cl] = 0;
                const char *newex = explicit_arg[cl] ? explicit_arg + cl : NULL;
                const ap_action *na = bt__ap_find_option(s->p, osbuf, 1 + cl);
                if (na) {
                    a = na;
                    os = osbuf;
                    oslen = 1 + cl;
                    explicit_arg = newex;
                } else
                    return ignored_explicit(s, a, explicit_arg);
            } else if (count == 1) {
                stop = start_index + 1;
                push_tup(&tups[nt++], a, 0, 1, explicit_arg, os, oslen, osbuf);
                break;
            } else
                return ignored_explicit(s, a, explicit_arg);
        } else {
            size_t start = start_index + 1, count;
            int rc = match_argument(s, a, s->pattern + start, &count);
            if (rc < 0)
                return rc;
            stop = start + count;
            push_tup(&tups[nt++], a, start, count, NULL, os, oslen, osbuf);
            break;
        }
    }
    for (size_t i = 0; i < nt; i++) {
        int rc;
        if (tups[i].explicit_arg) {
            const char *one[1] = {tups[i].explicit_arg};
            rc = take_action(s, tups[i].a, one, 1, tups[i].osp, tups[i].oslen);
        } else
            rc = take_action(s, tups[i].a, s->args + tups[i].start,
                             tups[i].count, tups[i].osp, tups[i].oslen);
        if (rc != 0)
            return rc;
    }
    *stop_out = stop;
    return 0;
}

static int consume_positionals(st *s, size_t start_index, size_t *end)
{
    size_t stackc[16];
    size_t *counts =
        s->npos < 16 ? stackc : bt_calloc(s->npos + 1, sizeof *counts);
    if (!counts)
        return BT_ENOMEM;
    int m = match_partial(s, s->positionals, s->npos, s->pattern + start_index,
                          counts);
    if (m < 0) {
        if (counts != stackc)
            bt_free(counts);
        return m;
    }
    int rc = 0;
    for (int i = 0; rc == 0 && i < m; i++) {
        rc = take_action(s, s->positionals[i], s->args + start_index, counts[i],
                         NULL, 0);
        start_index += counts[i];
    }
    if (counts != stackc)
        bt_free(counts);
    if (rc != 0)
        return rc;
    memmove(s->positionals, s->positionals + m,
            (s->npos - (size_t)m) * sizeof *s->positionals);
    s->npos -= (size_t)m;
    *end = start_index;
    return 0;
}

/* ------------------------------------------------------------------ */
/* fromfile_prefix_chars                                               */
/* ------------------------------------------------------------------ */

static int read_file(const char *path, bt_buf *out)
{
    int fd;
    BT__RETRY(fd, open(path, O_RDONLY | O_CLOEXEC));
    if (fd < 0)
        return -errno;
    char buf[4096];
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = -errno;
            close(fd);
            return e;
        }
        if (r == 0)
            break;
        if (bt_buf_append(out, buf, (size_t)r) < 0) {
            close(fd);
            return BT_ENOMEM;
        }
    }
    close(fd);
    return 0;
}

static int read_args_from_files(st *s, const char *const *in, size_t n,
                                bt_strvec *out, int depth)
{
    for (size_t i = 0; i < n; i++) {
        const char *a = in[i];
        if (!a[0] || !strchr(s->p->fromfile, a[0])) {
            if (bt_strvec_append_str(out, a) < 0)
                return BT_ENOMEM;
            continue;
        }
        if (depth > 50)
            return error_plain(s, "maximum recursion depth exceeded");
        bt_buf text = BT_BUF_INIT;
        int rc = read_file(a + 1, &text);
        if (rc < 0 && rc != BT_ENOMEM) {
            bt_err e = BT_ERR_INIT;
            bt_err_oserror(&e, rc, a + 1, NULL);
            bt_buf_fini(&text);
            return error_plain(s, e.msg);
        }
        bt_strvec lines = BT_STRVEC_INIT;
        rc = bt__ap_splitlines(text.data ? text.data : "", text.len, false,
                               &lines);
        bt_buf_fini(&text);
        if (rc == 0)
            rc = read_args_from_files(s, (const char *const *)lines.items,
                                      lines.count, out, depth + 1);
        bt_strvec_fini(&lines);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* _parse_known_args                                                   */
/* ------------------------------------------------------------------ */

static int parse_core(st *s)
{
    const bt_argparse *p = s->p;
    size_t n = s->n;
    int rc = 0;
    /* one block: tuples, positionals, seen flags, the pattern */
    size_t na = p->actions.n + 1;
    size_t bytes =
        (n + 1) * sizeof *s->ot + na * sizeof *s->positionals + 2 * na + n + 1;
    char *block = bt_calloc(1, bytes);
    if (!block)
        return BT_ENOMEM;
    s->ot = (opt_tuple *)block;
    s->positionals = (ap_action **)(block + (n + 1) * sizeof *s->ot);
    s->seen = (bool *)(s->positionals + na);
    s->seen_nd = s->seen + na;
    s->pattern = (char *)(s->seen_nd + na);
    for (size_t i = 0; i < p->actions.n; i++)
        if (!((ap_action *)p->actions.items[i])->nopts)
            s->positionals[s->npos++] = p->actions.items[i];
    size_t max_opt = 0;
    bool any_opt = false;
    for (size_t i = 0; i < n; i++) {
        if (is_dashdash(s->args[i])) {
            s->pattern[i] = '-';
            for (i++; i < n; i++)
                s->pattern[i] = 'A';
            break;
        }
        if ((rc = parse_optional(s, s->args[i], &s->ot[i])) < 0)
            return rc;
        s->pattern[i] = s->ot[i].is_opt ? 'O' : 'A';
        if (s->ot[i].is_opt) {
            max_opt = i;
            any_opt = true;
        }
    }
    s->pattern[n] = 0;
    size_t start_index = 0;
    while (any_opt && start_index <= max_opt) {
        size_t next = start_index;
        while (!s->ot[next].is_opt)
            next++;
        if (start_index != next) {
            size_t end;
            if ((rc = consume_positionals(s, start_index, &end)) != 0)
                return rc;
            if (end > start_index) {
                start_index = end;
                continue;
            }
            start_index = end;
        }
        if (!s->ot[start_index].is_opt) {
            for (size_t i = start_index; i < next; i++)
                if (bt_strvec_append_str(s->extras, s->args[i]) < 0)
                    return BT_ENOMEM;
            start_index = next;
        }
        if ((rc = consume_optional(s, start_index, &start_index)) != 0)
            return rc;
    }
    size_t stop;
    if ((rc = consume_positionals(s, start_index, &stop)) != 0)
        return rc;
    for (size_t i = stop; i < n; i++)
        if (bt_strvec_append_str(s->extras, s->args[i]) < 0)
            return BT_ENOMEM;
    bt_buf req = BT_BUF_INIT;
    for (size_t i = 0; rc == 0 && i < p->actions.n; i++) {
        const ap_action *a = p->actions.items[i];
        if (s->seen[i])
            continue;
        if (a_required(s, a)) {
            if (req.len && bt_buf_append_str(&req, ", ") < 0)
                rc = BT_ENOMEM;
            if (rc == 0 && bt__ap_action_name(a, &req) < 0)
                rc = BT_ENOMEM;
            continue;
        }
        ap_entry *e = entry_of(s, a);
        if (e && e->default_of == a && e->v.type == BT_ARGPARSE_STR) {
            bt_argparse_value v;
            rc = get_value(s, a, a->dflt.s, &v);
            if (rc == 0)
                rc = set_action(s, a, &v);
            bt__ap_value_fini_in(s->ns, &v);
        }
    }
    if (rc == 0 && req.len) {
        bt_buf_clear(&s->msg);
        rc = bt_buf_printf(&s->msg, "the following arguments are required: %s",
                           req.data) < 0
                 ? BT_ENOMEM
                 : BT_EARGUMENT;
    }
    bt_buf_fini(&req);
    for (size_t g = 0;
         rc == 0 && s->mode != MODE_INTERMIXED_2 && g < p->mutexes.n; g++) {
        const bt_argparse *grp = p->mutexes.items[g];
        if (!grp->required)
            continue;
        bool any = false;
        for (size_t i = 0; i < grp->group_actions.n; i++)
            any |=
                s->seen_nd[((ap_action *)grp->group_actions.items[i])->index];
        if (any)
            continue;
        bt_buf names = BT_BUF_INIT;
        for (size_t i = 0; rc == 0 && i < grp->group_actions.n; i++) {
            const ap_action *a = grp->group_actions.items[i];
            if (bt__ap_str_is_suppress(a->help))
                continue;
            if (names.len && bt_buf_append_byte(&names, ' ') < 0)
                rc = BT_ENOMEM;
            if (rc == 0 && bt__ap_action_name(a, &names) < 0)
                rc = BT_ENOMEM;
        }
        if (rc == 0) {
            bt_buf_clear(&s->msg);
            rc = bt_buf_printf(&s->msg, "one of the arguments %s is required",
                               names.data ? names.data : "") < 0
                     ? BT_ENOMEM
                     : BT_EARGUMENT;
        }
        bt_buf_fini(&names);
    }
    return rc;
}

/* Python's parse_known_args on parser p into ns. */
static int known_args(const bt_argparse *p, const char *const *args, size_t n,
                      bt_argparse_ns *ns, bt_argparse_ns *res, int mode,
                      const char *usage, bt_strvec *extras, bt_err *err)
{
    static const char *const no_args[1] = {""};
    if (!args)
        args = no_args;
    st s = {.p = p,
            .ns = ns,
            .res = res,
            .mode = mode,
            .usage = usage,
            .args = NULL,
            .n = n,
            .extras = extras,
            .err = err};
    int rc = 0;
    if (mode == MODE_NORMAL && ns->n == 0 && p->tpl_ok) {
        rc = bt__ap_ns_from_template(ns, p);
        s.slots = true;
    } else
        rc = bt__ap_ns_reserve(ns, ns->n + p->actions.n + p->default_dests.n);
    for (size_t i = 0; rc == 0 && !s.slots && i < p->actions.n; i++) {
        const ap_action *a = p->actions.items[i];
        const bt_argparse_value *d = a_default(&s, a);
        if (a->dest_suppress || bt__ap_ns_find_h(ns, a->dest, a->dest_hash) ||
            bt__ap_is_suppress(d))
            continue;
        bt_argparse_value v;
        rc = bt__ap_value_copy_in(ns, &v, d);
        if (rc == 0 && v.type == BT_ARGPARSE_UNSET)
            v.type = BT_ARGPARSE_NONE;
        if (rc == 0 &&
            (rc = bt__ap_ns_set_h(ns, a->dest, a->dest_hash, &v, a)) < 0)
            bt__ap_value_fini_in(ns, &v);
    }
    for (size_t i = 0; rc == 0 && !s.slots && i < p->default_dests.n; i++) {
        if (bt__ap_ns_find(ns, p->default_dests.items[i]))
            continue;
        bt_argparse_value v;
        rc = bt__ap_value_copy_in(ns, &v, &p->default_values[i]);
        if (rc == 0 &&
            (rc = bt__ap_ns_set(ns, p->default_dests.items[i], &v, NULL)) < 0)
            bt__ap_value_fini_in(ns, &v);
    }
    if (rc == 0) {
        if (p->fromfile) {
            rc = read_args_from_files(&s, args, n, &s.owned, 0);
            s.args = (const char **)s.owned.items;
            s.n = s.owned.count;
        } else
            s.args = (const char **)args;
    }
    if (rc == 0)
        rc = parse_core(&s);
    rc = report(&s, rc);
    for (size_t i = 0; rc == 0 && i < ns->unrecognized.count; i++)
        rc = bt_strvec_append(extras, ns->unrecognized.items[i],
                              ns->unrecognized.lens[i]);
    bt_strvec_clear(&ns->unrecognized);
    bt_free(s.ot);
    bt_strvec_fini(&s.owned);
    bt_buf_fini(&s.msg);
    return rc;
}

static int finish(const bt_argparse *p, int rc, bt_argparse_ns *ns,
                  bt_argparse_ns **out)
{
    if (ns)
        bt__ap_ns_forget_keys(ns);
    if (rc == BT_ENOMEM || !ns) {
        bt_argparse_ns_free(ns);
        *out = NULL;
        return BT_ENOMEM;
    }
    *out = ns;
    if (p->exit_on_error && (rc == BT_ARGPARSE_EXIT || rc == BT_EARGUMENT))
        bt_argparse_exit(ns);
    return rc;
}

static int unrecognized(const bt_argparse *p, bt_argparse_ns *ns,
                        const char *usage, bt_err *err)
{
    if (!ns->extras.count)
        return 0;
    st s = {.p = p, .ns = ns, .res = ns, .usage = usage, .err = err};
    bt_buf j = BT_BUF_INIT;
    int rc = bt_buf_append_str(&s.msg, "unrecognized arguments: ");
    if (rc == 0)
        rc = bt_strvec_join(&ns->extras, " ", 1, &j);
    if (rc == 0 && bt_buf_append(&s.msg, j.data ? j.data : "", j.len) < 0)
        rc = BT_ENOMEM;
    bt_buf_fini(&j);
    rc = report(&s, rc < 0 || !s.msg.data ? BT_ENOMEM : BT_EARGUMENT);
    bt_buf_fini(&s.msg);
    return rc;
}

static int start(const bt_argparse *p, bt_argparse_ns **out, bt_err *err)
{
    *out = NULL;
    const bt_argparse *top = p->top;
    if (top->setup_rc) {
        if (err)
            *err = top->setup_err;
        return top->setup_rc;
    }
    return 0;
}

/* parse_args (known false) or parse_known_args. */
static int parse_main(const bt_argparse *p, const char *const *args,
                      size_t nargs, bt_argparse_ns **out, bt_err *err,
                      bool known)
{
    p = p->parser;
    int rc = start(p, out, err);
    if (rc < 0)
        return rc;
    bt_argparse_ns *ns = bt__ap_ns_new();
    if (ns)
        rc = known_args(p, args, nargs, ns, ns, MODE_NORMAL, p->usage,
                        &ns->extras, err);
    if (ns && rc == 0 && !known)
        rc = unrecognized(p, ns, p->usage, err);
    return finish(p, rc, ns, out);
}

int bt_argparse_parse_known_args(const bt_argparse *p, const char *const *args,
                                 size_t nargs, bt_argparse_ns **out,
                                 bt_err *err)
{
    return parse_main(p, args, nargs, out, err, true);
}

int bt_argparse_parse_args(const bt_argparse *p, const char *const *args,
                           size_t nargs, bt_argparse_ns **out, bt_err *err)
{
    return parse_main(p, args, nargs, out, err, false);
}

static int intermixed(const bt_argparse *p, const char *const *args,
                      size_t nargs, bt_argparse_ns **out, bt_err *err,
                      bool known)
{
    p = p->parser;
    int rc = start(p, out, err);
    if (rc < 0)
        return rc;
    for (size_t i = 0; i < p->actions.n; i++) {
        const ap_action *a = p->actions.items[i];
        if (a->nopts)
            continue;
        if (a->nargs == AP_PARSER || a->nargs == AP_REMAINDER)
            return bt_err_setf(
                err, BT_ETYPE, -1,
                "parse_intermixed_args: positional arg with nargs=%s",
                a->nargs == AP_PARSER ? "A..." : "...");
        for (size_t g = 0; g < p->mutexes.n; g++) {
            const bt_argparse *grp = p->mutexes.items[g];
            for (size_t j = 0; j < grp->group_actions.n; j++)
                if (grp->group_actions.items[j] == a)
                    return bt_err_setf(err, BT_ETYPE, -1,
                                       "parse_intermixed_args: positional in "
                                       "mutuallyExclusiveGroup");
        }
    }
    bt_argparse_ns *ns = bt__ap_ns_new();
    bt_buf usage = BT_BUF_INIT;
    const char *u = p->usage;
    bt_strvec remaining = BT_STRVEC_INIT;
    if (!ns)
        return finish(p, BT_ENOMEM, ns, out);
    if (!u) {
        rc = bt_argparse_format_usage(p, &usage, err);
        u = usage.len >= 7 ? usage.data + 7 : "";
    }
    if (rc == 0)
        rc = known_args(p, args, nargs, ns, ns, MODE_INTERMIXED_1, u,
                        &remaining, err);
    for (size_t i = 0; rc == 0 && i < p->actions.n; i++) {
        const ap_action *a = p->actions.items[i];
        ap_entry *e =
            a->nopts ? NULL : bt__ap_ns_find_h(ns, a->dest, a->dest_hash);
        if (e && e->v.type == BT_ARGPARSE_LIST && e->v.list.n == 0)
            bt__ap_ns_del(ns, a->dest);
    }
    if (rc == 0)
        rc =
            known_args(p, (const char *const *)remaining.items, remaining.count,
                       ns, ns, MODE_INTERMIXED_2, u, &ns->extras, err);
    if (rc == 0 && !known)
        rc = unrecognized(p, ns, u, err);
    bt_strvec_fini(&remaining);
    rc = finish(p, rc, ns, out);
    bt_buf_fini(&usage);
    return rc;
}

int bt_argparse_parse_intermixed_args(const bt_argparse *p,
                                      const char *const *args, size_t nargs,
                                      bt_argparse_ns **out, bt_err *err)
{
    return intermixed(p, args, nargs, out, err, false);
}

int bt_argparse_parse_known_intermixed_args(const bt_argparse *p,
                                            const char *const *args,
                                            size_t nargs, bt_argparse_ns **out,
                                            bt_err *err)
{
    return intermixed(p, args, nargs, out, err, true);
}
