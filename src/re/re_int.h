/*
 * re_int.h — internals of the re module: the parse tree of a Python pattern
 * (what CPython's re._parser builds), the PCRE2 translation, the compiled
 * pattern and the match object.
 *
 * Pipeline: parse.c reads the pattern exactly as re._parser does (same
 * tokenizer, same errors at the same positions, same tree rewrites: inlined
 * non-capturing groups, common branch prefixes, one-character branches turned
 * into sets); emit.c writes a PCRE2 pattern with the same meaning (case
 * folding, \w \d \s \b and character sets computed here from CPython's
 * tables, never left to PCRE2's options); pattern.c compiles it (JIT) and
 * keeps the cache; match.c and iter.c run it with Python's rules for pos,
 * endpos, empty matches and templates.
 */
#ifndef BT_RE_INT_H
#define BT_RE_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <setjmp.h>
#include <stdatomic.h>
#include <stdlib.h>

#include <batteries/re.h>

#include "core_int.h"
#include "re_tables.h"

/* Python's limits (re._constants). */
#define RE_MAXREPEAT 0xFFFFFFFFu
#define RE_MAXGROUPS 1073741823u

/* Flag bits (Python's values). */
#define F_TEMPLATE BT_RE_TEMPLATE
#define F_I        BT_RE_IGNORECASE
#define F_L        BT_RE_LOCALE
#define F_M        BT_RE_MULTILINE
#define F_S        BT_RE_DOTALL
#define F_U        BT_RE_UNICODE
#define F_X        BT_RE_VERBOSE
#define F_DEBUG    BT_RE_DEBUG
#define F_A        BT_RE_ASCII
#define F_TYPE     (F_A | F_L | F_U)
#define F_GLOBAL   (F_DEBUG | F_TEMPLATE)

/* ------------------------------------------------------------------ tree */

typedef enum re_op {
    OP_LITERAL,
    OP_NOT_LITERAL,
    OP_ANY,
    OP_IN,
    OP_AT,
    OP_BRANCH,
    OP_SUBPATTERN,
    OP_MAX_REPEAT,
    OP_MIN_REPEAT,
    OP_POSSESSIVE_REPEAT,
    OP_ATOMIC_GROUP,
    OP_GROUPREF,
    OP_GROUPREF_EXISTS,
    OP_ASSERT,
    OP_ASSERT_NOT,
} re_op;

typedef enum re_at {
    AT_BEGINNING,        /* ^ */
    AT_BEGINNING_STRING, /* \A */
    AT_BOUNDARY,         /* \b */
    AT_NON_BOUNDARY,     /* \B */
    AT_END,              /* $ */
    AT_END_STRING,       /* \Z */
} re_at;

typedef enum re_cat {
    CAT_DIGIT,
    CAT_NOT_DIGIT,
    CAT_SPACE,
    CAT_NOT_SPACE,
    CAT_WORD,
    CAT_NOT_WORD,
} re_cat;

typedef enum re_setop { S_NEGATE, S_LITERAL, S_RANGE, S_CATEGORY } re_setop;

typedef struct re_setitem {
    re_setop op;
    uint32_t lo, hi; /* LITERAL: lo; RANGE: lo..hi; CATEGORY: lo = re_cat */
} re_setitem;

struct re_node;

/* A SubPattern: a sequence of nodes. */
typedef struct re_seq {
    struct re_node **v;
    size_t n, cap;
} re_seq;

typedef struct re_node {
    re_op op;
    union {
        uint32_t c; /* LITERAL, NOT_LITERAL; GROUPREF: the group */
        re_at at;
        struct {
            re_setitem *v;
            size_t n;
        } set;
        struct {
            re_seq **v;
            size_t n;
        } branch;
        struct {
            int32_t group; /* -1: none */
            int add, del;
            re_seq *body;
        } sub;
        struct {
            uint32_t min, max; /* max RE_MAXREPEAT: no limit */
            re_seq *body;
        } rep;
        re_seq *body; /* ATOMIC_GROUP */
        struct {
            uint32_t group;
            re_seq *yes, *no; /* no may be NULL */
        } cond;
        struct {
            int dir; /* 1 lookahead, -1 lookbehind */
            re_seq *body;
        } as;
    } u;
} re_node;

/* Width of a group as re._parser computes it (capped at MAXREPEAT). */
typedef struct re_width {
    uint64_t lo, hi;
} re_width;

typedef struct re_name {
    char *name; /* UTF-8 (bytes patterns: the Latin-1 name as UTF-8) */
    size_t len;
    uint32_t group;
} re_name;

/* Memory of one compilation, released at once. */
typedef struct re_arena {
    struct re_chunk *head;
} re_arena;

/* The parsed pattern: what parse.c hands to emit.c. */
typedef struct re_tree {
    re_seq *root;
    int flags;        /* Python's flags after inline flags and fix_flags */
    bool istext;      /* str pattern */
    uint32_t groups;  /* capturing groups */
    re_width *widths; /* per group (1..groups) */
    re_name *names;   /* in definition order */
    size_t nnames;
} re_tree;

/* Parses pattern[0..len) (UTF-8 for str patterns, already validated) with
 * the flags argument; fills *tree from arena memory. Errors as Python's:
 * BT_ERE (message + position), BT_EVALUE (flag checks), BT_EOVERFLOWERR,
 * BT_ERUNTIME (nesting deeper than Python's recursion allows), BT_ENOMEM. */
int bt__re_parse(const char *pattern, size_t len, int flags, bool istext,
                 re_arena *arena, re_tree *tree, bt_err *err);

void bt__re_arena_free(re_arena *a);

/* Python's width of a sequence (re._parser.SubPattern.getwidth); *oom is
 * set when memory ran out. */
re_width bt__re_width(const re_tree *t, const re_seq *s, bool *oom);

/* ------------------------------------------------------------------ emit */

/* What the running PCRE2 offers (checked once, see pattern.c). */
typedef struct re_engine {
    bool native_word;       /* UCP \w \d \b are exactly Python's */
    bool native_ascii_word; /* non-UCP \w \b are ASCII */
} re_engine;

/*
 * Writes the PCRE2 translation of tree into out. marks adds (*MARK:n) at the
 * end of group n (for lastindex). *ucp tells whether to compile with
 * PCRE2_UCP. Errors: BT_ERE for Python's compile-time errors ("look-behind
 * requires fixed-width pattern", template operators) and for what PCRE2
 * cannot express (documented deviations), BT_ENOMEM.
 */
int bt__re_emit(const re_tree *tree, const re_engine *eng, bool marks,
                bt_buf *out, bool *ucp, bt_err *err);

/* ------------------------------------------------------------ characters */

/* Python's case and class predicates on code points (charset.c). */
uint32_t bt__re_lower_uni(uint32_t c);
uint32_t bt__re_upper_uni(uint32_t c);
bool bt__re_in_ranges(const bt__re_range *r, size_t n, uint32_t c);
bool bt__re_is_word_uni(uint32_t c);
bool bt__re_is_digit_uni(uint32_t c);
bool bt__re_is_space_uni(uint32_t c);
bool bt__re_is_alpha(uint32_t c);
bool bt__re_is_identifier(const uint32_t *s, size_t n);
/* Decimal value of a Unicode digit, or -1. */
int bt__re_digit_value(uint32_t c);
/* \N{name}: the code point, or -1 when unicodedata.lookup would refuse. */
int32_t bt__re_lookup_name(const char *name, size_t len);

/* ------------------------------------------------------------- compiled */

/* Literal prefilter (prefilter.c): the pattern starts with one of these
 * strings. */
#define RE_PF_MAX 8
#define RE_PF_LEN 32
typedef struct re_prefilter {
    size_t n;
    uint8_t len[RE_PF_MAX];
    unsigned char str[RE_PF_MAX][RE_PF_LEN];
} re_prefilter;

struct bt_re_pattern {
    atomic_long refs;
    char *pattern; /* copy of the source, NUL-terminated */
    size_t patlen;
    int flags;  /* Python's, without BT_RE_BYTES */
    int cflags; /* the flags argument as given (cache key) */
    bool bytes;
    uint32_t groups;
    re_name *names; /* sorted by name */
    size_t nnames;
    const re_name **byindex; /* groups + 1 entries, NULL when unnamed */
    char *src;               /* the PCRE2 translation */
    size_t srclen;
    char *marked_src; /* with (*MARK:n) after each group (groups >= 2) */
    size_t marked_len;
    uint32_t compile_opts;
    /* [marked][kind]: kind 0 search, 1 match, 2 fullmatch */
    _Atomic(pcre2_code *) codes[2][3];
    atomic_bool jit[2][3]; /* the program has JIT code (set before the
                            * program is published) */
    bool has_pf;
    re_prefilter pf;
    /* cache */
    struct bt_re_pattern *cache_next;
    uint64_t hash;
};

/* What ran to make a match: how to run it again for lastindex. */
#define KIND_SEARCH    0
#define KIND_MATCH     1
#define KIND_FULLMATCH 2

struct bt_re_matchobj {
    bt_re_pattern *re;
    const char *string;
    size_t len;
    size_t pos, endpos;
    int kind;
    uint32_t opts;         /* PCRE2_NOTEMPTY_ATSTART when it applied */
    atomic_long lastindex; /* LASTINDEX_UNKNOWN until asked */
    size_t ngroups;
    ptrdiff_t spans[]; /* 2 * (groups + 1): start, end; -1 unmatched */
};

#define LASTINDEX_UNKNOWN (-2)

/* Per-thread match resources (pattern.c). */
typedef struct re_scratch {
    pcre2_match_data *md;
    uint32_t md_pairs;
    pcre2_match_context *mctx;
    pcre2_jit_stack *jit;
} re_scratch;

pcre2_general_context *bt__re_gctx(void);
const re_engine *bt__re_engine(void);
/* A match context (JIT stack, limits) for the calling thread; NULL when out
 * of memory. */
pcre2_match_context *bt__re_mctx(void);

/* A program and how to run it. */
typedef struct re_prog {
    pcre2_code *code;
    bool jit;
} re_prog;

/* Runs a program once: PCRE2's rc (> 0 matched, NOMATCH, or an error), with
 * the ovector in md. The subject is already checked (UTF-8, offsets). */
int bt__re_exec(re_prog prog, const char *s, size_t len, size_t start,
                uint32_t opts, pcre2_match_data *md, pcre2_match_context *mctx);

/* A search: the search program, or the prefilter and the anchored program
 * (anch) when the pattern has a prefilter. */
int bt__re_search_exec(const bt_re_pattern *p, re_prog search, re_prog anch,
                       const char *s, size_t len, size_t start, uint32_t opts,
                       pcre2_match_data *md, pcre2_match_context *mctx);

/* PCRE2's error code for a subject found not to be UTF-8 during a
 * prefilter scan (bt__re_search_exec with a checked pointer). */
#define RE_SCAN_BADUTF (-9999)

/* The same, checking a str subject s[0..n) as the prefilter scans (see
 * bt__re_prefilter_scan); RE_SCAN_BADUTF when it is not UTF-8. */
int bt__re_search_exec_checked(const bt_re_pattern *p, re_prog search,
                               re_prog anch, const char *s, size_t len,
                               size_t start, uint32_t opts,
                               pcre2_match_data *md, pcre2_match_context *mctx,
                               size_t n, size_t *checked);

/* prefilter.c */
int bt__re_validate(const char *s, size_t n, bt_err *err);
void bt__re_prefilter_build(bt_re_pattern *p, const re_tree *t);
/* Checks that s[0..n) is UTF-8 from *checked (a sequence boundary) to at
 * least `to` and up to a few kilobytes further, moving *checked; false
 * when it is not UTF-8. */
bool bt__re_check_ahead(const unsigned char *s, size_t n, size_t *checked,
                        size_t to);

/* The next place in [start, end) where one of the prefilter's strings
 * occurs: its offset, -1 when there is none, or -2 when checked is given
 * and the str subject s[0..n) is not UTF-8 (checked: how far it is known
 * to be, advanced as the scan goes). */
ptrdiff_t bt__re_prefilter_scan(const re_prefilter *pf, const char *s,
                                size_t start, size_t end, size_t n,
                                size_t *checked);

/* Turns a PCRE2 match error into a code and message. */
int bt__re_match_error(int rc, bt_err *err);

/* Checks a subject and the pos/endpos arguments; clamps them as Python
 * does. Returns 0, BT_EUNICODE or BT_EVALUE. */
int bt__re_check_subject(const bt_re_pattern *p, const char *s, size_t n,
                         size_t *pos, size_t *endpos, bool validate,
                         bt_err *err);

/* The PCRE2 program of a kind, compiled on first use (code NULL: *rc). */
re_prog bt__re_code(const bt_re_pattern *p, int kind, bool marked, int *rc,
                    bt_err *err);

/* The calling thread's match data with room for pairs pairs (NULL when out
 * of memory). Only for use between two calls that do not nest. */
pcre2_match_data *bt__re_scratch_md(uint32_t pairs);

/* A match object for a pattern (spans unset). */
bt_re_matchobj *bt__re_match_new(const bt_re_pattern *p);
/* Fills a match object's spans and fields from an ovector. */
void bt__re_match_fill(bt_re_matchobj *m, const char *s, size_t n, size_t pos,
                       size_t endpos, int kind, uint32_t opts,
                       pcre2_match_data *md, int rc);

/* Templates (parse.c reads them with the pattern tokenizer). One item per
 * literal run or group reference. */
typedef struct re_titem {
    int64_t group; /* -1: literal lit[off .. off + len) */
    size_t off, len;
} re_titem;

typedef struct re_template {
    re_titem *items;
    size_t n;
    char *lit;
} re_template;

int bt__re_template_parse(const bt_re_pattern *p, const char *t, size_t n,
                          re_template **out, bt_err *err);
int bt__re_template_expand(const re_template *t, const bt_re_matchobj *m,
                           bt_buf *out);
void bt__re_template_free(re_template *t);

#endif
