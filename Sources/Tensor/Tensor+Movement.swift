// Movement ops: same values, new shape. Storage is a copy-on-write array, so a reshape shares
// the values until someone writes.

extension Tensor {
    /// The same values seen with another shape; one extent may be `-1` (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var resolved = newShape
        if let inferred = newShape.firstIndex(of: -1) {
            let known = newShape.enumerated().filter { $0.offset != inferred }.map(\.element).reduce(1, *)
            precondition(known > 0 && count % known == 0, "cannot reshape \(shape) to \(newShape)")
            resolved[inferred] = count / known
        }
        precondition(resolved.reduce(1, *) == count, "cannot reshape \(shape) to \(newShape)")
        let input = self
        return Tensor.result(data, shape: resolved, inputs: [input]) { output in
            output.grad!.withUnsafeBufferPointer { gradient in
                input.accumulateGradient { g in for i in 0..<g.count { g[i] += gradient[i] } }
            }
        }
    }

    /// Keeps the first axis (the batch) and flattens the rest: `[N, C, H, W] -> [N, C*H*W]`.
    public func flattenedBatch() -> Tensor {
        precondition(rank >= 1, "flattening a scalar")
        return reshaped([shape[0], -1])
    }
}
