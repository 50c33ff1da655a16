/*
 * threading_factorial — the notes' factorial workers: ten threads, each
 * saying hello with its name and the process id, computing n! for a random
 * n in 2..100 (in full: a small big-number product), and saying it is done;
 * the main thread sleeps, then joins them.
 *
 *   def worker():
 *       thread_name = threading.current_thread().name
 *       pid = os.getpid()
 *       print("Hello from thread", thread_name, "in process", pid)
 *       n = random.randint(2, 100)
 *       f = factorial(n)
 *       print(f"{n}! = {f}")
 *       print(f"Worker {pid}:{thread_name} is done!")
 *
 * Usage: threading_factorial [sleep seconds]   (10 in the notes, 0.2 by
 * default)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <batteries/threading.h>
#include <batteries/time.h>

/* n! in base 10**9 limbs, least significant first; 100! has 158 digits. */
static void factorial(int n, char *out, size_t cap)
{
    uint32_t limbs[32] = {1};
    int used = 1;
    for (int k = 2; k <= n; k++) {
        uint64_t carry = 0;
        for (int i = 0; i < used; i++) {
            uint64_t v = (uint64_t)limbs[i] * (uint64_t)k + carry;
            limbs[i] = (uint32_t)(v % 1000000000u);
            carry = v / 1000000000u;
        }
        while (carry) {
            limbs[used++] = (uint32_t)(carry % 1000000000u);
            carry /= 1000000000u;
        }
    }
    size_t len = (size_t)snprintf(out, cap, "%u", limbs[used - 1]);
    for (int i = used - 2; i >= 0 && len < cap; i--)
        len += (size_t)snprintf(out + len, cap - len, "%09u", limbs[i]);
}

static int worker(void *arg, bt_err *err)
{
    (void)err;
    unsigned seed = (unsigned)(uintptr_t)arg;
    const char *name = bt_thread_name(bt_threading_current_thread());
    int pid = (int)getpid();
    char text[256];
    int n = 2 + (int)(rand_r(&seed) % 99);
    factorial(n, text, sizeof text);
    /* One printf per line, as Python's print: lines never mix. */
    printf("Hello from thread %s in process %d\n", name, pid);
    printf("%d! = %s\n", n, text);
    printf("Worker %d:%s is done!\n", pid, name);
    return 0;
}

int main(int argc, char **argv)
{
    double nap = argc > 1 ? atof(argv[1]) : 0.2;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("Starting in the main thread: %s pid = %d\n",
           bt_thread_name(bt_threading_current_thread()), (int)getpid());
    bt_thread *threads[10];
    for (int i = 0; i < 10; i++)
        if (bt_thread_new(&threads[i], worker,
                          (void *)(uintptr_t)(i * 7919 + 17), "worker") < 0)
            return 1;
    printf("Running worker threads and going to sleep for %g seconds\n", nap);
    for (int i = 0; i < 10; i++)
        if (bt_thread_start(threads[i], NULL) < 0)
            return 1;
    bt_time_sleep(nap, NULL);
    printf("Waiting for threads to finish\n");
    for (int i = 0; i < 10; i++) {
        bt_thread_join(threads[i], BT_TIMEOUT_NONE, NULL);
        bt_thread_free(threads[i]);
    }
    printf("Main thread is done!\n");
    return 0;
}
