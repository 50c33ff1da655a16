/*
 * re_poem — the notes' cheap grep: number the lines of the poem that
 * contain "the" and print them with every "the" replaced by "---".
 * Python:
 *
 *   linenum = 0
 *   for line in open('poem.txt'):
 *       linenum += 1
 *       if re.search('the', line):
 *           print('{}: {}'.format(linenum, re.sub('the', '---', line)), end='')
 */
#include <batteries/re.h>

#include <stdio.h>
#include <string.h>

static const char poem[] = "Two roads diverged in a yellow wood,\t\n"
                           "And sorry I could not travel both\t\n"
                           "And be one traveler, long I stood\t\n"
                           "And looked down one as far as I could\t\n"
                           "To where it bent in the undergrowth;\n"
                           " \n"
                           "Then took the other, as just as fair,\t\n"
                           "And having perhaps the better claim,\t\n"
                           "Because it was grassy and wanted wear;\t\n"
                           "Though as for that the passing there\t\n"
                           "Had worn them really about the same,\n"
                           " \n"
                           "And both that morning equally lay\t\n"
                           "In leaves no step had trodden black.\t\n"
                           "Oh, I kept the first for another day!\t\n"
                           "Yet knowing how way leads on to way,\t\n"
                           "I doubted if I should ever come back.\n"
                           " \n"
                           "I shall be telling this with a sigh\t\n"
                           "Somewhere ages and ages hence:\t\n"
                           "Two roads diverged in a wood, and I\xe2\x80\x94\t\n"
                           "I took the one less traveled by,\t\n"
                           "And that has made all the difference.\n";

int main(void)
{
    bt_re_pattern *p;
    bt_err err = BT_ERR_INIT;
    if (bt_re_compile("the", BT_RE_NTS, 0, &p, &err) < 0)
        return 1;
    int linenum = 0;
    bt_buf out = BT_BUF_INIT;
    for (const char *line = poem; *line;) {
        const char *nl = strchr(line, '\n');
        size_t len = (size_t)(nl - line) + 1;
        linenum++;
        int rc = bt_re_search(p, line, len, NULL, &err);
        if (rc < 0)
            return 1;
        if (rc == 1) {
            bt_buf_clear(&out);
            if (bt_re_sub(p, "---", 3, line, len, 0, &out, &err) < 0)
                return 1;
            printf("%d: %s", linenum, out.data);
        }
        line += len;
    }
    bt_buf_fini(&out);
    bt_re_pattern_free(p);
    bt_re_purge();
    return 0;
}
