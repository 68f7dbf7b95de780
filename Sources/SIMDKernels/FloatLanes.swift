#if arch(x86_64) && !LABBOOK_PORTABLE_BUILD
import _Builtin_intrinsics.intel
#endif

/// A vector of `Float` lanes that the engine's kernels are written over.
///
/// The kernels in this module are generic and `@inlinable`: each kernel module specialises
/// them for its own width, compiled for its own instruction set (`SIMD8` here for AVX2,
/// `SIMD16` in `SIMDKernelsAVX512` for AVX-512). Every lane does the same operations in the
/// same order whatever the width, so all widths give bit-identical results.
public protocol FloatLanes: SIMD where Scalar == Float {
    /// `sqrt(x)` for `x >= 0`, correctly rounded where the instruction set has it.
    static func squareRoot(_ x: Self) -> Self

    /// Writes the positions `p < count` where `first[p]` or `second[p]` is not zero (NaNs
    /// included), in increasing order, to `list`, and returns how many there are; `second` may
    /// be `first`. `list` must hold `count + scalarCount` entries: a vector implementation may
    /// store a whole vector of positions past the last one it counts.
    static func listNonzero(_ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>, count: Int,
                            into list: UnsafeMutablePointer<Int32>) -> Int
}

extension FloatLanes {
    /// One position at a time, without branches: each is written and kept only if counted.
    @inlinable @inline(__always)
    public static func listNonzero(_ first: UnsafePointer<Float>, _ second: UnsafePointer<Float>, count: Int,
                                   into list: UnsafeMutablePointer<Int32>) -> Int {
        var listed = 0
        for p in 0..<count {
            list[listed] = Int32(truncatingIfNeeded: p)
            listed += first[p] != 0 || second[p] != 0 ? 1 : 0
        }
        return listed
    }
}

extension SIMD8: FloatLanes where Scalar == Float {
    /// On x86-64 the `vsqrtps` instruction: `Float.squareRoot()` and `SIMD8.squareRoot()`
    /// lower to `sqrtf` with an errno check on Linux, which splits every vector into scalar
    /// calls. Elsewhere Newton's iteration for `1/sqrt(x)` from the classic bit-level first
    /// guess, three rounds, which reaches float rounding error (relative error < 4e-7):
    ///
    /// ```
    /// y₀ = bits⁻¹(0x5F375A86 - bits(x) / 2)       yₙ₊₁ = yₙ (1.5 - 0.5 x yₙ²)       sqrt(x) = x · y₃
    /// ```
    @inlinable @inline(__always)
    public static func squareRoot(_ x: SIMD8<Float>) -> SIMD8<Float> {
        #if arch(x86_64) && !LABBOOK_PORTABLE_BUILD
        return unsafeBitCast(_mm256_sqrt_ps(unsafeBitCast(x, to: __m256.self)), to: SIMD8<Float>.self)
        #else
        return newtonSquareRoot(x)
        #endif
    }
}

/// The portable square root of `FloatLanes`, for any width.
@inlinable @inline(__always)
public func newtonSquareRoot<Lanes: SIMD>(_ x: Lanes) -> Lanes where Lanes.Scalar == Float {
    var y = Lanes()
    for lane in 0..<Lanes.scalarCount { y[lane] = Float(bitPattern: 0x5F37_5A86 &- (x[lane].bitPattern &>> 1)) }
    let halfX = 0.5 * x
    for _ in 0..<3 { y = y * (1.5 - halfX * y * y) }
    return x * y
}
