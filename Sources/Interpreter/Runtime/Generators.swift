import Foundation
import StackSwitch

// Generator functions (`def f(): ... yield x ...`).
//
// The compiled body is a tree of Swift closures, which cannot be suspended half way. So a
// generator body runs on a native stack of its own, on the interpreter's thread, and `yield`
// switches stacks (StackSwitch: a few nanoseconds; an earlier version handed control between
// threads, which cost 5-50 microseconds per resume). Exactly one stack runs at any time, so the
// interpreter's state needs no locks, and the value stack stays last-in first-out: when a body
// yields, every call it made has returned. The body's own frame lives on the heap.

/// The running state of one generator object: these fields, with the body's frame stored after
/// them in the same allocation (`GeneratorBody` is a ManagedBuffer: one allocation per
/// generator fewer, ~200 instructions).
struct GeneratorFields {
    let function: PyFunction
    unowned(unsafe) let rt: Runtime
    /// Slots in the frame (at least one).
    let frameSize: Int
    var frameLive = true
    var state: GeneratorBody.State = .created
    /// Consumer to body: the value `send` passes, or the exception `throw` raises at the yield.
    /// Both are back to .none / nil whenever the body is suspended (it takes them on waking).
    var sent: Value = .none
    var thrown: PyErr?
    /// Body to consumer: how the body ended, once finished.
    var outcome: GeneratorBody.Outcome = .returned(.none)
    /// The value of the last `yield`, while suspended (kept out of `outcome`: no enum payload
    /// copied and reset per step).
    var yielded: Value = .none
    /// The body's `return` value, once finished (`yield from` evaluates to it).
    var returnValue: Value = .none
    /// The body's own `except` blocks in progress across a yield (see `Runtime.handling`).
    var handling: [PyInstance] = []
    /// While the body is suspended in `yield from` another generator: that generator, which
    /// `resume` drives directly (the body's `yieldFrom` keeps it alive until it is cleared).
    /// Unmanaged: walking a chain through strong (or unowned(unsafe)) loads retained each level.
    var delegate: Unmanaged<GeneratorBody>?
    /// The body's native stack, from its first resume until it finishes.
    var stack: UnsafeMutableRawPointer?
    /// Saved stack pointers, at a fixed address for the switch: [0] the consumer's while the
    /// body runs, [1] the body's while it is suspended. They live at the top of the body's
    /// stack (no allocation of their own), so they exist from the first resume.
    var savedStackPointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>?

    init(function: PyFunction, rt: Runtime, frameSize: Int) {
        self.function = function
        self.rt = rt
        self.frameSize = frameSize
    }
}

final class GeneratorBody: ManagedBuffer<GeneratorFields, Value> {
    enum State { case created, suspended, running, finished }
    enum Outcome { case returned(Value), raised(PyErr) }

    /// A body whose frame takes over the `count` values of `frame` (a call's frame, left
    /// holding `.undef`): the arguments move, with no reference counting.
    static func make(function: PyFunction, movingFrom frame: Frame, count: Int, rt: Runtime) -> GeneratorBody {
        let size = max(count, 1)
        let body = unsafeDowncast(GeneratorBody.create(minimumCapacity: size) { _ in
            GeneratorFields(function: function, rt: rt, frameSize: size)
        }, to: GeneratorBody.self)
        body.withUnsafeMutablePointerToElements { fp in
            for i in 0..<count {
                (fp + i).initialize(to: (frame + i).move())
                (frame + i).initialize(to: .undef)
            }
            if count == 0 { fp.initialize(to: .undef) }
        }
        return body
    }

    deinit {
        // A body that never finished keeps itself alive from its own stack, so a stack here
        // is one that finished.
        if let stack = header.stack { GeneratorStacks.unmap(stack) }
        // A finished body's frame holds only `.undef` (nothing to release). The buffer's own
        // deinit destroys the fields, not the frame.
        if header.frameLive { destroyFrameValues() }
    }

    /// The body's frame (arguments, then locals). Its values are released when the body
    /// finishes (`dropFrame`); the memory goes with the body.
    var fp: Frame { withUnsafeMutablePointerToElements { $0 } }
    var function: PyFunction { header.function }
    var rt: Runtime { header.rt }
    var frameSize: Int { header.frameSize }
    var frameLive: Bool { header.frameLive }
    var state: State {
        get { header.state }
        set { header.state = newValue }
    }
    var outcome: Outcome {
        get { header.outcome }
        set { header.outcome = newValue }
    }
    var returnValue: Value {
        get { header.returnValue }
        set { header.returnValue = newValue }
    }
    var handling: [PyInstance] {
        get { header.handling }
        set { header.handling = newValue }
    }
    var delegate: Unmanaged<GeneratorBody>? {
        get { header.delegate }
        set { header.delegate = newValue }
    }
    var stack: UnsafeMutableRawPointer? {
        get { header.stack }
        set { header.stack = newValue }
    }
    var savedStackPointers: UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
        get { header.savedStackPointers }
        set { header.savedStackPointers = newValue }
    }

    /// The body has finished (or will never start): its locals go now, as CPython's frame does.
    func dropFrame() {
        guard frameLive else { return }
        header.frameLive = false
        // Releasing a value may run code (a generator in a local is closed): the frame is
        // marked dead first, and the values are replaced through the pointer, with no Swift
        // access to this object in progress.
        fp.update(repeating: .undef, count: frameSize)
    }

    /// Releases the frame's object references (a plain loop: deinitialize(count:) goes
    /// through the generic runtime).
    private func destroyFrameValues() {
        for i in 0..<frameSize {
            if case .obj = fp[i] { (fp + i).deinitialize(count: 1) }
        }
    }

    /// Continues the body (its first resume starts it), until it yields or finishes.
    func switchToBody() {
        guard let slots = savedStackPointers else { return }
        stl_stack_switch(slots, slots[1])
    }

    /// From the body: back to the consumer that resumed it.
    func switchToConsumer() {
        guard let slots = savedStackPointers else { return }
        stl_stack_switch(slots + 1, slots[0])
    }
}

/// Native stacks for one runtime's generator bodies, mapped on first use and kept for reuse.
/// One pool per runtime, which runs on one thread at a time: no lock (a global pool's lock and
/// lazy statics cost ~150 instructions per generator).
final class GeneratorStacks {
    /// How deep a body may recurse on its stack: a debug build was measured to need under
    /// 20 KiB of native stack per level, a release build under 2 KiB; the sizes leave a
    /// threefold margin. Untouched pages cost address space only.
    static let maxDepthInBody = 500
    #if DEBUG
    static let size = 32 << 20
    #else
    static let size = 4 << 20
    #endif
    /// Stacks kept mapped for the next generator: a new one costs three system calls and the
    /// page faults of its first use. Enough for a `yield from` or nested `for` chain well over
    /// a hundred deep (with 16, each level beyond the sixteenth mapped and unmapped a stack on
    /// every pass: 14x CPython at depth 40). A kept stack holds only the pages it touched.
    static let keep = 128
    /// Bytes at the top of each stack kept for the body's saved stack pointers.
    static let reserved = 64

    private let idle = UnsafeMutablePointer<UnsafeMutableRawPointer>.allocate(capacity: GeneratorStacks.keep)
    private var idleCount = 0

    deinit {
        for i in 0..<idleCount { GeneratorStacks.unmap(idle[i]) }
        idle.deallocate()
    }

    /// A stack with a guard page at its low end, or nil when none can be mapped (an
    /// address-space limit).
    func take() -> UnsafeMutableRawPointer? {
        if idleCount > 0 {
            idleCount -= 1
            return idle[idleCount]
        }
        guard let p = mmap(nil, GeneratorStacks.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0),
              p != MAP_FAILED else { return nil }
        // Running off the end faults instead of writing over another stack.
        mprotect(p, Int(sysconf(Int32(_SC_PAGESIZE))), PROT_NONE)
        return p
    }

    func give(_ stack: UnsafeMutableRawPointer) {
        if idleCount < GeneratorStacks.keep {
            idle[idleCount] = stack
            idleCount += 1
        } else {
            GeneratorStacks.unmap(stack)
        }
    }

    static func unmap(_ stack: UnsafeMutableRawPointer) {
        munmap(stack, size)
    }
}

/// The generators of the `yield from` chains being resumed, from each chain's top down to its
/// target's delegator (`Runtime.resumeDelegating`), with how many `except` blocks were in
/// progress before each level's own. One per runtime; nested resumes push above and restore.
final class DelegationPath {
    struct Level {
        let body: Unmanaged<GeneratorBody>
        let handlingCount: Int
    }
    private(set) var levels: UnsafeMutablePointer<Level>
    var count = 0
    private(set) var capacity = 64

    init() {
        levels = UnsafeMutablePointer<Level>.allocate(capacity: capacity)
    }

    deinit {
        levels.deallocate()
    }

    /// Doubles the capacity (the levels below `count` move).
    @inline(never)
    func grow() {
        let bigger = UnsafeMutablePointer<Level>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: levels, count: count)
        levels.deallocate()
        levels = bigger
        capacity *= 2
    }
}

/// Where a body's stack starts: runs the body to its end, then returns to the consumer for the
/// last time (the consumer gives the stack back).
private let generatorEntry: stl_stack_entry = { arg in
    guard let slots = runGeneratorBody(arg) else { return }
    stl_stack_switch(slots + 1, slots[0])
}

/// Kept out of line so that nothing it holds outlives it: the entry's last switch never returns.
@inline(never)
private func runGeneratorBody(_ arg: UnsafeMutableRawPointer?) -> UnsafeMutablePointer<UnsafeMutableRawPointer?>? {
    guard let arg else { return nil }
    let body = Unmanaged<GeneratorBody>.fromOpaque(arg).takeUnretainedValue()
    body.rt.runBody(body)
    return body.savedStackPointers
}

extension Runtime {
    /// A call of a generator function: its arguments are bound in `fp` (the call's own frame,
    /// which only its caller's pop reads after this); they move to a heap frame and nothing
    /// runs until the first `next`.
    func makeGenerator(_ f: PyFunction, _ fp: Frame) -> Value {
        let body = GeneratorBody.make(function: f, movingFrom: fp, count: f.code.slotCount, rt: self)
        // `forEach` and `nextItem` resume the body directly; the iterator's own closure is a
        // capture-free stand-in (no context to allocate) that no one calls.
        let it = PyIterator(cls: types.generator, generator: body)
        return .obj(it)
    }

    /// Runs the body to its next yield (or its end): the yielded value, or nil when finished.
    func resume(_ body: GeneratorBody, send: Value, throwing: PyErr?) throws(PyErr) -> Value? {
        // A body suspended in `yield from` has yielded its delegate's first item itself; the
        // items after it come from the delegate, driven from here.
        if body.delegate == nil { return try resumeBody(body, send: send, throwing: throwing) }
        return try resumeDelegating(body, send: send, throwing: throwing)
    }

    /// `resume` of a body suspended in `yield from` a generator (after yielding its first
    /// item: `yieldFrom`). The body is not woken per item: the innermost generator of the
    /// chain runs and yields straight to this consumer, so an item costs one stack switch
    /// there and back whatever the chain's length (CPython passes each item through every
    /// level). The levels above it count as frames (depth, their `except` blocks in
    /// progress); they stay `.suspended`, but a resume of one reaches the running innermost
    /// ("already executing"), and so does a close (checked here). A body wakes when its
    /// delegate has finished (its return value sent, its exception thrown), or for
    /// GeneratorExit, which it passes on by closing the delegate, as CPython does.
    @inline(never)
    private func resumeDelegating(_ top: GeneratorBody, send: Value, throwing: PyErr?) throws(PyErr) -> Value? {
        var send = send, throwing = throwing
        if let e = throwing, top.state == .suspended, matches(e, types.GeneratorExit) {
            if chainIsRunning(top) { throw valueError("generator already executing") }
            top.delegate = nil
        }
        // The levels from `top` down to the target's delegator, recorded as the descent goes
        // (walking again from `top` to find a finished target's delegator cost ~9 instructions
        // a level). Each level's `yieldFrom` holds its delegate alive: the path borrows.
        let path = delegationPath
        let basePath = path.count
        let baseDepth = depth, baseHandling = handling.count
        defer {
            depth = baseDepth
            if handling.count > baseHandling { handling.removeSubrange(baseHandling...) }
            path.count = basePath
        }
        var target = descendRecording(from: Unmanaged.passUnretained(top), path)
        while true {
            depth = baseDepth &+ (path.count &- basePath)
            var result: Value?
            var failure: PyErr?
            target._withUnsafeGuaranteedRef { g in
                do throws(PyErr) {
                    result = try resumeBody(g, send: send, throwing: throwing)
                } catch {
                    failure = error
                }
            }
            // A yield (of its own, or the first of a new `yield from`: the target is suspended).
            if let v = result { return v }
            // Running already (re-entered from inside the chain): the error is the caller's.
            if let failure, target._withUnsafeGuaranteedRef({ $0.header.state == .running }) { throw failure }
            // The target finished: its delegator's `yield from` ends, with its return value or
            // its exception. The delegator's own `except` blocks come off the list (resuming
            // it puts them back).
            if path.count == basePath {
                if let failure { throw failure }
                return nil
            }
            if let failure {
                send = .none
                throwing = failure
            } else {
                send = target._withUnsafeGuaranteedRef { $0.header.returnValue }
                throwing = nil
            }
            path.count -= 1
            let level = path.levels[path.count]
            if handling.count > level.handlingCount { handling.removeSubrange(level.handlingCount...) }
            target = level.body
            target._withUnsafeGuaranteedRef { $0.header.delegate = nil }
        }
    }

    /// From `start` down the `yield from` links to the generator that runs next; each level
    /// passed (a suspended delegator) is pushed on `path`, and its `except` blocks in progress
    /// go on `handling`. Out of line, with only locals in the loop (~16 instructions a level;
    /// inlined, its spills cost more).
    @inline(never)
    private func descendRecording(from start: Unmanaged<GeneratorBody>, _ path: DelegationPath) -> Unmanaged<GeneratorBody> {
        var target = start
        var n = path.count
        var capacity = path.capacity
        var levels = path.levels
        var handlingCount = handling.count
        while true {
            let (next, hasHandling) = target._withUnsafeGuaranteedRef { g in
                (g.header.state == .suspended ? g.header.delegate : nil, !g.header.handling.isEmpty)
            }
            guard let next else { break }
            if n == capacity {
                path.count = n
                path.grow()
                capacity = path.capacity
                levels = path.levels
            }
            (levels + n).initialize(to: DelegationPath.Level(body: target, handlingCount: handlingCount))
            n &+= 1
            if hasHandling {
                target._withUnsafeGuaranteedRef { handling.append(contentsOf: $0.header.handling) }
                handlingCount = handling.count
            }
            target = next
        }
        path.count = n
        return target
    }

    /// Whether the `yield from` chain below `top` ends in a running generator (so `top` is
    /// part of what runs).
    private func chainIsRunning(_ top: GeneratorBody) -> Bool {
        var g = Unmanaged.passUnretained(top)
        while true {
            let (running, next) = g._withUnsafeGuaranteedRef { ($0.state == .running, $0.delegate) }
            if running { return true }
            guard let next else { return false }
            g = next
        }
    }

    /// Switches to the body until it yields or finishes (`resume` without delegation).
    private func resumeBody(_ body: GeneratorBody, send: Value, throwing: PyErr?) throws(PyErr) -> Value? {
        switch body.state {
        case .suspended:
            // Both are empty while the body is suspended (it takes them as it wakes): set only
            // what is given.
            if !send.isNone { body.header.sent = send }
            if let throwing { body.header.thrown = throwing }
        case .created:
            if let throwing {
                body.state = .finished
                body.dropFrame()
                throw throwing
            }
            if !send.isNone { throw typeError("can't send non-None value to a just-started generator") }
            try giveStack(to: body)
        case .finished:
            if let throwing { throw throwing }
            // A second StopIteration carries no value, as in CPython.
            body.returnValue = .none
            return nil
        case .running:
            throw valueError("generator already executing")
        }
        // The body counts as one more frame of the consumer's depth, and may recurse only as far
        // as its stack allows.
        let savedDepth = depth, savedCap = generatorDepthCap
        let savedGenerator = currentGenerator
        let consumerHandlingCount = handling.count
        depth = savedDepth + 1
        // Each body recurses on a stack of its own: its cap counts from where it starts
        // (a consumer's lower cap would stop a `yield from` chain long before CPython does).
        let cap = savedDepth + 1 + GeneratorStacks.maxDepthInBody
        generatorDepthCap = cap
        recursionLimit = min(configuredRecursionLimit, cap)
        currentGenerator = Unmanaged.passUnretained(body)
        if !body.header.handling.isEmpty { handling.append(contentsOf: body.header.handling) }
        body.header.state = .running
        body.switchToBody()
        if handling.count > consumerHandlingCount || !body.header.handling.isEmpty {
            keepHandling(of: body, above: consumerHandlingCount)
        }
        depth = savedDepth
        generatorDepthCap = savedCap
        recursionLimit = min(configuredRecursionLimit, savedCap)
        currentGenerator = savedGenerator
        if body.header.state == .suspended {
            var v: Value = .none
            swap(&v, &body.header.yielded)
            return v
        }
        return try bodyFinished(body)
    }

    /// A native stack for a body's first resume, laid out to start it.
    @inline(never)
    private func giveStack(to body: GeneratorBody) throws(PyErr) {
        guard let stack = generatorStacks.take(),
              let start = stl_stack_prepare(stack, GeneratorStacks.size - GeneratorStacks.reserved, generatorEntry,
                                            Unmanaged.passUnretained(body).toOpaque()) else {
            throw raise(types.MemoryError, "cannot allocate a stack for the generator")
        }
        body.stack = stack
        let slots = (stack + GeneratorStacks.size - GeneratorStacks.reserved / 2)
            .bindMemory(to: UnsafeMutableRawPointer?.self, capacity: 2)
        slots[1] = start
        body.savedStackPointers = slots
    }

    /// The body's `except` blocks in progress when it yielded (those above the consumer's
    /// own), kept for its next resume and taken off the consumer's list.
    @inline(never)
    private func keepHandling(of body: GeneratorBody, above consumerCount: Int) {
        if handling.count > consumerCount {
            body.handling = Array(handling[consumerCount...])
            handling.removeSubrange(consumerCount...)
        } else {
            body.handling = []
        }
    }

    /// After a body's last switch back: its stack goes back to the pool; its return value is
    /// kept (nil), or its exception raised.
    @inline(never)
    private func bodyFinished(_ body: GeneratorBody) throws(PyErr) -> Value? {
        if let stack = body.stack {
            body.stack = nil
            generatorStacks.give(stack)
        }
        switch body.outcome {
        case .returned(let v):
            body.returnValue = v
            return nil
        case .raised(let e):
            throw e
        }
    }

    /// The body, on its own stack, from its start to its end.
    fileprivate func runBody(_ body: GeneratorBody) {
        let code = body.function.code
        if body.frameLive {
            do throws(PyErr) {
                if interruptRequested != 0 { try serviceInterrupt() }
                _ = try code.body(body.fp)
                let slot = body.fp + code.returnSlot
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
        body.dropFrame()
    }

    /// `yield v` inside the running body: hands `v` to the consumer and waits for the next
    /// resume; evaluates to the value sent (None for `next`), or raises what `throw` passed.
    func yieldValue(_ v: consuming Value) throws(PyErr) -> Value {
        guard let current = currentGenerator else {
            throw raise(types.RuntimeError, "yield outside a running generator")
        }
        var sent: Value = .none
        var thrown: PyErr?
        current._withUnsafeGuaranteedRef { body in
            body.header.yielded = v
            body.header.state = .suspended
            body.switchToConsumer()
            // The consumer has set the state up again (depth, currentGenerator) before waking us.
            if body.header.thrown != nil { swap(&thrown, &body.header.thrown) }
            if !body.header.sent.isNone { swap(&sent, &body.header.sent) }
        }
        if let thrown { throw thrown }
        return sent
    }

    /// `yield from it`: yields what `it` yields; sends and throws reach a generator `it`;
    /// evaluates to `it`'s return value.
    func yieldFrom(_ iterable: Value) throws(PyErr) -> Value {
        // A generator (the usual case) is its own iterator: no trip through `iterator(of:)`.
        let it: Value
        if case .obj(let o) = iterable, o.kind == .iterator { it = iterable } else { it = try iterator(of: iterable) }
        guard case .obj(let o) = it, o.kind == .iterator, let inner = unsafeDowncast(o, to: PyIterator.self).generator else {
            while let v = try nextItem(it) { _ = try yieldValue(v) }
            return .none
        }
        guard let current = currentGenerator else {
            throw raise(types.RuntimeError, "yield outside a running generator")
        }
        // `inner` may be this body, or delegate (through a chain) to it: it runs already, and a
        // chain with a cycle would never end.
        if chainIsRunning(inner) { throw valueError("generator already executing") }
        // The generator object owns `inner` (and closes it when it goes): kept until it ends.
        return try withExtendedLifetime(it) { () throws(PyErr) -> Value in
            // The first step runs from here, one frame deeper (as CPython's `yield from` does):
            // a delegate that finishes at once costs no trip through the consumer.
            guard let first = try resume(inner, send: .none, throwing: nil) else { return inner.returnValue }
            // Yields `first` with `inner` as its delegate: the consumer's `resume` drives `inner`
            // directly from now on. Wakes when `inner` has finished (its return value sent, its
            // exception thrown) or for GeneratorExit.
            var sent: Value = .none
            var thrown: PyErr?
            current._withUnsafeGuaranteedRef { body in
                body.delegate = Unmanaged.passUnretained(inner)
                body.header.yielded = first
                body.state = .suspended
                body.switchToConsumer()
                body.delegate = nil
                if body.header.thrown != nil { swap(&thrown, &body.header.thrown) }
                swap(&sent, &body.header.sent)
            }
            if let thrown {
                if matches(thrown, types.GeneratorExit) { try close(inner) }
                throw thrown
            }
            return sent
        }
    }

    /// `g.close()`: GeneratorExit at the suspended yield; the body may clean up but not yield.
    func close(_ body: GeneratorBody) throws(PyErr) {
        switch body.state {
        case .created:
            body.state = .finished
            body.dropFrame()
            return
        case .finished:
            return
        case .running:
            // As CPython (a body closing itself, or a delegator whose `yield from` is taking
            // its delegate's first step).
            throw valueError("generator already executing")
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
                  let b = unsafeDowncast(o, to: PyIterator.self).generator else {
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
