import Foundation

/// The three dense products backpropagation through linear layers needs, on row-major arrays.
/// Plain loops over unsafe buffers: the matrices in the deep-linear experiments are at most a
/// few thousand rows by a few dozen columns, where BLAS would not pay for itself.
enum RowMajorMatrix {
    /// C = A B, with A m × k and B k × n.
    static func multiply(_ a: [Double], _ b: [Double], rows m: Int, inner k: Int, columns n: Int) -> [Double] {
        precondition(a.count == m * k && b.count == k * n, "shape mismatch in A B")
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for p in 0..<k {
                            let aip = a[i * k + p]
                            if aip == 0 { continue }
                            for j in 0..<n { c[i * n + j] += aip * b[p * n + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// C = A Bᵀ, with A m × k and B n × k (a batch through a layer with weight B).
    static func multiplyTransposed(_ a: [Double], _ b: [Double], rows m: Int, inner k: Int, columns n: Int) -> [Double] {
        precondition(a.count == m * k && b.count == n * k, "shape mismatch in A Bᵀ")
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum = 0.0
                            for p in 0..<k { sum += a[i * k + p] * b[j * k + p] }
                            c[i * n + j] = sum
                        }
                    }
                }
            }
        }
        return c
    }

    /// C = Aᵀ B, with A k × m and B k × n (a weight gradient summed over a batch of k rows).
    static func transposedMultiply(_ a: [Double], _ b: [Double], rows m: Int, inner k: Int, columns n: Int) -> [Double] {
        precondition(a.count == k * m && b.count == k * n, "shape mismatch in Aᵀ B")
        var c = [Double](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    for p in 0..<k {
                        for i in 0..<m {
                            let api = a[p * m + i]
                            if api == 0 { continue }
                            for j in 0..<n { c[i * n + j] += api * b[p * n + j] }
                        }
                    }
                }
            }
        }
        return c
    }

    /// Aᵀ for A m × n.
    static func transpose(_ a: [Double], rows m: Int, columns n: Int) -> [Double] {
        var t = [Double](repeating: 0, count: m * n)
        for i in 0..<m { for j in 0..<n { t[j * m + i] = a[i * n + j] } }
        return t
    }
}
