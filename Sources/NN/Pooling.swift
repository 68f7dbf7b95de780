import Tensor

/// Max pooling as a layer: the largest value in each `kernelSize`×`kernelSize` window.
public final class MaxPool2D: Module, UnaryLayer {
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int

    /// - Parameters:
    ///   - kernelSize: Window side.
    ///   - stride: Step between windows; defaults to `kernelSize`.
    ///   - padding: −∞ border on every side.
    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.kernelSize = kernelSize
        self.stride = stride ?? kernelSize
        self.padding = padding
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernel: kernelSize, stride: stride, padding: padding)
    }
}

/// Global average pooling as a layer: `[N, C, H, W] -> [N, C]`.
public final class GlobalAveragePool2D: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { globalAveragePool2d(input) }
}
