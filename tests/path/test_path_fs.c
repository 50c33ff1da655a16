/*
 * The file-system half of os.path against CPython on the very same tree.
 *
 * Each test builds a fixture tree in a fresh temporary directory (regular
 * files with chosen times, directories, symbolic links: relative, absolute,
 * chained past the kernel's limit, dangling, looping, through files,
 * unicode names, a FIFO), moves into it, and asks the same questions of the
 * library and of CPython (tests/path/fs_oracle.py, run in the same
 * directory). Both answer in one line format, compared as strings.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <batteries/path.h>

#include "bt_test.h"

extern char **environ;

#define COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------- helpers */

static void hex_append(bt_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(bt_buf_printf(b, "%02x", (unsigned char)s[i]), 0);
}

/* Reads a whole file into a fresh NUL-terminated string. */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f, "cannot read %s: %s", path, strerror(errno));
    bt_buf b = BT_BUF_INIT;
    char chunk[4096];
    size_t k;
    while ((k = fread(chunk, 1, sizeof chunk, f)) > 0)
        cr_assert_eq(bt_buf_append(&b, chunk, k), 0);
    fclose(f);
    char *s = bt_buf_take(&b, NULL);
    cr_assert_not_null(s);
    return s;
}

/* Runs argv (argv[0] looked up in PATH) with stdin from in and stdout to
 * out (either may be NULL); returns the exit status, or -1. */
static int run(char *const argv[], const char *in, const char *out)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (in)
        posix_spawn_file_actions_addopen(&fa, 0, in, O_RDONLY, 0);
    if (out)
        posix_spawn_file_actions_addopen(&fa, 1, out,
                                         O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid;
    int status = 0;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

static char *temp_file(void)
{
    char *t = strdup("/tmp/bt_path_io_XXXXXX");
    cr_assert_not_null(t);
    int fd = mkstemp(t);
    cr_assert(fd >= 0, "mkstemp: %s", strerror(errno));
    close(fd);
    return t;
}

/*
 * The real interpreter behind `python3` (a shim like pyenv's cannot start
 * in a deleted directory nor, under /root, as another user).
 */
static char *find_python(void)
{
    char *out = temp_file();
    char *argv[] = {"python3", "-I", "-c",
                    "import sys; sys.stdout.write(sys.executable)", NULL};
    int rc = run(argv, NULL, out);
    char *exe = rc == 0 ? slurp(out) : NULL;
    unlink(out);
    free(out);
    cr_assert(exe && exe[0] == '/', "cannot run python3 (the oracle)");
    return exe;
}

/* The oracle: requests in, one answer line per request out. */
typedef struct oracle {
    char *python;
    char *script;
    bt_buf requests;
    size_t count;
} oracle;

static void oracle_init(oracle *o)
{
    o->python = find_python();
    o->script = slurp(BT_TEST_SOURCE_ROOT "/tests/path/fs_oracle.py");
    bt_buf_init(&o->requests);
    o->count = 0;
}

static void oracle_fini(oracle *o)
{
    free(o->python);
    free(o->script);
    bt_buf_fini(&o->requests);
}

static void ask(oracle *o, const char *fn, const char *a, const char *b)
{
    cr_assert_eq(bt_buf_append_str(&o->requests, fn), 0);
    const char *args[] = {a, b};
    for (size_t k = 0; k < 2 && args[k]; k++) {
        cr_assert_eq(bt_buf_append_byte(&o->requests, '\t'), 0);
        hex_append(&o->requests, args[k], strlen(args[k]));
    }
    cr_assert_eq(bt_buf_append_byte(&o->requests, '\n'), 0);
    o->count++;
}

/* Python's answers, one string per request (the caller frees the array
 * and its first item, which holds them all). */
static char **python_answers(oracle *o)
{
    char *in = temp_file(), *out = temp_file();
    FILE *f = fopen(in, "wb");
    cr_assert_not_null(f);
    fwrite(o->requests.data, 1, o->requests.len, f);
    fclose(f);
    char *argv[] = {o->python, "-I", "-c", o->script, NULL};
    int rc = run(argv, in, out);
    cr_assert_eq(rc, 0, "%s failed on the requests (status %d)", o->python, rc);
    char *text = slurp(out);
    unlink(in);
    unlink(out);
    free(in);
    free(out);
    char **lines = calloc(o->count + 1, sizeof *lines);
    cr_assert_not_null(lines);
    char *p = text;
    for (size_t i = 0; i < o->count; i++) {
        char *nl = strchr(p, '\n');
        cr_assert_not_null(nl, "python answered %zu of %zu requests", i,
                           o->count);
        *nl = '\0';
        lines[i] = p;
        p = nl + 1;
    }
    if (o->count == 0)
        free(text);
    return lines;
}

/* ---------------------------------------------------- the library's side */

static void put_err(bt_buf *line, int rc, const bt_err *err)
{
    cr_assert_eq(err->code, rc, "err.code %d for rc %d", err->code, rc);
    cr_assert_eq(bt_buf_printf(line, "err\t%s\t", bt_errname(rc)), 0);
    hex_append(line, err->msg, strlen(err->msg));
}

static void put_path(bt_buf *line, int rc, const bt_buf *res, const bt_err *err)
{
    if (rc < 0)
        return put_err(line, rc, err);
    cr_assert_eq(rc, 0);
    cr_assert_eq(bt_buf_append_str(line, "ok\t"), 0);
    hex_append(line, res->data, res->len);
}

static void put_int(bt_buf *line, int rc, int64_t v, const bt_err *err)
{
    if (rc < 0)
        return put_err(line, rc, err);
    cr_assert_eq(bt_buf_printf(line, "ok\t%" PRId64, v), 0);
}

static void put_double(bt_buf *line, int rc, double d, const bt_err *err)
{
    if (rc < 0)
        return put_err(line, rc, err);
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    cr_assert_eq(bt_buf_printf(line, "ok\t%016" PRIx64, bits), 0);
}

static int open_fd(const char *p)
{
    char *end;
    long v = strtol(p, &end, 10);
    if (*p && !*end)
        return (int)v;
    return open(p, O_RDONLY | O_CLOEXEC);
}

/* The library's answer to one request, in fs_oracle.py's format. */
static void answer(bt_buf *line, const char *fn, const char *a, const char *b)
{
    bt_buf res = BT_BUF_INIT;
    bt_err err = BT_ERR_INIT;
    int rc;
    int64_t i64 = 0;
    double d = 0;
    if (strcmp(fn, "realpath") == 0 || strcmp(fn, "realpath_strict") == 0) {
        rc = bt_path_realpath(a, fn[8] == '_', &res, &err);
        put_path(line, rc, &res, &err);
    } else if (strcmp(fn, "abspath") == 0) {
        put_path(line, bt_path_abspath(a, &res, &err), &res, &err);
    } else if (strcmp(fn, "relpath") == 0) {
        put_path(line, bt_path_relpath(a, b, &res, &err), &res, &err);
    } else if (strcmp(fn, "expanduser") == 0) {
        put_path(line, bt_path_expanduser(a, &res), &res, &err);
    } else if (strcmp(fn, "exists") == 0) {
        put_int(line, 0, bt_path_exists(a), &err);
    } else if (strcmp(fn, "lexists") == 0) {
        put_int(line, 0, bt_path_lexists(a), &err);
    } else if (strcmp(fn, "isfile") == 0) {
        put_int(line, 0, bt_path_isfile(a), &err);
    } else if (strcmp(fn, "isdir") == 0) {
        put_int(line, 0, bt_path_isdir(a), &err);
    } else if (strcmp(fn, "islink") == 0) {
        put_int(line, 0, bt_path_islink(a), &err);
    } else if (strcmp(fn, "ismount") == 0) {
        rc = bt_path_ismount(a, &err);
        put_int(line, rc, rc, &err);
    } else if (strcmp(fn, "getsize") == 0) {
        rc = bt_path_getsize(a, &i64, &err);
        put_int(line, rc, i64, &err);
    } else if (strcmp(fn, "getmtime") == 0) {
        rc = bt_path_getmtime(a, &d, &err);
        put_double(line, rc, d, &err);
    } else if (strcmp(fn, "getatime") == 0) {
        rc = bt_path_getatime(a, &d, &err);
        put_double(line, rc, d, &err);
    } else if (strcmp(fn, "getctime") == 0) {
        rc = bt_path_getctime(a, &d, &err);
        put_double(line, rc, d, &err);
    } else if (strcmp(fn, "getmtime_ns") == 0) {
        rc = bt_path_getmtime_ns(a, &i64, &err);
        put_int(line, rc, i64, &err);
    } else if (strcmp(fn, "getatime_ns") == 0) {
        rc = bt_path_getatime_ns(a, &i64, &err);
        put_int(line, rc, i64, &err);
    } else if (strcmp(fn, "getctime_ns") == 0) {
        rc = bt_path_getctime_ns(a, &i64, &err);
        put_int(line, rc, i64, &err);
    } else if (strcmp(fn, "samefile") == 0) {
        rc = bt_path_samefile(a, b, &err);
        put_int(line, rc, rc, &err);
    } else if (strcmp(fn, "sameopenfile") == 0) {
        int fa = open_fd(a), fb = open_fd(b);
        rc = bt_path_sameopenfile(fa, fb, &err);
        put_int(line, rc, rc, &err);
        if (fa > 2)
            close(fa);
        if (fb > 2)
            close(fb);
    } else {
        cr_assert_fail("unknown function %s", fn);
    }
    bt_buf_fini(&res);
}

/* Asks the library every request and compares with Python's answers.
 * Returns how many answers were Python errors whose class is exc (NULL:
 * any error). */
static size_t compare_all(oracle *o, const char *exc)
{
    char **want = python_answers(o);
    char *reqs = strdup(o->requests.data ? o->requests.data : "");
    cr_assert_not_null(reqs);
    char *save = NULL;
    size_t i = 0, errors = 0;
    for (char *req = strtok_r(reqs, "\n", &save); req;
         req = strtok_r(NULL, "\n", &save), i++) {
        char *fields[3] = {NULL, NULL, NULL};
        char *p = req;
        for (int k = 0; k < 3 && p; k++) {
            fields[k] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        char *a = fields[1] ? bt_test_unhex(fields[1], &(size_t){0}) : NULL;
        char *b = fields[2] ? bt_test_unhex(fields[2], &(size_t){0}) : NULL;
        bt_buf line = BT_BUF_INIT;
        answer(&line, fields[0], a, b);
        cr_assert_str_eq(line.data, want[i],
                         "%s('%s'%s%s%s):\n  python: %s\n  ours:   %s",
                         fields[0], a, b ? ", '" : "", b ? b : "", b ? "'" : "",
                         want[i], line.data);
        if (strncmp(want[i], "err\t", 4) == 0 &&
            (!exc || strncmp(want[i] + 4, exc, strlen(exc)) == 0))
            errors++;
        bt_buf_fini(&line);
        free(a);
        free(b);
    }
    cr_assert_eq(i, o->count);
    if (o->count)
        free(want[0]);
    free(want);
    free(reqs);
    return errors;
}

/* ---------------------------------------------------------- the fixture */

/* The fixture's root (removed afterwards) and, four levels below it, the
 * directory the tests work in: ".." chains then stay inside the fixture,
 * away from /tmp's changing times. */
static char top[64];
static char tree[128];

static void make_file(const char *name, const char *content, time_t sec,
                      long nsec)
{
    FILE *f = fopen(name, "wb");
    cr_assert_not_null(f, "create %s: %s", name, strerror(errno));
    fputs(content, f);
    fclose(f);
    if (sec || nsec) {
        struct timespec t[2] = {{sec, nsec}, {sec, nsec}};
        cr_assert_eq(utimensat(AT_FDCWD, name, t, 0), 0, "utimensat %s", name);
    }
}

static void make_link(const char *target, const char *name)
{
    cr_assert_eq(symlink(target, name), 0, "symlink %s -> %s: %s", name, target,
                 strerror(errno));
}

/* A fresh directory tree in /tmp; its deepest directory is made current. */
static void enter_tree(void)
{
    strcpy(top, "/tmp/bt_path_fs_XXXXXX");
    cr_assert_not_null(mkdtemp(top), "mkdtemp: %s", strerror(errno));
    cr_assert_eq(chmod(top, 0755), 0);
    snprintf(tree, sizeof tree, "%s/a", top);
    for (int level = 0; level < 4; level++) {
        cr_assert_eq(mkdir(tree, 0755), 0, "mkdir %s: %s", tree,
                     strerror(errno));
        strcat(tree, level < 3 ? "/a" : "");
    }
    cr_assert_eq(chdir(tree), 0);
}

static void remove_tree(void)
{
    char *argv[] = {"rm", "-rf", top, NULL};
    if (chdir("/") == 0 && top[0])
        run(argv, NULL, NULL);
}

static void build_tree(void)
{
    enter_tree();
    char path[PATH_MAX];
    make_file("file", "hello", 1700000000, 123456789);
    make_file("empty", "", 0, 1);
    make_file("old", "x", -1, 500000000);
    make_file("far", "far future", (time_t)1 << 33, 999999999);
    make_file("odd", "y", 1234567890, 100);
    cr_assert_eq(mkdir("dir", 0755), 0);
    cr_assert_eq(mkdir("dir/sub", 0755), 0);
    make_file("dir/sub/f", "sub file", 1000000000, 999999999);
    cr_assert_eq(mkdir("\xc3\xa9t\xc3\xa9", 0755), 0);
    cr_assert_eq(mkdir("a b", 0755), 0);
    make_file("\xff\xfe", "not utf-8", 0, 0);
    cr_assert_eq(mkfifo("fifo", 0644), 0);
    make_link("file", "link_file");
    make_link("dir", "link_dir");
    snprintf(path, sizeof path, "%s/dir/sub", tree);
    make_link(path, "link_abs");
    snprintf(path, sizeof path, "/%s/dir/", tree);
    make_link(path, "link_dslash");
    make_link("nowhere", "dangling");
    make_link("missing/deeper", "dangling_dir");
    make_link("loop2", "loop1");
    make_link("loop1", "loop2");
    make_link("self", "self");
    make_link("self/x", "selfx");
    make_link("chain2", "chain1");
    make_link("chain3", "chain2");
    make_link("file", "chain3");
    make_link(".", "dotlink");
    make_link("..", "uplink");
    make_link("../../file", "dir/sub/back");
    make_link("../sub/uploop", "dir/sub/uploop");
    make_link("link_dir/sub", "rel_to_link");
    make_link("dir/", "trailing");
    make_link("file/x", "through_file");
    make_link("\xc3\xa9t\xc3\xa9", "\xc3\xbc_link");
    make_link("/dev/null", "devnull");
    make_link("../dir/loopB", "dir/loopA");
    make_link("loopA", "dir/loopB");
    make_link("loop1/a", "into_loop");
    make_link("dir//sub/./f", "messy");
    /* 50 links in a row: more than the kernel follows (40), which Python's
     * component-by-component walk does not mind. */
    for (int i = 0; i < 50; i++) {
        char name[16], target[16];
        snprintf(name, sizeof name, "c%d", i);
        snprintf(target, sizeof target, i == 49 ? "file" : "c%d", i + 1);
        make_link(target, name);
    }
}

static const char *names[] = {
    "",
    ".",
    "..",
    "/",
    "file",
    "empty",
    "old",
    "far",
    "odd",
    "dir",
    "dir/sub",
    "dir/sub/f",
    "\xc3\xa9t\xc3\xa9",
    "a b",
    "\xff\xfe",
    "fifo",
    "link_file",
    "link_dir",
    "link_abs",
    "link_dslash",
    "dangling",
    "dangling_dir",
    "loop1",
    "loop2",
    "self",
    "selfx",
    "chain1",
    "dotlink",
    "uplink",
    "dotlink/dotlink/dir",
    "uplink/uplink",
    "dir/sub/back",
    "dir/sub/uploop",
    "rel_to_link",
    "trailing",
    "through_file",
    "\xc3\xbc_link",
    "devnull",
    "dir/loopA",
    "into_loop",
    "messy",
    "c0",
    "c25",
    "missing",
    "missing/../file",
    "file/..",
    "loop1/x/../y",
    "./loop1/a",
    "dir/../link_dir/sub/../../file",
};
static const char *suffixes[] = {"", "/", "/.", "/..", "/x", "//x", "/../file"};
static const char *path_functions[] = {
    "realpath", "realpath_strict", "abspath",     "exists",
    "lexists",  "isfile",          "isdir",       "islink",
    "ismount",  "getsize",         "getmtime",    "getatime",
    "getctime", "getmtime_ns",     "getatime_ns", "getctime_ns",
};

static void ask_tree(oracle *o)
{
    char p[PATH_MAX];
    for (size_t i = 0; i < COUNTOF(names); i++) {
        for (size_t s = 0; s < COUNTOF(suffixes); s++) {
            snprintf(p, sizeof p, "%s%s", names[i], suffixes[s]);
            for (size_t f = 0; f < COUNTOF(path_functions); f++)
                ask(o, path_functions[f], p, NULL);
            ask(o, "relpath", p, NULL);
            ask(o, "relpath", p, "dir/sub");
            ask(o, "relpath", p, "link_dir/../");
        }
        /* The same through the tree's absolute path, after one, two and
         * three slashes. */
        if (names[i][0] && names[i][0] != '/') {
            for (int k = 0; k < 3; k++) {
                snprintf(p, sizeof p, "%.*s%s/%s", k, "//", tree, names[i]);
                ask(o, "realpath", p, NULL);
                ask(o, "realpath_strict", p, NULL);
                ask(o, "abspath", p, NULL);
                ask(o, "isdir", p, NULL);
                ask(o, "relpath", p, NULL);
                ask(o, "relpath", p, tree);
            }
        }
    }
}

/* ---------------------------------------------------------------- tests */

Test(path_fs, tree_against_cpython)
{
    build_tree();
    oracle o;
    oracle_init(&o);
    ask_tree(&o);
    static const char *pairs[][2] = {
        {"file", "link_file"},    {"file", "chain1"},      {"dir", "link_dir"},
        {"file", "empty"},        {"file", "missing"},     {"missing", "file"},
        {"dir/sub/back", "file"}, {"dir/sub", "link_abs"}, {"loop1", "file"},
        {".", "dotlink"},         {"c0", "file"},          {"fifo", "fifo"},
    };
    for (size_t i = 0; i < COUNTOF(pairs); i++)
        ask(&o, "samefile", pairs[i][0], pairs[i][1]);
    static const char *fds[][2] = {
        {"file", "link_file"}, {"file", "empty"},  {"dir", "link_dir"},
        {"-1", "0"},           {"file", "987654"},
    };
    for (size_t i = 0; i < COUNTOF(fds); i++)
        ask(&o, "sameopenfile", fds[i][0], fds[i][1]);
    size_t errors = compare_all(&o, NULL);
    cr_assert_gt(o.count, 3000);
    cr_assert_gt(errors, 50, "the tree should give Python errors to compare");
    oracle_fini(&o);
    remove_tree();
}

Test(path_fs, deleted_working_directory)
{
    oracle o;
    oracle_init(&o);
    enter_tree();
    cr_assert_eq(rmdir(tree), 0);
    static const char *ps[] = {"x", "", ".", "/abs/../x", "/proc/../x"};
    for (size_t i = 0; i < COUNTOF(ps); i++) {
        ask(&o, "abspath", ps[i], NULL);
        ask(&o, "realpath", ps[i], NULL);
        ask(&o, "realpath_strict", ps[i], NULL);
        ask(&o, "relpath", ps[i], NULL);
        ask(&o, "relpath", ps[i], "/abs");
        ask(&o, "ismount", ps[i], NULL);
    }
    size_t errors = compare_all(&o, "FileNotFoundError");
    cr_assert_gt(errors, 10, "getcwd must fail in a deleted directory");
    oracle_fini(&o);
    remove_tree();
}

Test(path_fs, expanduser_without_home)
{
    /* No HOME: the user database says where ~ is. */
    cr_assert_eq(unsetenv("HOME"), 0);
    oracle o;
    oracle_init(&o);
    static const char *ps[] = {"~", "~/", "~/x", "~root", "~/x/../y", "~~"};
    for (size_t i = 0; i < COUNTOF(ps); i++)
        ask(&o, "expanduser", ps[i], NULL);
    compare_all(&o, NULL);
    oracle_fini(&o);
    /* And HOME set but empty. */
    cr_assert_eq(setenv("HOME", "", 1), 0);
    oracle_init(&o);
    for (size_t i = 0; i < COUNTOF(ps); i++)
        ask(&o, "expanduser", ps[i], NULL);
    compare_all(&o, NULL);
    oracle_fini(&o);
}

Test(path_fs, mount_points)
{
    oracle o;
    oracle_init(&o);
    static const char *ps[] = {"/",
                               "//",
                               "/..",
                               "/proc",
                               "/proc/",
                               "/sys",
                               "/dev",
                               "/dev/shm",
                               "/tmp",
                               "/etc",
                               "/etc/hostname",
                               "/nonexistent",
                               "/proc/self",
                               "/proc/self/root",
                               ".",
                               ""};
    for (size_t i = 0; i < COUNTOF(ps); i++)
        ask(&o, "ismount", ps[i], NULL);
    compare_all(&o, NULL);
    oracle_fini(&o);
    cr_assert_eq(bt_path_ismount("/", NULL), 1);
}

/*
 * Tests run as root, for whom no permission is ever denied: drop to nobody
 * (in this forked test process only) so that EACCES happens for real.
 */
static void drop_root(void)
{
    if (geteuid() != 0)
        return;
    if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
        cr_skip_test("running as root and cannot become nobody (%s): "
                     "permission errors cannot be produced",
                     strerror(errno));
    /* A changed uid makes the process undumpable, which would keep
     * LeakSanitizer from inspecting it at exit. */
    prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
}

/* An interpreter nobody can run: the real one, else the system's 3.11. */
static void python_for_nobody(oracle *o)
{
    if (access(o->python, X_OK) == 0)
        return;
    char *argv[] = {"/usr/bin/python3", "-I", "-c",
                    "import sys; sys.exit(sys.version_info[:2] != (3, 11))",
                    NULL};
    if (run(argv, NULL, NULL) != 0)
        cr_skip_test("no CPython 3.11 that user nobody may run (%s is not): "
                     "permission errors not compared",
                     o->python);
    free(o->python);
    o->python = strdup("/usr/bin/python3");
}

Test(path_fs, permission_denied)
{
    oracle o;
    oracle_init(&o);
    drop_root();
    python_for_nobody(&o);
    enter_tree();
    make_file("file", "hello", 0, 0);
    cr_assert_eq(mkdir("closed", 0755), 0);
    make_file("closed/f", "inside", 0, 0);
    make_link("f", "closed/link");
    make_link("../file", "closed/up");
    cr_assert_eq(mkdir("readonly", 0755), 0);
    make_file("readonly/f", "x", 0, 0);
    make_link("closed/link", "via_closed");
    cr_assert_eq(chmod("closed", 0), 0);
    cr_assert_eq(chmod("readonly", 0444), 0); /* listable, not searchable */
    static const char *ps[] = {"closed",     "closed/f",       "closed/link",
                               "closed/up",  "closed/../file", "closed/missing",
                               "readonly",   "readonly/f",     "readonly/..",
                               "via_closed", "via_closed/x",   "file"};
    for (size_t i = 0; i < COUNTOF(ps); i++) {
        for (size_t f = 0; f < COUNTOF(path_functions); f++)
            ask(&o, path_functions[f], ps[i], NULL);
        ask(&o, "samefile", ps[i], "file");
    }
    size_t denied = compare_all(&o, "PermissionError");
    cr_assert_gt(denied, 10, "expected permission errors from Python too");
    chmod("closed", 0755);
    chmod("readonly", 0755);
    oracle_fini(&o);
    remove_tree();
}

Test(path_fs, messages)
{
    enter_tree();
    bt_err err = BT_ERR_INIT;
    int64_t size = -1;
    cr_assert_eq(bt_path_getsize("missing", &size, &err), BT_ENOENT);
    cr_assert_str_eq(err.msg, "[Errno 2] No such file or directory: 'missing'");
    cr_assert_eq(size, -1);
    make_link("l2", "l1");
    make_link("l1", "l2");
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_realpath("l1/x", true, &out, &err), BT_ELOOP);
    cr_assert_str_eq(err.msg,
                     "[Errno 40] Too many levels of symbolic links: 'l1'");
    cr_assert_eq(out.len, 0);
    /* Without strict, the loop stays in the answer. */
    cr_assert_eq(bt_path_realpath("l1/x", false, &out, &err), 0);
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/l1/x", tree);
    cr_assert_str_eq(out.data, want);
    cr_assert_eq(bt_path_samefile("l1", ".", &err), BT_ELOOP);
    cr_assert_eq(bt_path_sameopenfile(-1, 0, &err), BT_EBADF);
    cr_assert_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    double t;
    cr_assert_eq(bt_path_getmtime("", &t, NULL), BT_ENOENT);
    int64_t ns;
    cr_assert_eq(bt_path_getctime_ns("nope", &ns, &err), BT_ENOENT);
    cr_assert_eq(bt_path_getatime("nope/", &t, &err), BT_ENOENT);
    cr_assert_eq(bt_path_getctime("nope", &t, &err), BT_ENOENT);
    cr_assert_eq(bt_path_getmtime_ns("nope", &ns, &err), BT_ENOENT);
    cr_assert_eq(bt_path_getatime_ns("nope", &ns, &err), BT_ENOENT);
    cr_assert_not(bt_path_exists("l1"));
    cr_assert(bt_path_lexists("l1"));
    cr_assert(bt_path_islink("l1"));
    cr_assert_not(bt_path_isfile("l1"));
    cr_assert_not(bt_path_isdir("l1"));
    struct stat a, b;
    cr_assert_eq(stat(".", &a), 0);
    cr_assert_eq(stat(tree, &b), 0);
    cr_assert(bt_path_samestat(&a, &b));
    cr_assert_eq(stat("/", &b), 0);
    cr_assert_not(bt_path_samestat(&a, &b));
    bt_buf_fini(&out);
    remove_tree();
}

Test(path_fs, long_link_chain)
{
    /* Python 3.11 recurses once per link and hits its recursion limit near
     * 1000 nested links; the library walks any chain with its own stack. */
    enter_tree();
    make_file("end", "", 0, 0);
    char name[32], target[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "n%d", i);
        snprintf(target, sizeof target, i == 2999 ? "end" : "n%d/.", i + 1);
        make_link(target, name);
    }
    bt_buf out = BT_BUF_INIT;
    cr_assert_eq(bt_path_realpath("n0", true, &out, NULL), 0);
    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/end", tree);
    cr_assert_str_eq(out.data, want);
    bt_buf_fini(&out);
    remove_tree();
}

/* --------------------------------------------------- allocation failure */

static int scenario_fs(void *arg)
{
    (void)arg;
    bt_buf out = BT_BUF_INIT;
    int rc = bt_path_realpath("chain1", true, &out, NULL);
    if (rc == 0) {
        bt_buf_fini(&out);
        rc = bt_path_realpath("dir/sub/back/../dir/loopA/x", false, &out, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&out);
        rc = bt_path_realpath("c0/../loop1", false, &out, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&out);
        rc = bt_path_realpath("uplink/uplink/x", false, &out, NULL);
    }
    if (rc == 0) {
        bt_buf_fini(&out);
        int r = bt_path_realpath("loop1", true, &out, NULL);
        rc = r == BT_ELOOP ? 0 : r;
    }
    if (rc == 0) {
        bt_buf_fini(&out);
        rc = bt_path_abspath("dir/../x", &out, NULL);
    }
    if (rc == 0) {
        int m = bt_path_ismount("dir", NULL);
        rc = m < 0 ? m : 0;
    }
    bt_buf_fini(&out);
    return rc;
}

Test(path_fs, allocation_failures)
{
    build_tree();
    cr_assert_gt(bt_test_allocfail(scenario_fs, NULL), 20);
    remove_tree();
}
