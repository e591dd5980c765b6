/// One node of a run's element tree: an element (`markdown`, `checkbox`, ...) or a block
/// (`container`, `expander`, `columns`, ...) holding children. Renderers are pure functions of
/// this tree (DESIGN.md); the recorder is the only code that changes it.
public final class Element {
    /// The st command's name (`markdown`, `checkbox`, `expander`, `column`, ...).
    public let type: String
    /// The element's data, in the order the JSON output lists it.
    public var fields: [(String, JSON)]
    public var children: [Element] = []
    public let isBlock: Bool
    public internal(set) weak var parent: Element?
    /// For widgets: the widget id (key or generated), so renderers and steps can find it.
    public var widgetID: String?

    public init(_ type: String, _ fields: [(String, JSON)] = [], isBlock: Bool = false) {
        self.type = type
        self.fields = fields
        self.isBlock = isBlock
    }

    public subscript(_ name: String) -> JSON? {
        get { fields.first { $0.0 == name }?.1 }
        set {
            if let i = fields.firstIndex(where: { $0.0 == name }) {
                if let newValue { fields[i].1 = newValue } else { fields.remove(at: i) }
            } else if let newValue {
                fields.append((name, newValue))
            }
        }
    }

    /// Adds a child made together with this block (a column of `st.columns`, a tab of `st.tabs`).
    func adopt(_ child: Element) {
        child.parent = self
        children.append(child)
    }

    /// Depth below the area root (main or sidebar), which has depth 0.
    public var depth: Int {
        var d = 0
        var p = parent
        while let q = p, q.parent != nil { d += 1; p = q.parent }
        return d
    }

    /// The JSON document of this element and its children (SPEC §4).
    public var json: JSON {
        var f: [(String, JSON)] = [("type", .string(type))]
        f += fields
        if isBlock { f.append(("children", .array(children.map(\.json)))) }
        return .object(f)
    }

    /// Every node of this subtree (itself first), for counts.
    public var nodeCount: Int { 1 + children.reduce(0) { $0 + $1.nodeCount } }

    /// A deep copy (for replay, which re-appends recorded elements).
    public func copy() -> Element {
        let e = Element(type, fields, isBlock: isBlock)
        e.widgetID = widgetID
        for c in children {
            let cc = c.copy()
            cc.parent = e
            e.children.append(cc)
        }
        return e
    }
}
