// The flag a SIGINT handler sets and the interpreter polls at loop iterations and calls.
// It lives in C because a signal handler may interrupt Swift code in the middle of reading a
// Swift global, and debug builds check such accesses for exclusivity (a write from the handler
// during the read traps as a "simultaneous access"). Every access here is a single atomic
// instruction, so the handler and the interpreter can also never lose each other's bits.
#ifndef STLANG_INTERRUPT_FLAG_H
#define STLANG_INTERRUPT_FLAG_H

extern int stl_interrupt_requested;

static inline __attribute__((always_inline)) int stl_interrupt_load(void) {
    return __atomic_load_n(&stl_interrupt_requested, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) void stl_interrupt_store(int value) {
    __atomic_store_n(&stl_interrupt_requested, value, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) void stl_interrupt_set_bits(int bits) {
    __atomic_fetch_or(&stl_interrupt_requested, bits, __ATOMIC_RELAXED);
}

static inline __attribute__((always_inline)) void stl_interrupt_clear_bits(int bits) {
    __atomic_fetch_and(&stl_interrupt_requested, ~bits, __ATOMIC_RELAXED);
}

/// Installs a SIGINT handler that sets bit 0 of the flag (no SA_RESTART: a blocking read in
/// progress is cut short with EINTR).
void stl_install_sigint_handler(void);

#endif
