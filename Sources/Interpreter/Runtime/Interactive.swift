import Foundation
import InterruptFlag
import Resolve
import Syntax

/// Set (to non-zero) from a SIGINT handler to ask running code to raise KeyboardInterrupt; read
/// at loop iterations and function calls. Stored in C (InterruptFlag.h), so the handler's write
/// never meets a Swift access in progress. Bit 2 (`CycleGC.requestBit`) asks for a cycle
/// collection at the same points instead.
public var interruptRequested: Int32 {
    @inline(__always) get { stl_interrupt_load() }
    @inline(__always) set { stl_interrupt_store(newValue) }
}

/// Whether Ctrl-C asked for a KeyboardInterrupt (a pending collection request aside).
public var keyboardInterruptRequested: Bool { interruptRequested & ~CycleGC.requestBit != 0 }

extension Runtime {
    /// What `interruptRequested` asks for, at a loop iteration or a function call: a cycle
    /// collection, then a KeyboardInterrupt.
    @inline(never)
    func serviceInterrupt() throws(PyErr) {
        if interruptRequested & CycleGC.requestBit != 0 {
            stl_interrupt_clear_bits(CycleGC.requestBit)
            CycleGC.collectDue()
        }
        if interruptRequested != 0 { throw takeInterrupt() }
    }

    /// The KeyboardInterrupt that `interruptRequested` asked for (and clears the request).
    /// Private: a check of `interruptRequested` calls `serviceInterrupt`, which also serves
    /// the collector's requests (raising here on one would be a spurious KeyboardInterrupt).
    @inline(never)
    private func takeInterrupt() -> PyErr {
        interruptRequested = 0
        let e = PyInstance(cls: types.KeyboardInterrupt)
        e.exception = ExceptionState(args: [])
        return PyErr(e)
    }

    /// Compiles input typed at the REPL (Python's 'single' mode): as `compile`, but the value of
    /// each expression statement outside functions and classes (blocks of `if`, `for`, `with`,
    /// ... included) is handed to `display`.
    public func compileInteractive(source: String, filename: String, module: PyModule,
                                   display: @escaping (Value) throws(PyErr) -> Void) throws(PyErr) -> CompiledModule {
        try compile(source: source, filename: filename, module: module, interactive: true, display: display)
    }
}
