/*
 * time_tour — the notes' timing idiom and a few of time's conversions:
 *
 *   start = time.perf_counter(); time.sleep(0.2)
 *   print(f'slept {time.perf_counter() - start:.2f} s')
 *   print(time.ctime(0)); print(time.strftime('Today is %x'))
 */
#include <stdio.h>

#include <batteries/time.h>

int main(void)
{
    bt_err err = BT_ERR_INIT;
    double start = bt_time_perf_counter();
    if (bt_time_sleep(0.2, &err) < 0) {
        fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
        return 1;
    }
    printf("slept %.2f s\n", bt_time_perf_counter() - start);

    bt_buf out = BT_BUF_INIT;
    bt_time_struct_time t;
    if (bt_time_gmtime(0, &t, &err) == 0 && bt_time_asctime(&out, &t, &err) == 0)
        printf("time.asctime(time.gmtime(0)) = '%s'\n", out.data);
    bt_buf_clear(&out);
    if (bt_time_localtime(bt_time_time(), &t, &err) == 0 &&
        bt_time_strftime(&out, "Today is %x", &t, &err) == 0)
        printf("%s (%s, %d-%02d-%02d)\n", out.data, t.tm_zone, t.tm_year, t.tm_mon, t.tm_mday);
    printf("time.timezone = %ld, time.tzname = ('%s', '%s')\n", bt_time_timezone(),
           bt_time_tzname(0), bt_time_tzname(1));

    /* time.sleep(-1) in Python: ValueError: sleep length must be non-negative */
    if (bt_time_sleep(-1, &err) < 0)
        printf("time.sleep(-1) -> %s: %s\n", bt_errname(err.code), err.msg);
    bt_buf_fini(&out);
    return 0;
}
