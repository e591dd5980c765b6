import Foundation
import Interpreter

/// Where a DeltaGenerator object writes (Streamlit's `st`, `st.sidebar`, a container, or the
/// slot of one element that later calls replace).
final class DGPayload {
    enum Place {
        /// `st.x(...)`: the innermost open `with` block of the current run, else main.
        case cursor
        /// `st.sidebar.x(...)`: the current run's sidebar.
        case sidebar
        /// A block made by a command (`c = st.container()`).
        case block(Element)
        /// One element's slot: writing replaces that element.
        case slot(Element)
    }
    var place: Place
    init(_ place: Place) { self.place = place }
}

/// The `st` runtime of one app session: the module object, session state and widget state kept
/// across reruns, and the recorder of the current run. The language core knows nothing of it:
/// it plugs into the interpreter through `Runtime.nativeModules` and builtins (DESIGN.md).
public final class StApp {
    public let rt: Runtime
    public private(set) var recorder = Recorder()
    public private(set) var runNumber = 0
    /// Steps may only start runs from widgets of the last finished run.
    public private(set) var lastRunWidgets: [String: WidgetMeta] = [:]
    public private(set) var lastRunWidgetOrder: [String] = []

    // MARK: State across reruns
    /// `st.session_state`: user keys and the values of keyed widgets.
    let sessionState = PyDict()
    /// Values of widgets without a key, by generated id.
    var widgetValues: [String: Value] = [:]
    /// Session-state keys that belong to widgets (dropped when the widget is not shown in a run).
    var widgetKeys: Set<String> = []
    /// Widgets created in the current run, by id, in creation order.
    var widgets: [String: WidgetMeta] = [:]
    var widgetOrder: [String] = []
    /// Buttons clicked by the action that started this run (True for this run only).
    var clicked: Set<String> = []
    /// Callbacks to run before the next run's script (on_change / on_click).
    var pendingCallbacks: [(Value, [Value], KwArgs)] = []
    /// Pending values of widgets inside forms, applied by `submit FORM`.
    var pendingFormValues: [String: [String: Value]] = [:]
    var queryParams: [(String, [String])] = []
    /// Keys set through the st.session_state API (buttons and uploaders refuse them).
    var userSetKeys: Set<String> = []
    /// Whether widget callbacks are running (st.rerun() is then a no-op).
    var inCallback = false
    /// Forms seen in this run, by key.
    var forms: [String: Element] = [:]

    // MARK: Classes of st's objects
    let dgClass: PyClass
    let sessionStateClass: PyClass
    let uploadedFileClass: PyClass
    let spinnerClass: PyClass
    let echoClass: PyClass
    public let stopException: PyClass
    public let rerunException: PyClass
    public let apiException: PyClass
    public let duplicateWidgetID: PyClass
    public let replayClosureError: PyClass
    public let unhashableParamError: PyClass
    public let userHashError: PyClass
    let cacheDataAPIClass: PyClass
    let cacheResourceAPIClass: PyClass
    let cachedFuncClass: PyClass

    // MARK: Caching
    /// The cached calls executing now, innermost last: each records what is emitted.
    var captures: [CacheCapture] = []
    /// The element the last `emit` added (replay of widgets needs it).
    var lastEmitted: Element?
    /// Memory caches (they go with the process, or a `restart`).
    public let caches = CacheRegistry()
    /// Where `persist="disk"` entries live; nil disables persistence.
    public var diskCache: DiskCache?
    /// The cache events of the current run (SPEC §4), in order. A loop of hits on one function
    /// is stored as one event with a repeat count, so a run's memory does not grow per hit.
    public var cacheEvents: [CacheEvent] {
        var out: [CacheEvent] = []
        out.reserveCapacity(cacheEventRuns.reduce(0) { $0 + $1.count })
        for r in cacheEventRuns { out.append(contentsOf: repeatElement(r.event, count: r.count)) }
        return out
    }
    private var cacheEventRuns: [(event: CacheEvent, count: Int)] = []
    /// Shows (text) or hides (nil) the transient spinner of a cache miss.
    public var onSpinner: ((String?) -> Void)?
    /// Called with each cache event as it happens (`--trace-cache`).
    public var onCacheEvent: ((CacheEvent) -> Void)?
    public private(set) var module: PyModule!
    let mainDG: Value
    let sidebarDG: Value

    public init(runtime: Runtime) {
        rt = runtime
        let object = runtime.types.object
        dgClass = PyClass(name: "DeltaGenerator", base: object, isBuiltin: true, moduleName: "streamlit")
        sessionStateClass = PyClass(name: "SessionStateProxy", base: object, isBuiltin: true, moduleName: "streamlit")
        uploadedFileClass = PyClass(name: "UploadedFile", base: object, isBuiltin: true, moduleName: "streamlit")
        spinnerClass = PyClass(name: "Spinner", base: object, isBuiltin: true, moduleName: "streamlit")
        echoClass = PyClass(name: "Echo", base: object, isBuiltin: true, moduleName: "streamlit")
        // Streamlit's control-flow exceptions derive from BaseException, so `except Exception`
        // in an app does not swallow st.stop() or st.rerun().
        stopException = PyClass(name: "StopException", base: runtime.types.BaseException, isBuiltin: true, moduleName: "streamlit")
        rerunException = PyClass(name: "RerunException", base: runtime.types.BaseException, isBuiltin: true, moduleName: "streamlit")
        apiException = PyClass(name: "StreamlitAPIException", base: runtime.types.Exception, isBuiltin: true, moduleName: "streamlit")
        duplicateWidgetID = PyClass(name: "DuplicateWidgetID", base: apiException, isBuiltin: true, moduleName: "streamlit")
        replayClosureError = PyClass(name: "CacheReplayClosureError", base: apiException, isBuiltin: true, moduleName: "streamlit")
        unhashableParamError = PyClass(name: "UnhashableParamError", base: apiException, isBuiltin: true, moduleName: "streamlit")
        userHashError = PyClass(name: "UserHashError", base: apiException, isBuiltin: true, moduleName: "streamlit")
        cacheDataAPIClass = PyClass(name: "CacheDataAPI", base: object, isBuiltin: true, moduleName: "streamlit")
        cacheResourceAPIClass = PyClass(name: "CacheResourceAPI", base: object, isBuiltin: true, moduleName: "streamlit")
        cachedFuncClass = PyClass(name: "CachedFunc", base: object, isBuiltin: true, moduleName: "streamlit")
        mainDG = .obj(PyNative(cls: dgClass, payload: DGPayload(.cursor)))
        sidebarDG = .obj(PyNative(cls: dgClass, payload: DGPayload(.sidebar)))
        installDeltaGeneratorClass()
        installSessionStateClass()
        installUploadedFileClass()
        installCacheClasses()
        module = makeModule()
    }

    /// Makes `st` importable (`import streamlit as st`, `import st`) and a builtin name.
    public func install() {
        let m = module!
        rt.nativeModules["streamlit"] = { _ in m }
        rt.nativeModules["st"] = { _ in m }
        rt.builtins["st"] = .obj(m)
        // The decorators are builtins too (SPEC §3).
        rt.builtins["cache_data"] = m.get("cache_data") ?? Value.none
        rt.builtins["cache_resource"] = m.get("cache_resource") ?? Value.none
    }

    // MARK: Runs

    /// Starts a run: a fresh element tree; widget registrations start over.
    public func beginRun(observer: RecorderObserver?) {
        runNumber += 1
        recorder = Recorder()
        recorder.observer = observer
        widgets = [:]
        widgetOrder = []
        forms = [:]
        captures = []
        cacheEventRuns = []
    }

    func cacheEvent(_ e: CacheEvent) {
        if let last = cacheEventRuns.indices.last, cacheEventRuns[last].event == e {
            cacheEventRuns[last].count += 1
        } else {
            cacheEventRuns.append((e, 1))
        }
        onCacheEvent?(e)
    }

    /// Ends a run: state of widgets not shown in it is dropped (as Streamlit does), buttons go
    /// back to False.
    public func endRun(cleanUpWidgets: Bool = true) {
        defer {
            lastRunWidgets = widgets
            lastRunWidgetOrder = widgetOrder
            clicked = []
        }
        // After st.stop() or st.rerun() Streamlit keeps the state of widgets the run did not reach.
        guard cleanUpWidgets else { return }
        for id in widgetValues.keys where widgets[id] == nil { widgetValues[id] = nil }
        for key in widgetKeys where widgets[key] == nil {
            widgetKeys.remove(key)
            _ = sessionState.removeStr(key)
        }
    }

    /// Runs queued widget callbacks; called before the script of the run they belong to.
    public func runPendingCallbacks() throws(PyErr) {
        let callbacks = pendingCallbacks
        pendingCallbacks = []
        inCallback = true
        defer { inCallback = false }
        for (f, args, kwargs) in callbacks { _ = try rt.call(f, args, kwargs) }
    }

    /// Forgets everything a `restart` drops: session state and widget state.
    public func resetSession() {
        sessionState.clear()
        widgetValues = [:]
        widgetKeys = []
        lastRunWidgets = [:]
        lastRunWidgetOrder = []
        pendingCallbacks = []
        pendingFormValues = [:]
        queryParams = []
        userSetKeys = []
        clicked = []
    }

    // MARK: Errors

    func apiError(_ message: String) -> PyErr { rt.raise(apiException, message) }

    // MARK: Emitting

    /// The place a DeltaGenerator value writes to.
    func payload(_ v: Value) throws(PyErr) -> DGPayload {
        guard case .obj(let o) = v, let n = o as? PyNative, n.cls === dgClass, let p = n.payload as? DGPayload else {
            throw rt.typeError("expected a DeltaGenerator, got '\(rt.typeName(v))'")
        }
        return p
    }

    /// The block a DG writes into (for blocks and widgets placed inside it).
    func parentBlock(_ dg: DGPayload) -> Element {
        switch dg.place {
        case .cursor: return recorder.current
        case .sidebar: return recorder.sidebar
        case .block(let b): return b
        case .slot(let e): return e.parent ?? recorder.current
        }
    }

    /// Adds `element` where `dg` writes; returns the DG of its slot.
    @discardableResult
    func emit(_ element: Element, _ dg: DGPayload, record: Bool = true, widget: WidgetSpec? = nil) -> Value {
        place(element, dg, record: record, widget: widget)
        return .obj(PyNative(cls: dgClass, payload: DGPayload(element.isBlock ? .block(element) : .slot(element))))
    }

    /// Adds `element` where `dg` writes (what `emit` does, without making a DG for the caller).
    func place(_ element: Element, _ dg: DGPayload, record: Bool = true, widget: WidgetSpec? = nil) {
        if record, !captures.isEmpty {
            let current = recorder.current
            for c in captures { c.record(element, place: dg.place, current: current, widget: widget) }
        }
        lastEmitted = element
        switch dg.place {
        case .cursor: recorder.append(element, to: recorder.current)
        case .sidebar: recorder.append(element, to: recorder.sidebar)
        case .block(let b): recorder.append(element, to: b)
        case .slot(let old):
            if old.parent != nil { recorder.replace(old, with: element) } else { recorder.append(element, to: recorder.current) }
            dg.place = .slot(element)
        }
    }

    func dgValue(_ block: Element) -> Value {
        .obj(PyNative(cls: dgClass, payload: DGPayload(.block(block))))
    }

    /// The form enclosing `block`, if any.
    func enclosingForm(_ block: Element) -> Element? {
        var p: Element? = block
        while let b = p {
            if b.type == "form" { return b }
            p = b.parent
        }
        return nil
    }
}
