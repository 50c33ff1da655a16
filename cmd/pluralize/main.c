/*
 * pluralize — the notes' Bonus Lab: prints the plural of each word given.
 *
 *   usage: pluralize WORD...
 */
#include <stdio.h>

#include "plural.h"

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: pluralize WORD...\n");
        return 2;
    }
    bt_buf out = BT_BUF_INIT;
    for (int i = 1; i < argc; i++) {
        bt_buf_clear(&out);
        if (plural(argv[i], &out) < 0) {
            fprintf(stderr, "pluralize: out of memory\n");
            return 1;
        }
        printf("%s\n", out.data);
    }
    bt_buf_fini(&out);
    return 0;
}
