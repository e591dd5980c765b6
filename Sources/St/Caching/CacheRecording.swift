import Interpreter

/// Where a recorded element is replayed (CACHING.md B §8): relative to the cached call, so a hit
/// lands where the call is, in blocks the body itself made.
enum ReplayTarget {
    /// `st.x(...)`: the block active at the call site (main, or the enclosing `with`).
    case cursor
    case sidebar
    /// A block the body made: the op that made it, then child indices (a column of st.columns).
    case created(op: Int, path: [Int])
    /// The slot of an element the body made (`bar = st.progress(0); bar.progress(1)`).
    case slot(op: Int)
    /// A block made outside the body: cannot be replayed (CacheReplayClosureError on a hit).
    case outside
}

/// One element the body emitted, with where it goes.
struct RecordedOp {
    let target: ReplayTarget
    let element: Element
    /// For widgets replayed with `experimental_allow_widgets`: how to register them again.
    let widget: StApp.WidgetSpec?
}

/// What one executing cached call records (every executing cached call records every element,
/// nested calls included).
final class CacheCapture {
    let functionName: String
    let kind: CacheKind
    let allowWidgets: Bool
    var ops: [RecordedOp] = []
    var createdBlocks: [ObjectIdentifier: (op: Int, path: [Int])] = [:]
    var createdElements: [ObjectIdentifier: Int] = [:]
    /// Ids of widgets the body created (the second-stage key with allow_widgets).
    var widgetIDs: [String] = []
    /// Whether an op cannot be written to disk (a widget, whose callbacks are code).
    var hasWidgets = false

    init(functionName: String, kind: CacheKind, allowWidgets: Bool) {
        self.functionName = functionName
        self.kind = kind
        self.allowWidgets = allowWidgets
    }

    func target(for place: DGPayload.Place, current: Element) -> ReplayTarget {
        switch place {
        case .cursor:
            if let c = createdBlocks[ObjectIdentifier(current)] { return .created(op: c.op, path: c.path) }
            return .cursor
        case .sidebar: return .sidebar
        case .block(let b):
            if let c = createdBlocks[ObjectIdentifier(b)] { return .created(op: c.op, path: c.path) }
            return .outside
        case .slot(let e):
            if let i = createdElements[ObjectIdentifier(e)] { return .slot(op: i) }
            return .outside
        }
    }

    func record(_ element: Element, place: DGPayload.Place, current: Element, widget: StApp.WidgetSpec?) {
        let t = target(for: place, current: current)
        let index = ops.count
        ops.append(RecordedOp(target: t, element: element.copy(), widget: widget))
        if widget != nil { hasWidgets = true }
        register(element, op: index, path: [])
    }

    private func register(_ e: Element, op: Int, path: [Int]) {
        if path.isEmpty { createdElements[ObjectIdentifier(e)] = op }
        if e.isBlock { createdBlocks[ObjectIdentifier(e)] = (op, path) }
        for (i, c) in e.children.enumerated() { register(c, op: op, path: path + [i]) }
    }
}

extension StApp {
    static func replayClosureMessage(_ function: String, _ kind: CacheKind) -> String {
        """
        While running `\(function)()`, a streamlit element is called on some layout block
        created outside the function. This is incompatible with replaying the cached
        effect of that element, because the referenced block might not exist when
        the replay happens.

        How to fix this:
        * Move the creation of that layout block inside `\(function)()`.
        * Move the call to the streamlit element outside of `\(function)()`.
        * Remove the `@st.\(kind.rawValue)` decorator from `\(function)()`.
        """
    }

    static func cachedWidgetWarning(_ type: String, _ function: String, _ kind: CacheKind) -> String {
        """
        Your script uses `st.\(type)()` to write to your Streamlit app from within
        some cached code at `\(function)()`. This code will only be called when we detect
        a cache "miss", which can lead to unexpected results.

        How to fix this:
        * Move the `st.\(type)()` call outside `\(function)()`.
        * Or, if you know what you're doing, use `@st.\(kind.rawValue)(experimental_allow_widgets=True)`
        to enable widget replay and suppress this warning.
        """
    }

    /// Replays recorded ops at the call site; returns the number of element nodes replayed.
    func replay(_ ops: [RecordedOp], function: String, kind: CacheKind, replayed: inout Int) throws(PyErr) {
        var made: [Int: Element] = [:]
        for (i, op) in ops.enumerated() {
            let dg: DGPayload
            switch op.target {
            case .cursor: dg = DGPayload(.cursor)
            case .sidebar: dg = DGPayload(.sidebar)
            case .created(let k, let path):
                guard var b = made[k] else { throw rt.raise(replayClosureError, StApp.replayClosureMessage(function, kind)) }
                for p in path where p < b.children.count { b = b.children[p] }
                dg = DGPayload(.block(b))
            case .slot(let k):
                guard let e = made[k] else { throw rt.raise(replayClosureError, StApp.replayClosureMessage(function, kind)) }
                dg = DGPayload(.slot(e))
            case .outside:
                throw rt.raise(replayClosureError, StApp.replayClosureMessage(function, kind))
            }
            if let spec = op.widget {
                _ = try widget(dg, spec, replaying: true)
                if let e = lastEmitted { made[i] = e }
                replayed += 1
            } else {
                let e = op.element.copy()
                place(e, dg)
                made[i] = e
                replayed += e.nodeCount
            }
        }
    }
}
