/*
 * fuzz_utf8.c — bt_utf8_validate, bt_utf8_count, bt_utf8_decode and
 * bt_utf8_encode must tell one story about every input: the validator's
 * verdict, position and message are those of a decode loop, and each decoded
 * code point encodes back to the bytes it came from.
 */
#include <batteries/core.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

/* Python's message for the bad span [start, start+len) ending in `reason`. */
static void expected_message(char *out, size_t cap, const uint8_t *s,
                             size_t start, size_t len, const char *reason)
{
    if (len == 1)
        snprintf(out, cap,
                 "'utf-8' codec can't decode byte 0x%02x in position %zu: %s",
                 s[start], start, reason);
    else
        snprintf(out, cap,
                 "'utf-8' codec can't decode bytes in position %zu-%zu: %s",
                 start, start + len - 1, reason);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    bt_err err = BT_ERR_INIT;
    int rc = bt_utf8_validate(data, size, &err);
    ptrdiff_t count = bt_utf8_count(data, size);

    size_t i = 0, cps = 0, bad_len = 0;
    ptrdiff_t first_bad = -1;
    while (i < size) {
        size_t adv = 0;
        int32_t cp = bt_utf8_decode(data + i, size - i, &adv);
        CHECK(adv >= 1 && adv <= 4 && adv <= size - i);
        if (cp < 0) {
            CHECK(cp == -1);
            if (first_bad < 0) {
                first_bad = (ptrdiff_t)i;
                bad_len = adv;
            }
        } else {
            char enc[4];
            CHECK(cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF));
            CHECK(bt_utf8_encode((uint32_t)cp, enc) == adv);
            CHECK(memcmp(enc, data + i, adv) == 0);
            if (first_bad < 0)
                cps++;
        }
        i += adv;
    }

    if (first_bad < 0) {
        CHECK(rc == 0);
        CHECK(err.code == 0 && err.pos == -1 && err.msg[0] == '\0');
        CHECK(count == (ptrdiff_t)cps);
    } else {
        size_t start = (size_t)first_bad;
        CHECK(rc == BT_EUNICODE && err.code == BT_EUNICODE);
        CHECK(err.pos == first_bad);
        CHECK(count == BT_EUNICODE);
        CHECK(bt_utf8_validate(data, start, NULL) == 0);
        CHECK(bt_utf8_count(data, start) == (ptrdiff_t)cps);
        /* CPython's reasons: a bad start byte is a span of one; running out
         * of data ends the span at the end; a bad continuation does not. */
        const char *reason = strrchr(err.msg, ':');
        CHECK(reason != NULL);
        reason += 2;
        if (strcmp(reason, "unexpected end of data") == 0)
            CHECK(start + bad_len == size);
        else if (strcmp(reason, "invalid continuation byte") == 0)
            CHECK(start + bad_len < size && bad_len < 4);
        else
            CHECK(strcmp(reason, "invalid start byte") == 0 && bad_len == 1);
        char want[BT_ERR_MSG_SIZE];
        expected_message(want, sizeof want, data, start, bad_len, reason);
        CHECK(strcmp(err.msg, want) == 0);
    }

    /* The word-at-a-time paths must not depend on where the data sits. */
    size_t off = 1 + size % 7;
    uint8_t *moved = malloc(off + size);
    CHECK(moved != NULL);
    memcpy(moved + off, data, size);
    bt_err err2 = BT_ERR_INIT;
    CHECK(bt_utf8_validate(moved + off, size, &err2) == rc);
    CHECK(err2.pos == err.pos && strcmp(err2.msg, err.msg) == 0);
    CHECK(bt_utf8_count(moved + off, size) == count);
    free(moved);
    return 0;
}
