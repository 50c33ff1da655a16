/*
 * plural.c — the rules of the notes' Bonus Lab, in their order:
 *   ends in s, x or z                     -> +es   (ax -> axes, loss -> losses)
 *   ends in h not after a vowel or d g k p r t -> +es   (match -> matches, moth -> moths)
 *   ends in y not after a vowel           -> y -> ies (baby -> babies, boy -> boys)
 *   anything else                         -> +s
 * Letters are compared without case; the suffix is lower case.
 */
#include <ctype.h>
#include <string.h>

#include "plural.h"

static bool is_vowel(int c)
{
    return c && strchr("aeiou", tolower(c)) != NULL;
}

int plural(const char *word, bt_buf *out)
{
    size_t n = strlen(word);
    int last = n ? tolower((unsigned char)word[n - 1]) : 0;
    int before = n > 1 ? tolower((unsigned char)word[n - 2]) : 0;
    if (last == 's' || last == 'x' || last == 'z')
        return bt_buf_printf(out, "%ses", word);
    if (last == 'h' && !is_vowel(before) && !(before && strchr("dgkprt", before)))
        return bt_buf_printf(out, "%ses", word);
    if (last == 'y' && !is_vowel(before))
        return bt_buf_printf(out, "%.*sies", (int)(n - 1), word);
    return bt_buf_printf(out, "%ss", word);
}
