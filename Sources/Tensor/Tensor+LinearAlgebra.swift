// Matrix products through OpenBLAS sgemm. Gradients are sgemm calls too, with transposes as
// BLAS flags and beta = 1 so they add straight into the inputs' gradient buffers.

/// `op(a) · op(b)` for rank-2 tensors, where `op` transposes when asked.
///
/// ```
/// C = op(A) op(B)        dop(A) = dC op(B)ᵀ        dop(B) = op(A)ᵀ dC
/// ```
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul needs rank-2 tensors, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition((transposeB ? b.shape[1] : b.shape[0]) == k,
                 "matmul inner extents differ: \(a.shape)\(transposeA ? "ᵀ" : "") · \(b.shape)\(transposeB ? "ᵀ" : "")")
    let values = withBuffers(a.data, b.data) { aValues, bValues in
        [Float](unsafeUninitializedCapacity: m * n) { c, initialized in
            if m * n > 0 {
                BLAS.gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k,
                          a: aValues.baseAddress!, b: bValues.baseAddress!, beta: 0, c: c.baseAddress!)
            }
            initialized = m * n
        }
    }
    return Tensor.result(values, shape: [m, n], inputs: [a, b]) { output in
        withBuffers(output.grad!, a.data) { gradient, aValues in
            b.data.withUnsafeBufferPointer { bValues in
                let dC = gradient.baseAddress!
                a.accumulateGradient { g, beta in
                    if transposeA {   // stored A is [k, m]: dA = op(B) dCᵀ
                        BLAS.gemm(transposeA: transposeB, transposeB: true, m: k, n: m, k: n,
                                  a: bValues.baseAddress!, b: dC, beta: beta, c: g)
                    } else {          // dA = dC op(B)ᵀ
                        BLAS.gemm(transposeA: false, transposeB: !transposeB, m: m, n: k, k: n,
                                  a: dC, b: bValues.baseAddress!, beta: beta, c: g)
                    }
                }
                b.accumulateGradient { g, beta in
                    if transposeB {   // stored B is [n, k]: dB = dCᵀ op(A)
                        BLAS.gemm(transposeA: true, transposeB: transposeA, m: n, n: k, k: m,
                                  a: dC, b: aValues.baseAddress!, beta: beta, c: g)
                    } else {          // dB = op(A)ᵀ dC
                        BLAS.gemm(transposeA: !transposeA, transposeB: false, m: k, n: n, k: m,
                                  a: aValues.baseAddress!, b: dC, beta: beta, c: g)
                    }
                }
            }
        }
    }
}

/// The affine map of a dense layer, `x · W + b`, as one primitive: the bias rows are written
/// first and the product is added onto them (beta = 1), so there is no separate bias pass.
///
/// - Parameters:
///   - x: `[batch, inputSize]`.
///   - weight: `[inputSize, outputSize]` (Keras's kernel layout).
///   - bias: `[outputSize]`.
/// ```
/// dx = dy Wᵀ        dW = xᵀ dy        db = Σ_rows dy
/// ```
public func linear(_ x: Tensor, weight: Tensor, bias: Tensor) -> Tensor {
    precondition(x.rank == 2 && weight.rank == 2 && bias.rank == 1, "linear needs x [N, in], W [in, out], b [out]")
    let batch = x.shape[0], inputSize = x.shape[1], outputSize = weight.shape[1]
    precondition(weight.shape[0] == inputSize && bias.shape[0] == outputSize,
                 "linear shapes disagree: x \(x.shape), W \(weight.shape), b \(bias.shape)")
    let values = withBuffers(x.data, weight.data) { xValues, wValues in
        bias.data.withUnsafeBufferPointer { bValues in
            [Float](unsafeUninitializedCapacity: batch * outputSize) { y, initialized in
                for row in 0..<batch {
                    (y.baseAddress! + row * outputSize).update(from: bValues.baseAddress!, count: outputSize)
                }
                if batch * outputSize > 0 && inputSize > 0 {
                    BLAS.gemm(transposeA: false, transposeB: false, m: batch, n: outputSize, k: inputSize,
                              a: xValues.baseAddress!, b: wValues.baseAddress!, beta: 1, c: y.baseAddress!)
                }
                initialized = batch * outputSize
            }
        }
    }
    return Tensor.result(values, shape: [batch, outputSize], inputs: [x, weight, bias]) { output in
        withBuffers(output.grad!, x.data) { gradient, xValues in
            let dy = gradient.baseAddress!
            let inputGradient = {
                x.accumulateGradient { g, beta in
                    weight.data.withUnsafeBufferPointer { wValues in
                        BLAS.gemm(transposeA: false, transposeB: true, m: batch, n: inputSize, k: outputSize,
                                  a: dy, b: wValues.baseAddress!, beta: beta, c: g)
                    }
                }
            }
            let parameterGradients = {
                weight.accumulateGradient { g, beta in
                    BLAS.gemm(transposeA: true, transposeB: false, m: inputSize, n: outputSize, k: batch,
                              a: xValues.baseAddress!, b: dy, beta: beta, c: g)
                }
                bias.accumulateGradient { g in
                    addRows(dy, rows: batch, columns: outputSize, into: g.baseAddress!)
                }
            }
            if x.requiresGradient && x !== weight
                && SmallMatrixProduct.runsGradientsSideBySide(batch: batch, inputs: inputSize, outputs: outputSize) {
                parallelTasks(2) { task in task == 0 ? inputGradient() : parameterGradients() }
            } else {
                inputGradient()
                parameterGradients()
            }
        }
    }
}
