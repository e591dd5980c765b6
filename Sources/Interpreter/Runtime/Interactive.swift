import Foundation
import Resolve
import Syntax

/// Set (to non-zero) from a SIGINT handler to ask running code to raise KeyboardInterrupt; read
/// at loop iterations and function calls. A plain global, so a signal handler can write it.
nonisolated(unsafe) public var interruptRequested: Int32 = 0

extension Runtime {
    /// The KeyboardInterrupt that `interruptRequested` asked for (and clears the request).
    @inline(never)
    func takeInterrupt() -> PyErr {
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
