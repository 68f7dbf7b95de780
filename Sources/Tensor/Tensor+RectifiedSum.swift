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

/// The loops of `rectifiedSum`, eight lanes at a time (`EightLanes`).
enum RectifiedSumKernels {
    /// `output = max(x + y, 0)` over `range`.
    @inline(__always)
    static func forward(_ range: Range<Int>, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>,
                        into output: UnsafeMutablePointer<Float>) {
        EightLanes.forEach(range, vector: { i in
            let sum = EightLanes.load(x, i) + EightLanes.load(y, i)
            EightLanes.store(sum.replacing(with: 0, where: sum .< 0), output, i)   // `pointwiseMax` is not inlined
        }, scalar: { i in
            output[i] = max(x[i] + y[i], 0)
        })
    }

    /// `g (+)= dy · [y > 0]` over `range`: added when `adding`, written otherwise.
    @inline(__always)
    static func gradient(_ range: Range<Int>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, adding: Bool,
                         into g: UnsafeMutablePointer<Float>) {
        EightLanes.forEach(range, vector: { i in
            let passed = EightLanes.Vector().replacing(with: EightLanes.load(dy, i), where: EightLanes.load(y, i) .> 0)
            EightLanes.store(adding ? EightLanes.load(g, i) + passed : passed, g, i)
        }, scalar: { i in
            let passed: Float = y[i] > 0 ? dy[i] : 0
            g[i] = adding ? g[i] + passed : passed
        })
    }
}
