import XCTest
@testable import Session

final class StepsParserTests: XCTestCase {
    func testParsesEveryAction() throws {
        let steps = try StepsParser.parse("""
        # a comment

        rerun
        set name "Ann"
        set "Pick a number" 7
        click go
        submit my_form
        upload data files/a.csv
        edit v2.st
        advance 1.5
        clear_cache
        restart
        """, file: "s.steps")
        XCTAssertEqual(steps.map(\.action), [
            .rerun, .set(.key("name"), value: "\"Ann\""), .set(.label("Pick a number"), value: "7"), .click(.key("go")),
            .submit(form: "my_form"), .upload(.key("data"), path: "files/a.csv"), .edit(path: "v2.st"),
            .advance(seconds: 1.5), .clearCache, .restart,
        ])
        XCTAssertEqual(steps.map(\.line), [3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
    }

    func testBadLinesNameTheLineAndWhatWasExpected() {
        func error(_ text: String) -> String {
            do { _ = try StepsParser.parse(text, file: "s.steps"); return "" } catch { return "\(error)" }
        }
        XCTAssertEqual(error("rerun\nfly away"), "s.steps:2: unknown action `fly`; actions are rerun, set, click, submit, upload, edit, advance, clear_cache, restart")
        XCTAssertTrue(error("set name").hasPrefix("s.steps:1: set: the value is missing; expected `set WIDGET VALUE"))
        XCTAssertTrue(error("advance soon").hasPrefix("s.steps:1: advance: `soon` is not a number of seconds"))
        XCTAssertTrue(error("advance -1").contains("is not a number of seconds"))
        XCTAssertTrue(error("click \"unclosed").contains("closing quote is missing"))
        XCTAssertTrue(error("rerun now").contains("unexpected text `now`"))
    }
}
