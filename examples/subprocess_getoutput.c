/*
 * subprocess_getoutput — the notes' shell one-liners. Python:
 *
 *   ret = subprocess.getoutput('date')
 *   ret                             # 'Fri May 13 10:01:08 EDT 2022'
 *   subprocess.getstatusoutput('ls /nonexistent')
 */
#include <stdio.h>

#include <batteries/subprocess.h>

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_buf out = BT_BUF_INIT;
    if (bt_subprocess_getoutput("date", &out, &err) < 0) {
        printf("getoutput: %s\n", err.msg);
        return 1;
    }
    bt_buf r = BT_BUF_INIT;
    bt_repr_str(&r, out.data, out.len);
    printf("subprocess.getoutput('date') -> %s\n", r.data);
    bt_buf_clear(&out);
    bt_buf_clear(&r);
    int status;
    if (bt_subprocess_getstatusoutput("echo to stdout; echo to stderr >&2; exit 2", &status, &out,
                                      &err) < 0)
        return 1;
    bt_repr_str(&r, out.data, out.len);
    printf("subprocess.getstatusoutput('echo to stdout; echo to stderr >&2; exit 2') -> (%d, "
           "%s)\n",
           status, r.data);
    bt_buf_fini(&out);
    bt_buf_fini(&r);
    return 0;
}
