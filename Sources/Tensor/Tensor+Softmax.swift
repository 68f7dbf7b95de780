import Foundation

// Softmax and its fused cross-entropy. Both subtract each row's maximum before `exp`
// (log-sum-exp), so logits of any magnitude give finite results.

/// Row-wise softmax of a `[rows, classes]` tensor.
///
/// ```
/// yᵢ = exp(xᵢ - max x) / Σⱼ exp(xⱼ - max x)        dxᵢ = yᵢ (dyᵢ - Σⱼ dyⱼ yⱼ)
/// ```
public func softmax(_ logits: Tensor) -> Tensor {
    precondition(logits.rank == 2, "softmax needs [rows, classes], got \(logits.shape)")
    let rows = logits.shape[0], classes = logits.shape[1]
    let probabilities = logits.data.withUnsafeBufferPointer { x in
        [Float](unsafeUninitializedCapacity: x.count) { y, initialized in
            for row in 0..<rows {
                _ = softmaxRow(x.baseAddress! + row * classes, classes: classes, into: y.baseAddress! + row * classes)
            }
            initialized = x.count
        }
    }
    return Tensor.result(probabilities, shape: logits.shape, inputs: [logits]) { output in
        withBuffers(output.grad!, output.data) { gradient, y in
            logits.accumulateGradient { g in
                for row in 0..<rows {
                    let start = row * classes
                    var dot: Float = 0
                    for j in start..<(start + classes) { dot += gradient[j] * y[j] }
                    for j in start..<(start + classes) { g[j] += y[j] * (gradient[j] - dot) }
                }
            }
        }
    }
}

/// Per-sample cross-entropy of softmax(logits) against integer class labels, fused so the
/// gradient is the well-conditioned `softmax - onehot` rather than a division by tiny
/// probabilities.
///
/// ```
/// lossᵢ = log Σⱼ exp(zᵢⱼ - mᵢ) - (zᵢ,yᵢ - mᵢ)     (mᵢ = maxⱼ zᵢⱼ)
/// dzᵢⱼ = dlossᵢ · (softmax(zᵢ)ⱼ - [j = yᵢ])
/// ```
/// - Parameters:
///   - logits: `[batch, classes]` unnormalised scores.
///   - labels: `batch` class indices in `0..<classes`.
/// - Returns: `[batch]` losses; reduce them with `mean` or `sum`.
public func softmaxCrossEntropy(logits: Tensor, labels: [Int32]) -> Tensor {
    precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                 "softmaxCrossEntropy: logits \(logits.shape) vs \(labels.count) labels")
    let rows = logits.shape[0], classes = logits.shape[1]
    var probabilities = [Float](repeating: 0, count: logits.count)
    var losses = [Float](repeating: 0, count: rows)
    logits.data.withUnsafeBufferPointer { z in
        probabilities.withUnsafeMutableBufferPointer { p in
            for row in 0..<rows {
                let label = Int(labels[row])
                precondition(label >= 0 && label < classes, "label \(label) outside 0..<\(classes)")
                let (maximum, logTotal) = softmaxRow(z.baseAddress! + row * classes, classes: classes,
                                                     into: p.baseAddress! + row * classes)
                // log Σ exp(z - m) - (z_label - m): both terms are small, so no precision is
                // lost to the magnitude of m (1e4 + 0.31 would round to 0.001 in Float32).
                losses[row] = logTotal - (z[row * classes + label] - maximum)
            }
        }
    }
    return Tensor.result(losses, shape: [rows], inputs: [logits]) { output in
        output.grad!.withUnsafeBufferPointer { gradient in
            logits.accumulateGradient { g in
                for row in 0..<rows {
                    let start = row * classes
                    for j in 0..<classes { g[start + j] += gradient[row] * probabilities[start + j] }
                    g[start + Int(labels[row])] -= gradient[row]
                }
            }
        }
    }
}

/// Writes softmax of one row and returns its maximum `m` and `log Σ exp(x - m)`.
@inline(__always)
func softmaxRow(_ x: UnsafePointer<Float>, classes: Int, into y: UnsafeMutablePointer<Float>) -> (maximum: Float, logTotal: Float) {
    var maximum = -Float.infinity
    for j in 0..<classes { maximum = max(maximum, x[j]) }
    var total: Float = 0
    for j in 0..<classes {
        let e = expf(x[j] - maximum)
        y[j] = e
        total += e
    }
    let reciprocal = 1 / total
    for j in 0..<classes { y[j] *= reciprocal }
    return (maximum, logf(total))
}
