import Tensor
import TestSupport
import XCTest

final class ParallelTests: XCTestCase {
    func testChunksCoverTheRangeOnce() {
        let previous = Parallelism.coreCount
        defer { Parallelism.coreCount = previous }
        Parallelism.coreCount = 2
        var hits = [Int](repeating: 0, count: 100_003)
        hits.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            concurrentChunks(count: 100_003, minimumChunk: 1000) { range in
                for index in range { base[index] += 1 }
            }
        }
        XCTAssertEqual(hits, [Int](repeating: 1, count: 100_003))
    }
}
