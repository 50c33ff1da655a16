/*
 * multiprocessing_queue — the notes' worker pool across processes: the
 * parent puts 100 "Record #i" messages in a multiprocessing Queue, ten
 * worker processes take them with get(timeout=1) until the queue stays
 * empty, then say they are quitting.
 *
 *   def worker(q):
 *       pid = os.getpid()
 *       while True:
 *           try:
 *               next_task = q.get(timeout=1)
 *           except queue.Empty:
 *               print("Worker", pid, "quitting.")
 *               break
 *           print("Worker", pid, "processing:", next_task)
 *           time.sleep(1)
 *
 *   to_do = multiprocessing.Queue()
 *   for i in range(100):
 *       to_do.put(f"Record #{i}")
 *   processes = [multiprocessing.Process(target=worker, args=(to_do,))
 *                for i in range(10)]
 *
 * Usage: multiprocessing_queue [work seconds] [get timeout]   (0.01 and 1
 * by default; the notes sleep 1 s per record)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <batteries/multiprocessing.h>
#include <batteries/time.h>

static double work_seconds = 0.01, get_timeout = 1;

static int worker(void *arg, bt_err *err)
{
    bt_mp_queue *q = arg;
    int pid = (int)getpid();
    bt_buf task = BT_BUF_INIT;
    for (;;) {
        ptrdiff_t rc = bt_mp_queue_get(q, &task, true, get_timeout, err);
        if (rc == BT_EEMPTY) {
            printf("Worker %d quitting.\n", pid);
            break;
        }
        if (rc < 0) {
            bt_buf_fini(&task);
            return (int)rc; /* reported as "Process Process-N:" + error */
        }
        printf("Worker %d processing: %s\n", pid, task.data);
        bt_time_sleep(work_seconds, NULL);
    }
    bt_buf_fini(&task);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 1)
        work_seconds = atof(argv[1]);
    if (argc > 2)
        get_timeout = atof(argv[2]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    bt_mp_queue *to_do;
    if (bt_mp_queue_new(&to_do, 0) < 0)
        return 1;
    for (int i = 0; i < 100; i++) {
        char task[32];
        int n = snprintf(task, sizeof task, "Record #%d", i);
        if (bt_mp_queue_put(to_do, task, (size_t)n, true, BT_TIMEOUT_NONE,
                            NULL) < 0)
            return 1;
    }
    bt_mp_process *processes[10];
    bt_err err = BT_ERR_INIT;
    for (int i = 0; i < 10; i++)
        if (bt_mp_process_new(&processes[i], worker, to_do) < 0 ||
            bt_mp_process_start(processes[i], &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
    int status = 0;
    for (int i = 0; i < 10; i++) {
        int code = 1;
        bt_mp_process_join(processes[i], BT_TIMEOUT_NONE, NULL);
        bt_mp_process_exitcode(processes[i], &code);
        status |= code != 0;
        bt_mp_process_free(processes[i]);
    }
    bt_mp_queue_free(to_do);
    printf("All work complete!\n");
    return status;
}
