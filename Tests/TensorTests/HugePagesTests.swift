import Tensor
import XCTest

/// `HugePages` changes where a training set lives, never its values.
final class HugePagesTests: XCTestCase {
    /// A training set's copy in huge-page-advised memory holds the same values; small arrays
    /// are kept as they are.
    func testHugePageCopiesKeepTheValues() {
        let large = (0..<(HugePages.minimumBytes / 4 + 12_345)).map { Float($0 % 1_000) * 0.5 }
        XCTAssertEqual(HugePages.copy(large), large)
        XCTAssertEqual(HugePages.copy([1, 2, 3]), [1, 2, 3])
    }
}
