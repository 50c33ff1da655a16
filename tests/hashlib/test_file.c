/* file_digest on real files, bad paths and bad descriptors. */
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

#include "hashlib_test.h"

/* Writes pattern(n, seed) to a fresh temporary file; returns its path. */
static char *temp_file(size_t n, unsigned seed)
{
    char *path = strdup("/tmp/bt_hashlib_XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unsigned char *data = ht_pattern(n, seed);
    size_t off = 0;
    while (off < n) {
        ssize_t k = write(fd, data + off, n - off);
        cr_assert(k > 0);
        off += (size_t)k;
    }
    close(fd);
    free(data);
    return path;
}

static void want_hex(const char *name, size_t n, unsigned seed, char *out)
{
    unsigned char *data = ht_pattern(n, seed);
    bt_hash *h;
    cr_assert_eq(bt_hashlib_new(name, data, n, &h, NULL), 0);
    strcpy(out, ht_hexdigest(h));
    bt_hashlib_free(h);
    free(data);
}

Test(file, digest_of_path_and_fd)
{
    /* 3 MiB + 5: several 256 KiB reads and a short last one. */
    size_t n = (3u << 20) + 5;
    char *path = temp_file(n, 9);
    const char *names[] = {"sha256", "md5", "blake2b", "sha3_256"};
    for (int i = 0; i < 4; i++) {
        char want[130];
        want_hex(names[i], n, 9, want);
        bt_hash *h;
        bt_err err = BT_ERR_INIT;
        cr_assert_eq(bt_hashlib_file_digest_path(path, names[i], &h, &err), 0,
                     "%s", err.msg);
        cr_expect_str_eq(ht_hexdigest(h), want, "%s", names[i]);
        cr_expect_str_eq(bt_hashlib_name(h), names[i]);
        bt_hashlib_free(h);

        int fd = open(path, O_RDONLY | O_CLOEXEC);
        cr_assert(fd >= 0);
        cr_assert_eq(bt_hashlib_file_digest(fd, names[i], &h, &err), 0, "%s",
                     err.msg);
        cr_expect_str_eq(ht_hexdigest(h), want, "%s fd", names[i]);
        bt_hashlib_free(h);
        /* From the current offset: at the end now, so the empty digest. */
        cr_assert_eq(bt_hashlib_file_digest(fd, names[i], &h, &err), 0);
        want_hex(names[i], 0, 0, want);
        cr_expect_str_eq(ht_hexdigest(h), want, "%s at EOF", names[i]);
        bt_hashlib_free(h);
        close(fd);
    }
    unlink(path);
    free(path);
}

Test(file, empty_file)
{
    char *path = temp_file(0, 0);
    bt_hash *h;
    cr_assert_eq(bt_hashlib_file_digest_path(path, "sha256", &h, NULL), 0);
    cr_expect_str_eq(
        ht_hexdigest(h),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    bt_hashlib_free(h);
    unlink(path);
    free(path);
}

Test(file, update_fd_with_keyed_blake2)
{
    size_t n = 300000;
    char *path = temp_file(n, 10);
    bt_hashlib_blake2_params p = BT_HASHLIB_BLAKE2B_PARAMS;
    p.key = "secret";
    p.key_len = 6;
    p.digest_size = 32;
    bt_hash *a, *b;
    unsigned char *data = ht_pattern(n, 10);
    cr_assert_eq(bt_hashlib_blake2b(data, n, &p, &a, NULL), 0);
    cr_assert_eq(bt_hashlib_blake2b(NULL, 0, &p, &b, NULL), 0);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    cr_assert(fd >= 0);
    cr_assert_eq(bt_hashlib_update_fd(b, fd, NULL), 0);
    close(fd);
    char x[130];
    strcpy(x, ht_hexdigest(a));
    cr_expect_str_eq(ht_hexdigest(b), x);
    bt_hashlib_free(a);
    bt_hashlib_free(b);
    free(data);
    unlink(path);
    free(path);
}

Test(file, missing_path)
{
    bt_hash *h = NULL;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_file_digest_path("x", "sha256", &h, &err),
                 BT_ENOENT);
    cr_expect_str_eq(err.msg, "[Errno 2] No such file or directory: 'x'");
    cr_expect_str_eq(bt_errname(err.code), "FileNotFoundError");
    cr_expect_null(h);
}

Test(file, directory_and_bad_fd)
{
    bt_hash *h = NULL;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_file_digest_path("/", "sha256", &h, &err),
                 BT_EISDIR);
    cr_expect_str_eq(err.msg, "[Errno 21] Is a directory: '/'");
    cr_expect_eq(bt_hashlib_file_digest(-1, "sha256", &h, &err), BT_EBADF);
    cr_expect_str_eq(err.msg, "[Errno 9] Bad file descriptor");
    cr_expect_null(h);
}

Test(file, unknown_algorithm)
{
    char *path = temp_file(10, 1);
    bt_hash *h = NULL;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_file_digest_path(path, "sha257", &h, &err),
                 BT_EVALUE);
    cr_expect_str_eq(err.msg, "unsupported hash type sha257");
    cr_expect_null(h);
    unlink(path);
    free(path);
}

Test(file, unreadable_file)
{
    if (geteuid() == 0)
        cr_skip_test("root reads any file");
    char *path = temp_file(10, 1);
    chmod(path, 0);
    bt_hash *h = NULL;
    bt_err err = BT_ERR_INIT;
    cr_expect_eq(bt_hashlib_file_digest_path(path, "sha256", &h, &err),
                 BT_EACCES);
    cr_expect_eq(strncmp(err.msg, "[Errno 13] Permission denied: '", 31), 0,
                 "%s", err.msg);
    unlink(path);
    free(path);
}
