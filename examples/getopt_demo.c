/*
 * getopt_demo — the notes' two getopt examples, "the C way" in Python:
 *
 *   opts, args = getopt.getopt(['-ab', '-cfoo', '-d', 'bar', 'a1', 'a2'], 'abc:d:')
 *   # opts=[('-a', ''), ('-b', ''), ('-c', 'foo'), ('-d', 'bar')]  args=['a1', 'a2']
 *
 *   optlist, args = getopt.getopt(['--cond=foo', '--testing', '--ofile', 'abc.def',
 *                                  '-x', 'a1', 'a2'], 'x', ['cond=', 'ofile=', 'testing'])
 *   # [('--cond', 'foo'), ('--testing', ''), ('--ofile', 'abc.def'), ('-x', '')]
 *
 * With arguments of its own, it parses them with 'abc:d:' and the long
 * options of the second example, as a program would parse its argv.
 */
#include <stdio.h>

#include <batteries/argparse.h>

static void show(const char *const *args, size_t n, const char *shortopts,
                 const char *const *longs, size_t nlong)
{
    bt_getopt_result r = BT_GETOPT_RESULT_INIT;
    bt_err err = BT_ERR_INIT;
    bt_buf line = BT_BUF_INIT;
    if (bt_getopt_getopt(args, n, shortopts, longs, nlong, &r, &err) < 0) {
        printf("getopt.GetoptError: %s\n", err.msg);
        bt_getopt_result_fini(&r);
        return;
    }
    bt_buf_append_str(&line, "opts=[");
    for (size_t i = 0; i + 1 < r.opts.count; i += 2) {
        bt_buf_append_str(&line, i ? ", (" : "(");
        bt_repr_str(&line, r.opts.items[i], r.opts.lens[i]);
        bt_buf_append_str(&line, ", ");
        bt_repr_str(&line, r.opts.items[i + 1], r.opts.lens[i + 1]);
        bt_buf_append_str(&line, ")");
    }
    bt_buf_append_str(&line, "] args=[");
    for (size_t i = 0; i < r.args.count; i++) {
        if (i)
            bt_buf_append_str(&line, ", ");
        bt_repr_str(&line, r.args.items[i], r.args.lens[i]);
    }
    bt_buf_append_str(&line, "]");
    printf("%s\n", line.data);
    bt_buf_fini(&line);
    bt_getopt_result_fini(&r);
}

int main(int argc, char **argv)
{
    static const char *const longs[] = {"cond=", "ofile=", "testing"};
    if (argc > 1) {
        show((const char *const *)argv + 1, (size_t)argc - 1, "abc:d:x", longs, 3);
        return 0;
    }
    static const char *const first[] = {"-ab", "-cfoo", "-d", "bar", "a1", "a2"};
    show(first, 6, "abc:d:", NULL, 0);
    static const char *const second[] = {"--cond=foo", "--testing", "--ofile", "abc.def",
                                         "-x",         "a1",        "a2"};
    show(second, 7, "x", longs, 3);
    /* And what Python says when the option is wrong: */
    static const char *const wrong[] = {"-q"};
    show(wrong, 1, "abc:d:", NULL, 0);
    return 0;
}
