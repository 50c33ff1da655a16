/*
 * re_search — the notes' first steps with re: match and search on
 * 'alphabet', a match's attributes, and the spam:egg groups by number and
 * by name. Python:
 *
 *   >>> re.match('a.*a', 'alphabet')
 *   <re.Match object; span=(0, 5), match='alpha'>
 *   >>> pattern = re.compile(r'spam:(?P<spam>[a-z]+)')
 *   >>> m = pattern.search('this is spam:egg')
 *   >>> m.group("spam"), m.span("spam")
 *   ('egg', (13, 16))
 */
#include <batteries/re.h>

#include <stdio.h>
#include <string.h>

/* Prints a match the way Python's repr() does (None for no match). */
static void print_match(const bt_re_matchobj *m)
{
    if (!m) {
        printf("None\n");
        return;
    }
    size_t n;
    const char *s = bt_re_match_string(m, &n);
    ptrdiff_t a = bt_re_match_start(m, 0), b = bt_re_match_end(m, 0);
    bt_buf r = BT_BUF_INIT;
    bt_repr_str(&r, s + a, (size_t)(b - a));
    printf("<re.Match object; span=(%td, %td), match=%s>\n",
           bt_re_char_index(s, n, a), bt_re_char_index(s, n, b), r.data);
    bt_buf_fini(&r);
}

static int run(const char *what, const char *pat, const char *s, bool search)
{
    bt_re_pattern *p;
    bt_re_matchobj *m = NULL;
    bt_err err = BT_ERR_INIT;
    if (bt_re_compile(pat, BT_RE_NTS, 0, &p, &err) < 0) {
        fprintf(stderr, "re.error: %s\n", err.msg);
        return 1;
    }
    int rc = search ? bt_re_search(p, s, BT_RE_NTS, &m, &err)
                    : bt_re_match(p, s, BT_RE_NTS, &m, &err);
    printf(">>> %s\n", what);
    if (rc >= 0)
        print_match(m);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    return rc < 0;
}

int main(void)
{
    int bad = 0;
    bad |= run("re.match('a.*a', 'alphabet')", "a.*a", "alphabet", false);
    bad |= run("re.match('h.*t', 'alphabet')", "h.*t", "alphabet", false);
    bad |= run("re.search('h.*t', 'alphabet')", "h.*t", "alphabet", true);
    bad |= run("re.search('a.*z', 'alphabet')", "a.*z", "alphabet", true);

    /* o = re.search('l(.*)e', 'alphabet'): its attributes */
    bt_re_pattern *p;
    bt_re_matchobj *m;
    bt_err err = BT_ERR_INIT;
    if (bt_re_compile("l(.*)e", BT_RE_NTS, 0, &p, &err) < 0 ||
        bt_re_search(p, "alphabet", BT_RE_NTS, &m, &err) != 1)
        return 1;
    size_t n;
    const char *g;
    printf(">>> o.re.pattern, o.string\n'%s' '%s'\n",
           bt_re_pattern_pattern(bt_re_match_re(m), NULL),
           bt_re_match_string(m, NULL));
    printf(">>> o.start(), o.end()\n(%td, %td)\n", bt_re_match_start(m, 0),
           bt_re_match_end(m, 0));
    bt_re_match_group(m, 1, &g, &n);
    printf(">>> o.group(1)\n'%.*s'\n", (int)n, g);
    bt_re_match_free(m);
    bt_re_pattern_free(p);

    /* spam:egg, by number, then by name */
    const char *pats[] = {"spam:([a-z]+)", "spam:(?P<spam>[a-z]+)"};
    for (int i = 0; i < 2; i++) {
        if (bt_re_compile(pats[i], BT_RE_NTS, 0, &p, &err) < 0 ||
            bt_re_search(p, "this is spam:egg", BT_RE_NTS, &m, &err) != 1)
            return 1;
        ptrdiff_t a, b;
        printf(">>> pattern = re.compile(r'%s')\n", pats[i]);
        printf(">>> m = pattern.search('this is spam:egg')\n");
        bt_re_match_group(m, 0, &g, &n);
        printf(">>> m.group(0)\n%.*s\n", (int)n, g);
        if (i == 0) {
            bt_re_match_group(m, 1, &g, &n);
            bt_re_match_span(m, 1, &a, &b);
            printf(">>> m.group(1)\n%.*s\n>>> m.span(1)\n(%td, %td)\n", (int)n,
                   g, a, b);
        } else {
            bt_re_match_group_name(m, "spam", BT_RE_NTS, &g, &n);
            ptrdiff_t k = bt_re_pattern_groupindex(p, "spam", BT_RE_NTS);
            bt_re_match_span(m, (size_t)k, &a, &b);
            printf(">>> m.group(\"spam\")\n%.*s\n>>> m.span(\"spam\")\n"
                   "(%td, %td)\n",
                   (int)n, g, a, b);
        }
        bt_re_match_free(m);
        bt_re_pattern_free(p);
    }
    bt_re_purge();
    return bad;
}
