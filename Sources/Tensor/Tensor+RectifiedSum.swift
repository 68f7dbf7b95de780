// The end of every residual block, `relu(residual + shortcut)`, as one op.
//
// Written as `relu(a + b)` it is two ops: the sum is stored, read back by the rectifier, and
// in the pullback the rectifier's gradient is stored and read back by the sum's, which then
// zero-fills both operands' gradients before adding into them. In ResNet-50 those passes over
// activations of up to 3 MB were about a twentieth of a training step. Here the forward pass
// reads both operands once and writes the output once; the pullback reads the output and its
// gradient once and writes each operand's gradient (a first gradient is written, not added
// onto zeros).

/// `max(a + b, 0)` element by element, for two tensors of the same shape; the gradient is
/// taken as 0 at the kink, as `relu` does.
///
/// ```
/// y = max(a + b, 0)        da = db = dy · [y > 0]
/// ```
public func rectifiedSum(_ a: Tensor, _ b: Tensor) -> Tensor {
    precondition(a.shape == b.shape, "rectifiedSum needs operands of one shape, got \(a.shape) and \(b.shape)")
    let count = a.count
    let values = withBuffers(a.data, b.data) { x, y in
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            concurrentChunks(count: count) { range in
                RectifiedSumKernels.forward(range, x.baseAddress!, y.baseAddress!, into: output.baseAddress!)
            }
            initialized = count
        }
    }
    return Tensor.result(values, shape: a.shape, inputs: [a, b]) { output in
        withBuffers(output.grad!, output.data) { dy, y in
            for operand in [a, b] {
                operand.accumulateGradient { g, beta in
                    concurrentChunks(count: count) { range in
                        RectifiedSumKernels.gradient(range, dy.baseAddress!, y.baseAddress!, adding: beta != 0, into: g)
                    }
                }
            }
        }
    }
}

/// The loops of `rectifiedSum`, eight lanes at a time: the optimiser leaves the plain loops
/// scalar, as it cannot prove that the output does not overlap the inputs.
enum RectifiedSumKernels {
    typealias Lanes = SIMD8<Float>

    @inline(__always)
    static func load(_ p: UnsafePointer<Float>, _ i: Int) -> Lanes { UnsafeRawPointer(p + i).loadUnaligned(as: Lanes.self) }

    @inline(__always)
    static func store(_ v: Lanes, _ p: UnsafeMutablePointer<Float>, _ i: Int) {
        UnsafeMutableRawPointer(p + i).storeBytes(of: v, as: Lanes.self)
    }

    /// `output = max(x + y, 0)` over `range`.
    @inline(__always)
    static func forward(_ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                        into output: UnsafeMutablePointer<Float>) {
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let sum = load(x, i) + load(y, i)
            store(sum.replacing(with: 0, where: sum .< 0), output, i)   // `pointwiseMax` is not inlined
            i += Lanes.scalarCount
        }
        while i < range.upperBound { output[i] = max(x[i] + y[i], 0); i += 1 }
    }

    /// `g (+)= dy · [y > 0]` over `range`: added when `adding`, written otherwise.
    @inline(__always)
    static func gradient(_ range: Range<Int>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, adding: Bool,
                         into g: UnsafeMutablePointer<Float>) {
        var i = range.lowerBound
        while i + Lanes.scalarCount <= range.upperBound {
            let passed = Lanes().replacing(with: load(dy, i), where: load(y, i) .> 0)
            store(adding ? load(g, i) + passed : passed, g, i)
            i += Lanes.scalarCount
        }
        while i < range.upperBound {
            let passed: Float = y[i] > 0 ? dy[i] : 0
            g[i] = adding ? g[i] + passed : passed
            i += 1
        }
    }
}
