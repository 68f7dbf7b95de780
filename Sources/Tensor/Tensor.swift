/// A Float32 tensor: a shape and contiguous row-major storage, plus what reverse-mode
/// autodiff needs (a gradient, the inputs it was computed from, and a pullback).
///
/// Images are laid out NCHW. A tensor computed while gradients are enabled from at least one
/// input with `requiresGradient` remembers its inputs and a closure that turns its own
/// gradient into gradient contributions for them; `backward()` runs those closures in reverse
/// topological order (see `Tensor+Autodiff.swift`).
///
/// ```swift
/// let w = Tensor([1, 2, 3], shape: [3], requiresGradient: true)
/// let loss = sum(w * w)
/// loss.backward()          // w.grad == [2, 4, 6]
/// ```
public final class Tensor {
    /// Extent of each axis, outermost first; `[]` is a scalar.
    public let shape: [Int]
    /// Row-major values; `data.count == shape.reduce(1, *)`.
    public private(set) var data: [Float]
    /// Accumulated d(loss)/d(self), same layout as `data`; `nil` until a backward pass reaches
    /// this tensor, and again after `zeroGradient()`.
    public var grad: [Float]? { hasGradient ? gradientStorage : nil }
    /// The gradient buffer; kept across `zeroGradient()` so a parameter's 400 KB gradient is
    /// not freed and faulted back in on every step. Meaningful only while `hasGradient`.
    var gradientStorage: [Float] = []
    var hasGradient = false
    /// Whether gradients flow to this tensor. Set it on leaves (parameters); results of ops
    /// inherit it from their inputs.
    public var requiresGradient: Bool

    /// The tensors this one was computed from; empty for leaves and for results built
    /// without gradients.
    let inputs: [Tensor]
    /// Adds this tensor's gradient (passed in as `output`) into `inputs`' gradients.
    let pullback: ((_ output: Tensor) -> Void)?

    /// Creates a leaf tensor from row-major values.
    public init(_ data: [Float], shape: [Int], requiresGradient: Bool = false) {
        precondition(shape.allSatisfy { $0 >= 0 }, "negative extent in shape \(shape)")
        precondition(data.count == shape.reduce(1, *),
                     "\(data.count) values do not fill shape \(shape)")
        self.shape = shape
        self.data = data
        self.requiresGradient = requiresGradient
        self.inputs = []
        self.pullback = nil
    }

    /// Creates an op result; used by the ops themselves through `Tensor.result`.
    init(_ data: [Float], shape: [Int], inputs: [Tensor], pullback: @escaping (Tensor) -> Void) {
        self.shape = shape
        self.data = data
        self.requiresGradient = true
        self.inputs = inputs
        self.pullback = pullback
    }

    /// A scalar (shape `[]`) leaf.
    public convenience init(_ value: Float, requiresGradient: Bool = false) {
        self.init([value], shape: [], requiresGradient: requiresGradient)
    }

    /// A tensor of `shape` with every element equal to `value`.
    public convenience init(shape: [Int], repeating value: Float, requiresGradient: Bool = false) {
        self.init([Float](repeating: value, count: shape.reduce(1, *)), shape: shape,
                  requiresGradient: requiresGradient)
    }

    /// A tensor of zeros.
    public static func zeros(_ shape: [Int], requiresGradient: Bool = false) -> Tensor {
        Tensor(shape: shape, repeating: 0, requiresGradient: requiresGradient)
    }

    /// Uniform samples in `[lowerBound, upperBound)` drawn from `generator`.
    public static func randomUniform(_ shape: [Int], lowerBound: Float, upperBound: Float,
                                     generator: inout SeededGenerator,
                                     requiresGradient: Bool = false) -> Tensor {
        let count = shape.reduce(1, *)
        let width = upperBound - lowerBound
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count { values[index] = lowerBound + width * generator.nextUnitFloat() }
        return Tensor(values, shape: shape, requiresGradient: requiresGradient)
    }

    /// Standard-normal samples scaled by `standardDeviation` (Box-Muller on `generator`).
    public static func randomNormal(_ shape: [Int], mean: Float = 0, standardDeviation: Float = 1,
                                    generator: inout SeededGenerator,
                                    requiresGradient: Bool = false) -> Tensor {
        let count = shape.reduce(1, *)
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            values[index] = mean + standardDeviation * Float(generator.nextStandardNormal())
        }
        return Tensor(values, shape: shape, requiresGradient: requiresGradient)
    }

    /// Number of elements.
    @inlinable public var count: Int { data.count }
    /// Number of axes.
    public var rank: Int { shape.count }

    /// The single value of a one-element tensor.
    public var scalar: Float {
        precondition(data.count == 1, "scalar of a tensor with shape \(shape)")
        return data[0]
    }

    /// Overwrites the values in place, keeping the shape (optimizers, `setParameters`).
    /// Do not call it on a tensor whose graph has not been differentiated yet.
    public func withUnsafeMutableData<Result>(
        _ body: (inout UnsafeMutableBufferPointer<Float>) throws -> Result
    ) rethrows -> Result {
        try data.withUnsafeMutableBufferPointer(body)
    }

    /// Replaces all values; `values.count` must equal `count`.
    public func assign(_ values: [Float]) {
        precondition(values.count == data.count,
                     "assigning \(values.count) values to a tensor of shape \(shape)")
        data = values
    }

    /// Forgets the accumulated gradient (the next backward pass starts from zero).
    public func zeroGradient() { hasGradient = false }

    /// A leaf copy of the values that is cut off from the graph.
    public func detached() -> Tensor { Tensor(data, shape: shape) }
}

extension Tensor: CustomStringConvertible {
    public var description: String {
        let preview = data.prefix(8).map { "\($0)" }.joined(separator: ", ")
        return "Tensor(shape: \(shape), data: [\(preview)\(data.count > 8 ? ", ..." : "")])"
    }
}
