/// A parameter's values and gradient as raw pointers, for an optimizer's element-wise step.
public struct ParameterBuffer {
    public let values: UnsafeMutablePointer<Float>
    public let gradient: UnsafePointer<Float>
    public let count: Int
}

extension Tensor {
    /// Runs `body` with the values and gradients of `tensors` as pointers that stay valid only
    /// inside `body`, so an optimizer can update a whole model in one parallel pass instead of
    /// one hand-off to the cores per tensor (ResNet-50 has 161 parameter tensors, most of them
    /// batch-normalisation vectors too small to split on their own).
    ///
    /// Every tensor must be non-empty, have a gradient and appear once: two accesses to one
    /// tensor's storage would overlap.
    public static func withParameterBuffers<Result>(_ tensors: [Tensor], _ body: ([ParameterBuffer]) -> Result) -> Result {
        precondition(Set(tensors.map(ObjectIdentifier.init)).count == tensors.count, "withParameterBuffers: a tensor appears twice")
        precondition(tensors.allSatisfy { $0.hasGradient && $0.count > 0 }, "withParameterBuffers: a tensor is empty or has no gradient")
        var buffers: [ParameterBuffer] = []
        buffers.reserveCapacity(tensors.count)
        return collectBuffers(tensors[...], into: &buffers, body)
    }

    /// Opens the storage of `rest`'s first tensor and recurses into the others, so all of
    /// them stay open while `body` runs.
    private static func collectBuffers<Result>(_ rest: ArraySlice<Tensor>, into buffers: inout [ParameterBuffer],
                                               _ body: ([ParameterBuffer]) -> Result) -> Result {
        guard let tensor = rest.first else { return body(buffers) }
        return tensor.withUnsafeMutableData { values in
            tensor.gradientStorage.withUnsafeBufferPointer { gradient in
                buffers.append(ParameterBuffer(values: values.baseAddress!, gradient: gradient.baseAddress!, count: values.count))
                return collectBuffers(rest.dropFirst(), into: &buffers, body)
            }
        }
    }
}
