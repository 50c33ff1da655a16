/*
 * pattern.c — compiling: parse (parse.c), translate (emit.c), compile with
 * PCRE2 and its JIT; the cache of compiled patterns; pattern attributes;
 * the per-thread match resources; running a compiled pattern.
 *
 * A pattern holds up to six PCRE2 programs, compiled on first use: for
 * search, match (PCRE2_ANCHORED) and fullmatch (PCRE2_ANCHORED |
 * PCRE2_ENDANCHORED) -- compiled in rather than passed at match time, where
 * they would turn the JIT off -- and the same three with (*MARK:n) at the
 * end of each group n, which a match re-runs (anchored at its start) only
 * when asked for lastindex: the last mark passed is the last group closed.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "re_int.h"

#define CACHE_MAX           512
#define CACHE_BUCKETS       1024
#define DEFAULT_MATCH_LIMIT 100000000u
#define JIT_STACK_MAX       (64u << 20)
#define HEAP_LIMIT_KIB      (1u << 20)

/* ------------------------------------------------------------ allocators */

static void *gmalloc(size_t n, void *ctx)
{
    (void)ctx;
    return bt_malloc(n);
}

static void gfree(void *p, void *ctx)
{
    (void)ctx;
    bt_free(p);
}

pcre2_general_context *bt__re_gctx(void)
{
    return pcre2_general_context_create(gmalloc, gfree, NULL);
}

/* ---------------------------------------------------------------- engine */

static pthread_mutex_t engine_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int engine_ready;
static re_engine engine;

/* Does pattern (compiled with opts) match exactly the characters for which
 * want() holds, among the probes? */
static int probe(pcre2_general_context *g, const char *pat, uint32_t opts,
                 const uint32_t *cps, size_t n, bool (*want)(uint32_t),
                 bool *same)
{
    int errcode;
    PCRE2_SIZE erroff;
    pcre2_compile_context *cc = pcre2_compile_context_create(g);
    if (!cc)
        return BT_ENOMEM;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                                     opts, &errcode, &erroff, cc);
    pcre2_compile_context_free(cc);
    if (!code) {
        *same = false;
        /* pcre2_compile reports memory as compile error 121 (HEAP_FAILED);
         * anything else means this PCRE2 lacks the feature. */
        return errcode == PCRE2_ERROR_HEAP_FAILED || errcode == PCRE2_ERROR_NOMEMORY ? BT_ENOMEM
                                                                                     : 0;
    }
    pcre2_match_data *md = pcre2_match_data_create(1, g);
    if (!md) {
        pcre2_code_free(code);
        return BT_ENOMEM;
    }
    *same = true;
    int rc = 0;
    for (size_t i = 0; i < n && *same; i++) {
        char buf[4];
        size_t len;
        if (opts & PCRE2_UTF) {
            len = bt_utf8_encode(cps[i], buf);
        } else {
            buf[0] = (char)cps[i];
            len = 1;
        }
        int r = pcre2_match(code, (PCRE2_SPTR)buf, len, 0, 0, md, NULL);
        if (r == PCRE2_ERROR_NOMEMORY) {
            rc = BT_ENOMEM;
            break;
        }
        if ((r > 0) != want(cps[i]))
            *same = false;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(code);
    return rc;
}

static bool want_word_uni(uint32_t c)
{
    return bt__re_is_word_uni(c);
}

static bool want_digit_uni(uint32_t c)
{
    return bt__re_is_digit_uni(c);
}

static bool want_word_ascii(uint32_t c)
{
    return c < 128 && bt__re_is_word_uni(c);
}

static bool want_boundary_uni(uint32_t c)
{
    return bt__re_is_word_uni(c);
}

/* Checks once what the running PCRE2 offers: whether its UCP \w \d \b are
 * Python's (PCRE2 10.43 added marks and connector punctuation to \w) and
 * whether its non-UCP \w \b are ASCII (the default character tables). */
static int engine_init(void)
{
    if (atomic_load_explicit(&engine_ready, memory_order_acquire))
        return 0;
    pthread_mutex_lock(&engine_lock);
    int rc = 0;
    if (!atomic_load_explicit(&engine_ready, memory_order_relaxed)) {
        static const uint32_t uni[] = {
            'a',    'Z',     '5',     '_',    ' ',     '-',     0xE9,
            0xB2,   0xBD,    0x660,   0x2160, 0x300,   0x203F,  0xB7,
            0x2028, 0x10400, 0x1D7CE, 0x3007, 0x16EE,  0xAA,    0x2070,
            0x0345, 0x1F1E6, 0xFF3F,  0x2054, 0x0903,  0x20DD,  0x0488,
            0x3000, 0x1C,    0x85,    0xA0,   0x1F600, 0x10FFFF};
        uint32_t bytes[256];
        for (uint32_t c = 0; c < 256; c++)
            bytes[c] = c;
        pcre2_general_context *g = bt__re_gctx();
        bool w = false, d = false, b = false, aw = false, aw8 = false;
        if (!g) {
            rc = BT_ENOMEM;
        } else {
            size_t nu = sizeof uni / sizeof uni[0];
            rc = probe(g, "^\\w$", PCRE2_UTF | PCRE2_UCP, uni, nu,
                       want_word_uni, &w);
            if (!rc)
                rc = probe(g, "^\\d$", PCRE2_UTF | PCRE2_UCP, uni, nu,
                           want_digit_uni, &d);
            if (!rc) /* a boundary before the character */
                rc = probe(g, "^\\b", PCRE2_UTF | PCRE2_UCP, uni, nu,
                           want_boundary_uni, &b);
            if (!rc)
                rc = probe(g, "^\\w$", 0, bytes, 256, want_word_ascii, &aw);
            if (!rc)
                rc = probe(g, "^\\w$", PCRE2_UTF, uni, nu, want_word_ascii,
                           &aw8);
            pcre2_general_context_free(g);
        }
        if (!rc) {
            engine.native_word = w && d && b;
            engine.native_ascii_word = aw && aw8;
            atomic_store_explicit(&engine_ready, 1, memory_order_release);
        }
    }
    pthread_mutex_unlock(&engine_lock);
    return rc;
}

const re_engine *bt__re_engine(void)
{
    return &engine;
}

/* --------------------------------------------------------------- scratch */

static atomic_uint match_limit = DEFAULT_MATCH_LIMIT;
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *v)
{
    re_scratch *s = v;
    if (!s)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_jit_stack_free(s->jit);
    bt_free(s);
}

static void scratch_key_make(void)
{
    pthread_key_create(&scratch_key, scratch_free);
}

static re_scratch *scratch_get(void)
{
    pthread_once(&scratch_once, scratch_key_make);
    re_scratch *s = pthread_getspecific(scratch_key);
    if (s)
        return s;
    s = bt_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    pcre2_general_context *g = bt__re_gctx();
    if (!g) {
        bt_free(s);
        return NULL;
    }
    s->mctx = pcre2_match_context_create(g);
    s->jit = pcre2_jit_stack_create(32 * 1024, JIT_STACK_MAX, g);
    pcre2_general_context_free(g);
    if (!s->mctx || !s->jit) {
        scratch_free(s);
        return NULL;
    }
    pcre2_jit_stack_assign(s->mctx, NULL, s->jit);
    pcre2_set_heap_limit(s->mctx, HEAP_LIMIT_KIB);
    if (pthread_setspecific(scratch_key, s) != 0) {
        scratch_free(s);
        return NULL;
    }
    return s;
}

pcre2_match_context *bt__re_mctx(void)
{
    re_scratch *s = scratch_get();
    if (!s)
        return NULL;
    pcre2_set_match_limit(
        s->mctx, atomic_load_explicit(&match_limit, memory_order_relaxed));
    return s->mctx;
}

/* The thread's match data, with room for pairs ovector pairs. */
static pcre2_match_data *scratch_md(uint32_t pairs)
{
    re_scratch *s = scratch_get();
    if (!s)
        return NULL;
    if (s->md && s->md_pairs >= pairs)
        return s->md;
    pcre2_general_context *g = bt__re_gctx();
    if (!g)
        return NULL;
    uint32_t want = pairs < 16 ? 16 : pairs;
    pcre2_match_data *md = pcre2_match_data_create(want, g);
    pcre2_general_context_free(g);
    if (!md)
        return NULL;
    pcre2_match_data_free(s->md);
    s->md = md;
    s->md_pairs = want;
    return md;
}

uint32_t bt_re_set_match_limit(uint32_t limit)
{
    if (limit == 0)
        limit = DEFAULT_MATCH_LIMIT;
    return atomic_exchange(&match_limit, limit);
}

/* ------------------------------------------------------------ compiling */

static const uint32_t kind_opts[3] = {0, PCRE2_ANCHORED,
                                      PCRE2_ANCHORED | PCRE2_ENDANCHORED};

static int pcre_compile(const bt_re_pattern *p, bool marked, int kind,
                        pcre2_code **out, bt_err *err)
{
    pcre2_general_context *g = bt__re_gctx();
    if (!g)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    pcre2_compile_context *cc = pcre2_compile_context_create(g);
    pcre2_general_context_free(g);
    if (!cc)
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    pcre2_set_parens_nest_limit(cc, 4000);
    int errcode;
    PCRE2_SIZE erroff;
    const char *src = marked ? p->marked_src : p->src;
    size_t len = marked ? p->marked_len : p->srclen;
    pcre2_code *code =
        pcre2_compile((PCRE2_SPTR)src, len, p->compile_opts | kind_opts[kind],
                      &errcode, &erroff, cc);
    pcre2_compile_context_free(cc);
    if (!code) {
        if (errcode == PCRE2_ERROR_NOMEMORY ||
            errcode == PCRE2_ERROR_HEAP_FAILED)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(errcode, msg, sizeof msg);
        return bt_err_setf(err, BT_ERE, -1,
                           "pattern too large or complex for PCRE2: %s",
                           (const char *)msg);
    }
    /* Without the JIT (a platform without one) PCRE2's interpreter runs
     * the same program; no memory for it is an error like any other. */
    int jrc = pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    if (jrc == PCRE2_ERROR_NOMEMORY) {
        pcre2_code_free(code);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    *out = code;
    return 0;
}

/* The program for a kind (0 search, 1 match, 2 fullmatch), compiled on
 * first use. */
static re_prog code_for(const bt_re_pattern *cp, int kind, bool marked, int *rc,
                        bt_err *err)
{
    bt_re_pattern *p = (bt_re_pattern *)cp;
    _Atomic(pcre2_code *) *slot = &p->codes[marked][kind];
    re_prog prog = {atomic_load_explicit(slot, memory_order_acquire), false};
    if (prog.code) {
        prog.jit =
            atomic_load_explicit(&p->jit[marked][kind], memory_order_relaxed);
        return prog;
    }
    pcre2_code *mine = NULL;
    *rc = pcre_compile(p, marked, kind, &mine, err);
    if (*rc < 0)
        return prog;
    size_t jitsize = 0;
    pcre2_pattern_info(mine, PCRE2_INFO_JITSIZE, &jitsize);
    pcre2_code *expected = NULL;
    /* Concurrent first uses compile the same program: the flag written is
     * the same whoever wins. */
    atomic_store_explicit(&p->jit[marked][kind], jitsize > 0,
                          memory_order_relaxed);
    if (!atomic_compare_exchange_strong(slot, &expected, mine)) {
        pcre2_code_free(mine);
        prog.code = expected;
    } else {
        prog.code = mine;
    }
    prog.jit = jitsize > 0;
    return prog;
}

static int cmp_name(const void *a, const void *b)
{
    const re_name *x = a, *y = b;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = n ? memcmp(x->name, y->name, n) : 0;
    if (c)
        return c;
    return x->len < y->len ? -1 : x->len > y->len;
}

static void pattern_destroy(bt_re_pattern *p)
{
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 3; k++)
            pcre2_code_free(atomic_load(&p->codes[m][k]));
    bt_free(p->names);
    bt_free(p->byindex);
    bt_free(p->src);
    bt_free(p->marked_src);
    bt_free(p->pattern);
    bt_free(p);
}

static int compile_new(const char *pattern, size_t len, int flags,
                       bt_re_pattern **out, bt_err *err)
{
    bool istext = !(flags & BT_RE_BYTES);
    int pyflags = flags & ~BT_RE_BYTES;
    if (istext) {
        int rc = bt__re_validate(pattern, len, err);
        if (rc < 0)
            return rc;
    }
    int rc = engine_init();
    if (rc < 0)
        return bt_err_setf(err, rc, -1, "out of memory");
    re_arena arena = {0};
    re_tree tree;
    memset(&tree, 0, sizeof tree);
    rc = bt__re_parse(pattern, len, pyflags, istext, &arena, &tree, err);
    if (rc < 0) {
        bt__re_arena_free(&arena);
        return rc;
    }
    bt_re_pattern *p = bt_calloc(1, sizeof *p);
    if (!p) {
        bt__re_arena_free(&arena);
        return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
    }
    atomic_init(&p->refs, 1);
    for (int m = 0; m < 2; m++)
        for (int k = 0; k < 3; k++) {
            atomic_init(&p->codes[m][k], NULL);
            atomic_init(&p->jit[m][k], false);
        }
    p->flags = tree.flags;
    p->cflags = flags;
    p->bytes = !istext;
    p->groups = tree.groups;
    p->patlen = len;
    p->pattern = bt_malloc(len + 1);
    p->byindex = bt_calloc((size_t)tree.groups + 1, sizeof *p->byindex);
    size_t namebytes = 0;
    for (size_t i = 0; i < tree.nnames; i++)
        namebytes += tree.names[i].len + 1;
    p->names = bt_malloc(tree.nnames * sizeof *p->names + namebytes + 1);
    bt_buf src = BT_BUF_INIT, msrc = BT_BUF_INIT;
    bool ucp = false;
    if (!p->pattern || !p->byindex || !p->names) {
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        goto fail;
    }
    memcpy(p->pattern, pattern, len);
    p->pattern[len] = '\0';
    char *nb = (char *)(p->names + tree.nnames);
    for (size_t i = 0; i < tree.nnames; i++) {
        p->names[i] = tree.names[i];
        p->names[i].name = nb;
        memcpy(nb, tree.names[i].name, tree.names[i].len + 1);
        nb += tree.names[i].len + 1;
    }
    p->nnames = tree.nnames;
    qsort(p->names, p->nnames, sizeof *p->names, cmp_name);
    for (size_t i = 0; i < p->nnames; i++)
        p->byindex[p->names[i].group] = &p->names[i];

    rc = bt__re_emit(&tree, &engine, false, &src, &ucp, err);
    if (rc == 0 && tree.groups >= 2)
        rc = bt__re_emit(&tree, &engine, true, &msrc, &ucp, err);
    if (rc < 0)
        goto fail;
    p->src = bt_buf_take(&src, &p->srclen);
    if (tree.groups >= 2) {
        p->marked_src = bt_buf_take(&msrc, &p->marked_len);
        if (!p->marked_src) {
            rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
            goto fail;
        }
    }
    if (!p->src) {
        rc = bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        goto fail;
    }
    p->compile_opts =
        PCRE2_ALT_CIRCUMFLEX | PCRE2_NEVER_BACKSLASH_C | PCRE2_NO_UTF_CHECK;
    if (istext) /* safe on any bytes: loops check UTF-8 as they go */
        p->compile_opts |= PCRE2_UTF | PCRE2_MATCH_INVALID_UTF;
    if (ucp)
        p->compile_opts |= PCRE2_UCP;
    re_prog prog = code_for(p, KIND_SEARCH, false, &rc, err);
    if (!prog.code)
        goto fail;
    bt__re_prefilter_build(p, &tree);
    if (p->has_pf) {
        prog = code_for(p, KIND_MATCH, false, &rc, err);
        if (!prog.code)
            goto fail;
    }
    bt__re_arena_free(&arena);
    *out = p;
    return 0;
fail:
    bt_buf_fini(&src);
    bt_buf_fini(&msrc);
    bt__re_arena_free(&arena);
    pattern_destroy(p);
    return rc;
}

/* ------------------------------------------------------------------ cache */

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static bt_re_pattern *cache_bucket[CACHE_BUCKETS];
static bt_re_pattern *cache_fifo[CACHE_MAX];
static size_t cache_head, cache_count;

static uint64_t hash_key(const char *s, size_t n, int flags)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)(unsigned)flags;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static bt_re_pattern *cache_find(const char *s, size_t n, int flags, uint64_t h)
{
    for (bt_re_pattern *p = cache_bucket[h % CACHE_BUCKETS]; p;
         p = p->cache_next)
        if (p->hash == h && p->cflags == flags && p->patlen == n &&
            memcmp(p->pattern, s, n) == 0)
            return p;
    return NULL;
}

static void cache_unlink(bt_re_pattern *p)
{
    bt_re_pattern **pp = &cache_bucket[p->hash % CACHE_BUCKETS];
    while (*pp && *pp != p)
        pp = &(*pp)->cache_next;
    if (*pp)
        *pp = p->cache_next;
    p->cache_next = NULL;
}

int bt_re_compile(const char *pattern, size_t len, int flags,
                  bt_re_pattern **out, bt_err *err)
{
    if (len == BT_RE_NTS)
        len = strlen(pattern);
    *out = NULL;
    bool cached = !(flags & BT_RE_DEBUG);
    uint64_t h = hash_key(pattern, len, flags);
    if (cached) {
        pthread_mutex_lock(&cache_lock);
        bt_re_pattern *p = cache_find(pattern, len, flags, h);
        if (p)
            atomic_fetch_add(&p->refs, 1);
        pthread_mutex_unlock(&cache_lock);
        if (p) {
            *out = p;
            return 0;
        }
    }
    bt_re_pattern *p = NULL;
    int rc = compile_new(pattern, len, flags, &p, err);
    if (rc < 0)
        return rc;
    p->hash = h;
    if (cached) {
        bt_re_pattern *evict = NULL;
        pthread_mutex_lock(&cache_lock);
        bt_re_pattern *other = cache_find(pattern, len, flags, h);
        if (other) {
            atomic_fetch_add(&other->refs, 1);
        } else {
            if (cache_count == CACHE_MAX) { /* drop the oldest */
                evict = cache_fifo[cache_head];
                cache_unlink(evict);
                cache_head = (cache_head + 1) % CACHE_MAX;
                cache_count--;
            }
            cache_fifo[(cache_head + cache_count) % CACHE_MAX] = p;
            cache_count++;
            p->cache_next = cache_bucket[h % CACHE_BUCKETS];
            cache_bucket[h % CACHE_BUCKETS] = p;
            atomic_fetch_add(&p->refs, 1);
        }
        pthread_mutex_unlock(&cache_lock);
        bt_re_pattern_free(evict);
        if (other) {
            bt_re_pattern_free(p);
            p = other;
        }
    }
    *out = p;
    return 0;
}

void bt_re_pattern_free(bt_re_pattern *p)
{
    if (p && atomic_fetch_sub(&p->refs, 1) == 1)
        pattern_destroy(p);
}

void bt_re_purge(void)
{
    bt_re_pattern *drop[CACHE_MAX];
    size_t n = 0;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < cache_count; i++) {
        bt_re_pattern *p = cache_fifo[(cache_head + i) % CACHE_MAX];
        cache_unlink(p);
        drop[n++] = p;
    }
    cache_head = cache_count = 0;
    pthread_mutex_unlock(&cache_lock);
    for (size_t i = 0; i < n; i++)
        bt_re_pattern_free(drop[i]);
    pthread_once(&scratch_once, scratch_key_make);
    re_scratch *s = pthread_getspecific(scratch_key);
    if (s) {
        pthread_setspecific(scratch_key, NULL);
        scratch_free(s);
    }
}

/* ------------------------------------------------------------- attributes */

const char *bt_re_pattern_pattern(const bt_re_pattern *p, size_t *len)
{
    if (len)
        *len = p->patlen;
    return p->pattern;
}

int bt_re_pattern_flags(const bt_re_pattern *p)
{
    return p->flags;
}

bool bt_re_pattern_is_bytes(const bt_re_pattern *p)
{
    return p->bytes;
}

size_t bt_re_pattern_groups(const bt_re_pattern *p)
{
    return p->groups;
}

ptrdiff_t bt_re_pattern_groupindex(const bt_re_pattern *p, const char *name,
                                   size_t len)
{
    if (len == BT_RE_NTS)
        len = strlen(name);
    re_name key = {(char *)name, len, 0};
    const re_name *r =
        bsearch(&key, p->names, p->nnames, sizeof *p->names, cmp_name);
    return r ? (ptrdiff_t)r->group : BT_EKEY;
}

const char *bt_re_pattern_group_name(const bt_re_pattern *p, size_t g,
                                     size_t *len)
{
    if (g == 0 || g > p->groups || !p->byindex[g])
        return NULL;
    if (len)
        *len = p->byindex[g]->len;
    return p->byindex[g]->name;
}

/* ---------------------------------------------------------------- running */

int bt__re_match_error(int rc, bt_err *err)
{
    switch (rc) {
    case PCRE2_ERROR_NOMEMORY:
    case PCRE2_ERROR_HEAPLIMIT:
        if (rc == PCRE2_ERROR_NOMEMORY)
            return bt_err_setf(err, BT_ENOMEM, -1, "out of memory");
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "regular expression match used too much memory "
                           "(PCRE2 heap limit)");
    case PCRE2_ERROR_MATCHLIMIT:
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "regular expression match limit exceeded "
                           "(%u steps, see bt_re_set_match_limit)",
                           atomic_load(&match_limit));
    case PCRE2_ERROR_DEPTHLIMIT:
    case PCRE2_ERROR_JIT_STACKLIMIT:
        return bt_err_setf(err, BT_ERUNTIME, -1,
                           "regular expression match too deeply nested "
                           "(PCRE2 stack limit)");
    default: {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(rc, msg, sizeof msg);
        return bt_err_setf(err, BT_ERUNTIME, -1, "PCRE2 match error: %s",
                           (const char *)msg);
    }
    }
}

int bt__re_exec(re_prog prog, const char *s, size_t len, size_t start,
                uint32_t opts, pcre2_match_data *md, pcre2_match_context *mctx)
{
    static const char empty[1] = "";
    PCRE2_SPTR subject = (PCRE2_SPTR)(s ? s : empty);
    if (prog.jit)
        return pcre2_jit_match(prog.code, subject, len, start, opts, md, mctx);
    return pcre2_match(prog.code, subject, len, start,
                       opts | PCRE2_NO_UTF_CHECK, md, mctx);
}

int bt__re_search_exec_checked(const bt_re_pattern *p, re_prog search,
                               re_prog anch, const char *s, size_t len,
                               size_t start, uint32_t opts,
                               pcre2_match_data *md, pcre2_match_context *mctx,
                               size_t n, size_t *checked)
{
    if (!p->has_pf)
        return bt__re_exec(search, s, len, start, opts, md, mctx);
    size_t at = start;
    for (;;) {
        ptrdiff_t c = bt__re_prefilter_scan(&p->pf, s, at, len, n, checked);
        if (c == -2)
            return RE_SCAN_BADUTF;
        if (c < 0)
            return PCRE2_ERROR_NOMATCH;
        uint32_t o = (size_t)c == start ? opts : 0;
        int r = bt__re_exec(anch, s, len, (size_t)c, o, md, mctx);
        if (r != PCRE2_ERROR_NOMATCH)
            return r;
        at = (size_t)c + 1;
    }
}

int bt__re_search_exec(const bt_re_pattern *p, re_prog search, re_prog anch,
                       const char *s, size_t len, size_t start, uint32_t opts,
                       pcre2_match_data *md, pcre2_match_context *mctx)
{
    return bt__re_search_exec_checked(p, search, anch, s, len, start, opts, md,
                                      mctx, len, NULL);
}

re_prog bt__re_code(const bt_re_pattern *p, int kind, bool marked, int *rc,
                    bt_err *err)
{
    *rc = 0;
    return code_for(p, kind, marked, rc, err);
}

pcre2_match_data *bt__re_scratch_md(uint32_t pairs)
{
    return scratch_md(pairs);
}
