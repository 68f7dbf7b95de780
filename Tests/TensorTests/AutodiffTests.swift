import Tensor
import TestSupport
import XCTest

final class AutodiffTests: XCTestCase {
    func testChainRuleThroughComposite() {
        // f(x) = sum(sigmoid(x * 2) * x), the composite checked against finite differences.
        checkGradients([randomTensor([5], seed: 70)]) { sum(sigmoid($0[0] * 2) * $0[0]) }
    }

    func testDiamondGraphSumsBothPaths() {
        let x = Tensor([2], shape: [1], requiresGradient: true)
        let a = x * 3
        let b = square(x)
        (a + b).backward()
        assertClose(x.grad!, [7])   // 3 + 2x
    }

    func testWithoutGradientsRecordsNothing() {
        let w = Tensor([1, 2], shape: [2], requiresGradient: true)
        let y = withoutGradients { w * w }
        XCTAssertFalse(y.requiresGradient)
        y.backward()
        XCTAssertNil(w.grad)
        XCTAssertFalse(withoutGradients { GradientMode.isEnabled })
        XCTAssertTrue(GradientMode.isEnabled)
        XCTAssertTrue((w * w).requiresGradient)
    }

    func testConstantsNeedNoGradient() {
        let x = Tensor([1, 2], shape: [2])
        XCTAssertFalse((x * x).requiresGradient)
    }

    func testDetachedCutsTheGraph() {
        let w = Tensor([3], shape: [1], requiresGradient: true)
        (w * w.detached()).backward()
        assertClose(w.grad!, [3])
    }

    func testDeepGraphDoesNotOverflowTheStack() {
        let x = Tensor([1], shape: [1], requiresGradient: true)
        var y = x
        for _ in 0..<20_000 { y = y + 0 }
        y.backward()
        assertClose(x.grad!, [1])
    }
}
