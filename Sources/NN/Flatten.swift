import Tensor

/// Keeps the batch axis and flattens the rest: `[N, C, H, W] -> [N, C·H·W]`.
public final class Flatten: Module, UnaryLayer {
    public override init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.flattenedBatch() }
}
