/* getopt.c — Python's getopt and gnu_getopt, message for message. */
#include <stdlib.h>
#include <string.h>

#include <batteries/argparse.h>

#include "core_int.h"

static int add_pair(bt_getopt_result *out, const char *dash, const char *opt,
                    size_t optlen, const char *val, size_t vallen)
{
    bt_buf b = BT_BUF_INIT;
    int rc = bt_buf_append_str(&b, dash);
    if (rc == 0)
        rc = bt_buf_append(&b, opt, optlen);
    if (rc == 0)
        rc = bt_strvec_append(&out->opts, b.data, b.len);
    if (rc == 0 && (rc = bt_strvec_append(&out->opts, val, vallen)) < 0)
        bt_strvec_remove(&out->opts, out->opts.count - 1);
    bt_buf_fini(&b);
    return rc;
}

/* long_has_args: which long option opt (a prefix) stands for. Returns the
 * index in longopts, with *has_arg, or BT_EGETOPT with the message. */
static int find_long(const char *opt, size_t n, const char *const *longopts,
                     size_t nlong, bool *has_arg, ptrdiff_t pos, bt_err *err)
{
    size_t matches = 0, last = 0;
    for (size_t i = 0; i < nlong; i++) {
        if (strncmp(longopts[i], opt, n) != 0)
            continue;
        matches++;
        last = i;
    }
    if (!matches)
        return bt_err_setf(err, BT_EGETOPT, pos, "option --%.*s not recognized",
                           (int)n, opt);
    /* An exact match wins, without an argument before with one. */
    for (size_t i = 0; i < nlong; i++)
        if (strncmp(longopts[i], opt, n) == 0 && longopts[i][n] == '\0') {
            *has_arg = false;
            return (int)i;
        }
    for (size_t i = 0; i < nlong; i++)
        if (strncmp(longopts[i], opt, n) == 0 &&
            strcmp(longopts[i] + n, "=") == 0) {
            *has_arg = true;
            return (int)i;
        }
    if (matches > 1)
        return bt_err_setf(err, BT_EGETOPT, pos,
                           "option --%.*s not a unique prefix", (int)n, opt);
    size_t len = strlen(longopts[last]);
    *has_arg = len && longopts[last][len - 1] == '=';
    return (int)last;
}

/* do_longs: args[*i] is "--name[=value]"; may take args[*i + 1]. */
static int do_long(const char *const *args, size_t nargs, size_t *i,
                   const char *const *longopts, size_t nlong,
                   bt_getopt_result *out, bt_err *err)
{
    const char *opt = args[*i] + 2;
    const char *eq = strchr(opt, '=');
    size_t n = eq ? (size_t)(eq - opt) : strlen(opt);
    bool has_arg = false;
    ptrdiff_t pos = (ptrdiff_t)*i;
    int k = find_long(opt, n, longopts, nlong, &has_arg, pos, err);
    if (k < 0)
        return k;
    /* The option's full name, without the '=' that marks a value. */
    const char *name = longopts[k];
    size_t namelen = strlen(name);
    if (namelen && name[namelen - 1] == '=')
        namelen--;
    const char *val = "";
    if (has_arg) {
        if (eq) {
            val = eq + 1;
        } else {
            if (*i + 1 >= nargs)
                return bt_err_setf(err, BT_EGETOPT, pos,
                                   "option --%.*s requires argument",
                                   (int)namelen, name);
            val = args[++*i];
        }
    } else if (eq) {
        return bt_err_setf(err, BT_EGETOPT, pos,
                           "option --%.*s must not have an argument",
                           (int)namelen, name);
    }
    (*i)++;
    return add_pair(out, "--", name, namelen, val, strlen(val));
}

/* The length of the character (code point) at s. */
static size_t char_len(const char *s)
{
    size_t adv;
    if (bt_utf8_decode(s, strnlen(s, 4), &adv) < 0)
        return 1;
    return adv;
}

/* short_has_arg: whether the option character c (clen bytes) takes a
 * value; BT_EGETOPT when shortopts does not have it. */
static int short_has_arg(const char *c, size_t clen, const char *shortopts,
                         ptrdiff_t pos, bt_err *err)
{
    for (const char *p = shortopts; *p; p += char_len(p)) {
        size_t plen = char_len(p);
        if (plen == clen && memcmp(p, c, clen) == 0 && *p != ':')
            return p[plen] == ':';
    }
    return bt_err_setf(err, BT_EGETOPT, pos, "option -%.*s not recognized",
                       (int)clen, c);
}

/* do_shorts: args[*i] is "-abc" (letters, the last perhaps with a value). */
static int do_shorts(const char *const *args, size_t nargs, size_t *i,
                     const char *shortopts, bt_getopt_result *out, bt_err *err)
{
    ptrdiff_t pos = (ptrdiff_t)*i;
    const char *s = args[*i] + 1;
    (*i)++;
    while (*s) {
        size_t clen = char_len(s);
        int has = short_has_arg(s, clen, shortopts, pos, err);
        if (has < 0)
            return has;
        const char *val = "";
        if (has) {
            val = s + clen;
            if (!*val) {
                if (*i >= nargs)
                    return bt_err_setf(err, BT_EGETOPT, pos,
                                       "option -%.*s requires argument",
                                       (int)clen, s);
                val = args[(*i)++];
            }
        }
        int rc = add_pair(out, "-", s, clen, val, strlen(val));
        if (rc < 0)
            return rc;
        if (has)
            break;
        s += clen;
    }
    return 0;
}

static bool is_option(const char *a)
{
    return a[0] == '-' && a[1] != '\0';
}

int bt_getopt_getopt(const char *const *args, size_t nargs,
                     const char *shortopts, const char *const *longopts,
                     size_t nlong, bt_getopt_result *out, bt_err *err)
{
    size_t i = 0;
    int rc = 0;
    while (rc == 0 && i < nargs && is_option(args[i])) {
        if (strcmp(args[i], "--") == 0) {
            i++;
            break;
        }
        rc = args[i][1] == '-'
                 ? do_long(args, nargs, &i, longopts, nlong, out, err)
                 : do_shorts(args, nargs, &i, shortopts, out, err);
    }
    for (; rc == 0 && i < nargs; i++)
        rc = bt_strvec_append_str(&out->args, args[i]);
    return rc;
}

int bt_getopt_gnu_getopt(const char *const *args, size_t nargs,
                         const char *shortopts, const char *const *longopts,
                         size_t nlong, bt_getopt_result *out, bt_err *err)
{
    bool options_first = false;
    if (shortopts[0] == '+') {
        shortopts++;
        options_first = true;
    } else if (getenv("POSIXLY_CORRECT")) {
        options_first = true;
    }
    size_t i = 0;
    int rc = 0;
    while (rc == 0 && i < nargs) {
        const char *a = args[i];
        if (strcmp(a, "--") == 0) {
            for (i++; rc == 0 && i < nargs; i++)
                rc = bt_strvec_append_str(&out->args, args[i]);
            break;
        }
        if (a[0] == '-' && a[1] == '-') {
            rc = do_long(args, nargs, &i, longopts, nlong, out, err);
        } else if (is_option(a)) {
            rc = do_shorts(args, nargs, &i, shortopts, out, err);
        } else if (options_first) {
            for (; rc == 0 && i < nargs; i++)
                rc = bt_strvec_append_str(&out->args, args[i]);
            break;
        } else {
            rc = bt_strvec_append_str(&out->args, a);
            i++;
        }
    }
    return rc;
}

void bt_getopt_result_fini(bt_getopt_result *r)
{
    if (!r)
        return;
    bt_strvec_fini(&r->opts);
    bt_strvec_fini(&r->args);
}
