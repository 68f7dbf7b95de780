/// The element-wise loops of batch normalisation, eight lanes at a time (`EightLanes`). Each
/// element gets exactly the scalar arithmetic (a multiply, then an add: no fused multiply-add),
/// so results are bit-identical to the plain loops, and the tail of a range runs those plain
/// loops.
///
/// The plane kernels take one channel's constants; the row kernels (`…Row`, `add…`) take a
/// row of per-element constants, each channel's repeated over its plane (see `ChannelLayout`).
enum BatchNormalizationKernels {
    @inline(__always)
    private static func load(_ p: UnsafePointer<Float>, _ i: Int) -> EightLanes.Vector { EightLanes.load(p, i) }

    @inline(__always)
    private static func store(_ v: EightLanes.Vector, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        EightLanes.store(v, p, i)
    }


    /// `x̂ = (x − μ) s` and `y = γ x̂ + β` over `range`.
    @inline(__always)
    static func normalize(_ range: Range<Int>, input: UnsafePointer<Float>, mean m: Float, inverseDeviation s: Float,
                          scale g: Float, shift b: Float, normalized xHat: UnsafeMutablePointer<Float>,
                          output: UnsafeMutablePointer<Float>) {
        EightLanes.forEach(range, vector: { i in
            let value = (load(input, i) - m) * s
            store(value, xHat, i)
            store(g * value + b, output, i)
        }, scalar: { i in
            let value = (input[i] - m) * s
            xHat[i] = value
            output[i] = g * value + b
        })
    }

    /// `dx (+)= f (M dy − Σdy − x̂ Σdy x̂)` over `range`, with `f = γ s / M`: added onto `g`
    /// when `adding`, written over it otherwise.
    @inline(__always)
    static func inputGradient(_ range: Range<Int>, factor: Float, count total: Float, outputGradient dy: UnsafePointer<Float>,
                              gradientSum: Float, normalized xHat: UnsafePointer<Float>, projectedSum: Float,
                              adding: Bool, into g: UnsafeMutablePointer<Float>) {
        EightLanes.forEach(range, vector: { i in
            let update = factor * (total * load(dy, i) - gradientSum - load(xHat, i) * projectedSum)
            store(adding ? load(g, i) + update : update, g, i)
        }, scalar: { i in
            let update = factor * (total * dy[i] - gradientSum - xHat[i] * projectedSum)
            g[i] = adding ? g[i] + update : update
        })
    }

    /// `sums[j] += x[j]` for `j < count`.
    @inline(__always)
    static func add(_ count: Int, _ x: UnsafePointer<Float>, into sums: inout [Float]) {
        sums.withUnsafeMutableBufferPointer { sums in
            let t = sums.baseAddress!
            EightLanes.forEach(0..<count, vector: { i in store(load(t, i) + load(x, i), t, i) },
                               scalar: { i in t[i] += x[i] })
        }
    }

    /// `sums[j] += (x[j] − mean[j])²` for `j < count`.
    @inline(__always)
    static func addSquaredDeviations(_ count: Int, _ x: UnsafePointer<Float>, from mean: [Float], into sums: inout [Float]) {
        mean.withUnsafeBufferPointer { mean in
            sums.withUnsafeMutableBufferPointer { sums in
                let t = sums.baseAddress!, m = mean.baseAddress!
                EightLanes.forEach(0..<count, vector: { i in
                    let d = load(x, i) - load(m, i)
                    store(load(t, i) + d * d, t, i)
                }, scalar: { i in
                    let d = x[i] - m[i]
                    t[i] += d * d
                })
            }
        }
    }

    /// `gradientSums[j] += dy[j]` and `projectedSums[j] += dy[j] x̂[j]` for `j < count`.
    @inline(__always)
    static func addGradientSums(_ count: Int, dy: UnsafePointer<Float>, normalized xHat: UnsafePointer<Float>,
                                gradientSums: inout [Float], projectedSums: inout [Float]) {
        gradientSums.withUnsafeMutableBufferPointer { gradientSums in
            projectedSums.withUnsafeMutableBufferPointer { projectedSums in
                let t = gradientSums.baseAddress!, p = projectedSums.baseAddress!
                EightLanes.forEach(0..<count, vector: { i in
                    let d = load(dy, i)
                    store(load(t, i) + d, t, i)
                    store(load(p, i) + d * load(xHat, i), p, i)
                }, scalar: { i in
                    t[i] += dy[i]
                    p[i] += dy[i] * xHat[i]
                })
            }
        }
    }

    /// `normalize` over one row of `count` values, with per-element constants.
    @inline(__always)
    static func normalizeRow(_ count: Int, input: UnsafePointer<Float>, mean: [Float], inverseDeviation: [Float],
                             scale: [Float], shift: [Float], normalized xHat: UnsafeMutablePointer<Float>,
                             output: UnsafeMutablePointer<Float>) {
        withBuffers(mean, inverseDeviation) { mean, inverseDeviation in
            withBuffers(scale, shift) { scale, shift in
                let m = mean.baseAddress!, s = inverseDeviation.baseAddress!, g = scale.baseAddress!, b = shift.baseAddress!
                EightLanes.forEach(0..<count, vector: { i in
                    let value = (load(input, i) - load(m, i)) * load(s, i)
                    store(value, xHat, i)
                    store(load(g, i) * value + load(b, i), output, i)
                }, scalar: { i in
                    let value = (input[i] - m[i]) * s[i]
                    xHat[i] = value
                    output[i] = g[i] * value + b[i]
                })
            }
        }
    }

    /// `inputGradient` over one row of `count` values, with per-element constants.
    @inline(__always)
    static func inputGradientRow(_ count: Int, factor: [Float], count total: Float, outputGradient dy: UnsafePointer<Float>,
                                 gradientSum: [Float], normalized xHat: UnsafePointer<Float>, projectedSum: [Float],
                                 adding: Bool, into g: UnsafeMutablePointer<Float>) {
        factor.withUnsafeBufferPointer { factor in
            withBuffers(gradientSum, projectedSum) { gradientSum, projectedSum in
                let f = factor.baseAddress!, gs = gradientSum.baseAddress!, ps = projectedSum.baseAddress!
                EightLanes.forEach(0..<count, vector: { i in
                    let update = load(f, i) * (total * load(dy, i) - load(gs, i) - load(xHat, i) * load(ps, i))
                    store(adding ? load(g, i) + update : update, g, i)
                }, scalar: { i in
                    let update = f[i] * (total * dy[i] - gs[i] - xHat[i] * ps[i])
                    g[i] = adding ? g[i] + update : update
                })
            }
        }
    }
}
