/*
 * hashlib_file — the checksum of a large file, printed as sha256sum does:
 *
 *   >>> with open(path, 'rb') as f:
 *   ...     print(hashlib.file_digest(f, 'sha256').hexdigest(), path)
 *
 * Usage: hashlib_file [FILE]...  (no FILE: this program's own executable).
 * The file is read in large chunks, never loaded whole.
 */
#include <stdio.h>

#include <batteries/hashlib.h>

static int checksum(const char *path, const char *shown)
{
    bt_hash *h;
    bt_err err = BT_ERR_INIT;
    if (bt_hashlib_file_digest_path(path, "sha256", &h, &err) < 0) {
        /* FileNotFoundError: [Errno 2] No such file or directory: 'x' */
        fprintf(stderr, "hashlib_file: %s: %s\n", bt_errname(err.code),
                err.msg);
        return 1;
    }
    char hex[BT_HASHLIB_MAX_HEXDIGEST_SIZE];
    bt_hashlib_hexdigest(h, hex, sizeof hex);
    printf("%s  %s\n", hex, shown);
    bt_hashlib_free(h);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return checksum("/proc/self/exe", argv[0]);
    int failed = 0;
    for (int i = 1; i < argc; i++)
        failed |= checksum(argv[i], argv[i]);
    return failed;
}
