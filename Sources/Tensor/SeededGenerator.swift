import Foundation
import Seeding

/// A seeded pseudo-random generator: xoshiro256** (Blackman & Vigna, "Scrambled linear
/// pseudorandom number generators", 2021), its state filled from the seed by SplitMix64 as the
/// authors recommend.
///
/// The same seed gives the same stream on every platform and Swift version, which is what
/// makes weights, shuffles and whole training runs bit-reproducible. Floats are built from the
/// top bits directly rather than through `Float.random(in:using:)`, whose algorithm the
/// standard library does not promise to keep.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose stream is determined by `seed` alone.
    public init(seed: UInt64) {
        var splitMix = SplitMix64(seed: seed)
        state = (splitMix.next(), splitMix.next(), splitMix.next(), splitMix.next())
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, by: 7) &* 9
        let shifted = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= shifted
        state.3 = rotateLeft(state.3, by: 45)
        return result
    }

    /// A uniform Float in `[0, 1)` with 24 random bits.
    public mutating func nextUnitFloat() -> Float {
        Float(next() >> 40) * 0x1p-24
    }

    /// A uniform Double in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double {
        Double(next() >> 11) * 0x1p-53
    }

    /// A standard-normal sample (Box-Muller; one of the pair is discarded for simplicity).
    public mutating func nextStandardNormal() -> Double {
        let u1 = 1 - nextUnitDouble()          // (0, 1]: log stays finite
        let u2 = nextUnitDouble()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// A uniform integer in `0..<upperBound` (Lemire's method, `uniformIndex(below:)`).
    public mutating func nextIndex(below upperBound: Int) -> Int {
        uniformIndex(below: upperBound)
    }

    /// Fisher-Yates shuffle of `0..<count`, reproducible for a given generator state.
    public mutating func permutation(of count: Int) -> [Int] {
        var indices = Array(0..<count)
        if count < 2 { return indices }
        for index in stride(from: count - 1, to: 0, by: -1) {
            indices.swapAt(index, nextIndex(below: index + 1))
        }
        return indices
    }

    private func rotateLeft(_ value: UInt64, by amount: UInt64) -> UInt64 {
        (value << amount) | (value >> (64 - amount))
    }
}
