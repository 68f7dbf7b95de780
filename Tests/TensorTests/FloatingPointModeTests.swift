import Tensor
import TestSupport
import XCTest

final class FloatingPointModeTests: XCTestCase {
    func testSubnormalsFlushOnlyInsideTheScope() {
        let tiny = Tensor([Float.leastNormalMagnitude], shape: [1])
        let half = Tensor([0.5], shape: [1])
        XCTAssertEqual((tiny * half).scalar, Float.leastNormalMagnitude / 2)     // subnormal result
        #if arch(x86_64)
        XCTAssertEqual(FloatingPointMode.withSubnormalsFlushedToZero { (tiny * half).scalar }, 0)
        #endif
        XCTAssertEqual((tiny * half).scalar, Float.leastNormalMagnitude / 2)     // mode restored
    }
}
