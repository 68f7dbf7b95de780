#if canImport(Glibc)
import Glibc
#endif

/// Runs `body(task)` for every task in `0..<tasks`, spread over `Parallelism.coreCount` cores.
///
/// Each task must touch only its own outputs, so the result is bit-identical whatever the
/// number of cores and whichever core runs which task. The tasks are cut into `P` contiguous
/// blocks, `p·tasks/P ..< (p+1)·tasks/P` for `p` in `0..<P`; the calling thread runs block 0,
/// the pool's workers the others (the caller takes one a worker has not started). Give cores
/// contiguous blocks of memory to write: two cores writing alternate pieces of one cache line
/// make it bounce between them (about 100 ns a time). Nested calls, and calls while another
/// thread is using the pool, run inline on the calling thread.
///
/// ```swift
/// parallelTasks(4) { task in process(columns: task * 32 ..< (task + 1) * 32) }
/// ```
public func parallelTasks(_ tasks: Int, _ body: (Int) -> Void) {
    guard tasks > 0 else { return }
    let cores = min(Parallelism.usableCoreCount, tasks)
    if cores <= 1 || !WorkerPool.shared.run(tasks: tasks, participants: cores, body) {
        for task in 0..<tasks { body(task) }
    }
}

/// Splits `0..<count` into one contiguous chunk per core and runs `body` on them concurrently.
///
/// Only for element-wise work, where each output depends on its own index alone: the result
/// is then bit-identical whatever the number of threads. Below `minimumChunk` elements per
/// chunk it runs inline: handing work to the pool's other thread costs about a microsecond,
/// so splitting pays from a few thousand elements of arithmetic.
public func concurrentChunks(count: Int, minimumChunk: Int = 16_384, _ body: (Range<Int>) -> Void) {
    let chunks = min(Parallelism.usableCoreCount, max(1, count / max(minimumChunk, 1)))
    if chunks <= 1 { body(0..<count); return }
    parallelTasks(chunks) { chunk in
        body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
    }
}

/// How many threads the engine's kernels may use.
public enum Parallelism {
    /// Cores used by `parallelTasks` and `concurrentChunks`: all online processors unless set
    /// (the benchmarks' `--threads`). Results do not depend on it.
    nonisolated(unsafe) public static var coreCount = onlineProcessorCount

    /// Cores a parallel loop actually gets: `coreCount`, at most one per processor.
    public static var usableCoreCount: Int { min(coreCount, processorsAtLaunch) }

    private static let processorsAtLaunch = onlineProcessorCount

    /// Processors currently online.
    public static var onlineProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
