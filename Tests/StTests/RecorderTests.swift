import XCTest
@testable import St

final class RecorderTests: XCTestCase {
    func testPlaceholder() {}
}
