/*
 * path_tour — os.path in C: the calls a Python programmer makes every day,
 * each printed the way Python would print its answer.
 *
 *   os.path.join('/usr', 'local', 'lib')        # '/usr/local/lib'
 *   os.path.split('/usr/lib/python3.11/os.py')  # ('/usr/lib/python3.11',
 * 'os.py') os.path.splitext('backup.tar.gz')           # ('backup.tar', '.gz')
 *   os.path.normpath('/usr/local/../lib/./x//') # '/usr/lib/x'
 *   os.path.relpath('/usr/share/doc', '/usr/lib')  # '../share/doc'
 *   os.path.commonpath(['/usr/lib/x', '/usr/local/y'])  # '/usr'
 *   os.path.expanduser('~/notes.txt'), os.path.expandvars('$HOME/src')
 *   os.path.realpath('.'), os.path.isdir('/tmp'),
 * os.path.getsize('/etc/passwd') and two failures: commonpath(['/usr', 'usr']),
 * getsize('/no/such/file').
 */
#include <stdio.h>

#include <batteries/path.h>

/* Prints "label -> 'value'" with Python's repr() of the value. */
static void show(const char *label, const char *s, size_t n)
{
    bt_buf r = BT_BUF_INIT;
    if (bt_repr_str(&r, s, n) == 0)
        printf("%-46s -> %s\n", label, r.data);
    bt_buf_fini(&r);
}

static void show_pair(const char *label, const bt_buf *a, const bt_buf *b)
{
    bt_buf r = BT_BUF_INIT;
    if (bt_buf_append_str(&r, "(") == 0 &&
        bt_repr_str(&r, a->data, a->len) == 0 &&
        bt_buf_append_str(&r, ", ") == 0 &&
        bt_repr_str(&r, b->data, b->len) == 0 &&
        bt_buf_append_str(&r, ")") == 0)
        printf("%-46s -> %s\n", label, r.data);
    bt_buf_fini(&r);
}

int main(void)
{
    bt_buf out = BT_BUF_INIT, head = BT_BUF_INIT, tail = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    int failed = 0;

    const char *parts[] = {"/usr", "local", "lib"};
    failed |= bt_path_join(parts, 3, &out);
    show("join('/usr', 'local', 'lib')", out.data, out.len);

    failed |= bt_path_split("/usr/lib/python3.11/os.py", &head, &tail);
    show_pair("split('/usr/lib/python3.11/os.py')", &head, &tail);

    bt_buf_clear(&head);
    bt_buf_clear(&tail);
    failed |= bt_path_splitext("backup.tar.gz", &head, &tail);
    show_pair("splitext('backup.tar.gz')", &head, &tail);

    bt_buf_clear(&out);
    failed |= bt_path_normpath("/usr/local/../lib/./x//", &out);
    show("normpath('/usr/local/../lib/./x//')", out.data, out.len);

    bt_buf_clear(&out);
    failed |= bt_path_relpath("/usr/share/doc", "/usr/lib", &out, &err);
    show("relpath('/usr/share/doc', '/usr/lib')", out.data, out.len);

    bt_strvec paths = BT_STRVEC_INIT;
    failed |= bt_strvec_append_str(&paths, "/usr/lib/x");
    failed |= bt_strvec_append_str(&paths, "/usr/local/y");
    bt_buf_clear(&out);
    failed |= bt_path_commonpath(&paths, &out, &err);
    show("commonpath(['/usr/lib/x', '/usr/local/y'])", out.data, out.len);
    bt_buf_clear(&out);
    failed |= bt_path_commonprefix(&paths, &out);
    show("commonprefix(['/usr/lib/x', '/usr/local/y'])", out.data, out.len);

    bt_buf_clear(&out);
    failed |= bt_path_expanduser("~/notes.txt", &out);
    show("expanduser('~/notes.txt')", out.data, out.len);
    bt_buf_clear(&out);
    failed |= bt_path_expandvars("$HOME/src/${NO_SUCH_VAR}", &out);
    show("expandvars('$HOME/src/${NO_SUCH_VAR}')", out.data, out.len);

    bt_buf_clear(&out);
    failed |= bt_path_realpath(".", false, &out, &err);
    show("realpath('.')", out.data, out.len);
    printf("%-46s -> %s\n", "isdir('/tmp')",
           bt_path_isdir("/tmp") ? "True" : "False");
    printf("%-46s -> %s\n", "exists('/no/such/file')",
           bt_path_exists("/no/such/file") ? "True" : "False");
    int64_t size;
    if (bt_path_getsize("/etc/passwd", &size, &err) == 0)
        printf("%-46s -> %lld\n", "getsize('/etc/passwd')", (long long)size);

    /* What Python raises, C returns: the code and Python's message. */
    bt_strvec mixed = BT_STRVEC_INIT;
    failed |= bt_strvec_append_str(&mixed, "/usr");
    failed |= bt_strvec_append_str(&mixed, "usr");
    int rc = bt_path_commonpath(&mixed, &out, &err);
    printf("%-46s -> %s: %s\n", "commonpath(['/usr', 'usr'])", bt_errname(rc),
           err.msg);
    rc = bt_path_getsize("/no/such/file", &size, &err);
    printf("%-46s -> %s: %s\n", "getsize('/no/such/file')", bt_errname(rc),
           err.msg);

    bt_strvec_fini(&paths);
    bt_strvec_fini(&mixed);
    bt_buf_fini(&out);
    bt_buf_fini(&head);
    bt_buf_fini(&tail);
    return failed ? 1 : 0;
}
