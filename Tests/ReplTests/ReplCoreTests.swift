import XCTest
import Interpreter
@testable import Repl

final class ReplCoreTests: XCTestCase {
    func testPlaceholder() {}
}
