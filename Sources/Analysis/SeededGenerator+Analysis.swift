@_exported import struct Tensor.SeededGenerator

/// Analysis draws its random numbers from the engine's seeded generator (xoshiro256**), so one
/// seed reproduces a whole report; these names read better in the analysis code.
extension SeededGenerator {
    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Double { nextUnitDouble() }

    /// Standard normal.
    public mutating func nextGaussian() -> Double { nextStandardNormal() }
}
