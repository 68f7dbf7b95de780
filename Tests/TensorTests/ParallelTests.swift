#if canImport(Glibc)
import Glibc
#endif
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

final class WorkerPoolTests: XCTestCase {
    private var previousCores = 1
    override func setUp() { previousCores = Parallelism.coreCount; Parallelism.coreCount = 2 }
    override func tearDown() { Parallelism.coreCount = previousCores }

    /// Thousands of back-to-back jobs (the pattern of a training loop): every task of every job
    /// runs exactly once, and the job has finished when `parallelTasks` returns.
    func testEveryTaskRunsOnceInEveryJob() {
        var counts = [Int](repeating: 0, count: 7)
        counts.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            for _ in 0..<5_000 {
                parallelTasks(7) { task in base[task] += 1 }
            }
        }
        XCTAssertEqual(counts, [Int](repeating: 5_000, count: 7))
    }

    /// The caller always runs the first block, so a split that gives each core the same half
    /// of a layer's weights in every product and in the optimizer's update (see
    /// `SmallMatrixProduct.splitsDepth`) keeps that half in the same core's cache from step to
    /// step. (When any worker could claim the first block, it did in a fifth to half of a
    /// training step's jobs.)
    func testTheCallerRunsTheFirstBlock() {
        let clock = ContinuousClock()
        /// How many of `jobs` two-task jobs ran task 0, and task 1, on the calling thread, when
        /// task 0 takes `work`.
        func blocksOnCaller(jobs: Int, work: Duration) -> (first: Int, second: Int) {
            var first = 0, second = 0
            for _ in 0..<jobs {
                let caller = pthread_self()
                var ranFirst = false, ranSecond = false
                parallelTasks(2) { task in
                    let here = pthread_equal(pthread_self(), caller) != 0
                    if task == 0 {
                        ranFirst = here
                        let start = clock.now
                        while clock.now - start < work {}
                    } else {
                        ranSecond = here
                    }
                }
                if ranFirst { first += 1 }
                if ranSecond { second += 1 }
            }
            return (first, second)
        }
        // Back-to-back tiny jobs: a spinning worker used to claim the first block in most of them.
        XCTAssertEqual(blocksOnCaller(jobs: 20_000, work: .zero).first, 20_000)
        // Halves of tens of microseconds, like a product's: the worker takes the second one.
        let halves = blocksOnCaller(jobs: 300, work: .microseconds(30))
        XCTAssertEqual(halves.first, 300)
        if Parallelism.usableCoreCount > 1 {
            XCTAssertLessThan(halves.second, 300, "the worker took part")
        }
    }

    /// A parallel loop inside a task runs inline instead of deadlocking on the busy pool.
    func testNestedCallsRunInline() {
        var cells = [Int](repeating: 0, count: 12)
        cells.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            parallelTasks(3) { outer in
                parallelTasks(4) { inner in base[outer * 4 + inner] = outer * 4 + inner + 1 }
            }
        }
        XCTAssertEqual(cells, Array(1...12))
    }

    /// Flush-to-zero is per thread: a task on the worker thread must flush subnormals exactly
    /// as the calling thread does, or results would depend on which thread ran the task.
    func testWorkersAdoptTheCallersFlushToZeroMode() {
        var results = [Float](repeating: -1, count: 2)
        let tiny: Float = 1e-30
        results.withUnsafeMutableBufferPointer { buffer in
            let base = buffer.baseAddress!
            FloatingPointMode.withSubnormalsFlushedToZero {
                parallelTasks(2) { task in
                    var value = tiny
                    for _ in 0..<4 { value *= 1e-3 }   // 1e-42 is subnormal: flushed to 0
                    base[task] = value
                }
            }
        }
        XCTAssertEqual(results, [0, 0])
    }
}
