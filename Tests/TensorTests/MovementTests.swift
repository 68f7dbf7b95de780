import Tensor
import TestSupport
import XCTest

final class MovementTests: XCTestCase {
    func testReshapeKeepsValuesAndInfersExtent() {
        let x = Tensor((0..<24).map(Float.init), shape: [2, 3, 4])
        let y = x.reshaped([4, -1])
        XCTAssertEqual(y.shape, [4, 6])
        XCTAssertEqual(y.data, x.data)
        XCTAssertEqual(x.flattenedBatch().shape, [2, 12])
    }

    func testReshapeGradient() {
        checkGradients([randomTensor([2, 3, 2], seed: 30)]) { square($0[0].reshaped([3, 4])) }
    }
}
