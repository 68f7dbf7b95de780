import Foundation

/// Rescales a direction filter by filter so that each has the norm of the matching filter of
/// the parameters (Li, Xu, Taylor, Studer & Goldstein 2018, "Visualizing the Loss Landscape of
/// Neural Nets"):
/// ```
/// d_{i,j} ← d_{i,j} / ‖d_{i,j}‖ · ‖θ_{i,j}‖        (filter j of tensor i)
/// ```
/// This removes the scale invariance that makes raw random directions misleading: a step of α
/// along the direction changes every filter by the same fraction α of its own size. Biases,
/// normalisation parameters and elements not covered by the layout get zero.
///
/// - Parameters:
///   - direction: a raw direction, e.g. Gaussian, with layout.parameterCount entries or more.
///   - parameters: θ, the point the landscape is centred on.
public func filterNormalize(_ direction: [Double], layout: ParameterLayout, parameters: [Double]) -> [Double] {
    precondition(direction.count == parameters.count && parameters.count >= layout.parameterCount,
                 "direction and parameters must both cover the layout")
    var normalized = [Double](repeating: 0, count: direction.count)
    for group in layout.groups where group.role == .weight {
        for filter in 0..<group.filterCount {
            let indices = group.filterIndices(filter)
            var directionNormSquared = 0.0, weightNormSquared = 0.0
            for index in indices {
                directionNormSquared += direction[index] * direction[index]
                weightNormSquared += parameters[index] * parameters[index]
            }
            guard directionNormSquared > 0 else { continue }
            let scale = sqrt(weightNormSquared / directionNormSquared)
            for index in indices { normalized[index] = direction[index] * scale }
        }
    }
    return normalized
}

/// A Gaussian direction, filter-normalised with ``filterNormalize(_:layout:parameters:)``.
public func filterNormalizedDirection(layout: ParameterLayout, parameters: [Double],
                                      generator: inout SeededGenerator) -> [Double] {
    let raw = (0..<parameters.count).map { _ in generator.nextGaussian() }
    return filterNormalize(raw, layout: layout, parameters: parameters)
}

/// A Gaussian direction from its own seed, filter-normalised.
public func filterNormalizedDirection(layout: ParameterLayout, parameters: [Double], seed: UInt64) -> [Double] {
    var generator = SeededGenerator(seed: seed)
    return filterNormalizedDirection(layout: layout, parameters: parameters, generator: &generator)
}
