/*
 * whereis — the notes' exercise: find every copy of a program by walking
 * the directories of PATH (shutil.which stops at the first one).
 *
 *   def whereis(program):
 *       for d in os.environ['PATH'].split(':'):
 *           p = os.path.join(d, program)
 *           if os.path.isfile(p) and os.access(p, os.X_OK): print(p)
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <batteries/os.h>
#include <batteries/path.h>
#include <batteries/shutil.h>

static int whereis(const char *program)
{
    bt_buf value = BT_BUF_INIT;
    if (bt_os_getenv("PATH", &value) <= 0 || !value.data) {
        bt_buf_fini(&value);
        return 0;
    }
    char *path = value.data;
    int found = 0;
    bt_buf full = BT_BUF_INIT;
    for (char *dir = path, *next; dir; dir = next) {
        next = strchr(dir, ':');
        if (next)
            *next++ = '\0';
        const char *parts[2] = {*dir ? dir : ".", program};
        bt_buf_clear(&full);
        if (bt_path_join(parts, 2, &full) == 0 && bt_path_isfile(full.data) &&
            access(full.data, X_OK) == 0) {
            printf("  %s\n", full.data);
            found++;
        }
    }
    bt_buf_fini(&full);
    bt_buf_fini(&value);
    return found;
}

int main(int argc, char **argv)
{
    const char *defaults[] = {"sh", "python3", "no-such-program", NULL};
    const char **programs = argc > 1 ? (const char **)argv + 1 : defaults;
    for (size_t i = 0; programs[i]; i++) {
        printf("whereis(%s):\n", programs[i]);
        if (whereis(programs[i]) == 0)
            printf("  (nowhere on PATH)\n");
        bt_buf first = BT_BUF_INIT;
        if (bt_shutil_which(programs[i], 0, NULL, &first) == 1)
            printf("  shutil.which -> %s\n", first.data);
        bt_buf_fini(&first);
    }
    return 0;
}
