import Foundation

// Generator functions (`def f(): ... yield x ...`).
//
// The compiled body is a tree of Swift closures, which cannot be suspended half way. So a
// generator body runs on a thread of its own (taken from a pool), and control passes back and
// forth by hand-off: the consumer wakes the body and waits; the body runs to its next `yield`,
// wakes the consumer and waits. Exactly one of them runs at any time, so the interpreter's state
// (value stack, depth, modules) needs no locks, and the value stack stays last-in first-out:
// when a body yields, every call it made has returned. The body's own frame lives on the heap.
//
// The Interpreter module counts references without atomics (-assume-single-threaded), which
// stays sound only because no two threads ever run Swift code at once: the hand-offs use raw
// POSIX semaphores (no reference counting), and a thread does nothing between waking the other
// side and going to sleep itself.

/// A POSIX semaphore in memory of its own: posting and waiting touch no reference counts.
typealias RawSemaphore = UnsafeMutablePointer<sem_t>

func makeRawSemaphore() -> RawSemaphore {
    let s = RawSemaphore.allocate(capacity: 1)
    sem_init(s, 0, 0)
    return s
}

func freeRawSemaphore(_ s: RawSemaphore) {
    sem_destroy(s)
    s.deallocate()
}

/// Waits, retrying when a signal interrupts the wait.
@inline(__always)
func waitRawSemaphore(_ s: RawSemaphore) {
    while sem_wait(s) != 0 && errno == EINTR {}
}

/// The running state of one generator object.
final class GeneratorBody {
    enum State { case created, suspended, running, finished }
    enum Outcome { case yielded(Value), returned(Value), raised(PyErr) }

    let function: PyFunction
    var frame: HeapFrame?
    var state: State = .created
    /// Consumer to body: the value `send` passes, or the exception `throw` raises at the yield.
    var sent: Value = .none
    var thrown: PyErr?
    /// Body to consumer: how the last stretch of the body ended.
    var outcome: Outcome = .returned(.none)
    /// The body's `return` value, once finished (`yield from` evaluates to it).
    var returnValue: Value = .none
    /// The body's own `except` blocks in progress across a yield (see `Runtime.handling`).
    var handling: [PyInstance] = []
    let bodyTurn = makeRawSemaphore()
    let consumerTurn = makeRawSemaphore()

    init(function: PyFunction, frame: HeapFrame) {
        self.function = function
        self.frame = frame
    }

    deinit {
        freeRawSemaphore(bodyTurn)
        freeRawSemaphore(consumerTurn)
    }
}

/// Held only by the generator object: when that goes, a suspended body is closed (GeneratorExit
/// at its `yield`, so `finally` blocks run), as CPython does when it collects a generator.
final class GeneratorHandle {
    let body: GeneratorBody
    unowned let rt: Runtime
    init(body: GeneratorBody, rt: Runtime) {
        self.body = body
        self.rt = rt
    }
    deinit {
        guard body.state == .suspended else { return }
        rt.closeAbandoned(body)
    }
}

/// Threads that run generator bodies, kept for reuse (starting a thread costs more than a
/// hand-off).
final class GeneratorWorker: @unchecked Sendable {
    /// Native stack of a worker, and how deep a body may recurse in it: a debug build was
    /// measured to need under 20 KiB per level, so this leaves a threefold margin.
    static let stackSize = 32 << 20
    static let maxDepthInBody = 500

    private static let lock = NSLock()
    nonisolated(unsafe) private static var idle: [GeneratorWorker] = []

    private let wake = makeRawSemaphore()
    /// Runs a body to its end; returns the semaphore to post once the worker has let go of
    /// everything the job held (the consumer's), so the consumer wakes to a quiet thread.
    private var job: (() -> RawSemaphore)?

    private func loop() {
        while true {
            waitRawSemaphore(wake)
            var j = job
            job = nil
            let done = j?()
            j = nil
            GeneratorWorker.lock.lock()
            GeneratorWorker.idle.append(self)
            GeneratorWorker.lock.unlock()
            if let done { sem_post(done) }
        }
    }

    /// Gives `job` to an idle worker or a new thread and returns the semaphore that starts it
    /// (the caller posts it, then waits); nil when no thread can be made (an address-space
    /// limit, too many threads).
    fileprivate static func prepare(_ job: @escaping () -> RawSemaphore) -> RawSemaphore? {
        lock.lock()
        let idleWorker = idle.popLast()
        lock.unlock()
        let worker = idleWorker ?? GeneratorWorker()
        worker.job = job
        if idleWorker == nil {
            var attr = pthread_attr_t()
            pthread_attr_init(&attr)
            defer { pthread_attr_destroy(&attr) }
            pthread_attr_setstacksize(&attr, stackSize)
            pthread_attr_setdetachstate(&attr, Int32(PTHREAD_CREATE_DETACHED))
            let context = Unmanaged.passRetained(worker).toOpaque()
            var thread = pthread_t()
            // The new thread only waits on `wake` until the caller posts it.
            let rc = pthread_create(&thread, &attr, { arg in
                guard let arg else { return nil }
                Unmanaged<GeneratorWorker>.fromOpaque(arg).takeRetainedValue().loop()
                return nil
            }, context)
            if rc != 0 {
                Unmanaged<GeneratorWorker>.fromOpaque(context).release()
                worker.job = nil
                return nil
            }
        }
        return worker.wake
    }
}

extension Runtime {
    /// A call of a generator function: its arguments are bound in `fp`; they move to a heap
    /// frame and nothing runs until the first `next`.
    func makeGenerator(_ f: PyFunction, _ fp: Frame) -> Value {
        let n = f.code.slotCount
        let frame = HeapFrame(size: n)
        for i in 0..<n { frame.fp[i] = fp[i] }
        let body = GeneratorBody(function: f, frame: frame)
        let it = PyIterator(cls: types.generator) { [unowned self] () throws(PyErr) -> Value? in
            try self.resume(body, send: .none, throwing: nil)
        }
        it.generator = GeneratorHandle(body: body, rt: self)
        return .obj(it)
    }

    /// Runs the body to its next yield (or its end): the yielded value, or nil when finished.
    func resume(_ body: GeneratorBody, send: Value, throwing: PyErr?) throws(PyErr) -> Value? {
        switch body.state {
        case .finished:
            if let throwing { throw throwing }
            return nil
        case .running:
            throw valueError("generator already executing")
        case .created:
            if let throwing {
                body.state = .finished
                body.frame = nil
                throw throwing
            }
            if !send.isNone { throw typeError("can't send non-None value to a just-started generator") }
        case .suspended:
            body.sent = send
            body.thrown = throwing
        }
        // The body counts as one more frame of the consumer's depth, and may recurse only as far
        // as its thread's stack allows.
        let savedDepth = depth, savedCap = generatorDepthCap, savedGenerator = currentGenerator
        let consumerHandling = handling
        depth += 1
        generatorDepthCap = min(generatorDepthCap, depth + GeneratorWorker.maxDepthInBody)
        recursionLimit = min(configuredRecursionLimit, generatorDepthCap)
        currentGenerator = body
        handling = consumerHandling + body.handling
        func restoreConsumerState() {
            handling = consumerHandling
            depth = savedDepth
            generatorDepthCap = savedCap
            recursionLimit = min(configuredRecursionLimit, generatorDepthCap)
            currentGenerator = savedGenerator
        }
        let wake: RawSemaphore
        if body.state == .created {
            guard let w = GeneratorWorker.prepare({ [unowned(unsafe) self] () -> RawSemaphore in
                self.runBody(body)
                return body.consumerTurn
            }) else {
                restoreConsumerState()
                throw raise(types.RuntimeError, "can't start new thread")
            }
            wake = w
        } else {
            wake = body.bodyTurn
        }
        let back = body.consumerTurn
        body.state = .running
        sem_post(wake)
        waitRawSemaphore(back)
        body.handling = handling.count > consumerHandling.count ? Array(handling[consumerHandling.count...]) : []
        restoreConsumerState()
        switch body.outcome {
        case .yielded(let v):
            body.outcome = .returned(.none)
            return v
        case .returned(let v):
            body.returnValue = v
            return nil
        case .raised(let e):
            throw e
        }
    }

    /// The body, on a worker thread, from its start to its end.
    private func runBody(_ body: GeneratorBody) {
        let code = body.function.code
        if let frame = body.frame {
            do throws(PyErr) {
                if interruptRequested != 0 { throw takeInterrupt() }
                _ = try code.body(frame.fp)
                let slot = frame.fp + code.returnSlot
                let r = slot.move()
                slot.initialize(to: .undef)
                if case .undef = r { body.outcome = .returned(.none) } else { body.outcome = .returned(r) }
            } catch {
                recordTraceback(error, code.filename, code.name)
                if matches(error, types.StopIteration) {
                    // PEP 479: a StopIteration escaping the body would look like exhaustion.
                    let wrapped = raise(types.RuntimeError, "generator raised StopIteration")
                    wrapped.state.cause = .obj(error.exc)
                    wrapped.state.suppressContext = true
                    body.outcome = .raised(wrapped)
                } else {
                    body.outcome = .raised(error)
                }
            }
        }
        body.state = .finished
        body.frame = nil
    }

    /// `yield v` inside the running body: hands `v` to the consumer and waits for the next
    /// resume; evaluates to the value sent (None for `next`), or raises what `throw` passed.
    func yieldValue(_ v: Value) throws(PyErr) -> Value {
        guard let body = currentGenerator else {
            throw raise(types.RuntimeError, "yield outside a running generator")
        }
        let back = body.consumerTurn, wake = body.bodyTurn
        body.outcome = .yielded(v)
        body.state = .suspended
        sem_post(back)
        waitRawSemaphore(wake)
        // The consumer has set the state up again (depth, currentGenerator) before waking us.
        if let e = body.thrown {
            body.thrown = nil
            body.sent = .none
            throw e
        }
        let s = body.sent
        body.sent = .none
        return s
    }

    /// `yield from it`: yields what `it` yields; sends and throws reach a generator `it`;
    /// evaluates to `it`'s return value.
    func yieldFrom(_ iterable: Value) throws(PyErr) -> Value {
        let it = try iterator(of: iterable)
        guard case .obj(let o) = it, o.kind == .iterator, let inner = unsafeDowncast(o, to: PyIterator.self).generator?.body else {
            while let v = try nextItem(it) { _ = try yieldValue(v) }
            return .none
        }
        var toSend: Value = .none
        var toThrow: PyErr?
        while true {
            guard let v = try resume(inner, send: toSend, throwing: toThrow) else { return inner.returnValue }
            do throws(PyErr) {
                toSend = try yieldValue(v)
                toThrow = nil
            } catch {
                if matches(error, types.GeneratorExit) {
                    try close(inner)
                    throw error
                }
                toSend = .none
                toThrow = error
            }
        }
    }

    /// `g.close()`: GeneratorExit at the suspended yield; the body may clean up but not yield.
    func close(_ body: GeneratorBody) throws(PyErr) {
        switch body.state {
        case .created:
            body.state = .finished
            body.frame = nil
            return
        case .finished, .running:
            return
        case .suspended:
            break
        }
        do throws(PyErr) {
            if try resume(body, send: .none, throwing: raise(types.GeneratorExit, args: [])) != nil {
                throw raise(types.RuntimeError, "generator ignored GeneratorExit")
            }
        } catch {
            if matches(error, types.GeneratorExit) || matches(error, types.StopIteration) { return }
            throw error
        }
    }

    /// A suspended generator nobody can reach any more: close it, reporting (not raising) what
    /// its clean-up raised, as CPython does.
    func closeAbandoned(_ body: GeneratorBody) {
        do throws(PyErr) {
            try close(body)
        } catch {
            stdout.flush()
            stderr.write("Exception ignored in: <generator object \(body.function.qualname)>\n")
            stderr.write(formatTraceback(error))
            stderr.flush()
        }
    }

    /// The generator object's methods: send, throw, close.
    func installGeneratorMethods() {
        func body(_ args: [Value], _ name: String) throws(PyErr) -> GeneratorBody {
            guard case .obj(let o)? = args.first, o.kind == .iterator,
                  let b = unsafeDowncast(o, to: PyIterator.self).generator?.body else {
                throw typeError("descriptor '\(name)' for 'generator' objects doesn't apply to a '\(args.first.map { typeName($0) } ?? "NoneType")' object")
            }
            return b
        }
        let g = types.generator
        g.setAttribute("send", .obj(PyBuiltin("send") { args, _ throws(PyErr) in
            let b = try body(args, "send")
            guard args.count == 2 else { throw self.typeError("generator.send() takes exactly one argument (\(args.count - 1) given)") }
            guard let v = try self.resume(b, send: args[1], throwing: nil) else {
                throw self.raise(self.types.StopIteration, args: b.returnValue.isNone ? [] : [b.returnValue])
            }
            return v
        }))
        g.setAttribute("throw", .obj(PyBuiltin("throw") { args, _ throws(PyErr) in
            let b = try body(args, "throw")
            guard args.count >= 2, args.count <= 4 else {
                throw self.typeError("throw expected at least 1 argument, got \(args.count - 1)")
            }
            let exc: PyInstance
            let value = args.count > 2 ? args[2] : Value.none
            if let c = args[1].asClass, c.isException {
                if let inst = value.asInstance, inst.exception != nil, inst.cls.isSubclass(of: c) {
                    exc = inst
                } else {
                    exc = try self.exceptionInstance(value.isNone ? args[1] : try self.instantiate(c, [value], []), forRaise: true)
                }
            } else if let inst = args[1].asInstance, inst.exception != nil {
                exc = inst
            } else {
                throw self.typeError("exceptions must be classes or instances deriving from BaseException, not \(self.typeName(args[1]))")
            }
            guard let v = try self.resume(b, send: .none, throwing: PyErr(exc)) else {
                throw self.raise(self.types.StopIteration, args: b.returnValue.isNone ? [] : [b.returnValue])
            }
            return v
        }))
        g.setAttribute("close", .obj(PyBuiltin("close") { args, _ throws(PyErr) in
            try self.close(try body(args, "close"))
            return .none
        }))
    }
}
