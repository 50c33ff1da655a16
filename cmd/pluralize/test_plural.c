/* The notes' rules as a table: their own examples first, then one case for
 * each branch of each rule (the expected plurals follow from the rules as
 * written, not from this program). */
#include <criterion/criterion.h>

#include "plural.h"

static const char *table[][2] = {
    /* the notes' examples */
    {"ax", "axes"}, {"loss", "losses"}, {"moth", "moths"}, {"match", "matches"},
    {"baby", "babies"}, {"boy", "boys"},
    /* s, x, z */
    {"bus", "buses"}, {"box", "boxes"}, {"quiz", "quizes"},
    /* h after each excluded letter, after vowels, after other consonants */
    {"bath", "baths"}, {"lakh", "lakhs"}, {"ugh", "ughs"}, {"oomph", "oomphs"},
    {"dirh", "dirhs"}, {"sadh", "sadhs"}, {"ah", "ahs"}, {"yeah", "yeahs"},
    {"bush", "bushes"}, {"church", "churches"}, {"h", "hes"},
    /* y after a vowel or a consonant */
    {"day", "days"}, {"key", "keys"}, {"guy", "guys"}, {"city", "cities"}, {"y", "ies"},
    /* everything else */
    {"cat", "cats"}, {"", "s"}, {"Box", "Boxes"}, {"CITY", "CITies"},
};

Test(pluralize, follows_the_notes_rules)
{
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        bt_buf out = BT_BUF_INIT;
        cr_assert_eq(plural(table[i][0], &out), 0);
        cr_expect_str_eq(out.data, table[i][1], "plural(%s)", table[i][0]);
        bt_buf_fini(&out);
    }
}
