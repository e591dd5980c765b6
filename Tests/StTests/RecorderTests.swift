import Interpreter
import XCTest
@testable import St

/// The recorder: cursor, containers, object-style calls, empty slots.
final class RecorderTests: XCTestCase {
    /// Runs `source` as one app run and returns the app (its recorder holds the tree).
    func run(_ source: String, file: StaticString = #filePath, line: UInt = #line) -> StApp {
        let rt = Runtime()
        let app = StApp(runtime: rt)
        app.install()
        app.beginRun(observer: nil)
        let m = PyModule(name: "__main__", filename: "test.st")
        do throws(PyErr) {
            try rt.execute(source: source, filename: "test.st", module: m)
        } catch {
            XCTFail("app raised \(rt.formatTraceback(error))", file: file, line: line)
        }
        app.endRun()
        return app
    }

    func types(_ e: Element) -> [String] { e.children.map(\.type) }

    func testWithBlocksMoveTheCursor() {
        let app = run("""
        st.write("a")
        with st.expander("E"):
            st.write("in e")
            with st.container():
                st.write("deep")
        st.write("b")
        """)
        let main = app.recorder.main
        XCTAssertEqual(types(main), ["markdown", "expander", "markdown"])
        let exp = main.children[1]
        XCTAssertEqual(types(exp), ["markdown", "container"])
        XCTAssertEqual(exp.children[1].children.first?["body"]?.stringValue, "deep")
        XCTAssertTrue(app.recorder.cursor.isEmpty, "every with block closed")
    }

    func testObjectStyleCallsWriteIntoTheirBlock() {
        let app = run("""
        c = st.container()
        st.write("after")
        c.write("into c")
        left, right = st.columns([1, 3])
        right.write("r")
        left.write("l")
        t1, t2 = st.tabs(["one", "two"])
        t2.write("second tab")
        st.sidebar.write("side")
        """)
        let main = app.recorder.main
        XCTAssertEqual(types(main), ["container", "markdown", "columns", "tabs"])
        XCTAssertEqual(main.children[0].children.first?["body"]?.stringValue, "into c")
        let cols = main.children[2]
        XCTAssertEqual(cols.children.map { $0.children.first?["body"]?.stringValue }, ["l", "r"])
        XCTAssertEqual(cols.children[1]["weight"]?.text, "0.75")
        XCTAssertEqual(main.children[3].children[1].children.first?["body"]?.stringValue, "second tab")
        XCTAssertEqual(app.recorder.sidebar.children.first?["body"]?.stringValue, "side")
    }

    func testEmptyHoldsOneElementAndSlotsAreReplaced() {
        let app = run("""
        slot = st.empty()
        slot.write("first")
        slot.write("second")
        bar = st.progress(0)
        bar.progress(40)
        t = st.text("x")
        t.text("y")
        with st.empty():
            st.write("z1")
            st.write("z2")
        """)
        let main = app.recorder.main
        XCTAssertEqual(types(main), ["empty", "progress", "text", "empty"])
        XCTAssertEqual(main.children[0].children.map { $0["body"]?.stringValue }, ["second"])
        XCTAssertEqual(main.children[1]["value"]?.text, "40")
        XCTAssertEqual(main.children[2]["body"]?.stringValue, "y")
        XCTAssertEqual(main.children[3].children.map { $0["body"]?.stringValue }, ["z2"])
    }

    func testWriteDelegatesAsStreamlitDoes() {
        let app = run("""
        st.write("a", "b", 1, {"k": [1]}, "c")
        """)
        let main = app.recorder.main
        XCTAssertEqual(types(main), ["markdown", "json", "markdown"])
        XCTAssertEqual(main.children[0]["body"]?.stringValue, "a b `1`")
        XCTAssertEqual(main.children[2]["body"]?.stringValue, "c")
    }
}

/// Widget identity: key, else type + label + parameters.
final class WidgetIdentityTests: XCTestCase {
    func raises(_ source: String) -> String? {
        let rt = Runtime()
        let app = StApp(runtime: rt)
        app.install()
        app.beginRun(observer: nil)
        let m = PyModule(name: "__main__", filename: "test.st")
        do throws(PyErr) {
            try rt.execute(source: source, filename: "test.st", module: m)
            return nil
        } catch {
            return error.exc.cls.name
        }
    }

    func testIdenticalWidgetsCollide() {
        XCTAssertEqual(raises("st.checkbox('a')\nst.checkbox('a')"), "DuplicateWidgetID")
        XCTAssertEqual(raises("st.slider('s', key='k')\nst.checkbox('c', key='k')"), "DuplicateWidgetID")
    }

    func testDifferentLabelsParametersOrKeysDoNot() {
        XCTAssertNil(raises("st.checkbox('a')\nst.checkbox('b')"))
        XCTAssertNil(raises("st.slider('s', 0, 10)\nst.slider('s', 0, 20)"))
        XCTAssertNil(raises("st.checkbox('a', key='x')\nst.checkbox('a', key='y')"))
        XCTAssertNil(raises("st.checkbox('a')\nst.toggle('a')"))
    }

    func testValuesPersistAcrossRunsByIdentity() {
        let rt = Runtime()
        let app = StApp(runtime: rt)
        app.install()
        func runOnce(_ source: String) -> Value? {
            app.beginRun(observer: nil)
            let m = PyModule(name: "__main__", filename: "test.st")
            do throws(PyErr) { try rt.execute(source: source, filename: "test.st", module: m) } catch { return nil }
            app.endRun()
            return m.get("v")
        }
        _ = runOnce("v = st.slider('n', 0, 10, 3)")
        guard let w = app.lastRunWidgets(label: "n").first else { return XCTFail("slider not registered") }
        do throws(PyErr) { _ = try app.set(w, .int(7)) } catch { return XCTFail("set failed") }
        guard case .int(7)? = runOnce("v = st.slider('n', 0, 10, 3)") else { return XCTFail("value kept across runs") }
        // A widget not shown in a run loses its state.
        _ = runOnce("v = 0")
        guard case .int(3)? = runOnce("v = st.slider('n', 0, 10, 3)") else { return XCTFail("state dropped") }
    }
}
