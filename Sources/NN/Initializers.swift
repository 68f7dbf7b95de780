import Tensor

/// A recipe for a parameter's initial values, passed around as a value
/// (`weightInitializer: glorotUniform()`), in the style of Swift for TensorFlow.
public typealias ParameterInitializer = (_ shape: [Int], _ generator: inout SeededGenerator) -> Tensor

/// Glorot/Xavier uniform (Glorot & Bengio, "Understanding the difficulty of training deep
/// feedforward neural networks", 2010), Keras's default kernel initializer:
///
/// ```
/// W ~ U(-limit, limit),    limit = sqrt(6 / (fanIn + fanOut))
/// ```
public func glorotUniform() -> ParameterInitializer {
    { shape, generator in
        let (fanIn, fanOut) = fans(of: shape)
        let limit = (6 / Float(fanIn + fanOut)).squareRoot()
        return Tensor.randomUniform(shape, lowerBound: -limit, upperBound: limit,
                                    generator: &generator, requiresGradient: true)
    }
}

/// He/Kaiming normal (He et al., "Delving Deep into Rectifiers", 2015): `N(0, 2 / fanIn)`.
public func heNormal() -> ParameterInitializer {
    { shape, generator in
        let (fanIn, _) = fans(of: shape)
        return Tensor.randomNormal(shape, standardDeviation: (2 / Float(fanIn)).squareRoot(),
                                   generator: &generator, requiresGradient: true)
    }
}

/// All zeros, Keras's default bias initializer. Draws nothing from the generator.
public func zeros() -> ParameterInitializer {
    { shape, _ in Tensor.zeros(shape, requiresGradient: true) }
}

/// Fan-in and fan-out of a weight shape.
///
/// - Rank 2 is a dense kernel `[inputSize, outputSize]` (Keras layout).
/// - Rank 3+ is a convolution kernel `[outputChannels, inputChannels, kernel...]` (NCHW
///   layout): each fan is a channel count times the receptive-field size.
/// - Rank 0 and 1 use the element count for both.
public func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
    switch shape.count {
    case 0: return (1, 1)
    case 1: return (shape[0], shape[0])
    case 2: return (shape[0], shape[1])
    default:
        let receptiveField = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptiveField, shape[0] * receptiveField)
    }
}
