import Tensor
import TestSupport
import XCTest

final class ReductionTests: XCTestCase {
    func testSumAndMeanValues() {
        let x = Tensor((1...20).map(Float.init), shape: [4, 5])
        XCTAssertEqual(sum(x).scalar, 210)
        XCTAssertEqual(mean(x).scalar, 10.5)
        XCTAssertEqual(sum(x).shape, [])
    }

    func testSumGradient() { checkGradients([randomTensor([3, 7], seed: 20)]) { sum($0[0]) } }
    func testMeanGradient() { checkGradients([randomTensor([3, 7], seed: 21)]) { mean($0[0]) } }

    func testSumRows() {
        let x = Tensor([1, 2, 3, 4, 5, 6], shape: [3, 2])
        assertClose(sumRows(x).data, [9, 12])
        checkGradients([randomTensor([3, 4], seed: 22)]) { sumRows($0[0]) }
    }

    func testArgmaxRowsTakesFirstOnTies() {
        XCTAssertEqual(argmaxRows(Tensor([1, 3, 3, 0, -1, -2], shape: [2, 3])), [1, 0])
    }

    func testOrderedSumIsExactOnIntegers() {
        let x = Tensor((0..<1003).map(Float.init), shape: [1003])
        XCTAssertEqual(sum(x).scalar, 502_503)
    }
}
