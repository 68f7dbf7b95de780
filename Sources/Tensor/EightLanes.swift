/// Loads, stores and loops eight floats at a time, for the engine's memory-bound element-wise
/// kernels (batch normalisation, the residual sum). Written with SIMD types because the
/// optimiser leaves the plain loops scalar: it cannot prove that an output buffer does not
/// overlap the inputs. Eight lanes is the AVX2 width the Tensor module is compiled for.
enum EightLanes {
    typealias Vector = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> Vector { UnsafeRawPointer(p + i).loadUnaligned(as: Vector.self) }

    @inline(__always)
    static func store(_ v: Vector, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Vector.self)
    }

    /// Runs `vector(i)` for each whole vector of `range` and `scalar(i)` for the rest.
    @inline(__always)
    static func forEach(_ range: Range<Int>, vector: (Int) -> Void, scalar: (Int) -> Void) {
        var i = range.lowerBound
        while i + Vector.scalarCount <= range.upperBound { vector(i); i += Vector.scalarCount }
        while i < range.upperBound { scalar(i); i += 1 }
    }
}
