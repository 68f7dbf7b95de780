#if canImport(Glibc)
import Glibc
#endif

/// Copies of large, read-mostly arrays (training sets) in memory that Linux is asked to back
/// with 2 MB pages.
///
/// A shuffled mini-batch reads its samples from rows scattered over a training set of 150 MB
/// or more. In 4 KB pages every row costs a TLB miss (a page walk, which a virtual machine makes
/// two-dimensional), and the hardware prefetcher stops at each 4 KB boundary, so gathering 32
/// rows of a Fashion-MNIST-sized set (48,000 × 784 floats) waits on memory for about 20 µs; in
/// 2 MB pages it took about 15 µs (a C measurement on the 2-core Zen 4 VM; whole MLP epochs, 4%
/// faster). Under transparent huge pages' default `madvise` mode the kernel backs a region with
/// huge pages only if it was advised (`MADV_HUGEPAGE`) before its pages were first touched, so
/// the copy goes into fresh memory after the advice. Where the kernel refuses, or huge pages are
/// off, the copy is an ordinary one: nothing else changes.
public enum HugePages {
    /// Arrays smaller than this (in bytes) are returned as they are: they span few enough 4 KB
    /// pages for the TLB (Zen 4's second-level TLB maps 12 MB of them) and a copy would not pay.
    public static let minimumBytes = 16 << 20

    /// `values`, copied into huge-page-advised memory if it holds at least `minimumBytes`.
    public static func copy(_ values: [Float]) -> [Float] {
        let count = values.count
        guard count * MemoryLayout<Float>.stride >= minimumBytes else { return values }
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            advise(UnsafeMutableRawBufferPointer(buffer))
            values.withUnsafeBufferPointer { source in
                buffer.baseAddress!.initialize(from: source.baseAddress!, count: count)
            }
            initialized = count
        }
    }

    /// The size of a huge page on x86-64 Linux.
    static let pageBytes = 2 << 20

    /// Advises the whole 2 MB pages inside `region` (not yet touched) for huge pages.
    private static func advise(_ region: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = region.baseAddress else { return }
        let start = (Int(bitPattern: base) + pageBytes - 1) / pageBytes * pageBytes
        let end = (Int(bitPattern: base) + region.count) / pageBytes * pageBytes
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)   // advice only: a refusal changes nothing
        #endif
    }
}
