import Syntax

/// Where a name lives at run time. Python decides this per scope, not per occurrence: a name
/// assigned anywhere in a function is local to it everywhere in it.
public enum Binding: Equatable {
    /// A frame slot of the current function.
    case local(Int)
    /// A frame slot holding a cell: a local captured by an inner function, or a free variable.
    case cell(Int)
    /// A module-level name (global slot, falling back to builtins on load).
    case global(String)
    /// A name in a class body: stored in the class namespace; a load falls back to `fallback`.
    case classLocal(String, fallback: ClassFallback)
}

public enum ClassFallback: Equatable {
    case global
    case cell(Int)
}

/// One scope of the program: the module, a function, a lambda, a class body, or a comprehension.
public final class Scope {
    public enum Kind: Equatable {
        case module
        case function
        case classBody
        /// A list/set/dict comprehension. It is inlined into its host's frame (as CPython 3.12
        /// does): its variables get private slots in the host frame, so it needs no frame of its own.
        case comprehension
        /// A generator expression: lazy, so it owns a frame that outlives the caller's.
        case generator
    }

    public let kind: Kind
    public let name: String
    /// The dotted name used in reprs and tracebacks (`Outer.method.<locals>.inner`).
    public private(set) var qualname: String
    public weak var parent: Scope?
    public private(set) var children: [Scope] = []

    // Filled by the first pass.
    var assigned: Set<String> = []
    var declaredGlobal: Set<String> = []
    var declaredNonlocal: Set<String> = []
    var used: Set<String> = []
    var params: [String] = []

    // Filled by the second pass.
    /// Names of the frame slots owned by this scope, in slot order (parameters first).
    /// Inlined comprehensions own no slots: theirs are in `host`.
    public private(set) var slotNames: [String] = []
    /// Slots that hold a fresh cell when the scope is entered (locals captured by inner scopes).
    public private(set) var cellSlots: [Int] = []
    /// Free variables: (name, slot in this frame, binding of the name in the enclosing scope that
    /// creates this function; always a `.cell`).
    public private(set) var freeVars: [(name: String, slot: Int, outer: Int)] = []
    /// For inlined comprehensions: slots in the host frame that this comprehension owns (its
    /// targets), and which of those are cells.
    public private(set) var comprehensionSlots: [Int] = []
    public private(set) var comprehensionCellSlots: [Int] = []
    /// A function whose body yields: calling it makes a generator.
    public internal(set) var isGenerator = false

    var bindings: [String: Binding] = [:]
    var captured: Set<String> = []  // locals of this scope that inner scopes capture

    init(kind: Kind, name: String, parent: Scope?) {
        self.kind = kind
        self.name = name
        self.parent = parent
        if let parent {
            switch parent.kind {
            case .module: qualname = name
            case .classBody: qualname = parent.qualname + "." + name
            default: qualname = parent.qualname + ".<locals>." + name
            }
            parent.children.append(self)
        } else {
            qualname = name
        }
    }

    /// The scope whose frame holds this scope's slots.
    public var host: Scope {
        kind == .comprehension ? (parent?.host ?? self) : self
    }

    public var slotCount: Int { slotNames.count }

    /// The binding of `name` in this scope.
    public func binding(of name: String) -> Binding {
        if let b = bindings[name] { return b }
        return .global(name)
    }

    func addSlot(_ name: String) -> Int {
        slotNames.append(name)
        return slotNames.count - 1
    }

    func markCell(_ slot: Int) {
        if !cellSlots.contains(slot) { cellSlots.append(slot) }
    }

    func addComprehensionSlot(_ slot: Int, cell: Bool) {
        comprehensionSlots.append(slot)
        if cell { comprehensionCellSlots.append(slot) }
    }

    func addFree(_ name: String, slot: Int, outer: Int) {
        freeVars.append((name, slot, outer))
    }
}

/// The result of resolving a module: a scope per scope-introducing node.
public final class ResolvedModule {
    public let module: Module
    public let moduleScope: Scope
    var scopes: [ObjectIdentifier: Scope] = [:]

    init(module: Module, moduleScope: Scope) {
        self.module = module
        self.moduleScope = moduleScope
    }

    public func scope(of def: FunctionDef) -> Scope? { scopes[ObjectIdentifier(def)] }
    public func scope(of lambda: Lambda) -> Scope? { scopes[ObjectIdentifier(lambda)] }
    public func scope(of cls: ClassDef) -> Scope? { scopes[ObjectIdentifier(cls)] }
    /// The scope of a comprehension or generator expression node.
    public func scope(of expr: Expr) -> Scope? { scopes[ObjectIdentifier(expr)] }
}
