/*
 * bench_re.c — finditer over 10 MB of text for the four patterns,
 * and regex-redux; each against the anchor, PCRE2's JIT called directly
 * with the options the translation uses (PCRE2_UTF | PCRE2_UCP for str
 * patterns), the loop a C programmer writes: pcre2_jit_match from the end
 * of the last match, the UTF check done once (by pcre2_match's first call).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <batteries/re.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"

static const char *text, *fasta;
static size_t text_len, fasta_len;

enum { LITERAL, ALTERNATION, ING, KEYVAL, NPAT };
static const char *const patterns[NPAT] = {
    "Sherlock",
    "Sherlock|Holmes|Watson|Irene|Adler",
    "\\b\\w+ing\\b",
    "(?P<key>\\w+)=(?P<val>.*?);",
};
/* PCRE2's spelling of the same patterns */
static const char *const pcre_patterns[NPAT] = {
    "Sherlock",
    "Sherlock|Holmes|Watson|Irene|Adler",
    "\\b\\w+ing\\b",
    "(?<key>\\w+)=(?<val>.*?);",
};

static bt_re_pattern *ours[NPAT];
static pcre2_code *anchor[NPAT];
static pcre2_match_data *md;

static int load(void)
{
    if (text)
        return 0;
    text = bench_input("text.txt", &text_len);
    fasta = bench_input("fasta.txt", &fasta_len);
    md = pcre2_match_data_create(16, NULL);
    return text && fasta && md ? 0 : -1;
}

static pcre2_code *pcre_compile(const char *pat, uint32_t opts)
{
    int err;
    PCRE2_SIZE off;
    pcre2_code *c = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, opts,
                                  &err, &off, NULL);
    if (c)
        pcre2_jit_compile(c, PCRE2_JIT_COMPLETE);
    return c;
}

/* The anchor's loop: counts the matches. */
static size_t pcre_count(pcre2_code *c, const char *s, size_t n)
{
    size_t count = 0, start = 0;
    uint32_t opts = 0;
    for (;;) {
        int rc = opts ? pcre2_jit_match(c, (PCRE2_SPTR)s, n, start, 0, md, NULL)
                      : pcre2_match(c, (PCRE2_SPTR)s, n, start, 0, md, NULL);
        opts = 1; /* the UTF check is done; the JIT from now on */
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        count++;
        start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        if (start > n)
            break;
    }
    return count;
}

static size_t ours_count(bt_re_pattern *p, const char *s, size_t n)
{
    bt_re_iter *it;
    if (bt_re_finditer(p, s, n, &it, NULL) < 0)
        return (size_t)-1;
    const bt_re_matchobj *m;
    size_t count = 0;
    while (bt_re_iter_next(it, &m, NULL) == 1)
        count++;
    bt_re_iter_free(it);
    return count;
}

static int setup_text(void)
{
    if (load() < 0)
        return -1;
    if (ours[0])
        return 0;
    for (int i = 0; i < NPAT; i++) {
        bt_err err = BT_ERR_INIT;
        if (bt_re_compile(patterns[i], BT_RE_NTS, 0, &ours[i], &err) < 0) {
            fprintf(stderr, "bench_re: %s\n", err.msg);
            return -1;
        }
        anchor[i] = pcre_compile(pcre_patterns[i], PCRE2_UTF | PCRE2_UCP);
        if (!anchor[i])
            return -1;
        size_t a = ours_count(ours[i], text, text_len);
        size_t b = pcre_count(anchor[i], text, text_len);
        if (a != b || a == 0) {
            fprintf(stderr, "bench_re: %s: %zu matches, anchor %zu\n",
                    patterns[i], a, b);
            return -1;
        }
    }
    return 0;
}

static void teardown_text(void)
{
    for (int i = 0; i < NPAT; i++) {
        bt_re_pattern_free(ours[i]);
        pcre2_code_free(anchor[i]);
        ours[i] = NULL;
        anchor[i] = NULL;
    }
    bt_re_purge();
}

#define TEXT_CASE(fn, idx)                                                     \
    static void fn(uint64_t iters)                                             \
    {                                                                          \
        for (uint64_t i = 0; i < iters; i++) {                                 \
            bench_escape(text);                                                \
            size_t c = ours_count(ours[idx], text, text_len);                  \
            bench_escape(&c);                                                  \
        }                                                                      \
    }                                                                          \
    static void fn##_anchor(uint64_t iters)                                    \
    {                                                                          \
        for (uint64_t i = 0; i < iters; i++) {                                 \
            bench_escape(text);                                                \
            size_t c = pcre_count(anchor[idx], text, text_len);                \
            bench_escape(&c);                                                  \
        }                                                                      \
    }

TEXT_CASE(run_literal, LITERAL)
TEXT_CASE(run_alternation, ALTERNATION)
TEXT_CASE(run_ing, ING)
TEXT_CASE(run_keyval, KEYVAL)

/* --------------------------------------------------------------- redux */

static const char *const variants[9] = {
    "agggtaaa|tttaccct",         "[cgt]gggtaaa|tttaccc[acg]",
    "a[act]ggtaaa|tttacc[agt]t", "ag[act]gtaaa|tttac[agt]ct",
    "agg[act]taaa|ttta[agt]cct", "aggg[acg]aaa|ttt[cgt]ccct",
    "agggt[cgt]aa|tt[acg]accct", "agggta[cgt]a|t[acg]taccct",
    "agggtaa[cgt]|[acg]ttaccct"};
static const char *const subst[5][2] = {{"tHa[Nt]", "<4>"},
                                        {"aND|caN|Ha[DS]|WaS", "<3>"},
                                        {"a[NSt]|BY", "<2>"},
                                        {"<[^>]*>", "|"},
                                        {"\\|[^|][^|]*\\|", "-"}};

typedef struct redux_result {
    size_t counts[9];
    size_t len;
} redux_result;

static bt_re_pattern *r_clean, *r_var[9], *r_sub[5];
static pcre2_code *a_clean, *a_var[9], *a_sub[5];

static int compile_bytes(const char *pat, bt_re_pattern **p)
{
    return bt_re_compile(pat, BT_RE_NTS, BT_RE_BYTES, p, NULL);
}

/* regex-redux with batteries (the patterns come from the cache, as in
 * Python's program). */
static int redux_ours(redux_result *res)
{
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    if (bt_re_sub(r_clean, "", 0, fasta, fasta_len, 0, &a, NULL) < 0)
        return -1;
    for (int i = 0; i < 9; i++)
        res->counts[i] = ours_count(r_var[i], a.data, a.len);
    for (int i = 0; i < 5; i++) {
        bt_buf_clear(&b);
        if (bt_re_sub(r_sub[i], subst[i][1], BT_RE_NTS, a.data, a.len, 0, &b,
                      NULL) < 0)
            return -1;
        bt_buf t = a;
        a = b;
        b = t;
    }
    res->len = a.len;
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    return 0;
}

/* The anchor's replace-all: a loop of pcre2_jit_match. */
static void pcre_sub(pcre2_code *c, const char *s, size_t n, const char *r,
                     bt_buf *out)
{
    size_t start = 0, last = 0, rlen = strlen(r);
    for (;;) {
        int rc = pcre2_jit_match(c, (PCRE2_SPTR)s, n, start, 0, md, NULL);
        if (rc < 0)
            break;
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        bt_buf_append(out, s + last, ov[0] - last);
        bt_buf_append(out, r, rlen);
        last = ov[1];
        start = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
        if (start > n)
            break;
    }
    bt_buf_append(out, s + last, n - last);
}

static int redux_anchor(redux_result *res)
{
    bt_buf a = BT_BUF_INIT, b = BT_BUF_INIT;
    pcre_sub(a_clean, fasta, fasta_len, "", &a);
    for (int i = 0; i < 9; i++)
        res->counts[i] = pcre_count(a_var[i], a.data, a.len);
    for (int i = 0; i < 5; i++) {
        bt_buf_clear(&b);
        pcre_sub(a_sub[i], a.data, a.len, subst[i][1], &b);
        bt_buf t = a;
        a = b;
        b = t;
    }
    res->len = a.len;
    bt_buf_fini(&a);
    bt_buf_fini(&b);
    return 0;
}

static int setup_redux(void)
{
    if (load() < 0)
        return -1;
    if (r_clean)
        return 0;
    if (compile_bytes(">.*\n|\n", &r_clean) < 0)
        return -1;
    a_clean = pcre_compile(">.*\n|\n", 0);
    for (int i = 0; i < 9; i++) {
        if (compile_bytes(variants[i], &r_var[i]) < 0)
            return -1;
        a_var[i] = pcre_compile(variants[i], 0);
    }
    for (int i = 0; i < 5; i++) {
        if (compile_bytes(subst[i][0], &r_sub[i]) < 0)
            return -1;
        a_sub[i] = pcre_compile(subst[i][0], 0);
    }
    redux_result x, y;
    if (redux_ours(&x) < 0 || redux_anchor(&y) < 0 ||
        memcmp(&x, &y, sizeof x) != 0 || x.len == 0) {
        fprintf(stderr, "bench_re: regex-redux results differ\n");
        return -1;
    }
    return 0;
}

static void teardown_redux(void)
{
    bt_re_pattern_free(r_clean);
    pcre2_code_free(a_clean);
    for (int i = 0; i < 9; i++) {
        bt_re_pattern_free(r_var[i]);
        pcre2_code_free(a_var[i]);
    }
    for (int i = 0; i < 5; i++) {
        bt_re_pattern_free(r_sub[i]);
        pcre2_code_free(a_sub[i]);
    }
    r_clean = NULL;
    bt_re_purge();
}

static void run_redux(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        redux_result r;
        bench_escape(fasta);
        redux_ours(&r);
        bench_escape(&r);
    }
}

static void run_redux_anchor(uint64_t iters)
{
    for (uint64_t i = 0; i < iters; i++) {
        redux_result r;
        bench_escape(fasta);
        redux_anchor(&r);
        bench_escape(&r);
    }
}

static void teardown_all(void)
{
    static bool done;
    if (done)
        return;
    done = true;
    teardown_text();
    teardown_redux();
    pcre2_match_data_free(md);
    md = NULL;
}

static const bench_case cases[] = {
    {"literal", setup_text, run_literal, teardown_all},
    {"alternation", setup_text, run_alternation, teardown_all},
    {"ing_words", setup_text, run_ing, teardown_all},
    {"key_val", setup_text, run_keyval, teardown_all},
    {"regex_redux", setup_redux, run_redux, teardown_all},
    {"literal@pcre2", setup_text, run_literal_anchor, teardown_all},
    {"alternation@pcre2", setup_text, run_alternation_anchor, teardown_all},
    {"ing_words@pcre2", setup_text, run_ing_anchor, teardown_all},
    {"key_val@pcre2", setup_text, run_keyval_anchor, teardown_all},
    {"regex_redux@pcre2", setup_redux, run_redux_anchor, teardown_all},
};

int main(void)
{
    return bench_main(cases, sizeof cases / sizeof cases[0]);
}
