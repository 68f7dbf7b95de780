import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Splits `0..<count` into one contiguous chunk per core and runs `body` on them concurrently.
///
/// Only for element-wise work, where each output depends on its own index alone: the result
/// is then bit-identical whatever the number of threads. Below `minimumChunk` elements per
/// chunk it runs inline, because waking a thread (a few microseconds) costs more than the
/// loop; on two cores this pays only for arrays of tens of thousands of elements.
public func concurrentChunks(count: Int, minimumChunk: Int = 32_768, _ body: (Range<Int>) -> Void) {
    let chunks = min(Parallelism.coreCount, max(1, count / max(minimumChunk, 1)))
    if chunks <= 1 { body(0..<count); return }
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        body((chunk * count / chunks)..<((chunk + 1) * count / chunks))
    }
}

/// How many threads element-wise kernels may use.
public enum Parallelism {
    /// Cores used by `concurrentChunks`. Defaults to 1: on the shared two-core machines this
    /// project runs on, splitting the optimizer step made it slower (457 us against 340 us
    /// per MLP step while other builds ran), so going wide is an explicit choice, e.g.
    /// `Parallelism.coreCount = Parallelism.onlineProcessorCount` on an idle machine.
    nonisolated(unsafe) public static var coreCount = 1

    /// Processors currently online.
    public static var onlineProcessorCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }
}
