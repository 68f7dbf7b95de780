#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Flush-to-zero for subnormal floats on the calling thread, as TensorFlow does around every
/// op and PyTorch offers as `set_flush_denormal`.
///
/// Adam's moments decay geometrically wherever a gradient is (nearly) always zero, e.g. the
/// weights of border pixels: after a few hundred steps they enter the subnormal range, where
/// each SSE operation takes a microcode assist (~100 cycles) and the optimizer step became 3x
/// slower. Values below 1.2e-38 are far beneath anything that changes a Float32 weight, so
/// flushing them is harmless, and it is deterministic.
public enum FloatingPointMode {
    /// Runs `body` with subnormal results and inputs treated as zero (x86 MXCSR FTZ and DAZ),
    /// restoring the previous mode afterwards. Elsewhere it just runs `body`.
    public static func withSubnormalsFlushedToZero<Result>(_ body: () throws -> Result) rethrows -> Result {
        #if arch(x86_64) && canImport(Glibc)
        var saved = fenv_t()
        fegetenv(&saved)
        var flushing = saved
        flushing.__mxcsr |= 0x8040        // FTZ (bit 15) | DAZ (bit 6)
        fesetenv(&flushing)
        defer { fesetenv(&saved) }
        #endif
        return try body()
    }

    /// The calling thread's floating-point environment, for worker threads to adopt (the
    /// flush-to-zero mode is per thread, and a job must run the same arithmetic everywhere).
    static func current() -> fenv_t {
        var environment = fenv_t()
        fegetenv(&environment)
        return environment
    }
}
