// Binding a call site's arguments straight into a Python function's frame, when the site passes
// positional arguments and keywords (no `*` or `**`) and the function takes no `**kwargs`.
//
// Which slot each keyword lands in, and which parameters are left for their defaults, depend
// only on the function's code and the site's shape, so they are worked out once per code object
// and site. A call then checks that the defaults it needs exist, writes the arguments into the
// frame as they are evaluated, and copies the defaults: no argument arrays, no keyword list, no
// name lookups. Anything irregular (a missing argument, a repeated one, an unknown keyword) is
// left to `bindArguments`, which raises CPython's errors; that decision is made before any
// argument is evaluated.

/// How a site's arguments land in one function code's frame. Immutable: a call keeps using the
/// plan it started with even if evaluating its arguments re-plans the site.
final class BindingPlan {
    let code: CodeObject
    let withReceiver: Bool
    /// false: this shape cannot be bound directly (the general path raises the error).
    let bindable: Bool
    /// Frame slot of each keyword argument, in the site's order.
    let keywordSlots: [Int]
    /// Positional parameters no argument fills, ascending; the first needs the function's
    /// defaults to reach down to it.
    let unfilledPositional: [Int]
    /// Keyword-only parameters no argument fills: each takes its default.
    let unfilledKeywordOnly: [(slot: Int, name: String)]

    init(_ c: CodeObject, withReceiver receiver: Bool, positionalCount: Int, keywordNames: [String]) {
        code = c
        withReceiver = receiver
        let given = positionalCount + (receiver ? 1 : 0)
        let nparams = c.positionalNames.count
        var slots: [Int] = []
        var ok = c.kwargsSlot == nil && given <= nparams
        var filled = [Bool](repeating: false, count: c.slotCount)
        if ok {
            for i in 0..<given { filled[i] = true }
            for name in keywordNames {
                guard let s = c.keywordSlot(name), !filled[s] else { ok = false; break }
                filled[s] = true
                slots.append(s)
            }
        }
        bindable = ok
        keywordSlots = slots
        unfilledPositional = ok ? (given..<nparams).filter { !filled[$0] } : []
        var kwOnly: [(slot: Int, name: String)] = []
        if ok {
            let kwBase = nparams + (c.varargsSlot != nil ? 1 : 0)
            for (j, name) in c.keywordOnlyNames.enumerated() where !filled[kwBase + j] {
                kwOnly.append((kwBase + j, name))
            }
        }
        unfilledKeywordOnly = kwOnly
    }

    /// Whether `f` (whose code this plan is for) has the defaults this plan needs.
    @inline(__always)
    func hasDefaults(_ f: PyFunction) -> Bool {
        if let first = unfilledPositional.first, first < code.positionalNames.count - f.defaults.count { return false }
        for p in unfilledKeywordOnly where f.kwDefaults[p.name] == nil { return false }
        return true
    }

    /// Fills the slots no argument fills.
    @inline(__always)
    func fillDefaults(_ f: PyFunction, _ fp: Frame) {
        if !unfilledPositional.isEmpty {
            let firstDefault = code.positionalNames.count - f.defaults.count
            for i in unfilledPositional { fp[i] = f.defaults[i - firstDefault] }
        }
        for p in unfilledKeywordOnly { fp[p.slot] = f.kwDefaults[p.name] ?? .none }
        if let vs = code.varargsSlot { fp[vs] = .emptyTuple }
    }
}

/// One call site's shape, and its plan for the last function code it called.
final class ArgumentBinder {
    /// Positional arguments at the site (a receiver, when there is one, comes first and is not
    /// counted here).
    let positionalCount: Int
    let keywordNames: [String]
    private var last: BindingPlan?

    init(positionalCount: Int, keywordNames: [String]) {
        self.positionalCount = positionalCount
        self.keywordNames = keywordNames
    }

    /// The plan for calling `f` from this site, or nil when the general path must (nothing is
    /// evaluated to decide).
    @inline(__always)
    func plan(_ f: PyFunction, withReceiver receiver: Bool) -> BindingPlan? {
        let p: BindingPlan
        if let l = last, l.code === f.code, l.withReceiver == receiver {
            p = l
        } else {
            p = BindingPlan(f.code, withReceiver: receiver, positionalCount: positionalCount, keywordNames: keywordNames)
            last = p
        }
        return p.bindable && p.hasDefaults(f) ? p : nil
    }
}

extension Runtime {
    /// Calls `f` with a site's arguments written by `fill` (positional ones from the slot it is
    /// given, keywords at `plan.keywordSlots`).
    @inline(__always)
    func callBinding(_ f: PyFunction, _ plan: BindingPlan, receiver: Value?,
                     _ fill: (Frame, Int, BindingPlan) throws(PyErr) -> Void) throws(PyErr) -> Value {
        let n = f.code.slotCount
        let nfp = try pushFrame(n)
        defer { popFrame(nfp, n) }
        var offset = 0
        if let r = receiver {
            nfp[0] = r
            offset = 1
        }
        try fill(nfp, offset, plan)
        plan.fillDefaults(f, nfp)
        return try runFunctionBody(f, nfp)
    }
}
