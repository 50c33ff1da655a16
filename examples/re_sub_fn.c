/*
 * re_sub_fn — the notes' substitutions: a template string, then a function
 * that computes each replacement. Python:
 *
 *   >>> pattern = re.compile(r'number: (?P<number>[0-9]+) ')
 *   >>> pattern.sub('number:XXX', "name:Jack number:06213123")
 *   def scale(match):
 *       value = int(match.group('coord'))
 *       return 'X:%d' % (value * 3)
 *   pattern = re.compile(r'X: (?P<coord>[0-9]+) ')
 *   pattern.sub(scale, " X:22 Y:55")          # X:66 Y:55
 *
 * The notes' patterns have a space after the colon that their subjects
 * lack, so Python (and this program) leave those subjects as they are; the
 * same patterns without the stray spaces give the output the notes show.
 */
#include <batteries/re.h>

#include <stdio.h>
#include <stdlib.h>

static int scale(const bt_re_matchobj *m, bt_buf *out, void *ctx)
{
    (void)ctx;
    const char *s;
    size_t n;
    if (bt_re_match_group_name(m, "coord", BT_RE_NTS, &s, &n) != 1)
        return BT_EVALUE;
    return bt_buf_printf(out, "X:%ld", strtol(s, NULL, 10) * 3);
}

static int sub(const char *pat, const char *repl, bt_re_repl_fn fn,
               const char *s)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (bt_re_compile(pat, BT_RE_NTS, 0, &p, &err) < 0) {
        fprintf(stderr, "re.error: %s\n", err.msg);
        return 1;
    }
    bt_buf out = BT_BUF_INIT;
    ptrdiff_t k =
        fn ? bt_re_sub_fn(p, fn, NULL, s, BT_RE_NTS, 0, &out, &err)
           : bt_re_sub(p, repl, BT_RE_NTS, s, BT_RE_NTS, 0, &out, &err);
    if (k >= 0)
        printf("re.compile(r'%s').sub(%s, %s)\n  -> %s   (%td replaced)\n", pat,
               fn ? "scale" : repl, s, out.data, k);
    else
        fprintf(stderr, "%s: %s\n", bt_errname((int)k), err.msg);
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    return k < 0;
}

int main(void)
{
    int bad = 0;
    bad |= sub("number: (?P<number>[0-9]+) ", "number:XXX", NULL,
               "name:Jack number:06213123");
    bad |= sub("number:(?P<number>[0-9]+)", "number:XXX", NULL,
               "name:Jack number:06213123");
    bad |= sub("X: (?P<coord>[0-9]+) ", NULL, scale, " X:22 Y:55");
    bad |= sub("X:(?P<coord>[0-9]+)", NULL, scale, " X:22 Y:55");
    bt_re_purge();
    return bad;
}
