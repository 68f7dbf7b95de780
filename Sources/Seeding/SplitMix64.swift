/// SplitMix64 (Steele, Lea & Flood, "Fast Splittable Pseudorandom Number Generators", 2014):
/// a tiny seeded generator whose output is fixed by its seed on every platform and Swift version.
///
/// It seeds `SeededGenerator` (Tensor), and dataset shuffles and splits use it instead of `SystemRandomNumberGenerator` so that the same
/// seed always picks the same test images, which keeps cached results and reports reproducible.
/// ```
/// state += 0x9e3779b97f4a7c15
/// z = (state ^ (state >> 30)) * 0xbf58476d1ce4e5b9
/// z = (z ^ (z >> 27)) * 0x94d049bb133111eb
/// return z ^ (z >> 31)
/// ```
public struct SplitMix64: RandomNumberGenerator {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (`uniformIndex(below:)`).
    public mutating func next(below bound: Int) -> Int {
        uniformIndex(below: bound)
    }

    /// Fisher-Yates shuffle of `values` in place, drawing from this generator.
    public mutating func shuffle<T>(_ values: inout [T]) {
        guard values.count > 1 else { return }
        for index in stride(from: values.count - 1, to: 0, by: -1) {
            values.swapAt(index, next(below: index + 1))
        }
    }
}

extension RandomNumberGenerator {
    /// A uniform integer in `0..<bound` by Lemire's multiply-and-reject method: the one
    /// implementation for Labbook's generators, defined here rather than through
    /// `Int.random(in:using:)`, whose algorithm the standard library may change.
    public mutating func uniformIndex(below bound: Int) -> Int {
        precondition(bound > 0, "uniformIndex(below:) needs a positive bound, got \(bound)")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold { product = next().multipliedFullWidth(by: range) }
        }
        return Int(product.high)
    }
}
