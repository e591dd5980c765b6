/// What a renderer that streams (the text renderer) hears about as a run builds its tree.
public protocol RecorderObserver: AnyObject {
    /// `element` was added (or replaced `replaced` in the same place).
    func recorder(_ recorder: Recorder, added element: Element, replacing replaced: Element?)
}

/// The element tree of one run, and the cursor: the stack of blocks opened with `with`, whose
/// top is where `st.x(...)` lands (SPEC §2).
public final class Recorder {
    public let main = Element("main", isBlock: true)
    public let sidebar = Element("sidebar", isBlock: true)
    public private(set) var cursor: [Element] = []
    public weak var observer: RecorderObserver?

    public init() {}

    /// Where `st.x(...)` writes: the innermost `with` block, else main.
    public var current: Element { cursor.last ?? main }

    func push(_ block: Element) { cursor.append(block) }

    func pop(_ block: Element) {
        if let i = cursor.lastIndex(where: { $0 === block }) { cursor.remove(at: i) }
    }

    /// Appends `element` to `parent`; an `empty` slot holds one element, which later writes replace.
    func append(_ element: Element, to parent: Element) {
        if parent.type == "empty", let old = parent.children.first {
            old.parent = nil
            parent.children = [element]
            element.parent = parent
            observer?.recorder(self, added: element, replacing: old)
        } else {
            parent.children.append(element)
            element.parent = parent
            observer?.recorder(self, added: element, replacing: nil)
        }
    }

    /// Puts `new` where `old` is (an element's own slot: `bar = st.progress(0); bar.progress(50)`).
    func replace(_ old: Element, with new: Element) {
        guard let parent = old.parent, let i = parent.children.firstIndex(where: { $0 === old }) else { return }
        parent.children[i] = new
        old.parent = nil
        new.parent = parent
        observer?.recorder(self, added: new, replacing: old)
    }

    /// Removes every child of `block` (`placeholder.empty()`).
    func clear(_ block: Element) {
        for c in block.children { c.parent = nil }
        block.children = []
    }
}
