/*
 * queue_workers — the notes' worker pool: 100 "Record #i" tasks in a
 * queue, ten workers taking them with get(timeout=1) until the queue stays
 * empty, then "quitting". The notes use processes and a
 * multiprocessing.Queue; here they are threads and a queue.Queue.
 *
 *   def worker(q):
 *       while True:
 *           try:
 *               next_task = q.get(timeout=1)
 *           except queue.Empty:
 *               print("Worker", name, "quitting.")
 *               break
 *           print("Worker", name, "processing:", next_task)
 *           time.sleep(1)
 *
 * Usage: queue_workers [work seconds] [get timeout]   (0.01 and 1 by
 * default; the notes sleep 1 s per record)
 */
#include <stdio.h>
#include <stdlib.h>

#include <batteries/queue.h>
#include <batteries/time.h>

static double work_seconds = 0.01, get_timeout = 1;

static int worker(void *arg, bt_err *err)
{
    bt_queue *q = arg;
    const char *name = bt_thread_name(bt_threading_current_thread());
    for (;;) {
        void *task;
        int rc = bt_queue_get(q, &task, true, get_timeout, err);
        if (rc == BT_EEMPTY) {
            printf("Worker %s quitting.\n", name);
            return 0;
        }
        if (rc < 0)
            return rc;
        printf("Worker %s processing: %s\n", name, (char *)task);
        bt_free(task);
        bt_time_sleep(work_seconds, NULL);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        work_seconds = atof(argv[1]);
    if (argc > 2)
        get_timeout = atof(argv[2]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    bt_queue *to_do;
    if (bt_queue_new(&to_do, 0) < 0)
        return 1;
    for (int i = 0; i < 100; i++) {
        bt_buf task = BT_BUF_INIT;
        if (bt_buf_printf(&task, "Record #%d", i) < 0 ||
            bt_queue_put(to_do, bt_buf_take(&task, NULL), true, BT_TIMEOUT_NONE,
                         NULL) < 0)
            return 1;
    }
    bt_thread *workers[10];
    for (int i = 0; i < 10; i++)
        if (bt_thread_new(&workers[i], worker, to_do, "worker") < 0 ||
            bt_thread_start(workers[i], NULL) < 0)
            return 1;
    for (int i = 0; i < 10; i++) {
        bt_thread_join(workers[i], BT_TIMEOUT_NONE, NULL);
        bt_thread_free(workers[i]);
    }
    printf("All work complete!\n");
    bt_queue_free(to_do);
    return 0;
}
