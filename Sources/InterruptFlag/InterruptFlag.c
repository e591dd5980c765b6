#include "InterruptFlag.h"
#include <signal.h>
#include <string.h>

int stl_interrupt_requested = 0;

static void stl_on_sigint(int sig) {
    (void)sig;
    stl_interrupt_set_bits(1);
}

void stl_install_sigint_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = stl_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGINT, &sa, 0);
}
