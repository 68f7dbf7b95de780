import Tensor

/// All parameters as one vector and back: the view that curvature (Hessian-vector products,
/// Lanczos) and loss-landscape code needs.
extension Module {
    /// Names and shapes of the trainable tensors, in `parameters()` order.
    public var parameterShapes: [(name: String, shape: [Int])] {
        namedParameters().map { ($0.name, $0.tensor.shape) }
    }

    /// All trainable values concatenated in `parameters()` order.
    public func flattenedParameters() -> [Float] {
        var vector: [Float] = []
        vector.reserveCapacity(parameterCount)
        for parameter in parameters() { vector.append(contentsOf: parameter.data) }
        return vector
    }

    /// All gradients concatenated in `parameters()` order; zeros where none was computed.
    public func flattenedGradients() -> [Float] {
        var vector: [Float] = []
        vector.reserveCapacity(parameterCount)
        for parameter in parameters() {
            vector.append(contentsOf: parameter.grad ?? [Float](repeating: 0, count: parameter.count))
        }
        return vector
    }

    /// Overwrites every trainable value from a vector laid out like `flattenedParameters()`.
    public func setParameters(from vector: [Float]) {
        precondition(vector.count == parameterCount,
                     "setParameters: \(vector.count) values for \(parameterCount) parameters")
        var offset = 0
        vector.withUnsafeBufferPointer { source in
            for parameter in parameters() {
                let count = parameter.count
                parameter.withUnsafeMutableData { destination in
                    destination.baseAddress!.update(from: source.baseAddress! + offset, count: count)
                }
                offset += count
            }
        }
    }
}

/// Every tensor of a module (parameters and buffers such as batch-normalisation running
/// statistics), copied, so a training run can return to its best epoch's weights.
public struct ModuleState: Sendable {
    fileprivate let values: [[Float]]
}

extension Module {
    /// A copy of every tensor's values (`namedTensors()` order).
    public func capturedState() -> ModuleState {
        ModuleState(values: namedTensors().map(\.tensor.data))
    }

    /// Overwrites every tensor with the values of `state`, taken from this module.
    public func restore(_ state: ModuleState) {
        let tensors = namedTensors()
        precondition(tensors.count == state.values.count, "restore: state of \(state.values.count) tensors for \(tensors.count)")
        for ((_, tensor), values) in zip(tensors, state.values) {
            precondition(values.count == tensor.count, "restore: \(values.count) values for a tensor of \(tensor.count)")
            tensor.withUnsafeMutableData { destination in
                values.withUnsafeBufferPointer { destination.baseAddress!.update(from: $0.baseAddress!, count: values.count) }
            }
        }
    }
}
