@testable import Tensor
import XCTest

final class ElementwiseWorkTests: XCTestCase {
    /// A large buffer is cut into per-core halves like `concurrentChunks`; the small ones are
    /// laid end to end and that run is halved when it reaches a chunk.
    func testLargeBuffersSplitByCoreAndSmallOnesShareOneRun() {
        let work = ElementwiseWork(counts: [100_000, 10, 0, 5000], cores: 2, minimumChunk: 4096)
        XCTAssertEqual(work.perCore, [
            [.init(buffer: 0, elements: 0..<50_000), .init(buffer: 1, elements: 0..<10), .init(buffer: 3, elements: 0..<2495)],
            [.init(buffer: 0, elements: 50_000..<100_000), .init(buffer: 3, elements: 2495..<5000)],
        ])
    }

    /// Small buffers adding up to less than a chunk (the MLP's biases and small layers) stay
    /// whole on core 0, the calling core, beside the first half of the large buffer.
    func testSmallBuffersUnderAChunkStayOnTheCallingCore() {
        let work = ElementwiseWork(counts: [100_352, 128, 8192, 64, 640, 10], cores: 2, minimumChunk: 32_768)
        XCTAssertEqual(work.perCore, [
            [.init(buffer: 0, elements: 0..<50_176), .init(buffer: 1, elements: 0..<128), .init(buffer: 2, elements: 0..<8192),
             .init(buffer: 3, elements: 0..<64), .init(buffer: 4, elements: 0..<640), .init(buffer: 5, elements: 0..<10)],
            [.init(buffer: 0, elements: 50_176..<100_352)],
        ])
    }

    func testSmallPassesStayOnOneCore() {
        let work = ElementwiseWork(counts: [40_000, 20_000], cores: 2, minimumChunk: 32_768)
        XCTAssertEqual(work.perCore, [[.init(buffer: 0, elements: 0..<40_000), .init(buffer: 1, elements: 0..<20_000)]])
    }

    /// Every element of every buffer is in exactly one piece, whatever the sizes and cores.
    func testEveryElementIsCoveredOnce() {
        var generator = SeededGenerator(seed: 4)
        for trial in 0..<200 {
            let counts = (0..<(1 + trial % 9)).map { _ in Int(generator.nextUnitFloat() * 3000) * (trial % 3 == 0 ? 40 : 1) }
            for cores in 1...4 {
                let work = ElementwiseWork(counts: counts, cores: cores, minimumChunk: 1000)
                XCTAssertLessThanOrEqual(work.perCore.count, cores)
                var seen = counts.map { [Int](repeating: 0, count: $0) }
                for piece in work.perCore.joined() {
                    XCTAssertFalse(piece.elements.isEmpty, "no empty pieces")
                    for element in piece.elements { seen[piece.buffer][element] += 1 }
                }
                XCTAssertTrue(seen.allSatisfy { $0.allSatisfy { $0 == 1 } }, "counts \(counts), \(cores) cores")
            }
        }
    }
}
