/* Runs a command and writes its peak resident set size (KiB) to a file: peakrss OUT CMD ARGS...
 *
 * bench/harness.py measures through this small process rather than directly: Linux carries a
 * process's peak RSS across exec, so a child forked from the harness (a Python process of
 * about 15 MiB) can never report less than the harness's own size. Forked from this one, the
 * floor is well under a megabyte. The command's exit status is passed on (128 + signal). */
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: peakrss OUT COMMAND [ARG...]\n");
        return 2;
    }
    pid_t pid = fork();
    if (pid < 0) {
        perror("peakrss: fork");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[2], argv + 2);
        perror("peakrss: exec");
        _exit(127);
    }
    /* (On a timeout the harness kills this process's whole group, the command included.) */
    int status = 0;
    struct rusage ru;
    while (wait4(pid, &status, 0, &ru) < 0) {
        if (errno != EINTR) {
            perror("peakrss: wait4");
            return 2;
        }
    }
    FILE *out = fopen(argv[1], "w");
    if (out) {
        fprintf(out, "%ld\n", ru.ru_maxrss);
        fclose(out);
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}
