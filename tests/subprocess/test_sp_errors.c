/*
 * test_sp_errors.c — every way a child can fail to start, compared live
 * with the exception CPython's Popen raises for the same case in the same
 * fixture directory: the class and str(exc), file name included. The
 * failed child is reaped (no zombie) and nothing is left open.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <batteries/subprocess.h>

#include "sp_test.h"

/* One case: program args (NUL-separated in one string), cwd, executable,
 * shell, PATH for env ("" = inherit the environment). */
struct spawn_case {
    const char *args; /* fields separated by '|' */
    const char *cwd;
    const char *executable;
    bool shell;
    const char *path;
};

static const struct spawn_case cases[] = {
    {"nosuchprog", "", "", false, ""},
    {"nosuchprog|arg", "", "", false, ""},
    {"./data.txt", "@", "", false, ""},
    {"./garbage", "@", "", false, ""},
    {"./adir", "@", "", false, ""},
    {"@/nosuch/prog", "", "", false, ""},
    {"@/data.txt/x", "", "", false, ""},
    {"true", "/nonexistent_dir_xyz", "", false, ""},
    {"true", "@/data.txt", "", false, ""},
    {"true", "@/locked", "", false, ""},
    {"true", "", "nosuchexe", false, ""},
    {"true", "", "@/data.txt", false, ""},
    {"echo hi", "", "/no/such/sh", true, ""},
    {"data.txt", "", "", false, "@"},
    {"data.txt", "", "", false, "/nonexistent:@:/bin"},
    {"garbage", "", "", false, "@"},
    {"", "", "", false, ""},
    {"@/dangling", "", "", false, ""},
    {"@/loop", "", "", false, ""},
};

#define NCASES (sizeof cases / sizeof cases[0])

static const char py_script[] =
    "import os, subprocess, sys\n"
    "fix = sys.argv[1]\n"
    "for spec in sys.argv[2:]:\n"
    "    args, cwd, exe, shell, path = [x.replace('@', fix) for x in spec.split('\\x1f')]\n"
    "    args = args.split('|')\n"
    "    kw = dict(cwd=cwd or None, executable=exe or None, shell=shell == '1')\n"
    "    if path:\n"
    "        kw['env'] = dict(os.environ, PATH=path)\n"
    "    try:\n"
    "        subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)\n"
    "        print('ok')\n"
    "    except OSError as e:\n"
    "        print('%s: %s' % (type(e).__name__, e))\n";

static char *subst(const char *s, const char *fix)
{
    size_t n = strlen(s) + 1;
    for (const char *c = s; *c; c++)
        n += *c == '@' ? strlen(fix) : 0;
    char *out = malloc(n), *o = out;
    for (const char *c = s; *c; c++) {
        if (*c == '@') {
            strcpy(o, fix);
            o += strlen(fix);
        } else
            *o++ = *c;
    }
    *o = '\0';
    return out;
}

Test(subprocess_errors, every_spawn_error_as_cpython)
{
    /* (As root the locked directory's mode is ignored: both sides agree.) */
    char fix[64];
    sp_mkdtemp(fix);
    char p[256];
    snprintf(p, sizeof p, "%s/data.txt", fix);
    FILE *f = fopen(p, "w");
    fputs("not a program\n", f);
    fclose(f);
    snprintf(p, sizeof p, "%s/garbage", fix);
    f = fopen(p, "w");
    fputs("\x01\x02\x03 no shebang, not ELF\n", f);
    fclose(f);
    chmod(p, 0755);
    snprintf(p, sizeof p, "%s/adir", fix);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/locked", fix);
    mkdir(p, 0);
    snprintf(p, sizeof p, "%s/dangling", fix);
    symlink("nowhere", p);
    snprintf(p, sizeof p, "%s/loop", fix);
    symlink("loop", p);

    const char *py_args[NCASES + 2];
    char *specs[NCASES];
    py_args[0] = fix;
    for (size_t i = 0; i < NCASES; i++) {
        const struct spawn_case *c = &cases[i];
        cr_assert_geq(asprintf(&specs[i], "%s\x1f%s\x1f%s\x1f%s\x1f%s", c->args, c->cwd,
                               c->executable, c->shell ? "1" : "0", c->path),
                      0);
        py_args[i + 1] = specs[i];
    }
    py_args[NCASES + 1] = NULL;
    char *py = sp_python(py_script, py_args, NULL);
    char *line = py;

    for (size_t i = 0; i < NCASES; i++) {
        const struct spawn_case *c = &cases[i];
        char *args_s = subst(c->args, fix);
        const char *argv[8];
        size_t n = 0;
        for (char *tok = args_s;; n++) {
            argv[n] = tok;
            char *bar = strchr(tok, '|');
            if (!bar) {
                n++;
                break;
            }
            *bar = '\0';
            tok = bar + 1;
        }
        argv[n] = NULL;
        char *cwd = c->cwd[0] ? subst(c->cwd, fix) : NULL;
        char *exe = c->executable[0] ? subst(c->executable, fix) : NULL;
        char *path = NULL;
        bt_os_env *env = NULL;
        bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
        if (c->path[0]) {
            char *v = subst(c->path, fix);
            cr_assert_geq(asprintf(&path, "PATH=%s", v), 0);
            free(v);
            const char *ch[] = {path, NULL};
            cr_assert_eq(bt_subprocess_environ_with(ch, &env, NULL), 0);
            o.env = bt_os_env_envp(env);
        }
        o.cwd = cwd;
        o.executable = exe;
        o.shell = c->shell;
        o.out = o.err = BT_SUBPROCESS_DEVNULL;
        bt_subprocess_completed r;
        bt_err err = BT_ERR_INIT;
        int rc = bt_subprocess_run(argv, &o, &r, &err);
        char mine[1024];
        if (rc == 0)
            snprintf(mine, sizeof mine, "ok");
        else
            snprintf(mine, sizeof mine, "%s: %s", bt_errname(rc), err.msg);
        char *nl = strchr(line, '\n');
        cr_assert_not_null(nl);
        *nl = '\0';
        cr_expect_str_eq(mine, line, "case %zu (%s)", i, c->args);
        line = nl + 1;
        bt_subprocess_completed_fini(&r);
        bt_os_env_free(env);
        free(path);
        free(cwd);
        free(exe);
        free(args_s);
        free(specs[i]);
        sp_no_zombie();
    }
    free(py);
    snprintf(p, sizeof p, "rm -rf '%s'", fix);
    chmod(fix, 0755);
    cr_assert_eq(system(p), 0);
}

/* After many failed spawns nothing stays open: the error pipe, the pipes
 * made for the streams and /dev/null are all closed. */
Test(subprocess_errors, failed_spawns_leak_nothing)
{
    int before = open("/dev/null", O_RDONLY | O_CLOEXEC);
    close(before);
    bt_subprocess_opts o = BT_SUBPROCESS_OPTS_INIT;
    o.in = BT_SUBPROCESS_PIPE;
    o.out = BT_SUBPROCESS_PIPE;
    o.err = BT_SUBPROCESS_DEVNULL;
    const char *args[] = {"nosuchprog", NULL};
    for (int i = 0; i < 50; i++) {
        bt_popen *p;
        cr_assert_eq(bt_subprocess_popen(args, &o, &p, NULL), BT_ENOENT);
    }
    int after = open("/dev/null", O_RDONLY | O_CLOEXEC);
    cr_expect_eq(after, before, "lowest free descriptor moved: a leak");
    close(after);
    sp_no_zombie();
}
