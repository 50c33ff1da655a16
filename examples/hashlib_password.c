/*
 * hashlib_password — storing and checking a password, the right way.
 *
 * The notes "grant access" like this:
 *
 *   >>> stored = hashlib.md5(b'secret').hexdigest()
 *   >>> if hashlib.md5(attempt).hexdigest() == stored: grant()
 *
 * Three mistakes: MD5 is fast (a GPU tries billions of guesses a second),
 * there is no salt (equal passwords give equal hashes, and one precomputed
 * table cracks every user), and == stops at the first differing byte (its
 * timing tells an attacker how much of a guess was right). The fix:
 *
 *   >>> salt = os.urandom(16)
 *   >>> stored = salt + hashlib.pbkdf2_hmac('sha256', pw, salt, 600_000)
 *   >>> hmac.compare_digest(hashlib.pbkdf2_hmac('sha256', attempt,
 *   ...                     stored[:16], 600_000), stored[16:])
 *
 * (hashlib.scrypt, also shown below, is memory-hard: better still against
 * GPUs.)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

#include <batteries/hashlib.h>

#define SALT_SIZE 16
#define KEY_SIZE  32
/* OWASP's 2023 advice for PBKDF2-HMAC-SHA256. */
#define ITERATIONS 600000

/* What a user database keeps: the salt and the derived key, never the
 * password. */
struct stored_password {
    unsigned char salt[SALT_SIZE];
    unsigned char key[KEY_SIZE];
};

/* os.urandom(n) */
static int urandom(void *buf, size_t n)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t k = getrandom(p, n, 0);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

static int store(const char *password, struct stored_password *out)
{
    bt_err err = BT_ERR_INIT;
    if (urandom(out->salt, sizeof out->salt) < 0) {
        perror("getrandom");
        return -1;
    }
    if (bt_hashlib_pbkdf2_hmac("sha256", password, strlen(password), out->salt,
                               sizeof out->salt, ITERATIONS, KEY_SIZE, out->key,
                               &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return -1;
    }
    return 0;
}

static bool check(const char *attempt, const struct stored_password *s)
{
    unsigned char key[KEY_SIZE];
    if (bt_hashlib_pbkdf2_hmac("sha256", attempt, strlen(attempt), s->salt,
                               sizeof s->salt, ITERATIONS, KEY_SIZE, key,
                               NULL) < 0)
        return false;
    /* Constant time: never memcmp (or ==) on secrets. */
    return bt_hmac_compare_digest(key, sizeof key, s->key, sizeof s->key);
}

static void print_hex(const char *label, const unsigned char *p, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

int main(void)
{
    struct stored_password alice, bob;
    if (store("correct horse battery staple", &alice) < 0 ||
        store("correct horse battery staple", &bob) < 0)
        return 1;
    /* The same password, different salts: nothing in the database shows
     * that the two users share it. */
    print_hex("alice salt ", alice.salt, SALT_SIZE);
    print_hex("alice key  ", alice.key, KEY_SIZE);
    print_hex("bob   key  ", bob.key, KEY_SIZE);

    const char *attempts[] = {"correct horse battery staple", "Tr0ub4dor&3"};
    for (int i = 0; i < 2; i++)
        printf("login as alice with '%s': %s\n", attempts[i],
               check(attempts[i], &alice) ? "access granted" : "access denied");

    /* scrypt: hashlib.scrypt(pw, salt=salt, n=2**14, r=8, p=1, dklen=32),
     * 16 MiB of memory per guess. */
    unsigned char key[KEY_SIZE];
    bt_err err = BT_ERR_INIT;
    const char *pw = "correct horse battery staple";
    if (bt_hashlib_scrypt(pw, strlen(pw), alice.salt, SALT_SIZE, 1 << 14, 8, 1,
                          0, KEY_SIZE, key, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    print_hex("scrypt key ", key, KEY_SIZE);
    /* Python's checks, with Python's words: */
    if (bt_hashlib_scrypt(pw, strlen(pw), alice.salt, SALT_SIZE, 1000, 8, 1, 0,
                          KEY_SIZE, key, &err) < 0)
        printf("scrypt(n=1000): %s: %s\n", bt_errname(err.code), err.msg);
    return 0;
}
