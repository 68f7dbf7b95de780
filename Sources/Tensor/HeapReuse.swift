#if canImport(Glibc)
import CPlatform
#endif

/// Keeps memory that the engine frees inside the process, so the next training step reuses it.
///
/// A training step allocates and frees the same large buffers every time: activations,
/// gradients, im2col columns (megabytes each). glibc serves blocks above its mmap
/// threshold with fresh `mmap` calls and gives them back on `free`. It also trims freed memory
/// at the top of the heap. Each step then faults in and zeroes its pages again. On a
/// ResNet stem that kernel work was half of the convolution's time. Raising both limits once
/// per process makes every step after the first reuse the pages the earlier steps freed.
/// The cost is that the resident size stays at its peak instead of shrinking between steps.
public enum HeapReuse {
    /// Largest block glibc may serve from the heap; `mallopt` refuses values above 32 MiB
    /// on some versions, hence the fallback.
    static let preferredMmapThreshold: Int32 = 1 << 30
    static let fallbackMmapThreshold: Int32 = 32 << 20

    /// Applies the settings; returns whether the allocator accepted them (always false off
    /// glibc, where there is nothing to do). Call it once, early in `main`.
    @discardableResult
    public static func enable() -> Bool {
        #if canImport(Glibc)
        let threshold = mallopt(M_MMAP_THRESHOLD, preferredMmapThreshold) == 1
            || mallopt(M_MMAP_THRESHOLD, fallbackMmapThreshold) == 1
        let trim = mallopt(M_TRIM_THRESHOLD, Int32.max) == 1
        return threshold && trim
        #else
        return false
        #endif
    }
}
