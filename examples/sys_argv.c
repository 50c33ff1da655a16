/*
 * sys_argv — the notes' `import sys; print(sys.argv)`: the command line as
 * the Python list it would print, then joined as ' '.join(sys.argv[1:]).
 *
 *   $ ./sys_argv hello "w\xc3\xb6rld" "it's"
 *   ['./sys_argv', 'hello', 'wörld', "it's"]
 */
#include <stdio.h>

#include <batteries/core.h>

int main(int argc, char **argv)
{
    bt_strvec args = BT_STRVEC_INIT;
    bt_buf out = BT_BUF_INIT;
    int rc = 0;
    for (int i = 0; i < argc && rc == 0; i++)
        rc = bt_strvec_append_str(&args, argv[i]);

    /* print(sys.argv) */
    rc = rc ? rc : bt_buf_append_str(&out, "[");
    for (size_t i = 0; i < args.count && rc == 0; i++) {
        if (i)
            rc = bt_buf_append_str(&out, ", ");
        if (rc == 0)
            rc = bt_repr_str(&out, args.items[i], args.lens[i]);
    }
    rc = rc ? rc : bt_buf_append_str(&out, "]");
    if (rc == 0)
        printf("%s\n", out.data);

    /* print(' '.join(sys.argv[1:])) */
    bt_buf_clear(&out);
    if (rc == 0 && args.count > 0)
        rc = bt_strvec_remove(&args, 0);
    if (rc == 0)
        rc = bt_strvec_join(&args, " ", 1, &out);
    if (rc == 0)
        printf("%s\n", out.len ? out.data : "");

    if (rc < 0)
        fprintf(stderr, "sys_argv: %s: %s\n", bt_errname(rc), bt_strerror(rc));
    bt_buf_fini(&out);
    bt_strvec_fini(&args);
    return rc < 0;
}
