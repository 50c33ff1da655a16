/*
 * tour — `make run`: plays every example in order, each under a header line,
 * and fails if one fails. Each module issue adds its examples to the table.
 */
#include <limits.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct example {
    const char *name;
    const char *what;
    const char *args[8];
};

static const struct example examples[] = {
    {"sys_argv", "sys.argv, printed as Python prints the list", {"hello", "w\xc3\xb6rld", "it's"}},
    {"decode", "bytes.decode('utf-8') and UnicodeDecodeError", {NULL}},
    {"struct_pack", "struct.pack('hh', 1, 2) and back", {NULL}},
    {"struct_message", "length-prefixed messages with struct '!I'", {NULL}},
    {"hashlib_password", "salted pbkdf2_hmac and compare_digest instead of md5 ==", {NULL}},
    {"hashlib_file", "sha256sum-style checksum with file_digest", {NULL}},
    {"time_tour", "perf_counter around sleep, asctime, strftime, the zone", {NULL}},
    {"convert_date", "the convert_date lab: epoch seconds to readable dates", {"0", "1700000000"}},
    {"os_tour", "os.system, getcwd, exists/isfile/isdir, mkdir, listdir, stat, walk as in the notes", {NULL}},
    {"user_dirs", "the notes' loop: 1000 user_dirN directories in demos/, then removed", {NULL}},
    {"whereis", "whereis(program) by walking PATH, beside shutil.which", {NULL}},
    {"getopt_demo", "the notes' two getopt examples (short and long options)", {NULL}},
    {"argparse_integers", "the notes' \"process some integers\" (--sum vs max)", {"--sum", "1", "2", "3"}},
    {"argparse_notes", "the notes' -a/-b/-c/--version parser, then its --help", {NULL}},
    {"argparse_notes", "the same parser on -a -b happy -c 3 --version", {"-a", "-b", "happy", "-c", "3", "--version"}},
    {"threading_sleepers", "the notes' sleepers: 10 threads sleep and wake; exit waits for them (atexit(bt_threading_shutdown))", {"0.2"}},
    {"threading_total", "the threaded total server: a lock-protected sum over socketpairs, joined via enumerate", {"17", "25"}},
    {"threading_factorial", "the notes' factorial workers: current_thread().name, a full n! per thread, join", {"0.2"}},
    {"queue_workers", "the notes' worker pool: 100 \"Record #i\" in a Queue, 10 workers get(timeout) until Empty", {"0.01", "0.3"}},
    {"futures_threadpool", "the notes' ThreadPoolExecutor: submit + result, as_completed (short sleeps first), map in order", {"0.02"}},
    {"futures_processpool", "the notes' ProcessPoolExecutor: map a CPU-bound prime count over worker processes, submit one more", {"100000"}},
    {"multiprocessing_hello", "the notes' process workers: 10 processes say hello from MainThread with their own pid, joined", {"0.2"}},
    {"multiprocessing_queue", "the notes' worker pool in processes: 100 \"Record #i\" in a multiprocessing Queue, 10 processes get(timeout) until Empty", {"0.01", "0.3"}},
    {"re_search", "re match/search and the spam:(?P<spam>...) groups, by number and name", {NULL}},
    {"re_sub_fn", "re.sub with a template and with a function: X:22 -> X:66", {NULL}},
    {"re_greedy", "greedy vs lazy <a href> matching", {NULL}},
    {"re_poem", "the poem's \"the\" -> \"---\" substitution", {NULL}},
    {"glob_tour", "glob n*, *e, ???, x* and ** as in the notes", {NULL}},
    {"shutil_tour", "shutil.copy, move, copytree with ignore_patterns, which, rmtree", {NULL}},
    {"path_tour", "os.path: join, split, splitext, normpath, relpath, commonpath, expanduser/expandvars, realpath, and Python's errors", {NULL}},
    {"signal_handlers", "the notes' SIGINT handler (\"no no no..\", Ctrl-C pressed by the program itself) and alarm (\"Wake up\")", {"1"}},
    {"socket_welcome", "the notes' server/client pair: \"Welcome to the server!\" / \"Bye bye\" over loopback", {NULL}},
    {"socket_lines", "line-based sockets: makefile('rw', 0) and readline, with and without a limit", {NULL}},
    {"socket_struct", "create_server/create_connection, '!I' numbers with struct, getpeername, a refused connection", {NULL}},
    {"socket_total", "the threaded total server over real sockets: a lock-protected sum, joined via enumerate", {"17", "25"}},
    {"socketserver_echo", "ThreadingTCPServer with a readline handler, serve_forever in a thread, shutdown", {NULL}},
    {"subprocess_tour", "the Popen object: pid, poll, send_signal, wait(timeout), kill, returncode, a missing program's error", {NULL}},
    {"subprocess_pipeline", "the notes' cat example.py | grep subprocess | cut -f1 -d= as three Popens", {NULL}},
    {"subprocess_getoutput", "subprocess.getoutput('date') and getstatusoutput", {NULL}},
    {"subprocess_run", "run(['grep', 'Python', 'hamlet.txt']) and run('cat poem.txt | grep wood', shell=True, capture_output=True)", {NULL}},
};

/* The examples sit next to the tour in the build tree. */
static void own_dir(char *dir, size_t cap)
{
    ssize_t n = readlink("/proc/self/exe", dir, cap - 1);
    if (n < 0) {
        snprintf(dir, cap, ".");
        return;
    }
    dir[n] = '\0';
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
}

int main(void)
{
    char dir[PATH_MAX];
    own_dir(dir, sizeof dir);
    int failed = 0;
    size_t count = sizeof examples / sizeof examples[0];
    for (size_t i = 0; i < count; i++) {
        const struct example *e = &examples[i];
        char path[PATH_MAX + 64];
        snprintf(path, sizeof path, "%s/%s", dir, e->name);
        char *argv[10] = {path};
        for (size_t k = 0; e->args[k] && k < 8; k++)
            argv[k + 1] = (char *)e->args[k];
        printf("==> [%zu/%zu] %s: %s\n", i + 1, count, e->name, e->what);
        fflush(stdout);
        pid_t pid;
        int status = 0;
        int rc = posix_spawn(&pid, path, NULL, NULL, argv, environ);
        if (rc == 0 && waitpid(pid, &status, 0) < 0)
            rc = 1;
        if (rc != 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            printf("!!! %s failed\n", e->name);
            failed++;
        }
        printf("\n");
    }
    printf("tour: %zu examples, %d failed\n", count, failed);
    return failed != 0;
}
