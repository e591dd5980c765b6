// See include/StackSwitch.h. The switch saves only what the C calling convention says a callee
// must preserve (plus the floating-point control words), so it costs a few nanoseconds, where
// handing control to another thread cost microseconds.
#include "StackSwitch.h"
#include <stdint.h>
#include <string.h>

#if defined(__APPLE__)
#define STL_SYM(name) "_" #name
#else
#define STL_SYM(name) #name
#endif

#if defined(__x86_64__)

// Saved frame, from the saved stack pointer up: r15, r14, r13, r12, rbx, rbp, return address.
// The x87 control word and MXCSR are callee-saved too, but nothing in this process changes
// them (the language has no floating-point environment control), so every stack holds the
// same values and a switch leaves them alone: saving and reloading them (ldmxcsr, fldcw stall
// the pipeline) was three quarters of a switch's time, 5% of a generator-heavy program.
__asm__(
    ".text\n"
    ".globl " STL_SYM(stl_stack_switch) "\n"
    ".p2align 4\n"
    STL_SYM(stl_stack_switch) ":\n"
    "    pushq %rbp\n"
    "    pushq %rbx\n"
    "    pushq %r12\n"
    "    pushq %r13\n"
    "    pushq %r14\n"
    "    pushq %r15\n"
    "    movq %rsp, (%rdi)\n"
    "    movq %rsi, %rsp\n"
    "    popq %r15\n"
    "    popq %r14\n"
    "    popq %r13\n"
    "    popq %r12\n"
    "    popq %rbx\n"
    "    popq %rbp\n"
    "    ret\n"
    ".globl " STL_SYM(stl_stack_trampoline) "\n"
    ".p2align 4\n"
    STL_SYM(stl_stack_trampoline) ":\n"
    "    movq %r13, %rdi\n"
    "    callq *%r12\n"
    "    ud2\n"
);

__attribute__((visibility("hidden"))) void stl_stack_trampoline(void);

void *stl_stack_prepare(void *base, size_t size, stl_stack_entry entry, void *arg) {
    uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
    // After the switch pops the frame and returns into the trampoline, the stack pointer is
    // top - 16: 16-byte aligned, as a `call` needs. The 16 bytes above stay zero.
    uint64_t *sp = (uint64_t *)(top - 72);
    memset(sp, 0, 72);
    sp[2] = (uint64_t)(uintptr_t)arg;     // r13
    sp[3] = (uint64_t)(uintptr_t)entry;   // r12
    sp[6] = (uint64_t)(uintptr_t)&stl_stack_trampoline;
    return sp;
}

#elif defined(__aarch64__)

// Saved frame, 176 bytes from the saved stack pointer up: x19..x28, x29 (frame pointer),
// x30 (return address), d8..d15.
__asm__(
    ".text\n"
    ".globl " STL_SYM(stl_stack_switch) "\n"
    ".p2align 4\n"
    STL_SYM(stl_stack_switch) ":\n"
    "    sub sp, sp, #176\n"
    "    stp x19, x20, [sp, #0]\n"
    "    stp x21, x22, [sp, #16]\n"
    "    stp x23, x24, [sp, #32]\n"
    "    stp x25, x26, [sp, #48]\n"
    "    stp x27, x28, [sp, #64]\n"
    "    stp x29, x30, [sp, #80]\n"
    "    stp d8, d9, [sp, #96]\n"
    "    stp d10, d11, [sp, #112]\n"
    "    stp d12, d13, [sp, #128]\n"
    "    stp d14, d15, [sp, #144]\n"
    "    mov x2, sp\n"
    "    str x2, [x0]\n"
    "    mov sp, x1\n"
    "    ldp x19, x20, [sp, #0]\n"
    "    ldp x21, x22, [sp, #16]\n"
    "    ldp x23, x24, [sp, #32]\n"
    "    ldp x25, x26, [sp, #48]\n"
    "    ldp x27, x28, [sp, #64]\n"
    "    ldp x29, x30, [sp, #80]\n"
    "    ldp d8, d9, [sp, #96]\n"
    "    ldp d10, d11, [sp, #112]\n"
    "    ldp d12, d13, [sp, #128]\n"
    "    ldp d14, d15, [sp, #144]\n"
    "    add sp, sp, #176\n"
    "    ret\n"
    ".globl " STL_SYM(stl_stack_trampoline) "\n"
    ".p2align 4\n"
    STL_SYM(stl_stack_trampoline) ":\n"
    "    mov x0, x20\n"
    "    blr x19\n"
    "    brk #0\n"
);

__attribute__((visibility("hidden"))) void stl_stack_trampoline(void);

void *stl_stack_prepare(void *base, size_t size, stl_stack_entry entry, void *arg) {
    uintptr_t top = ((uintptr_t)base + size) & ~(uintptr_t)15;
    uint64_t *sp = (uint64_t *)(top - 176 - 16);
    memset(sp, 0, 176 + 16);
    sp[0] = (uint64_t)(uintptr_t)entry;   // x19
    sp[1] = (uint64_t)(uintptr_t)arg;     // x20
    sp[11] = (uint64_t)(uintptr_t)&stl_stack_trampoline;  // x30
    return sp;
}

#else

void stl_stack_switch(void **save_sp, void *resume_sp) {
    (void)save_sp;
    (void)resume_sp;
}

void *stl_stack_prepare(void *base, size_t size, stl_stack_entry entry, void *arg) {
    (void)base;
    (void)size;
    (void)entry;
    (void)arg;
    return 0;
}

#endif
