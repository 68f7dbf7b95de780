@testable import Tensor
import SIMDKernels
#if arch(x86_64)
import SIMDKernelsAVX512
#endif
import TestSupport
import XCTest

/// The zero-skipping row-pair paths of the dense product (`SparseRows` in SIMDKernels) against
/// a scalar reference, and against the 4-row tiles bit for bit: a width of 32 or 96 columns
/// takes the pairs with AVX2's 8-lane vectors (four vectors are 32 columns) and the 4-row tiles
/// with AVX-512's 16 lanes (64), so comparing the levels compares the paths.
final class SparseRowsTests: XCTestCase {
    var supportedLevels: [SIMDLevel] {
        let best = KernelSelection.supportedLevel(features: .current, buildMinimum: KernelSelection.buildMinimumLevel)
        return SIMDLevel.allCases.filter { $0 >= KernelSelection.buildMinimumLevel && $0 <= best }
    }

    /// Values with about `zeroFraction` of them exactly zero, in runs as a digit's background.
    func values(_ count: Int, seed: UInt64, zeroFraction: Double) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<count).map { index in
            let zero = Double(generator.next() % 1000) / 1000 < zeroFraction || (index / 5) % 7 == 0
            return zero ? 0 : Float(generator.nextStandardNormal())
        }
    }

    func product(level: SIMDLevel, m: Int, n: Int, k: Int, a: [Float], b: [Float], transposeA: Bool,
                 initial: [Float]?) -> [Float] {
        var c = initial ?? [Float](repeating: .nan, count: m * n)
        VectorKernels.withLevel(level) {
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        VectorKernels.denseMultiplyRows(0..<m, n: n, k: k, a: a.baseAddress!, rowStride: transposeA ? 1 : k,
                                                        depthStride: transposeA ? m : 1, b: b.baseAddress!,
                                                        c: c.baseAddress!, accumulates: initial != nil)
                    }
                }
            }
        }
        return c
    }

    func testRowPairsMatchTheReferenceAndTheFourRowTilesBitForBit() {
        let shapes = [(1, 64, 7), (2, 32, 1), (3, 128, 33), (5, 96, 64), (6, 64, 65), (7, 128, 392), (32, 128, 40)]
        for (m, n, k) in shapes {
            for transposeA in [false, true] {
                for zeroFraction in [0.0, 0.5, 0.9] {
                    for accumulates in [false, true] {
                        let a = values(m * k, seed: UInt64(m * 31 + k), zeroFraction: zeroFraction)
                        let b = values(k * n, seed: UInt64(n + k), zeroFraction: 0)
                        let initial = accumulates ? values(m * n, seed: 5, zeroFraction: 0) : nil
                        var expected = [Float](repeating: 0, count: m * n)
                        for i in 0..<m {
                            for j in 0..<n {
                                var sum = 0.0
                                for p in 0..<k { sum += Double(a[transposeA ? p * m + i : i * k + p]) * Double(b[p * n + j]) }
                                expected[i * n + j] = Float(sum) + (initial?[i * n + j] ?? 0)
                            }
                        }
                        let label = "m \(m) n \(n) k \(k) transposed \(transposeA) zeros \(zeroFraction) accumulates \(accumulates)"
                        var first: [Float]?
                        for level in supportedLevels {
                            let c = product(level: level, m: m, n: n, k: k, a: a, b: b, transposeA: transposeA, initial: initial)
                            assertClose(c, expected, rtol: 1e-5, atol: 1e-6 * Float(k), "\(level) \(label)")
                            if let first { XCTAssertEqual(c, first, "\(level) agrees bit for bit, \(label)") }
                            first = first ?? c
                        }
                    }
                }
            }
        }
    }

    func testNoDepthsGiveZerosOrTheRowsAsTheyWere() {
        let (m, n) = (3, 64)
        let dummy: [Float] = [1]
        for transposeA in [false, true] {
            for initial in [nil, values(m * n, seed: 8, zeroFraction: 0)] {
                for level in supportedLevels {
                    var c = initial ?? [Float](repeating: .nan, count: m * n)
                    VectorKernels.withLevel(level) {
                        c.withUnsafeMutableBufferPointer { c in
                            VectorKernels.denseMultiplyRows(0..<m, n: n, k: 0, a: dummy, rowStride: transposeA ? 1 : 0,
                                                            depthStride: transposeA ? m : 1, b: dummy, c: c.baseAddress!,
                                                            accumulates: initial != nil)
                        }
                    }
                    XCTAssertEqual(c, initial ?? [Float](repeating: 0, count: m * n), "\(level) transposed \(transposeA)")
                }
            }
        }
    }

    func testANaNInASkippedRowStillReachesItsProducts() {
        let (m, n, k) = (4, 64, 20)
        for transposeA in [false, true] {
            var a = [Float](repeating: 0, count: m * k)
            a[transposeA ? 3 * m + 1 : 1 * k + 3] = .nan   // op(A)[1, 3]
            let b = values(k * n, seed: 3, zeroFraction: 0)
            for level in supportedLevels {
                let c = product(level: level, m: m, n: n, k: k, a: a, b: b, transposeA: transposeA, initial: nil)
                XCTAssertTrue((0..<n).allSatisfy { c[n + $0].isNaN }, "\(level) transposed \(transposeA): row 1 is NaN")
                XCTAssertTrue(c[0..<n].allSatisfy { $0 == 0 } && c[(2 * n)...].allSatisfy { $0 == 0 },
                              "\(level) transposed \(transposeA): the other rows are zero")
            }
        }
    }

    func testNonzeroListsAgreeAcrossVectorWidths() {
        let specials: [Float] = [0, -0.0, .nan, .infinity, -1, Float.leastNonzeroMagnitude, 3]
        var generator = SeededGenerator(seed: 11)
        for count in [0, 1, 15, 16, 17, 33, 64, 392] {
            let first = (0..<count).map { _ in generator.next() % 3 == 0 ? specials[Int(generator.next() % 7)] : 0 }
            let second = (0..<count).map { _ in generator.next() % 5 == 0 ? Float(1) : 0 }
            for pair in [false, true] {
                let other = pair ? second : first
                let expected = (0..<count).filter { first[$0] != 0 || other[$0] != 0 }.map { Int32($0) }
                XCTAssertEqual(list(SIMD8<Float>.self, first, other), expected, "8 lanes, count \(count), pair \(pair)")
                #if arch(x86_64)
                if supportedLevels.contains(.avx512) {
                    XCTAssertEqual(list(SIMD16<Float>.self, first, other), expected, "16 lanes, count \(count), pair \(pair)")
                }
                #endif
            }
        }
    }

    func list<Lanes: FloatLanes>(_: Lanes.Type, _ first: [Float], _ second: [Float]) -> [Int32] {
        var positions = [Int32](repeating: -1, count: first.count + Lanes.scalarCount)
        let listed = first.withUnsafeBufferPointer { first in
            second.withUnsafeBufferPointer { second in
                positions.withUnsafeMutableBufferPointer { positions in
                    Lanes.listNonzero(first.baseAddress ?? UnsafePointer(bitPattern: 16)!, second.baseAddress ?? UnsafePointer(bitPattern: 16)!,
                                      count: first.count, into: positions.baseAddress!)
                }
            }
        }
        return Array(positions[..<listed])
    }
}
