/// Reverse-mode differentiation: gradient mode, gradient accumulation and `backward()`.
///
/// Every primitive op builds its output with `Tensor.result(_:shape:inputs:pullback:)` and,
/// right beside it, the pullback that reads the output's gradient and adds the op's
/// contribution into each input's gradient. `backward()` orders the graph topologically and
/// runs the pullbacks from the loss down to the leaves.

/// Whether ops record a graph. On by default; `withoutGradients` turns it off for a scope.
public enum GradientMode {
    @TaskLocal static var isRecording = true

    /// Whether the current thread or task records graphs.
    public static var isEnabled: Bool { isRecording }
}

/// Runs `body` with graph recording turned off: ops compute values only, so evaluation
/// allocates no closures and keeps no intermediate tensors alive.
///
/// ```swift
/// let probabilities = withoutGradients { softmax(model(images)) }
/// ```
public func withoutGradients<Result>(_ body: () throws -> Result) rethrows -> Result {
    try GradientMode.$isRecording.withValue(false, operation: body)
}

extension Tensor {
    /// Wraps an op's output: records `inputs` and `pullback` only when gradients are enabled
    /// and some input requires them; otherwise returns a plain leaf.
    @inline(__always)
    static func result(_ data: [Float], shape: [Int], inputs: [Tensor],
                       pullback: @escaping (_ output: Tensor) -> Void) -> Tensor {
        if inputs.contains(where: { $0.requiresGradient }) && GradientMode.isRecording {
            return Tensor(data, shape: shape, inputs: inputs, pullback: pullback)
        }
        return Tensor(data, shape: shape)
    }

    /// Adds into this tensor's gradient through `body`, which receives a buffer that already
    /// holds the gradient so far (zeros the first time). Does nothing if no gradient is needed.
    @inline(__always)
    func accumulateGradient(_ body: (UnsafeMutableBufferPointer<Float>) -> Void) {
        guard requiresGradient else { return }
        if !hasGradient {
            if gradientStorage.count == data.count {
                gradientStorage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            } else {
                gradientStorage = [Float](repeating: 0, count: data.count)
            }
            hasGradient = true
        }
        gradientStorage.withUnsafeMutableBufferPointer { body($0) }
    }

    /// Like `accumulateGradient(_:)`, for BLAS-style kernels computing `g = beta * g + update`:
    /// while there is no gradient yet the buffer's old contents are garbage and `beta` is 0,
    /// which skips a zero fill (a 784x128 weight gradient is 400 KB, every step).
    @inline(__always)
    func accumulateGradient(beta body: (_ gradient: UnsafeMutablePointer<Float>, _ beta: Float) -> Void) {
        guard requiresGradient else { return }
        let beta: Float = hasGradient ? 1 : 0
        if gradientStorage.count != data.count {
            // Garbage is all `beta = 0` promises: no zero fill for a gradient about to be written.
            let count = data.count
            gradientStorage = [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
        }
        hasGradient = true
        gradientStorage.withUnsafeMutableBufferPointer { body($0.baseAddress!, beta) }
    }

    /// Sets the gradient outright (the seed of `backward`).
    func setGradient(_ values: [Float]) {
        gradientStorage = values
        hasGradient = true
    }

    /// Computes gradients of this tensor with respect to every tensor in its graph that
    /// requires them, adding into their `grad`.
    ///
    /// - Parameter gradient: d(loss)/d(self); defaults to ones, so a scalar loss gets 1.
    public func backward(gradient seed: [Float]? = nil) {
        precondition(seed == nil || seed!.count == count, "seed gradient does not match shape \(shape)")
        guard requiresGradient else { return }
        let order = topologicalOrder()
        setGradient(seed ?? [Float](repeating: 1, count: count))
        for tensor in order.reversed() where tensor.hasGradient {
            tensor.pullback?(tensor)
        }
    }

    /// Tensors of the graph ending here, each after all of its inputs (iterative depth-first
    /// search, so deep graphs cannot overflow the stack).
    func topologicalOrder() -> [Tensor] {
        var order: [Tensor] = []
        var visited = Set<ObjectIdentifier>()
        var stack: [(tensor: Tensor, inputsPushed: Bool)] = [(self, false)]
        while let (tensor, inputsPushed) = stack.popLast() {
            if inputsPushed { order.append(tensor); continue }
            guard visited.insert(ObjectIdentifier(tensor)).inserted else { continue }
            stack.append((tensor, true))
            for input in tensor.inputs where input.requiresGradient && !visited.contains(ObjectIdentifier(input)) {
                stack.append((input, false))
            }
        }
        return order
    }
}

/// Prepares `count` floats of a gradient for sums to be added onto them, as
/// `accumulateGradient(beta:)` hands it over: cleared when `beta` is 0 (the old contents are
/// garbage), scaled by any other `beta` but 1.
@inline(__always)
func scaleForAccumulation(_ values: UnsafeMutablePointer<Float>, count: Int, beta: Float) {
    if beta == 0 {
        values.update(repeating: 0, count: count)
    } else if beta != 1 {
        for i in 0..<count { values[i] *= beta }
    }
}
