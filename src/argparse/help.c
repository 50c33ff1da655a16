/* help.c — Python 3.11's HelpFormatter: usage (with its wrapping), help
 * sections, textwrap's line breaking, %(name)s expansion. The regular
 * expressions are Python's own, run by batteries' re. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <batteries/re.h>

#include "argparse_int.h"

typedef struct fmt {
    const bt_argparse *p;
    const char *prog;
    size_t width;
    size_t max_help_position;
    size_t action_max_length;
    size_t indent;
    bt_err *err;
} fmt;

static size_t ulen(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

static size_t slen(const char *s)
{
    return ulen(s, strlen(s));
}

/* shutil.get_terminal_size().columns - 2, or the parser's width. */
static size_t help_width(const bt_argparse *p)
{
    if (p->width > 0)
        return (size_t)p->width;
    long cols = 0;
    const char *env = getenv("COLUMNS");
    if (env && *env) {
        char *end;
        cols = strtol(env, &end, 10);
        if (*end)
            cols = 0;
    }
    if (cols <= 0) {
        struct winsize ws;
        if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
            cols = ws.ws_col;
        else
            cols = 80;
    }
    return cols - 2 > 0 ? (size_t)(cols - 2) : 1;
}

static void fmt_init(fmt *f, const bt_argparse *p, bt_err *err)
{
    memset(f, 0, sizeof *f);
    f->p = p;
    f->prog = p->prog;
    f->width = help_width(p);
    size_t w20 = f->width > 20 ? f->width - 20 : 0;
    size_t m = w20 > 4 ? w20 : 4;
    f->max_help_position = m < 24 ? m : 24;
    f->err = err;
}

static const char *type_name(const ap_action *a)
{
    return a->convert                     ? a->type_name
           : a->type == BT_ARGPARSE_INT   ? "int"
           : a->type == BT_ARGPARSE_FLOAT ? "float"
           : a->type == BT_ARGPARSE_STR   ? "str"
                                          : NULL;
}

static int oom(int rc)
{
    return rc < 0 ? BT_ENOMEM : 0;
}

/* ------------------------------------------------------------------ */
/* %-formatting with a mapping                                         */
/* ------------------------------------------------------------------ */

typedef int (*lookup_fn)(const void *ctx, const char *name, size_t n,
                         bt_argparse_value *v, bt_buf *tmp);

static int percent_format(const char *s, lookup_fn look, const void *ctx,
                          bt_buf *out, bt_err *err)
{
    while (*s) {
        const char *pc = strchr(s, '%');
        if (!pc)
            return oom(bt_buf_append_str(out, s));
        if (bt_buf_append(out, s, (size_t)(pc - s)) < 0)
            return BT_ENOMEM;
        s = pc + 1;
        if (*s == '%') {
            if (bt_buf_append_byte(out, '%') < 0)
                return BT_ENOMEM;
            s++;
            continue;
        }
        if (*s != '(')
            return bt_err_setf(err, BT_ETYPE, -1, "format requires a mapping");
        const char *close = strchr(s, ')');
        if (!close)
            return bt_err_setf(err, BT_EVALUE, -1, "incomplete format key");
        const char *name = s + 1;
        size_t nlen = (size_t)(close - name);
        s = close + 1;
        /* flags, width, precision are rare in help strings: skip none. */
        char conv = *s;
        if (!conv)
            return bt_err_setf(err, BT_EVALUE, -1, "incomplete format");
        s++;
        bt_argparse_value v = {.type = BT_ARGPARSE_UNSET};
        bt_buf tmp = BT_BUF_INIT;
        int rc = look(ctx, name, nlen, &v, &tmp);
        if (rc == BT_EKEY) {
            bt_buf_fini(&tmp);
            return bt_err_setf(err, BT_EKEY, -1, "'%.*s'", (int)nlen, name);
        }
        if (rc < 0) {
            bt_buf_fini(&tmp);
            return rc;
        }
        if (conv == 's')
            rc = bt__ap_value_str(out, &v);
        else if (conv == 'r')
            rc = bt__ap_value_repr(out, &v);
        else if (conv == 'd' || conv == 'i') {
            if (v.type == BT_ARGPARSE_INT || v.type == BT_ARGPARSE_BOOL)
                rc = oom(bt_buf_printf(
                    out, "%lld",
                    (long long)(v.type == BT_ARGPARSE_INT ? v.i : v.b)));
            else if (v.type == BT_ARGPARSE_FLOAT)
                rc = oom(bt_buf_printf(out, "%lld", (long long)v.f));
            else
                rc =
                    bt_err_setf(err, BT_ETYPE, -1,
                                "%%%c format: a real number is required", conv);
        } else
            rc = bt_err_setf(err, BT_EVALUE, -1,
                             "unsupported format character '%c'", conv);
        bt_buf_fini(&tmp);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int prog_lookup(const void *ctx, const char *name, size_t n,
                       bt_argparse_value *v, bt_buf *tmp)
{
    (void)tmp;
    if (n == 4 && memcmp(name, "prog", 4) == 0) {
        *v = BT_ARGPARSE_VSTR((const char *)ctx);
        return 0;
    }
    return BT_EKEY;
}

int bt__ap_percent_prog(const char *s, const char *prog, bt_buf *out,
                        bt_err *err)
{
    return percent_format(s, prog_lookup, prog, out, err);
}

static const char *nargs_str(int nargs, char *buf)
{
    switch (nargs) {
    case AP_OPTIONAL:
        return "?";
    case AP_ZOM:
        return "*";
    case AP_OOM:
        return "+";
    case AP_REMAINDER:
        return "...";
    case AP_PARSER:
        return "A...";
    case AP_SUPPRESS:
        return BT_ARGPARSE_SUPPRESS;
    default:
        sprintf(buf, "%d", nargs);
        return buf;
    }
}

typedef struct help_ctx {
    const ap_action *a;
    const char *prog;
} help_ctx;

static bool is(const char *name, size_t n, const char *w)
{
    return strlen(w) == n && memcmp(name, w, n) == 0;
}

/* dict(vars(action), prog=prog), SUPPRESS values removed, types named. */
static int help_lookup(const void *ctx, const char *name, size_t n,
                       bt_argparse_value *v, bt_buf *tmp)
{
    const help_ctx *h = ctx;
    const ap_action *a = h->a;
    char nb[16];
    if (is(name, n, "prog"))
        *v = BT_ARGPARSE_VSTR(h->prog);
    else if (is(name, n, "default"))
        *v = a->dflt;
    else if (is(name, n, "const"))
        *v = a->konst;
    else if (is(name, n, "dest"))
        *v = BT_ARGPARSE_VSTR(a->dest);
    else if (is(name, n, "help"))
        *v = a->help ? BT_ARGPARSE_VSTR(a->help) : BT_ARGPARSE_VNONE;
    else if (is(name, n, "metavar"))
        *v = a->metavar ? BT_ARGPARSE_VSTR(a->metavar) : BT_ARGPARSE_VNONE;
    else if (is(name, n, "version") && a->kind == BT_ARGPARSE_VERSION)
        *v = a->version ? BT_ARGPARSE_VSTR(a->version) : BT_ARGPARSE_VNONE;
    else if (is(name, n, "required"))
        *v = BT_ARGPARSE_VBOOL(a->required);
    else if (is(name, n, "nargs")) {
        if (a->nargs == AP_NONE)
            *v = BT_ARGPARSE_VNONE;
        else if (a->nargs >= 0)
            *v = BT_ARGPARSE_VINT(a->nargs);
        else {
            if (bt_buf_append_str(tmp, nargs_str(a->nargs, nb)) < 0)
                return BT_ENOMEM;
            *v = BT_ARGPARSE_VSTR(tmp->data);
        }
    } else if (is(name, n, "type")) {
        const char *t = type_name(a);
        *v = t ? BT_ARGPARSE_VSTR(t) : BT_ARGPARSE_VNONE;
    } else if (is(name, n, "choices")) {
        if (!a->has_choices) {
            *v = BT_ARGPARSE_VNONE;
            return 0;
        }
        for (size_t i = 0; i < a->nchoices; i++) {
            if (i && bt_buf_append_str(tmp, ", ") < 0)
                return BT_ENOMEM;
            if (bt__ap_value_str(tmp, &a->choices[i]) < 0)
                return BT_ENOMEM;
        }
        for (size_t i = 0; i < a->nsubs; i++)
            if (bt_buf_printf(tmp, "%s%s", i ? ", " : "", a->subs[i].name) < 0)
                return BT_ENOMEM;
        *v = BT_ARGPARSE_VSTR(tmp->data ? tmp->data : "");
    } else if (is(name, n, "option_strings")) {
        if (bt_buf_append_byte(tmp, '[') < 0)
            return BT_ENOMEM;
        for (size_t i = 0; i < a->nopts; i++) {
            if (i && bt_buf_append_str(tmp, ", ") < 0)
                return BT_ENOMEM;
            if (bt_repr_str(tmp, a->opts[i], strlen(a->opts[i])) < 0)
                return BT_ENOMEM;
        }
        if (bt_buf_append_byte(tmp, ']') < 0)
            return BT_ENOMEM;
        *v = BT_ARGPARSE_VSTR(tmp->data);
    } else
        return BT_EKEY;
    if (bt__ap_is_suppress(v))
        return BT_EKEY;
    return 0;
}

/* ------------------------------------------------------------------ */
/* textwrap                                                            */
/* ------------------------------------------------------------------ */

#define WS  "[\\t\\n\\x0b\\x0c\\r ]"
#define NWS "[^\\t\\n\\x0b\\x0c\\r ]"
#define WP  "[\\w!\"'&.,?]"
#define LT  "[^\\d\\W]"
static const char wordsep[] =
    "(" WS "+|(?<=" WP ")-{2,}(?=\\w)|" NWS "+?(?:-(?:(?<=" LT "{2}-)|(?<=" LT
    "-" LT "-))(?=" LT "-?" LT ")|(?=" WS "|\\Z)|(?<=" WP ")(?=-{2,}\\w)))";

/* " ".join(text.split()) */
static int collapse(const char *s, bt_buf *out)
{
    bool space = false;
    for (; *s; s++) {
        if (*s == ' ' || (*s >= '\t' && *s <= '\r') ||
            (*s >= 0x1c && *s <= 0x1f)) {
            space = out->len > 0;
            continue;
        }
        if (space && bt_buf_append_byte(out, ' ') < 0)
            return BT_ENOMEM;
        space = false;
        if (bt_buf_append_byte(out, (unsigned char)*s) < 0)
            return BT_ENOMEM;
    }
    return 0;
}

/* textwrap.wrap(text, width, initial_indent=ind, subsequent_indent=ind),
 * text already collapsed; lines appended to out. */
static int wrap(const char *text, size_t width, const char *ind,
                bt_strvec *lines, bt_err *err)
{
    if (!*text)
        return 0;
    bt_re_pattern *re;
    int rc = bt_re_compile(wordsep, sizeof wordsep - 1, 0, &re, err);
    if (rc < 0)
        return rc;
    bt_strvec raw = BT_STRVEC_INIT;
    ptrdiff_t k = bt_re_split(re, text, strlen(text), 0, &raw, err);
    bt_re_pattern_free(re);
    if (k < 0) {
        bt_strvec_fini(&raw);
        return (int)k;
    }
    /* chunks, reversed as a stack: chunks[n-1] is the next one */
    size_t n = 0;
    char **chunks = bt_calloc(raw.count ? raw.count : 1, sizeof *chunks);
    size_t *lens = bt_calloc(raw.count ? raw.count : 1, sizeof *lens);
    if (!chunks || !lens) {
        bt_free(chunks);
        bt_free(lens);
        bt_strvec_fini(&raw);
        return BT_ENOMEM;
    }
    for (size_t i = raw.count; i-- > 0;)
        if (raw.lens[i]) {
            chunks[n] = raw.items[i];
            lens[n++] = raw.lens[i];
        }
    size_t indlen = slen(ind);
    size_t w = width > indlen ? width - indlen : 0;
    bt_buf line = BT_BUF_INIT;
    bool any = false;
    rc = 0;
    while (n && rc == 0) {
        bt_buf_clear(&line);
        size_t cur = 0;
        const char *lastchunk = NULL;
        size_t lastlen = 0;
        if (any && chunks[n - 1][0] == ' ')
            n--;
        while (n) {
            size_t l = ulen(chunks[n - 1], lens[n - 1]);
            if (cur + l <= w) {
                lastchunk = chunks[n - 1];
                lastlen = lens[n - 1];
                rc |= bt_buf_append(&line, chunks[n - 1], lens[n - 1]);
                cur += l;
                n--;
            } else
                break;
        }
        if (n && ulen(chunks[n - 1], lens[n - 1]) > w) {
            /* _handle_long_word */
            size_t space_left = w < 1 ? 1 : w - cur;
            const char *c = chunks[n - 1];
            size_t clen = lens[n - 1];
            size_t end = space_left; /* in characters */
            if (ulen(c, clen) > space_left) {
                /* rfind('-', 0, space_left) */
                ptrdiff_t hyphen = -1;
                size_t ci = 0;
                for (size_t bi = 0; bi < clen && ci < space_left; bi++) {
                    if (((unsigned char)c[bi] & 0xC0) == 0x80)
                        continue;
                    if (c[bi] == '-')
                        hyphen = (ptrdiff_t)ci;
                    ci++;
                }
                if (hyphen > 0) {
                    bool nondash = false;
                    for (size_t bi = 0, cj = 0; cj < (size_t)hyphen; bi++) {
                        if (((unsigned char)c[bi] & 0xC0) == 0x80)
                            continue;
                        nondash |= c[bi] != '-';
                        cj++;
                    }
                    if (nondash)
                        end = (size_t)hyphen + 1;
                }
            }
            /* characters -> bytes */
            size_t bend = 0, cc = 0;
            while (bend < clen && cc < end) {
                bend++;
                while (bend < clen && ((unsigned char)c[bend] & 0xC0) == 0x80)
                    bend++;
                cc++;
            }
            rc |= bt_buf_append(&line, c, bend);
            lastchunk = c;
            lastlen = bend;
            chunks[n - 1] += bend;
            lens[n - 1] -= bend;
            if (!lens[n - 1])
                n--;
        }
        if (lastchunk && lastlen == 1 && lastchunk[0] == ' ' && line.len) {
            line.len--;
            line.data[line.len] = 0;
        }
        if (line.len) {
            bt_buf full = BT_BUF_INIT;
            rc |= bt_buf_append_str(&full, ind);
            rc |= bt_buf_append(&full, line.data, line.len);
            if (rc == 0)
                rc = bt_strvec_append(lines, full.data, full.len);
            bt_buf_fini(&full);
            any = true;
        }
    }
    bt_buf_fini(&line);
    bt_free(chunks);
    bt_free(lens);
    bt_strvec_fini(&raw);
    return rc < 0 ? BT_ENOMEM : 0;
}

/* _format_text: fill(text) + "\n\n" */
static int format_text(fmt *f, const char *text, bt_buf *out)
{
    if (!text || bt__ap_str_is_suppress(text))
        return 0;
    bt_buf t = BT_BUF_INIT, c = BT_BUF_INIT;
    int rc = 0;
    if (strstr(text, "%(prog)"))
        rc = bt__ap_percent_prog(text, f->prog, &t, f->err);
    else
        rc = oom(bt_buf_append_str(&t, text));
    size_t tw = f->width > f->indent + 11 ? f->width - f->indent : 11;
    char ind[256];
    size_t il = f->indent < sizeof ind - 1 ? f->indent : sizeof ind - 1;
    memset(ind, ' ', il);
    ind[il] = 0;
    bt_strvec lines = BT_STRVEC_INIT;
    if (f->p->formatter & BT_ARGPARSE_RAW_DESCRIPTION_HELP_FORMATTER) {
        /* ''.join(indent + line for line in text.splitlines(keepends=True)) */
        if (rc == 0)
            rc = bt__ap_splitlines(t.data ? t.data : "", t.len, true, &lines);
        for (size_t i = 0; rc == 0 && i < lines.count; i++)
            rc = oom(bt_buf_printf(out, "%s%s", ind, lines.items[i]));
    } else {
        if (rc == 0)
            rc = collapse(t.data ? t.data : "", &c);
        if (rc == 0)
            rc = wrap(c.data ? c.data : "", tw, ind, &lines, f->err);
        for (size_t i = 0; rc == 0 && i < lines.count; i++)
            rc = oom(bt_buf_printf(out, "%s%s", i ? "\n" : "", lines.items[i]));
    }
    if (rc == 0)
        rc = oom(bt_buf_append_str(out, "\n\n"));
    bt_strvec_fini(&lines);
    bt_buf_fini(&t);
    bt_buf_fini(&c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* metavars, args, invocations                                         */
/* ------------------------------------------------------------------ */

static int metavar_base(const ap_action *a, const char *dflt, bt_buf *out)
{
    if (a->metavar)
        return oom(bt_buf_append_str(out, a->metavar));
    if (a->has_choices) {
        int rc = bt_buf_append_byte(out, '{');
        for (size_t i = 0; rc == 0 && i < a->nchoices; i++) {
            if (i)
                rc = bt_buf_append_byte(out, ',');
            if (rc == 0)
                rc = bt__ap_value_str(out, &a->choices[i]);
        }
        for (size_t i = 0; rc == 0 && i < a->nsubs; i++)
            rc = bt_buf_printf(out, "%s%s", i ? "," : "", a->subs[i].name);
        return oom(rc ? rc : bt_buf_append_byte(out, '}'));
    }
    return oom(bt_buf_append_str(out, dflt));
}

/* get_metavar(size)[i] */
static int metavar_at(const ap_action *a, const char *dflt, size_t i,
                      bt_buf *out)
{
    if (a->nmetavars)
        return oom(
            bt_buf_append_str(out, a->metavars[i < a->nmetavars ? i : 0]));
    return metavar_base(a, dflt, out);
}

static int default_metavar(const fmt *f, const ap_action *a, bt_buf *out)
{
    if (f->p->formatter & BT_ARGPARSE_METAVAR_TYPE_HELP_FORMATTER)
        return oom(bt_buf_append_str(out, type_name(a) ? type_name(a) : "str"));
    if (a->nopts) {
        for (const char *s = a->dest; *s; s++)
            if (bt_buf_append_byte(out,
                                   (*s >= 'a' && *s <= 'z') ? *s - 32 : *s) < 0)
                return BT_ENOMEM;
        return bt_buf_append_byte(out, 0) < 0 ? BT_ENOMEM : (out->len--, 0);
    }
    return oom(bt_buf_append_str(out, a->dest));
}

static int format_args(const fmt *f, const ap_action *a, bt_buf *out)
{
    bt_buf d = BT_BUF_INIT, m0 = BT_BUF_INIT, m1 = BT_BUF_INIT;
    int rc = default_metavar(f, a, &d);
    const char *dm = d.data ? d.data : "";
    if (rc == 0)
        rc = metavar_at(a, dm, 0, &m0);
    const char *s0 = m0.data ? m0.data : "";
    switch (a->nargs) {
    case AP_NONE:
        rc = rc ? rc : oom(bt_buf_append_str(out, s0));
        break;
    case AP_OPTIONAL:
        rc = rc ? rc : oom(bt_buf_printf(out, "[%s]", s0));
        break;
    case AP_ZOM:
        if (rc == 0 && a->nmetavars == 2) {
            rc = metavar_at(a, dm, 1, &m1);
            rc = rc ? rc
                    : oom(bt_buf_printf(out, "[%s [%s ...]]", s0,
                                        m1.data ? m1.data : ""));
        } else
            rc = rc ? rc : oom(bt_buf_printf(out, "[%s ...]", s0));
        break;
    case AP_OOM:
        if (rc == 0)
            rc = metavar_at(a, dm, 1, &m1);
        rc = rc ? rc
                : oom(bt_buf_printf(out, "%s [%s ...]", s0,
                                    m1.data ? m1.data : ""));
        break;
    case AP_REMAINDER:
        rc = rc ? rc : oom(bt_buf_append_str(out, "..."));
        break;
    case AP_PARSER:
        rc = rc ? rc : oom(bt_buf_printf(out, "%s ...", s0));
        break;
    case AP_SUPPRESS:
        break;
    default:
        for (int i = 0; rc == 0 && i < a->nargs; i++) {
            bt_buf_clear(&m1);
            rc = metavar_at(a, dm, (size_t)i, &m1);
            if (rc == 0)
                rc = oom(bt_buf_printf(out, "%s%s", i ? " " : "",
                                       m1.data ? m1.data : ""));
        }
    }
    bt_buf_fini(&d);
    bt_buf_fini(&m0);
    bt_buf_fini(&m1);
    return rc;
}

static int invocation(const fmt *f, const ap_action *a, bt_buf *out)
{
    if (!a->nopts) {
        bt_buf d = BT_BUF_INIT;
        int rc = default_metavar(f, a, &d);
        if (rc == 0)
            rc = metavar_at(a, d.data ? d.data : "", 0, out);
        bt_buf_fini(&d);
        return rc;
    }
    if (a->nargs == AP_ZERO) {
        for (size_t i = 0; i < a->nopts; i++)
            if (bt_buf_printf(out, "%s%s", i ? ", " : "", a->opts[i]) < 0)
                return BT_ENOMEM;
        return 0;
    }
    bt_buf args = BT_BUF_INIT;
    int rc = format_args(f, a, &args);
    for (size_t i = 0; rc == 0 && i < a->nopts; i++)
        rc = oom(bt_buf_printf(out, "%s%s %s", i ? ", " : "", a->opts[i],
                               args.data ? args.data : ""));
    bt_buf_fini(&args);
    return rc;
}

int bt__ap_action_name(const ap_action *a, bt_buf *out)
{
    if (a->nopts) {
        for (size_t i = 0; i < a->nopts; i++)
            if (bt_buf_printf(out, "%s%s", i ? "/" : "", a->opts[i]) < 0)
                return BT_ENOMEM;
        return 1;
    }
    if (a->metavar && !bt__ap_str_is_suppress(a->metavar))
        return bt_buf_append_str(out, a->metavar) < 0 ? BT_ENOMEM : 1;
    if (a->dest && !bt__ap_str_is_suppress(a->dest))
        return bt_buf_append_str(out, a->dest) < 0 ? BT_ENOMEM : 1;
    if (a->has_choices && (a->nchoices || a->nsubs)) {
        int rc = metavar_base(&(ap_action){.has_choices = true,
                                           .choices = a->choices,
                                           .nchoices = a->nchoices,
                                           .subs = a->subs,
                                           .nsubs = a->nsubs},
                              "", out);
        return rc < 0 ? rc : 1;
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* usage                                                               */
/* ------------------------------------------------------------------ */

static bool help_suppressed(const ap_action *a)
{
    return bt__ap_str_is_suppress(a->help);
}

static int sub(bt_buf *text, const char *pat, const char *repl, bt_err *err)
{
    bt_re_pattern *re;
    int rc = bt_re_compile(pat, strlen(pat), 0, &re, err);
    if (rc < 0)
        return rc;
    bt_buf out = BT_BUF_INIT;
    ptrdiff_t k =
        bt_re_sub(re, repl, strlen(repl), text->data ? text->data : "",
                  text->len, 0, &out, err);
    bt_re_pattern_free(re);
    if (k < 0) {
        bt_buf_fini(&out);
        return (int)k;
    }
    bt_buf_fini(text);
    *text = out;
    return 0;
}

/* _format_actions_usage */
static int actions_usage(const fmt *f, ap_action *const *acts, size_t n,
                         bt_buf *out)
{
    const bt_argparse *p = f->p;
    char **inserts = bt_calloc(n + 1, sizeof *inserts);
    bool *in_group = bt_calloc(n + 1, sizeof *in_group);
    char **parts = bt_calloc(n + 1, sizeof *parts);
    int rc = inserts && in_group && parts ? 0 : BT_ENOMEM;
    for (size_t g = 0; rc == 0 && g < p->mutexes.n; g++) {
        const bt_argparse *grp = p->mutexes.items[g];
        if (!grp->group_actions.n)
            return bt_err_setf(f->err, BT_EVALUE, -1, "empty group");
        size_t start = n;
        for (size_t i = 0; i < n; i++)
            if (acts[i] == grp->group_actions.items[0]) {
                start = i;
                break;
            }
        if (start == n)
            continue;
        size_t cnt = grp->group_actions.n, end = start + cnt;
        if (end > n)
            continue;
        bool same = true;
        for (size_t i = 0; i < cnt; i++)
            same &= acts[start + i] == grp->group_actions.items[i];
        if (!same)
            continue;
        size_t suppressed = 0;
        for (size_t i = 0; i < cnt; i++) {
            in_group[start + i] = true;
            suppressed += help_suppressed(grp->group_actions.items[i]);
        }
        const char *o = NULL, *c = NULL;
        if (!grp->required)
            o = "[", c = "]";
        else if (cnt - suppressed > 1)
            o = "(", c = ")";
        if (o) {
            bt_buf b = BT_BUF_INIT;
            rc |=
                bt_buf_printf(&b, "%s%s", inserts[start] ? inserts[start] : "",
                              inserts[start] ? (o[0] == '[' ? " [" : " (") : o);
            bt_free(inserts[start]);
            inserts[start] = bt_buf_take(&b, NULL);
            rc |=
                bt_buf_printf(&b, "%s%s", inserts[end] ? inserts[end] : "", c);
            bt_free(inserts[end]);
            inserts[end] = bt_buf_take(&b, NULL);
            bt_buf_fini(&b);
            if (!inserts[start] || !inserts[end])
                rc = BT_ENOMEM;
        }
        for (size_t i = start + 1; i < end; i++) {
            bt_free(inserts[i]);
            if (!(inserts[i] = bt_strdup("|")))
                rc = BT_ENOMEM;
        }
    }
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const ap_action *a = acts[i];
        bt_buf part = BT_BUF_INIT;
        if (help_suppressed(a)) {
            if (inserts[i] && strcmp(inserts[i], "|") == 0) {
                bt_free(inserts[i]);
                inserts[i] = NULL;
            } else if (inserts[i + 1] && strcmp(inserts[i + 1], "|") == 0) {
                bt_free(inserts[i + 1]);
                inserts[i + 1] = NULL;
            }
            continue;
        }
        if (!a->nopts) {
            rc = format_args(f, a, &part);
            if (rc == 0 && in_group[i] && part.len >= 2 &&
                part.data[0] == '[' && part.data[part.len - 1] == ']') {
                memmove(part.data, part.data + 1, part.len - 2);
                part.len -= 2;
                part.data[part.len] = 0;
            }
        } else {
            bool wrapit = !a->required && !in_group[i];
            rc = wrapit ? oom(bt_buf_append_byte(&part, '[')) : 0;
            if (a->nargs == AP_ZERO) {
                if (a->kind == BT_ARGPARSE_BOOLEAN_OPTIONAL)
                    for (size_t k = 0; rc == 0 && k < a->nopts; k++)
                        rc = oom(bt_buf_printf(&part, "%s%s", k ? " | " : "",
                                               a->opts[k]));
                else
                    rc = rc ? rc : oom(bt_buf_append_str(&part, a->opts[0]));
            } else {
                rc = rc ? rc : oom(bt_buf_printf(&part, "%s ", a->opts[0]));
                rc = rc ? rc : format_args(f, a, &part);
            }
            if (rc == 0 && wrapit)
                rc = oom(bt_buf_append_byte(&part, ']'));
        }
        if (rc == 0) {
            parts[i] = bt_buf_take(&part, NULL);
            if (!parts[i])
                parts[i] = bt_strdup("");
            if (!parts[i])
                rc = BT_ENOMEM;
        }
        bt_buf_fini(&part);
    }
    bt_buf text = BT_BUF_INIT;
    bool first = true;
    for (size_t i = 0; rc == 0 && i <= n; i++) {
        if (inserts[i]) {
            rc =
                oom(bt_buf_printf(&text, "%s%s", first ? "" : " ", inserts[i]));
            first = false;
        }
        if (i < n && parts[i]) {
            rc = rc ? rc
                    : oom(bt_buf_printf(&text, "%s%s", first ? "" : " ",
                                        parts[i]));
            first = false;
        }
    }
    if (rc == 0)
        rc = sub(&text, "([\\[(]) ", "\\1", f->err);
    if (rc == 0)
        rc = sub(&text, " ([\\])])", "\\1", f->err);
    if (rc == 0)
        rc = sub(&text, "[\\[(] *[\\])]", "", f->err);
    if (rc == 0 && text.data) {
        size_t s = 0, e = text.len;
        while (s < e && (text.data[s] == ' ' ||
                         (text.data[s] >= '\t' && text.data[s] <= '\r')))
            s++;
        while (e > s && (text.data[e - 1] == ' ' || (text.data[e - 1] >= '\t' &&
                                                     text.data[e - 1] <= '\r')))
            e--;
        rc = oom(bt_buf_append(out, text.data + s, e - s));
    }
    bt_buf_fini(&text);
    for (size_t i = 0; i <= n; i++) {
        if (inserts)
            bt_free(inserts[i]);
        if (parts)
            bt_free(parts[i]);
    }
    bt_free(inserts);
    bt_free(in_group);
    bt_free(parts);
    return rc;
}

/* get_lines of _format_usage */
static int get_lines(const bt_strvec *parts, size_t from, const char *indent,
                     const char *prefix, size_t text_width, bt_strvec *lines)
{
    size_t indlen = slen(indent);
    size_t line_len = (prefix ? slen(prefix) : indlen) - 1;
    bt_buf line = BT_BUF_INIT;
    size_t nline = 0, first_line = lines->count;
    int rc = 0;
    for (size_t i = from; rc == 0 && i < parts->count; i++) {
        size_t pl = ulen(parts->items[i], parts->lens[i]);
        if (line_len + 1 + pl > text_width && nline) {
            rc = oom(bt_strvec_append(lines, line.data, line.len));
            bt_buf_clear(&line);
            nline = 0;
            line_len = indlen - 1;
        }
        if (rc == 0)
            rc = oom(nline ? bt_buf_append_byte(&line, ' ')
                           : bt_buf_append_str(&line, indent));
        rc = rc ? rc
                : oom(bt_buf_append(&line, parts->items[i], parts->lens[i]));
        nline++;
        line_len += pl + 1;
    }
    if (rc == 0 && nline)
        rc = oom(bt_strvec_append(lines, line.data, line.len));
    bt_buf_fini(&line);
    if (rc == 0 && prefix && lines->count > first_line) {
        char *l0 = lines->items[first_line];
        char *cut = bt_strdup(l0 + strlen(indent));
        if (!cut)
            return BT_ENOMEM;
        rc = bt_strvec_remove(lines, first_line);
        if (rc == 0)
            rc = bt_strvec_insert(lines, first_line, cut, strlen(cut));
        bt_free(cut);
    }
    return rc;
}

static const char part_re[] = "\\(.*?\\)+(?=\\s|$)|\\[.*?\\]+(?=\\s|$)|\\S+";

static int find_parts(const char *s, bt_strvec *out, bt_err *err)
{
    bt_re_pattern *re;
    int rc = bt_re_compile(part_re, sizeof part_re - 1, 0, &re, err);
    if (rc < 0)
        return rc;
    ptrdiff_t k = bt_re_findall(re, s, strlen(s), out, err);
    bt_re_pattern_free(re);
    return k < 0 ? (int)k : 0;
}

/* _format_usage(usage, actions, groups, prefix) */
static int format_usage(const fmt *f, const char *usage_opt,
                        ap_action *const *acts, size_t n, const char *prefix,
                        bt_buf *out)
{
    bt_buf usage = BT_BUF_INIT;
    int rc = 0;
    if (usage_opt)
        rc = bt__ap_percent_prog(usage_opt, f->prog, &usage, f->err);
    else if (!n)
        rc = oom(bt_buf_append_str(&usage, f->prog));
    else {
        ap_action **opt = bt_calloc(n, sizeof *opt),
                  **pos = bt_calloc(n, sizeof *pos);
        ap_action **all = bt_calloc(n, sizeof *all);
        size_t no = 0, np = 0;
        if (!opt || !pos || !all)
            rc = BT_ENOMEM;
        for (size_t i = 0; rc == 0 && i < n; i++) {
            if (acts[i]->nopts)
                opt[no++] = acts[i];
            else
                pos[np++] = acts[i];
        }
        if (rc == 0) {
            memcpy(all, opt, no * sizeof *all);
            memcpy(all + no, pos, np * sizeof *all);
        }
        bt_buf au = BT_BUF_INIT, ou = BT_BUF_INIT, pu = BT_BUF_INIT;
        if (rc == 0)
            rc = actions_usage(f, all, n, &au);
        if (rc == 0)
            rc = oom(bt_buf_printf(&usage, "%s%s%s", f->prog,
                                   au.len && *f->prog ? " " : "",
                                   au.data ? au.data : ""));
        size_t text_width = f->width > f->indent ? f->width - f->indent : 0;
        if (rc == 0 &&
            slen(prefix) + ulen(usage.data, usage.len) > text_width) {
            bt_strvec op = BT_STRVEC_INIT, pp = BT_STRVEC_INIT,
                      lines = BT_STRVEC_INIT;
            rc = actions_usage(f, opt, no, &ou);
            rc = rc ? rc : actions_usage(f, pos, np, &pu);
            rc = rc ? rc : find_parts(ou.data ? ou.data : "", &op, f->err);
            rc = rc ? rc : find_parts(pu.data ? pu.data : "", &pp, f->err);
            size_t plen = slen(prefix), proglen = slen(f->prog);
            if (rc == 0 &&
                (double)(plen + proglen) <= 0.75 * (double)text_width) {
                size_t il = plen + proglen + 1;
                char *indent = bt_malloc(il + 1);
                if (!indent)
                    rc = BT_ENOMEM;
                else {
                    memset(indent, ' ', il);
                    indent[il] = 0;
                    if (op.count || pp.count) {
                        bt_strvec *first = op.count ? &op : &pp;
                        rc = bt_strvec_insert(first, 0, f->prog,
                                              strlen(f->prog));
                        rc = rc ? rc
                                : get_lines(first, 0, indent, prefix,
                                            text_width, &lines);
                        if (rc == 0 && op.count)
                            rc = get_lines(&pp, 0, indent, NULL, text_width,
                                           &lines);
                    } else
                        rc = bt_strvec_append_str(&lines, f->prog);
                    bt_free(indent);
                }
            } else if (rc == 0) {
                size_t il = plen;
                char *indent = bt_malloc(il + 1);
                bt_strvec both = BT_STRVEC_INIT;
                if (!indent)
                    rc = BT_ENOMEM;
                else {
                    memset(indent, ' ', il);
                    indent[il] = 0;
                    for (size_t i = 0; rc == 0 && i < op.count; i++)
                        rc = bt_strvec_append(&both, op.items[i], op.lens[i]);
                    for (size_t i = 0; rc == 0 && i < pp.count; i++)
                        rc = bt_strvec_append(&both, pp.items[i], pp.lens[i]);
                    rc = rc ? rc
                            : get_lines(&both, 0, indent, NULL, text_width,
                                        &lines);
                    if (rc == 0 && lines.count > 1) {
                        bt_strvec_clear(&lines);
                        rc =
                            get_lines(&op, 0, indent, NULL, text_width, &lines);
                        rc = rc ? rc
                                : get_lines(&pp, 0, indent, NULL, text_width,
                                            &lines);
                    }
                    rc = rc ? rc
                            : bt_strvec_insert(&lines, 0, f->prog,
                                               strlen(f->prog));
                    bt_free(indent);
                }
                bt_strvec_fini(&both);
            }
            if (rc == 0) {
                bt_buf_clear(&usage);
                rc = bt_strvec_join(&lines, "\n", 1, &usage);
            }
            bt_strvec_fini(&op);
            bt_strvec_fini(&pp);
            bt_strvec_fini(&lines);
        }
        bt_buf_fini(&au);
        bt_buf_fini(&ou);
        bt_buf_fini(&pu);
        bt_free(opt);
        bt_free(pos);
        bt_free(all);
    }
    if (rc == 0)
        rc = oom(bt_buf_printf(out, "%s%s\n\n", prefix,
                               usage.data ? usage.data : ""));
    bt_buf_fini(&usage);
    return rc < 0 ? rc : 0;
}

/* ------------------------------------------------------------------ */
/* help                                                                */
/* ------------------------------------------------------------------ */

static int add_length(fmt *f, const ap_action *a)
{
    if (help_suppressed(a))
        return 0;
    bt_buf b = BT_BUF_INIT;
    int rc = invocation(f, a, &b);
    size_t m = ulen(b.data ? b.data : "", b.len);
    for (size_t i = 0; rc == 0 && i < a->choice_actions.n; i++) {
        bt_buf_clear(&b);
        rc = invocation(f, a->choice_actions.items[i], &b);
        size_t l = ulen(b.data ? b.data : "", b.len);
        if (l > m)
            m = l;
    }
    bt_buf_fini(&b);
    if (m + f->indent > f->action_max_length)
        f->action_max_length = m + f->indent;
    return rc;
}

static void pad(bt_buf *out, size_t n, int *rc)
{
    for (size_t i = 0; i < n && *rc == 0; i++)
        *rc = oom(bt_buf_append_byte(out, ' '));
}

static int format_action(fmt *f, const ap_action *a, bt_buf *out)
{
    size_t hp = f->action_max_length + 2 < f->max_help_position
                    ? f->action_max_length + 2
                    : f->max_help_position;
    size_t help_width = f->width > hp + 11 ? f->width - hp : 11;
    size_t action_width = hp > f->indent + 2 ? hp - f->indent - 2 : 0;
    if (hp < f->indent + 2)
        action_width = (size_t)0 - 0; /* negative in Python: never fits */
    bool neg_width = hp < f->indent + 2;
    bt_buf head = BT_BUF_INIT;
    int rc = invocation(f, a, &head);
    size_t hl = ulen(head.data ? head.data : "", head.len);
    size_t indent_first = 0;
    bool has_help = a->help && *a->help;
    pad(out, f->indent, &rc);
    if (rc == 0)
        rc = oom(bt_buf_append(out, head.data ? head.data : "", head.len));
    bool header_nl = false;
    if (!has_help) {
        rc = rc ? rc : oom(bt_buf_append_byte(out, '\n'));
        header_nl = true;
    } else if (!neg_width && hl <= action_width) {
        pad(out, action_width - hl + 2, &rc);
    } else {
        rc = rc ? rc : oom(bt_buf_append_byte(out, '\n'));
        header_nl = true;
        indent_first = hp;
    }
    bt_buf_fini(&head);
    bool strip_nonempty = false;
    if (has_help)
        for (const char *s = a->help; *s; s++)
            if (!(*s == ' ' || (*s >= '\t' && *s <= '\r') ||
                  (*s >= 0x1c && *s <= 0x1f)))
                strip_nonempty = true;
    if (rc == 0 && strip_nonempty) {
        bt_buf text = BT_BUF_INIT, c = BT_BUF_INIT;
        help_ctx hc = {a, f->prog};
        bt_buf hs = BT_BUF_INIT;
        rc = oom(bt_buf_append_str(&hs, a->help));
        /* ArgumentDefaultsHelpFormatter._get_help_string */
        if (rc == 0 &&
            (f->p->formatter & BT_ARGPARSE_ARGUMENT_DEFAULTS_HELP_FORMATTER) &&
            !strstr(a->help, "%(default)") && !bt__ap_is_suppress(&a->dflt) &&
            (a->nopts || a->nargs == AP_OPTIONAL || a->nargs == AP_ZOM))
            rc = oom(bt_buf_append_str(&hs, " (default: %(default)s)"));
        if (rc == 0)
            rc = percent_format(hs.data, help_lookup, &hc, &text, f->err);
        bt_buf_fini(&hs);
        if (rc == 0 && text.len) {
            bt_strvec lines = BT_STRVEC_INIT;
            if ((f->p->formatter & BT_ARGPARSE_RAW_TEXT_HELP_FORMATTER) ==
                BT_ARGPARSE_RAW_TEXT_HELP_FORMATTER)
                rc = bt__ap_splitlines(text.data, text.len, false, &lines);
            else {
                rc = collapse(text.data, &c);
                rc = rc ? rc
                        : wrap(c.data ? c.data : "", help_width, "", &lines,
                               f->err);
            }
            for (size_t i = 0; rc == 0 && i < lines.count; i++) {
                pad(out, i ? hp : indent_first, &rc);
                rc = rc ? rc : oom(bt_buf_printf(out, "%s\n", lines.items[i]));
            }
            bt_strvec_fini(&lines);
        }
        bt_buf_fini(&text);
        bt_buf_fini(&c);
    } else if (rc == 0 && !header_nl)
        rc = oom(bt_buf_append_byte(out, '\n'));
    if (rc == 0 && a->choice_actions.n) {
        f->indent += 2;
        for (size_t i = 0; rc == 0 && i < a->choice_actions.n; i++)
            rc = format_action(f, a->choice_actions.items[i], out);
        f->indent -= 2;
    }
    return rc;
}

static int collapse_breaks_and_strip(bt_buf *help, bt_buf *out)
{
    /* re.sub('\n\n\n+', '\n\n'), strip('\n') + '\n' */
    size_t s = 0, e = help->len;
    while (s < e && help->data[s] == '\n')
        s++;
    while (e > s && help->data[e - 1] == '\n')
        e--;
    if (s == e && !help->len)
        return 0;
    int rc = 0;
    for (size_t i = s; rc == 0 && i < e;) {
        if (help->data[i] == '\n') {
            size_t j = i;
            while (j < e && help->data[j] == '\n')
                j++;
            rc = oom(bt_buf_append(out, "\n\n", j - i >= 3 ? 2 : j - i));
            i = j;
        } else
            rc = oom(bt_buf_append_byte(out, (unsigned char)help->data[i++]));
    }
    return rc ? rc : oom(bt_buf_append_byte(out, '\n'));
}

int bt_argparse_format_help(const bt_argparse *p, bt_buf *out, bt_err *err)
{
    p = p->parser;
    fmt f;
    fmt_init(&f, p, err);
    /* add time: every shown action sets the column of the help texts */
    f.indent = 2;
    int rc = 0;
    for (size_t g = 0; rc == 0 && g < p->groups.n; g++) {
        const bt_argparse *grp = p->groups.items[g];
        for (size_t i = 0; rc == 0 && i < grp->group_actions.n; i++)
            rc = add_length(&f, grp->group_actions.items[i]);
    }
    f.indent = 0;
    bt_buf help = BT_BUF_INIT;
    if (rc == 0 && !bt__ap_str_is_suppress(p->usage))
        rc = format_usage(&f, p->usage, (ap_action *const *)p->actions.items,
                          p->actions.n, "usage: ", &help);
    if (rc == 0)
        rc = format_text(&f, p->description, &help);
    for (size_t g = 0; rc == 0 && g < p->groups.n; g++) {
        const bt_argparse *grp = p->groups.items[g];
        bt_buf items = BT_BUF_INIT;
        f.indent = 2;
        rc = format_text(&f, grp->description, &items);
        for (size_t i = 0; rc == 0 && i < grp->group_actions.n; i++)
            if (!help_suppressed(grp->group_actions.items[i]))
                rc = format_action(&f, grp->group_actions.items[i], &items);
        f.indent = 0;
        if (rc == 0 && items.len) {
            rc = oom(bt_buf_append_byte(&help, '\n'));
            if (rc == 0 && grp->title && !bt__ap_str_is_suppress(grp->title))
                rc = oom(bt_buf_printf(&help, "%s:\n", grp->title));
            rc = rc ? rc : oom(bt_buf_append(&help, items.data, items.len));
            rc = rc ? rc : oom(bt_buf_append_byte(&help, '\n'));
        }
        bt_buf_fini(&items);
    }
    if (rc == 0)
        rc = format_text(&f, p->epilog, &help);
    if (rc == 0 && help.len)
        rc = collapse_breaks_and_strip(&help, out);
    bt_buf_fini(&help);
    return rc;
}

int bt_argparse_format_usage(const bt_argparse *p, bt_buf *out, bt_err *err)
{
    return bt__ap_usage_with(p->parser, p->parser->usage, out, err);
}

int bt__ap_usage_with(const bt_argparse *p, const char *usage, bt_buf *out,
                      bt_err *err)
{
    fmt f;
    fmt_init(&f, p, err);
    bt_buf help = BT_BUF_INIT;
    int rc = 0;
    if (!bt__ap_str_is_suppress(usage))
        rc = format_usage(&f, usage, (ap_action *const *)p->actions.items,
                          p->actions.n, "usage: ", &help);
    if (rc == 0 && help.len)
        rc = collapse_breaks_and_strip(&help, out);
    bt_buf_fini(&help);
    return rc;
}

/* add_subparsers' default prog: usage of the positionals, no prefix. */
int bt__ap_format_prog_usage(const bt_argparse *p, bt_buf *out, bt_err *err)
{
    fmt f;
    fmt_init(&f, p, err);
    ap_action **pos = bt_calloc(p->actions.n + 1, sizeof *pos);
    if (!pos)
        return BT_ENOMEM;
    size_t np = 0;
    for (size_t i = 0; i < p->actions.n; i++)
        if (!((ap_action *)p->actions.items[i])->nopts)
            pos[np++] = p->actions.items[i];
    bt_buf u = BT_BUF_INIT;
    int rc = 0;
    if (!bt__ap_str_is_suppress(p->usage))
        rc = format_usage(&f, p->usage, pos, np, "", &u);
    bt_free(pos);
    if (rc == 0 && u.data) {
        size_t s = 0, e = u.len;
        while (s < e &&
               (u.data[s] == ' ' || (u.data[s] >= '\t' && u.data[s] <= '\r')))
            s++;
        while (e > s && (u.data[e - 1] == ' ' ||
                         (u.data[e - 1] >= '\t' && u.data[e - 1] <= '\r')))
            e--;
        rc = oom(bt_buf_append(out, u.data + s, e - s));
    } else if (rc == 0)
        rc = oom(bt_buf_append_str(out, ""));
    bt_buf_fini(&u);
    return rc;
}

int bt__ap_format_version(const bt_argparse *p, const char *version,
                          bt_buf *out, bt_err *err)
{
    fmt f;
    fmt_init(&f, p, err);
    bt_buf t = BT_BUF_INIT;
    int rc = format_text(&f, version, &t);
    if (rc == 0 && t.len)
        rc = collapse_breaks_and_strip(&t, out);
    bt_buf_fini(&t);
    return rc;
}
