import Foundation

// Elementwise ops. Each builds its output and, right beside it, its pullback.
//
// Binary ops broadcast in the one way layers need so far: the smaller operand's shape must be
// a suffix of the larger one's (a bias `[C]` over `[N, C]`, a scalar `[]` over anything).
// Loops run over raw buffers so the optimiser vectorises them. Only tensors of tens of
// thousands of elements (convolutional activations) are split over the cores, in contiguous
// chunks (`concurrentChunks`); at the sizes of a dense mini-batch a thread hand-off costs more
// than the loop.

extension Tensor {
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, { $0 + $1 }) { gradient, shape in
            accumulateBroadcast(lhs, shape) { i, _ in gradient[i] }
            accumulateBroadcast(rhs, shape) { i, _ in gradient[i] }
        }
    }

    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, { $0 - $1 }) { gradient, shape in
            accumulateBroadcast(lhs, shape) { i, _ in gradient[i] }
            accumulateBroadcast(rhs, shape) { i, _ in -gradient[i] }
        }
    }

    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, { $0 * $1 }) { gradient, shape in
            lhs.data.withUnsafeBufferPointer { a in
                rhs.data.withUnsafeBufferPointer { b in
                    let lhsIsLarge = shape.lhsIsLarge
                    accumulateBroadcast(lhs, shape) { i, j in
                        gradient[i] * b[lhsIsLarge ? j : i]
                    }
                    accumulateBroadcast(rhs, shape) { i, j in
                        gradient[i] * a[lhsIsLarge ? i : j]
                    }
                }
            }
        }
    }

    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        broadcastBinary(lhs, rhs, { $0 / $1 }) { gradient, shape in
            lhs.data.withUnsafeBufferPointer { a in
                rhs.data.withUnsafeBufferPointer { b in
                    let lhsIsLarge = shape.lhsIsLarge
                    // d(a/b)/da = 1/b, d(a/b)/db = -a/b^2
                    accumulateBroadcast(lhs, shape) { i, j in
                        gradient[i] / b[lhsIsLarge ? j : i]
                    }
                    accumulateBroadcast(rhs, shape) { i, j in
                        let bValue = b[lhsIsLarge ? j : i]
                        return -gradient[i] * a[lhsIsLarge ? i : j] / (bValue * bValue)
                    }
                }
            }
        }
    }

    public static prefix func - (operand: Tensor) -> Tensor { operand * Tensor(-1) }
    public static func + (lhs: Tensor, rhs: Float) -> Tensor { lhs + Tensor(rhs) }
    public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs - Tensor(rhs) }
    public static func * (lhs: Tensor, rhs: Float) -> Tensor { lhs * Tensor(rhs) }
    public static func / (lhs: Tensor, rhs: Float) -> Tensor { lhs / Tensor(rhs) }
    public static func * (lhs: Float, rhs: Tensor) -> Tensor { Tensor(lhs) * rhs }
}

/// `max(x, 0)`; the gradient is taken as 0 at the kink, as every framework does.
public func relu(_ x: Tensor) -> Tensor {
    let values = mapValues(x, Rectifier.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, output.data) { gradient, y in
            x.accumulateGradient { g, beta in
                // `rectifiedSum`'s kernel: dy where y > 0, written as x's first gradient.
                concurrentChunks(count: y.count) { range in
                    RectifiedSumKernels.gradient(range, gradient.baseAddress!, y.baseAddress!, adding: beta != 0, into: g)
                }
            }
        }
    }
}

/// The logistic function `1 / (1 + exp(-x))`; derivative `y (1 - y)`.
public func sigmoid(_ x: Tensor) -> Tensor {
    let values = mapValues(x, Logistic.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, output.data) { gradient, y in
            x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient[i] * y[i] * (1 - y[i]) } }
        }
    }
}

/// Hyperbolic tangent; derivative `1 - y^2`.
public func tanh(_ x: Tensor) -> Tensor {
    let values = mapValues(x, HyperbolicTangent.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, output.data) { gradient, y in
            x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient[i] * (1 - y[i] * y[i]) } }
        }
    }
}

/// `e^x`; derivative `y`.
public func exp(_ x: Tensor) -> Tensor {
    let values = mapValues(x, Exponential.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, output.data) { gradient, y in
            x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient[i] * y[i] } }
        }
    }
}

/// Natural logarithm; derivative `1 / x`.
public func log(_ x: Tensor) -> Tensor {
    let values = mapValues(x, NaturalLogarithm.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, x.data) { gradient, input in
            x.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient[i] / input[i] } }
        }
    }
}

/// `x^2`; derivative `2x`.
public func square(_ x: Tensor) -> Tensor {
    let values = mapValues(x, Square.self)
    return Tensor.result(values, shape: x.shape, inputs: [x]) { output in
        withBuffers(output.grad!, x.data) { gradient, input in
            x.accumulateGradient { g in for i in 0..<g.count { g[i] += 2 * gradient[i] * input[i] } }
        }
    }
}

// MARK: - Kernels shared by the ops above

/// A scalar function for `mapValues`, given as a type rather than a closure: a generic
/// parameter is specialised into the pool's chunk loop, so a one-instruction function such as
/// ReLU vectorises. A closure would reach that loop as a captured value, which the optimiser
/// does not inline: every element cost a call.
protocol ElementwiseFunction {
    static func apply(_ x: Float) -> Float
}

/// Selects rather than branches (`max` and `where` keep the loops scalar).
enum Rectifier: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { x > 0 ? x : 0 } }
enum Logistic: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { 1 / (1 + expf(-x)) } }
enum HyperbolicTangent: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { tanhf(x) } }
enum Exponential: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { expf(x) } }
enum NaturalLogarithm: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { logf(x) } }
enum Square: ElementwiseFunction { @inline(__always) static func apply(_ x: Float) -> Float { x * x } }

/// Applies `Function` to every element, split over the cores.
@inline(__always)
func mapValues<Function: ElementwiseFunction>(_ x: Tensor, _: Function.Type) -> [Float] {
    x.data.withUnsafeBufferPointer { input in
        [Float](unsafeUninitializedCapacity: input.count) { output, initialized in
            concurrentChunks(count: input.count) { range in
                for i in range { output[i] = Function.apply(input[i]) }
            }
            initialized = input.count
        }
    }
}

@inline(__always)
func withBuffers<Result>(_ first: [Float], _ second: [Float],
                         _ body: (UnsafeBufferPointer<Float>, UnsafeBufferPointer<Float>) -> Result) -> Result {
    first.withUnsafeBufferPointer { a in second.withUnsafeBufferPointer { b in body(a, b) } }
}

/// How the operands of a binary op line up: the smaller operand repeats every `blockSize`
/// elements of the `outputCount`-element result.
struct BroadcastShape {
    let outputCount: Int
    let blockSize: Int
    let lhsIsLarge: Bool
}

/// Forward pass of a broadcasting binary op, plus its recorded pullback, which receives the
/// output's gradient and the broadcast layout.
@inline(__always)
func broadcastBinary(_ lhs: Tensor, _ rhs: Tensor, _ operation: (Float, Float) -> Float,
                     pullback: @escaping (_ gradient: UnsafeBufferPointer<Float>, _ shape: BroadcastShape) -> Void) -> Tensor {
    let lhsIsLarge = lhs.count >= rhs.count
    let large = lhsIsLarge ? lhs : rhs
    let small = lhsIsLarge ? rhs : lhs
    precondition(large.shape.count >= small.shape.count
                 && Array(large.shape.suffix(small.shape.count)) == small.shape
                 && (small.count > 0 || large.count == 0),
                 "cannot broadcast shapes \(lhs.shape) and \(rhs.shape)")
    let blockSize = small.count
    let values = withBuffers(large.data, small.data) { a, b in
        [Float](unsafeUninitializedCapacity: a.count) { output, initialized in
            if blockSize == a.count {
                concurrentChunks(count: a.count) { range in
                    if lhsIsLarge { for i in range { output[i] = operation(a[i], b[i]) } }
                    else { for i in range { output[i] = operation(b[i], a[i]) } }
                }
            } else if blockSize == 1 {
                let scalar = b[0]
                if lhsIsLarge { for i in 0..<a.count { output[i] = operation(a[i], scalar) } }
                else { for i in 0..<a.count { output[i] = operation(scalar, a[i]) } }
            } else {
                for base in stride(from: 0, to: a.count, by: blockSize) {
                    if lhsIsLarge { for j in 0..<blockSize { output[base + j] = operation(a[base + j], b[j]) } }
                    else { for j in 0..<blockSize { output[base + j] = operation(b[j], a[base + j]) } }
                }
            }
            initialized = a.count
        }
    }
    let shape = BroadcastShape(outputCount: large.count, blockSize: blockSize, lhsIsLarge: lhsIsLarge)
    return Tensor.result(values, shape: large.shape, inputs: [lhs, rhs]) { output in
        output.grad!.withUnsafeBufferPointer { pullback($0, shape) }
    }
}

/// Adds `contribution(i, j)` into `target`'s gradient for every output index `i`, where `j`
/// is the matching index into the smaller (repeating) operand; a smaller target sums its
/// contributions over all blocks.
@inline(__always)
func accumulateBroadcast(_ target: Tensor, _ shape: BroadcastShape, _ contribution: (_ i: Int, _ j: Int) -> Float) {
    target.accumulateGradient { g in
        let blockSize = shape.blockSize
        if blockSize == shape.outputCount {
            concurrentChunks(count: blockSize) { range in
                for i in range { g[i] += contribution(i, i) }
            }
        } else if g.count == blockSize {
            for base in stride(from: 0, to: shape.outputCount, by: blockSize) {
                for j in 0..<blockSize { g[j] += contribution(base + j, j) }
            }
        } else {
            for base in stride(from: 0, to: shape.outputCount, by: blockSize) {
                for j in 0..<blockSize { g[base + j] += contribution(base + j, j) }
            }
        }
    }
}
