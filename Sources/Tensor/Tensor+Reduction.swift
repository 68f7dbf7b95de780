// Reductions. Sums accumulate in a fixed order (eight SIMD lanes, then the lanes left to
// right), so a result depends only on the values, never on threads or timing.

/// The sum of all elements, as a scalar (shape `[]`).
public func sum(_ x: Tensor) -> Tensor {
    let total = x.data.withUnsafeBufferPointer { orderedSum($0) }
    return Tensor.result([total], shape: [], inputs: [x]) { output in
        let gradient = output.grad![0]
        x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient } }
    }
}

/// The mean of all elements, as a scalar (shape `[]`).
public func mean(_ x: Tensor) -> Tensor {
    precondition(x.count > 0, "mean of an empty tensor")
    let scale = 1 / Float(x.count)
    let total = x.data.withUnsafeBufferPointer { orderedSum($0) }
    return Tensor.result([total * scale], shape: [], inputs: [x]) { output in
        let gradient = output.grad![0] * scale
        x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient } }
    }
}

/// Sums a `[rows, columns]` tensor over its rows, giving `[columns]` (e.g. a bias gradient).
public func sumRows(_ x: Tensor) -> Tensor {
    precondition(x.rank == 2, "sumRows needs a rank-2 tensor, got \(x.shape)")
    let rows = x.shape[0], columns = x.shape[1]
    var totals = [Float](repeating: 0, count: columns)
    x.data.withUnsafeBufferPointer { values in
        totals.withUnsafeMutableBufferPointer { addRows(values.baseAddress!, rows: rows, columns: columns, into: $0.baseAddress!) }
    }
    return Tensor.result(totals, shape: [columns], inputs: [x]) { output in
        output.grad!.withUnsafeBufferPointer { gradient in
            x.accumulateGradient { g in
                for row in 0..<rows {
                    for column in 0..<columns { g[row * columns + column] += gradient[column] }
                }
            }
        }
    }
}

/// Index of the largest value in each row of a `[rows, columns]` tensor (first one on ties).
public func argmaxRows(_ x: Tensor) -> [Int32] {
    precondition(x.rank == 2, "argmaxRows needs a rank-2 tensor, got \(x.shape)")
    let rows = x.shape[0], columns = x.shape[1]
    return x.data.withUnsafeBufferPointer { values in
        (0..<rows).map { row in
            var best = 0
            for column in 1..<max(columns, 1) where values[row * columns + column] > values[row * columns + best] {
                best = column
            }
            return Int32(best)
        }
    }
}

/// Sum with a fixed association order: eight lanes of partial sums, then the lanes in order.
@inline(__always)
func orderedSum(_ values: UnsafeBufferPointer<Float>) -> Float {
    var lanes = SIMD8<Float>(repeating: 0)
    let vectorCount = values.count / 8
    if vectorCount > 0 {
        let raw = UnsafeRawPointer(values.baseAddress!)
        for v in 0..<vectorCount {
            lanes += raw.loadUnaligned(fromByteOffset: v * 32, as: SIMD8<Float>.self)
        }
    }
    var total: Float = 0
    for lane in 0..<8 { total += lanes[lane] }
    for i in (vectorCount * 8)..<values.count { total += values[i] }
    return total
}

/// `totals[c] += sum over r of values[r, c]`, rows in order (vectorised across columns).
@inline(__always)
func addRows(_ values: UnsafePointer<Float>, rows: Int, columns: Int, into totals: UnsafeMutablePointer<Float>) {
    for row in 0..<rows {
        let rowStart = values + row * columns
        for column in 0..<columns { totals[column] += rowStart[column] }
    }
}
