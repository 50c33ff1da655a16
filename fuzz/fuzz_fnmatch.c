/*
 * fuzz_fnmatch.c — the first byte splits the input into a name and a
 * pattern. Checks, beyond "no crash": a name escaped with glob.escape
 * matches itself; a match survives a star added at either end; '*' matches
 * everything; the compiled and the one-shot paths agree (filter vs
 * fnmatchcase).
 */
#include <batteries/glob.h>

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* A NUL-terminated copy of p[0..n), cut at the first NUL (names and
 * patterns are C strings). The input is not NUL-terminated: no strndup. */
static char *cstr(const uint8_t *p, size_t n)
{
    const uint8_t *nul = memchr(p, 0, n);
    if (nul)
        n = (size_t)(nul - p);
    char *s = malloc(n + 1);
    CHECK(s);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 512)
        return 0;
    size_t cut = data[0] % size; /* the name is data[1..cut) */
    if (cut == 0)
        cut = 1;
    char *name = cstr(data + 1, cut - 1);
    char *pat = cstr(data + cut, size - cut);
    bool m = bt_fnmatch_fnmatchcase(name, pat);
    CHECK(m == bt_fnmatch_fnmatch(name, pat));
    CHECK(bt_fnmatch_fnmatchcase(name, "*"));

    size_t plen = strlen(pat);
    char *wide = malloc(plen + 3);
    CHECK(wide);
    wide[0] = '*';
    memcpy(wide + 1, pat, plen);
    wide[plen + 1] = '*';
    wide[plen + 2] = '\0';
    if (m) {
        CHECK(bt_fnmatch_fnmatchcase(name, wide));
        wide[plen + 1] = '\0';
        CHECK(bt_fnmatch_fnmatchcase(name, wide));
    }

    bt_buf esc = BT_BUF_INIT;
    CHECK(bt_glob_escape(name, &esc) == 0);
    CHECK(bt_fnmatch_fnmatchcase(name, esc.data ? esc.data : ""));
    CHECK(bt_glob_has_magic(pat) == (strpbrk(pat, "*?[") != NULL));

    bt_strvec names = BT_STRVEC_INIT, out = BT_STRVEC_INIT;
    CHECK(bt_strvec_append_str(&names, name) == 0);
    CHECK(bt_fnmatch_filter(&names, pat, &out) == 0);
    CHECK(out.count == (m ? 1u : 0u));

    bt_strvec_fini(&names);
    bt_strvec_fini(&out);
    bt_buf_fini(&esc);
    free(wide);
    free(name);
    free(pat);
    return 0;
}
