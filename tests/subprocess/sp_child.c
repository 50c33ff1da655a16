/*
 * sp_child — a child program for the subprocess tests, reporting what it
 * inherited without opening anything itself:
 *   sp_child fds      the open descriptors, "0 1 2"
 *   sp_child state    cwd, umask, whether it leads its session and group,
 *                     SIGPIPE's and SIGUSR1's dispositions, the mask, $SP_X
 *   sp_child argv ... argv[0] and the rest, one per line
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *disp(int sig)
{
    struct sigaction sa;
    sigaction(sig, NULL, &sa);
    return sa.sa_handler == SIG_IGN ? "ign" : sa.sa_handler == SIG_DFL ? "dfl" : "handler";
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    if (strcmp(argv[1], "fds") == 0) {
        const char *sep = "";
        for (int fd = 0; fd < 4096; fd++)
            if (fcntl(fd, F_GETFD) != -1) {
                printf("%s%d", sep, fd);
                sep = " ";
            }
        printf("\n");
        return 0;
    }
    if (strcmp(argv[1], "state") == 0) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd))
            strcpy(cwd, "?");
        mode_t m = umask(0);
        sigset_t mask;
        sigprocmask(SIG_SETMASK, NULL, &mask);
        const char *x = getenv("SP_X");
        printf("cwd=%s\numask=%03o\nsid_leader=%d\npg_leader=%d\npgid_is_parent=%d\n"
               "sigpipe=%s\nsigusr1=%s\nusr2_blocked=%d\nSP_X=%s\n",
               cwd, (unsigned)m, getsid(0) == getpid(), getpgid(0) == getpid(),
               getpgid(0) == getpgid(getppid()), disp(SIGPIPE), disp(SIGUSR1),
               sigismember(&mask, SIGUSR2), x ? x : "(unset)");
        return 0;
    }
    if (strcmp(argv[1], "argv") == 0) {
        for (int i = 0; i < argc; i++)
            printf("%s\n", i == 0 ? "argv0" : argv[i]);
        printf("0=%s\n", argv[0]);
        return 0;
    }
    return 2;
}
