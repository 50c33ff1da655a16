/*
 * subprocess_tour — the notes' Popen object: its methods poll(), wait(),
 * send_signal(), kill() and its fields pid and returncode. Python:
 *
 *   p = subprocess.Popen(['sleep', '30'])
 *   print(p.pid, p.poll())          # a number, None: still running
 *   p.send_signal(signal.SIGSTOP)   # paused, not ended
 *   p.send_signal(signal.SIGCONT)
 *   p.kill()
 *   print(p.wait(), p.returncode)   # -9 -9: killed by signal 9
 *   p = subprocess.Popen(['sh', '-c', 'exit 3'])
 *   print(p.wait(), p.poll())       # 3 3
 */
#include <signal.h>
#include <stdio.h>

#include <batteries/subprocess.h>

static void fail(const char *what, const bt_err *err)
{
    printf("%s: %s\n", what, err->msg);
}

int main(void)
{
    bt_err err = BT_ERR_INIT;
    bt_popen *p;
    const char *sleeper[] = {"sleep", "30", NULL};
    if (bt_subprocess_popen(sleeper, NULL, &p, &err) < 0) {
        fail("Popen", &err);
        return 1;
    }
    printf("p = Popen(['sleep', '30']): pid is a number: %s\n", p->pid > 0 ? "yes" : "no");
    printf("p.poll() -> %s\n", bt_popen_poll(p) ? "ended" : "None (still running)");
    bt_popen_send_signal(p, SIGSTOP, &err);
    printf("p.send_signal(SIGSTOP); p.poll() -> %s\n", bt_popen_poll(p) ? "ended" : "None");
    bt_popen_send_signal(p, SIGCONT, &err);
    if (bt_popen_wait(p, 0.2, &err) == BT_ETIMEOUTEXPIRED)
        printf("p.wait(timeout=0.2) -> %s: %s\n", bt_errname(BT_ETIMEOUTEXPIRED), err.msg);
    bt_popen_kill(p, &err);
    bt_popen_wait(p, BT_SUBPROCESS_TIMEOUT_NONE, &err);
    printf("p.kill(); p.wait() -> %d, p.returncode -> %d\n", p->returncode, p->returncode);
    bt_popen_free(p);

    const char *three[] = {"sh", "-c", "exit 3", NULL};
    if (bt_subprocess_popen(three, NULL, &p, &err) < 0) {
        fail("Popen", &err);
        return 1;
    }
    bt_popen_wait(p, BT_SUBPROCESS_TIMEOUT_NONE, &err);
    int first = p->returncode;
    bt_popen_poll(p);
    printf("Popen(['sh', '-c', 'exit 3']).wait() -> %d, then poll() -> %d\n", first,
           p->returncode);
    bt_popen_free(p);

    const char *missing[] = {"nosuchprog", NULL};
    if (bt_subprocess_popen(missing, NULL, &p, &err) < 0)
        printf("Popen(['nosuchprog']) -> %s: %s\n", bt_errname(err.code), err.msg);
    return 0;
}
