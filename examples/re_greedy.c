/*
 * re_greedy — the notes' greedy and lazy matching of links: '.*' takes as
 * much as it can, '.*?' as little. Python:
 *
 *   >>> text = "<a href='l1'>some text</a>  <a href='l2'>more text</a>"
 *   >>> re.search("l1'>(.*)</a>", text).group(1)
 *   "some text</a>  <a href='l2'>more text"
 *   >>> re.search("l1'>(.*?)</a>", text).group(1)
 *   'some text'
 */
#include <batteries/re.h>

#include <stdio.h>

static int show(const char *pat, const char *text)
{
    bt_re_pattern *p;
    bt_re_matchobj *m;
    bt_err err = BT_ERR_INIT;
    if (bt_re_compile(pat, BT_RE_NTS, 0, &p, &err) < 0 ||
        bt_re_search(p, text, BT_RE_NTS, &m, &err) != 1) {
        fprintf(stderr, "%s\n", err.msg);
        return 1;
    }
    const char *g;
    size_t n;
    bt_re_match_group(m, 1, &g, &n);
    bt_buf r = BT_BUF_INIT;
    bt_repr_str(&r, g, n);
    printf(">>> re.search(\"%s\", text).group(1)\n%s\n", pat, r.data);
    bt_buf_fini(&r);
    bt_re_match_free(m);
    bt_re_pattern_free(p);
    return 0;
}

int main(void)
{
    const char *text = "<a href='l1'>some text</a>  <a href='l2'>more text</a>";
    printf(">>> text = \"%s\"\n", text);
    int bad = show("l1'>(.*)</a>", text); /* greedy */
    bad |= show("l1'>(.*?)</a>", text);   /* lazy */
    bad |= show("l1'>([^<]*)</a>", text); /* or refine the pattern */
    bt_re_purge();
    return bad;
}
