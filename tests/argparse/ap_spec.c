/* ap_spec.c — the spec language of tools/gen_vectors/argparse_specs.py. */
#include "ap_spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXW   64
#define MAXOBJ 32

typedef struct word {
    char *key; /* NULL: a plain word */
    char *val;
} word;

static size_t split_words(const char *line, word *w)
{
    size_t n = 0;
    const char *p = line;
    while (*p && n < MAXW) {
        if (*p == ' ') {
            p++;
            continue;
        }
        char buf[4096];
        size_t bl = 0;
        char *key = NULL;
        while (*p && *p != ' ' && bl < sizeof buf - 2) {
            if (*p == '=' && !key && bl && buf[0] != '-') {
                bool alnum = true;
                for (size_t i = 0; i < bl; i++)
                    alnum &= isalnum((unsigned char)buf[i]) || buf[i] == '_';
                bool any = false;
                for (size_t i = 0; i < bl; i++)
                    any |= buf[i] != '_';
                if (alnum && any) {
                    key = strndup(buf, bl);
                    bl = 0;
                    p++;
                    continue;
                }
            }
            if (*p == '"') {
                p++;
                while (*p && *p != '"' && bl < sizeof buf - 2) {
                    if (*p == '\\' && p[1]) {
                        p++;
                        buf[bl++] = *p == 'n' ? '\n' : *p;
                    } else
                        buf[bl++] = *p;
                    p++;
                }
                if (*p)
                    p++;
                continue;
            }
            buf[bl++] = *p++;
        }
        w[n].key = key;
        w[n].val = strndup(buf, bl);
        n++;
    }
    return n;
}

static const char *kv(word *w, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (w[i].key && strcmp(w[i].key, key) == 0)
            return w[i].val;
    return NULL;
}

static bt_argparse_value lit(const char *v)
{
    if (!v)
        return (bt_argparse_value){.type = BT_ARGPARSE_UNSET};
    if (strcmp(v, "none") == 0)
        return BT_ARGPARSE_VNONE;
    if (strcmp(v, "true") == 0)
        return BT_ARGPARSE_VBOOL(true);
    if (strcmp(v, "false") == 0)
        return BT_ARGPARSE_VBOOL(false);
    if (strcmp(v, "suppress") == 0)
        return BT_ARGPARSE_VSUPPRESS;
    if (v[0] == 'i')
        return BT_ARGPARSE_VINT(strtoll(v + 2, NULL, 10));
    if (v[0] == 'f')
        return BT_ARGPARSE_VFLOAT(strtod(v + 2, NULL));
    return BT_ARGPARSE_VSTR(v + 2);
}

static int upper(const char *arg, void *ctx, bt_argparse_value *out,
                 bt_err *err)
{
    static _Thread_local char buf[4096];
    (void)ctx;
    size_t i = 0;
    for (; arg[i] && i < sizeof buf - 1; i++) {
        if (isdigit((unsigned char)arg[i])) {
            bt_buf r = BT_BUF_INIT;
            bt_repr_str(&r, arg, strlen(arg));
            bt_err_setf(err, BT_EARGUMENT, -1, "no digits: %s", r.data);
            bt_buf_fini(&r);
            return BT_EARGUMENT;
        }
        buf[i] = (char)toupper((unsigned char)arg[i]);
    }
    buf[i] = 0;
    *out = BT_ARGPARSE_VSTR(buf);
    return 0;
}

/* int(s) for the test's words: optional spaces, sign, digits with single
 * underscores between them. */
static int even(const char *arg, void *ctx, bt_argparse_value *out, bt_err *err)
{
    (void)ctx;
    (void)err;
    const char *p = arg;
    while (isspace((unsigned char)*p))
        p++;
    int sign = 1;
    if (*p == '+' || *p == '-')
        sign = *p++ == '-' ? -1 : 1;
    long long v = 0;
    int digits = 0;
    while (isdigit((unsigned char)*p) ||
           (*p == '_' && digits && isdigit((unsigned char)p[1]))) {
        if (*p != '_') {
            v = v * 10 + (*p - '0');
            digits++;
        }
        p++;
    }
    while (isspace((unsigned char)*p))
        p++;
    if (!digits || *p || v % 2)
        return BT_EVALUE;
    *out = BT_ARGPARSE_VINT(sign * v);
    return 0;
}

static int action_of(const char *s)
{
    static const char *const names[] = {"store",
                                        "store_const",
                                        "store_true",
                                        "store_false",
                                        "append",
                                        "append_const",
                                        "count",
                                        "help",
                                        "version",
                                        "extend",
                                        "BooleanOptionalAction"};
    for (int i = 0; i < 11; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char **split_list(const char *s, char *mem)
{
    static _Thread_local const char *items[64];
    strcpy(mem, s);
    size_t n = 0;
    char *save, *t = strtok_r(mem, ",", &save);
    while (t && n < 63) {
        items[n++] = t;
        t = strtok_r(NULL, ",", &save);
    }
    items[n] = NULL;
    return items;
}

static void opts_of(word *w, size_t n, bt_argparse_opts *o)
{
    o->prog = kv(w, n, "prog");
    o->usage = kv(w, n, "usage");
    o->description = kv(w, n, "description");
    o->epilog = kv(w, n, "epilog");
    o->prefix_chars = kv(w, n, "prefix_chars");
    o->fromfile_prefix_chars = kv(w, n, "fromfile");
    const char *v = kv(w, n, "add_help");
    o->no_add_help = v && strcmp(v, "1") != 0;
    v = kv(w, n, "allow_abbrev");
    o->no_allow_abbrev = v && strcmp(v, "1") != 0;
    o->argument_default = lit(kv(w, n, "argument_default"));
    if ((v = kv(w, n, "formatter"))) {
        static const struct {
            const char *name;
            int flag;
        } f[] = {
            {"raw_description", BT_ARGPARSE_RAW_DESCRIPTION_HELP_FORMATTER},
            {"raw_text", BT_ARGPARSE_RAW_TEXT_HELP_FORMATTER},
            {"defaults", BT_ARGPARSE_ARGUMENT_DEFAULTS_HELP_FORMATTER},
            {"metavar_type", BT_ARGPARSE_METAVAR_TYPE_HELP_FORMATTER}};
        for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
            if (strstr(v, f[i].name))
                o->formatter_class |= f[i].flag;
    }
}

typedef struct obj {
    char id[32];
    bool standalone; /* a parent parser: freed by ap_spec_build */
    bt_argparse *p;
    bt_argparse_subparsers *sp;
} obj;

static obj *find(obj *objs, size_t nobj, const char *id)
{
    for (size_t i = 0; i < nobj; i++)
        if (strcmp(objs[i].id, id) == 0)
            return &objs[i];
    return NULL;
}

static int statement(word *w, size_t n, obj *objs, size_t *nobj,
                     bt_argparse **top, bt_err *err)
{
    const char *verb = w[0].val;
    const char *in = kv(w, n, "in");
    obj *where = find(objs, *nobj, in ? in : "main");
    obj *mine = &objs[*nobj];
    memset(mine, 0, sizeof *mine);
    if (strcmp(verb, "parser") == 0) {
        bt_argparse_opts o = {0};
        opts_of(w, n, &o);
        const bt_argparse *parents[8] = {0};
        const char *pv = kv(w, n, "parents");
        if (pv) {
            char mem[256];
            const char **ids = split_list(pv, mem);
            for (size_t i = 0; ids[i] && i < 7; i++) {
                obj *par = find(objs, *nobj, ids[i]);
                if (!par)
                    return BT_EVALUE;
                parents[i] = par->p;
            }
            o.parents = parents;
        }
        *top = bt_argparse_new(&o);
        if (!*top)
            return BT_ENOMEM;
        snprintf(mine->id, sizeof mine->id, "main");
        mine->p = *top;
        (*nobj)++;
        return 0;
    }
    if (strcmp(verb, "parent") == 0 && n >= 2) {
        bt_argparse_opts o = {0};
        opts_of(w, n, &o);
        snprintf(mine->id, sizeof mine->id, "%s", w[1].val);
        mine->standalone = true;
        if (!(mine->p = bt_argparse_new(&o)))
            return BT_ENOMEM;
        (*nobj)++;
        return 0;
    }
    if (!where)
        return BT_EVALUE;
    if (strcmp(verb, "arg") == 0) {
        const char *names[MAXW + 1];
        size_t nn = 0;
        for (size_t i = 1; i < n; i++)
            if (!w[i].key)
                names[nn++] = w[i].val;
        names[nn] = NULL;
        bt_argparse_arg a = {0};
        char mem1[1024], mem2[1024];
        const char *v;
        if ((v = kv(w, n, "action")))
            a.action = (bt_argparse_action)action_of(v);
        if ((v = kv(w, n, "nargs")))
            a.nargs = strcmp(v, "?") == 0     ? BT_ARGPARSE_OPTIONAL
                      : strcmp(v, "*") == 0   ? BT_ARGPARSE_ZERO_OR_MORE
                      : strcmp(v, "+") == 0   ? BT_ARGPARSE_ONE_OR_MORE
                      : strcmp(v, "...") == 0 ? BT_ARGPARSE_REMAINDER
                                              : atoi(v);
        a.const_value = lit(kv(w, n, "const"));
        a.default_value = lit(kv(w, n, "default"));
        if ((v = kv(w, n, "type"))) {
            if (strcmp(v, "int") == 0)
                a.type = BT_ARGPARSE_INT;
            else if (strcmp(v, "float") == 0)
                a.type = BT_ARGPARSE_FLOAT;
            else if (strcmp(v, "str") == 0)
                a.type = BT_ARGPARSE_STR;
            else {
                a.convert = strcmp(v, "upper") == 0 ? upper : even;
                a.type_name = v;
            }
        }
        const char *choices_items[64];
        if ((v = kv(w, n, "choices"))) {
            const char **it = split_list(v, mem1);
            size_t k = 0;
            while (it[k]) {
                choices_items[k] = it[k];
                k++;
            }
            choices_items[k] = NULL;
            a.choices = choices_items;
        }
        a.required = (v = kv(w, n, "required")) && strcmp(v, "1") == 0;
        a.help = kv(w, n, "help");
        if (a.help && strcmp(a.help, "suppress_me") == 0)
            a.help = BT_ARGPARSE_SUPPRESS;
        a.metavar = kv(w, n, "metavar");
        if ((v = kv(w, n, "metavars")))
            a.metavars = split_list(v, mem2);
        a.dest = kv(w, n, "dest");
        a.version = kv(w, n, "version");
        return bt_argparse_add_argument(where->p, names, &a, err);
    }
    if (n < 2)
        return BT_EVALUE;
    snprintf(mine->id, sizeof mine->id, "%s", w[1].val);
    if (strcmp(verb, "group") == 0)
        mine->p = bt_argparse_add_argument_group(where->p, kv(w, n, "title"),
                                                 kv(w, n, "description"));
    else if (strcmp(verb, "mutex") == 0) {
        const char *r = kv(w, n, "required");
        mine->p = bt_argparse_add_mutually_exclusive_group(
            where->p, r && strcmp(r, "1") == 0);
    } else if (strcmp(verb, "subparsers") == 0) {
        const char *r = kv(w, n, "required");
        bt_argparse_subparsers_opts o = {
            .title = kv(w, n, "title"),
            .description = kv(w, n, "description"),
            .dest = kv(w, n, "dest"),
            .required = r && strcmp(r, "1") == 0,
            .help = kv(w, n, "help"),
            .metavar = kv(w, n, "metavar"),
            .prog = kv(w, n, "prog"),
        };
        mine->sp = bt_argparse_add_subparsers(where->p, &o, err);
        if (!mine->sp)
            return err && err->code ? err->code : BT_ENOMEM;
    } else if (strcmp(verb, "cmd") == 0) {
        obj *sp = find(objs, *nobj, kv(w, n, "of"));
        if (!sp || !sp->sp)
            return BT_EVALUE;
        bt_argparse_opts o = {0};
        opts_of(w, n, &o);
        o.help = kv(w, n, "help");
        char mem[1024];
        const char *v = kv(w, n, "aliases");
        if (v)
            o.aliases = split_list(v, mem);
        mine->p = bt_argparse_add_parser(sp->sp, kv(w, n, "name"), &o, err);
    } else if (strcmp(verb, "default") == 0) {
        int rc = 0;
        for (size_t i = 1; rc == 0 && i < n; i++)
            if (w[i].key && strcmp(w[i].key, "in") != 0)
                rc = bt_argparse_set_default(where->p, w[i].key, lit(w[i].val));
        return rc;
    } else
        return BT_EVALUE;
    if (!mine->p && !mine->sp)
        return err && err->code ? err->code : BT_ENOMEM;
    (*nobj)++;
    return 0;
}

bt_argparse *ap_spec_build(const char *text, int *rc, bt_err *err)
{
    obj objs[MAXOBJ];
    size_t nobj = 0;
    bt_argparse *top = NULL;
    *rc = 0;
    char *copy = strdup(text), *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save);
         line && *rc == 0 && nobj < MAXOBJ;
         line = strtok_r(NULL, "\n", &save)) {
        word w[MAXW];
        size_t n = split_words(line, w);
        if (n)
            *rc = statement(w, n, objs, &nobj, &top, err);
        if (*rc > 0)
            *rc = 0;
        for (size_t i = 0; i < n; i++) {
            free(w[i].key);
            free(w[i].val);
        }
    }
    free(copy);
    for (size_t i = 0; i < nobj; i++)
        if (objs[i].standalone)
            bt_argparse_free(objs[i].p);
    if (*rc < 0) {
        bt_argparse_free(top);
        return NULL;
    }
    return top;
}
