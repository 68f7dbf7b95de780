@testable import Benchmarks
import XCTest

final class ConvolutionLayerBenchmarkTests: XCTestCase {
    /// Taps that read inside the image, counted by hand along one axis: 28 pixels, 7-tap
    /// kernel, stride 2, padding 3 gives 4 + 6 + 11·7 + 5; LeNet's 5-tap, padding-2 layer gives
    /// 3 + 4 + 24·5 + 4 + 3; a 1x1 map keeps only the centre tap of a 3x3 kernel.
    func testTapsInsideTheImage() {
        func shape(_ size: Int, _ kernel: Int, _ stride: Int, _ padding: Int) -> ConvolutionLayerShape {
            ConvolutionLayerShape(name: "", channels: 1, size: size, filters: 1, kernel: kernel, stride: stride, padding: padding)
        }
        XCTAssertEqual(shape(28, 7, 2, 3).tapsInsideImage, 92)
        XCTAssertEqual(shape(28, 5, 1, 2).tapsInsideImage, 134)
        XCTAssertEqual(shape(1, 3, 1, 1).tapsInsideImage, 1)
        XCTAssertEqual(shape(14, 5, 1, 0).tapsInsideImage, 10 * 5, "no padding: every tap of every output")
    }
}
