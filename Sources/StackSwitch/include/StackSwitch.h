// Switching between native stacks on one thread: what lets a generator body (a tree of
// compiled Swift closures, which cannot be suspended half way) stop at a `yield` and go on
// later. Swift cannot express a stack switch, so these few instructions live here.
#ifndef STLANG_STACK_SWITCH_H
#define STLANG_STACK_SWITCH_H

#include <stddef.h>

/// The first function to run on a fresh stack. It must never return: it ends by switching away.
typedef void (*stl_stack_entry)(void *arg);

/// Saves the callee-saved registers on the current stack, stores the stack pointer in
/// `*save_sp`, and continues the context whose stack pointer is `resume_sp` (one saved by an
/// earlier switch, or made by `stl_stack_prepare`). Returns when something switches back.
void stl_stack_switch(void **save_sp, void *resume_sp);

/// Lays out the top of the stack [base, base + size) so that switching to the returned stack
/// pointer calls `entry(arg)` on it. Returns NULL on an architecture without a switch.
void *stl_stack_prepare(void *base, size_t size, stl_stack_entry entry, void *arg);

#endif
