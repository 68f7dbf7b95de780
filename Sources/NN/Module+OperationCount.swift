import Tensor

extension Module {
    /// Multiply-accumulates of one forward pass per image in the convolution and dense layers
    /// (the matrix products; batch normalisation, activations and pooling are left out).
    /// Runs one zero image of `sampleShape` through the model in evaluation mode to learn each
    /// convolution's input size. Forward FLOPs are twice this.
    public func forwardMultiplyAccumulates(sampleShape: [Int]) -> Int {
        guard let layer = self as? any UnaryLayer else { return 0 }
        train(false)
        defer { train(true) }
        _ = withoutGradients { layer(Tensor.zeros([1] + sampleShape)) }
        return multiplyAccumulatesOfLastPass()
    }

    private func multiplyAccumulatesOfLastPass() -> Int {
        var total = 0
        if let convolution = self as? Conv2D { total += convolution.lastMultiplyAccumulatesPerImage ?? 0 }
        if let dense = self as? Dense { total += dense.weight.count }
        for child in children() { total += child.module.multiplyAccumulatesOfLastPass() }
        return total
    }
}
