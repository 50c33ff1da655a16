/*
 * multiprocessing_hello — the notes' process workers: ten processes, each
 * saying hello with its thread's name (MainThread: a forked child has only
 * the thread that forked) and its own process id, and that it is done; the
 * parent sleeps, then joins them.
 *
 *   def worker():
 *       thread_name = threading.current_thread().name
 *       pid = os.getpid()
 *       print("Hello from thread", thread_name, "in process", pid)
 *       print(f"Worker {pid}:{thread_name} is done!")
 *
 *   processes = [multiprocessing.Process(target=worker) for i in range(10)]
 *   for proc in processes: proc.start()
 *   time.sleep(10)
 *   for proc in processes: proc.join()
 *
 * Usage: multiprocessing_hello [sleep seconds]   (10 in the notes, 0.2 by
 * default)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <batteries/multiprocessing.h>
#include <batteries/time.h>

static int worker(void *arg, bt_err *err)
{
    (void)arg;
    (void)err;
    const char *thread_name = bt_thread_name(bt_threading_current_thread());
    int pid = (int)getpid();
    printf("Hello from thread %s in process %d\n", thread_name, pid);
    printf("Worker %d:%s is done!\n", pid, thread_name);
    return 0;
}

int main(int argc, char **argv)
{
    double pause = argc > 1 ? atof(argv[1]) : 0.2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("Starting in the main thread: %s pid = %d\n",
           bt_thread_name(bt_threading_current_thread()), (int)getpid());
    bt_mp_process *processes[10];
    for (int i = 0; i < 10; i++)
        if (bt_mp_process_new(&processes[i], worker, NULL) < 0)
            return 1;
    printf("Running worker processes and going to sleep for %g seconds\n",
           pause);
    bt_err err = BT_ERR_INIT;
    for (int i = 0; i < 10; i++)
        if (bt_mp_process_start(processes[i], &err) < 0) {
            fprintf(stderr, "%s: %s\n", bt_errname(err.code), err.msg);
            return 1;
        }
    bt_time_sleep(pause, NULL);
    printf("Waiting for processes to finish\n");
    int status = 0;
    for (int i = 0; i < 10; i++) {
        int code = 1;
        bt_mp_process_join(processes[i], BT_TIMEOUT_NONE, NULL);
        bt_mp_process_exitcode(processes[i], &code);
        status |= code != 0;
        bt_mp_process_free(processes[i]);
    }
    printf("Main thread is done!\n");
    return status;
}
