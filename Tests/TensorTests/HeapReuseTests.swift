@testable import Tensor
import XCTest

final class HeapReuseTests: XCTestCase {
    /// On glibc both limits must be accepted (the 1 GiB threshold, or the 32 MiB fallback);
    /// a refusal would silently bring back the page faults of every training step.
    func testAllocatorAcceptsTheSettings() {
        #if canImport(Glibc)
        XCTAssertTrue(HeapReuse.enable())
        XCTAssertTrue(HeapReuse.enable(), "applying them twice is harmless")
        #else
        XCTAssertFalse(HeapReuse.enable())
        #endif
    }
}
