/* argparse_int.h — the parser's insides, shared by the argparse files. */
#ifndef BT_ARGPARSE_INT_H
#define BT_ARGPARSE_INT_H

#include <batteries/argparse.h>

#include "core_int.h"

/* nargs inside: Python's None and 0 differ, and PARSER/SUPPRESS exist. */
enum {
    AP_NONE = -10,
    AP_ZERO = 0,
    AP_OPTIONAL = BT_ARGPARSE_OPTIONAL,
    AP_ZOM = BT_ARGPARSE_ZERO_OR_MORE,
    AP_OOM = BT_ARGPARSE_ONE_OR_MORE,
    AP_REMAINDER = BT_ARGPARSE_REMAINDER,
    AP_PARSER = -5,
    AP_SUPPRESS = -6,
};

enum { AP_KIND_PARSER, AP_KIND_GROUP, AP_KIND_MUTEX };
#define AP_PARSERS_ACTION 100 /* the subparsers action's kind */

typedef struct ap_vec {
    void **items;
    size_t n, cap;
} ap_vec;

typedef struct ap_sub {
    char *name;
    bt_argparse *parser;
} ap_sub;

typedef struct ap_action {
    int kind; /* bt_argparse_action or AP_PARSERS_ACTION */
    uint32_t dest_hash;
    bool dest_suppress; /* dest is argparse.SUPPRESS */
    ptrdiff_t slot; /* its dest's entry in a fresh parse's namespace, or -1 */
    size_t index;   /* in the parser's actions */
    char **opts;
    size_t nopts;
    char *dest;
    int nargs;
    bt_argparse_value konst, dflt;
    bt_argparse_type type;
    bt_argparse_convert_fn convert;
    void *convert_ctx;
    char *type_name;
    bt_argparse_value *choices;
    size_t nchoices;
    bool has_choices;
    bool required;
    char *help;
    char *metavar;
    char **metavars;
    size_t nmetavars;
    char *version;
    /* subparsers */
    ap_sub *subs;
    size_t nsubs;
    ap_vec choice_actions;
    char *prog_prefix;
} ap_action;

/* An option string of the parser, in the order they were added. */
typedef struct ap_opt {
    const char *s;
    size_t len;
    uint32_t hash;
    ap_action *a;
} ap_opt;

struct bt_argparse {
    int kind;
    bt_argparse *top;    /* owns every object of the tree */
    bt_argparse *parser; /* the parser a group belongs to (itself for one) */
    /* parser */
    char *prog, *usage, *description, *epilog, *prefix_chars, *fromfile;
    bool add_help, allow_abbrev, exit_on_error;
    bool is_prefix[256]; /* the bytes of prefix_chars */
    int width;
    int formatter; /* BT_ARGPARSE_*_HELP_FORMATTER flags */
    bt_argparse_value argument_default;
    ap_vec actions; /* ap_action*, owned */
    ap_vec groups;  /* bt_argparse* (argument groups), in order */
    ap_vec mutexes; /* bt_argparse* (mutually exclusive groups) */
    bt_argparse *positionals, *optionals;
    ap_action *subparsers;
    bool has_negative_number_optionals;
    ap_opt *optv; /* option strings in order */
    size_t nopt, capopt;
    uint32_t *optidx; /* open addressing over optv: index + 1, 0 empty */
    size_t idxcap;
    /* The namespace every parse starts from (the defaults, in Python's
     * order), rebuilt whenever the parser changes: entries borrowing the
     * parser's values, their index, and their names packed in one block. */
    struct ap_entry *tpl;
    size_t ntpl;
    uint32_t *tplidx;
    size_t tplidxcap;
    char *tplnames;
    size_t tplnameslen;
    bool tpl_ok;
    ap_vec default_dests; /* char* */
    bt_argparse_value *default_values;
    /* group */
    char *title;
    ap_vec group_actions; /* ap_action*, borrowed */
    bool required;
    /* top only */
    ap_vec owned;    /* every bt_argparse of the tree but the top */
    ap_vec owned_sp; /* bt_argparse_subparsers* */
    int setup_rc;
    bt_err setup_err;
};

struct bt_argparse_subparsers {
    bt_argparse *parser;
    ap_action *action;
};

typedef struct ap_entry {
    uint32_t hash;
    const char *key; /* during a parse: the parser's dest it was set by */
    char *dest;
    bt_argparse_value v;
    const ap_action *default_of; /* the value is still this action's default */
} ap_entry;

/* Dest names live in chunks the namespace frees at once. */
typedef struct ap_chunk {
    struct ap_chunk *next;
    size_t used, cap;
    char data[];
} ap_chunk;

struct bt_argparse_ns {
    ap_chunk *names;
    uint32_t *idx; /* open addressing over e: index + 1, 0 empty */
    size_t idxcap;
    ap_entry *e;
    size_t n, cap;
    bt_strvec extras;
    bt_strvec unrecognized; /* from subparsers, appended to extras at the end */
    bt_buf output;
    int status;
};

int bt__ap_vec_push(ap_vec *v, void *p);
/* Rebuilds the parser's namespace template; out of memory, the top parser
 * keeps BT_ENOMEM for its parses. */
void bt__ap_rebuild_template(bt_argparse *p);
uint32_t bt__ap_hash(const char *s, size_t n);
int bt__ap_splitlines(const char *d, size_t len, bool keepends,
                      bt_strvec *lines);
void bt__ap_vec_fini(ap_vec *v);

/* values.c */
int bt__ap_value_copy(bt_argparse_value *dst, const bt_argparse_value *src);
void bt__ap_value_fini(bt_argparse_value *v);
/* The same for values in a namespace: their strings live in its arena. */
int bt__ap_value_copy_in(bt_argparse_ns *arena, bt_argparse_value *dst,
                         const bt_argparse_value *src);
void bt__ap_value_fini_slow(bt_argparse_ns *arena, bt_argparse_value *v);
static inline void bt__ap_value_fini_in(bt_argparse_ns *arena,
                                        bt_argparse_value *v)
{
    /* most values own nothing: no call for them */
    if (v->type == BT_ARGPARSE_LIST || (v->type == BT_ARGPARSE_STR && !arena))
        bt__ap_value_fini_slow(arena, v);
    else
        v->type = BT_ARGPARSE_UNSET;
}
bool bt__ap_value_eq(const bt_argparse_value *a, const bt_argparse_value *b);
int bt__ap_value_repr(bt_buf *out, const bt_argparse_value *v);
int bt__ap_value_str(bt_buf *out, const bt_argparse_value *v);
bool bt__ap_is_suppress(const bt_argparse_value *v);
bool bt__ap_str_is_suppress(const char *s);
int bt__ap_parse_int(const char *s, int64_t *out);
int bt__ap_parse_float(const char *s, double *out);
int bt__ap_float_repr(bt_buf *out, double d);
int bt__ap_convert(const ap_action *a, const char *arg, bt_argparse_value *out,
                   bt_buf *msg, bt_argparse_ns *arena);

bool bt__ap_looks_negative(const char *s);
ap_action *bt__ap_find_option(const bt_argparse *p, const char *s, size_t n);

/* ns.c */
bt_argparse_ns *bt__ap_ns_new(void);
ap_entry *bt__ap_ns_find(const bt_argparse_ns *ns, const char *dest);
/* Room for want entries without growing. */
int bt__ap_ns_reserve(bt_argparse_ns *ns, size_t want);
/* Fills an empty namespace from p's template: 0, or BT_ENOMEM. */
int bt__ap_ns_from_template(bt_argparse_ns *ns, const bt_argparse *p);
/* A string owned by the namespace (freed with it). */
char *bt__ap_ns_strndup(bt_argparse_ns *ns, const char *s, size_t n);
/* Moves the strings of from into ns (from's values may then move too). */
void bt__ap_ns_adopt_strings(bt_argparse_ns *ns, bt_argparse_ns *from);
ap_entry *bt__ap_ns_find_h(const bt_argparse_ns *ns, const char *dest,
                           uint32_t hash);
/* setattr: takes ownership of *v (left UNSET). */
int bt__ap_ns_set(bt_argparse_ns *ns, const char *dest, bt_argparse_value *v,
                  const ap_action *default_of);
int bt__ap_ns_set_h(bt_argparse_ns *ns, const char *dest, uint32_t hash,
                    bt_argparse_value *v, const ap_action *default_of);
int bt__ap_ns_del(bt_argparse_ns *ns, const char *dest);
/* After a parse: the parsers' dest pointers may go away. */
void bt__ap_ns_forget_keys(bt_argparse_ns *ns);

/* help.c */
int bt__ap_format_usage_text(const bt_argparse *p, bt_buf *out, bt_err *err);
int bt__ap_action_name(const ap_action *a,
                       bt_buf *out); /* 0: none, 1: written */
int bt__ap_format_prog_usage(const bt_argparse *p, bt_buf *out, bt_err *err);
int bt__ap_format_version(const bt_argparse *p, const char *version,
                          bt_buf *out, bt_err *err);
int bt__ap_usage_with(const bt_argparse *p, const char *usage, bt_buf *out,
                      bt_err *err);
int bt__ap_percent_prog(const char *fmt, const char *prog, bt_buf *out,
                        bt_err *err);

#endif
