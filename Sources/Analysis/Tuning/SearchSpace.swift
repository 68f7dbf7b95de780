import Foundation

/// The hyperparameters a search varies, in a fixed order, each with its ``ParameterDomain``.
///
/// ```swift
/// let space = SearchSpace([
///     .logUniform("learningRate", 1e-4...1e-2),
///     .ordinal("hiddenSize1", levels: [64, 128, 256]),
///     .ordinal("hiddenSize2", levels: [32, 64, 128]),
///     .ordinal("batchSize", levels: [32, 64, 128]),
/// ])
/// ```
///
/// The order matters twice: grid search varies the first parameter slowest, and the
/// unit-hypercube encoding lays the parameters out in this order.
public struct SearchSpace: Codable, Hashable, Sendable {
    /// One named hyperparameter.
    public struct Parameter: Codable, Hashable, Sendable {
        public var name: String
        public var domain: ParameterDomain

        public init(name: String, domain: ParameterDomain) {
            switch domain {
            case .logUniform(let lower, let upper):
                precondition(0 < lower && lower < upper, "\(name): log-uniform needs 0 < lower < upper")
            case .uniform(let lower, let upper):
                precondition(lower < upper, "\(name): uniform needs lower < upper")
            case .integer(let lower, let upper):
                precondition(lower <= upper, "\(name): integer range needs lower ≤ upper")
            case .ordinal(let levels):
                precondition(!levels.isEmpty && Set(levels).count == levels.count, "\(name): needs distinct levels")
            case .categorical(let choices):
                precondition(!choices.isEmpty && Set(choices).count == choices.count, "\(name): needs distinct choices")
            }
            self.name = name
            self.domain = domain
        }

        public static func logUniform(_ name: String, _ range: ClosedRange<Double>) -> Parameter {
            Parameter(name: name, domain: .logUniform(lower: range.lowerBound, upper: range.upperBound))
        }

        public static func uniform(_ name: String, _ range: ClosedRange<Double>) -> Parameter {
            Parameter(name: name, domain: .uniform(lower: range.lowerBound, upper: range.upperBound))
        }

        public static func integer(_ name: String, _ range: ClosedRange<Int>) -> Parameter {
            Parameter(name: name, domain: .integer(lower: range.lowerBound, upper: range.upperBound))
        }

        /// Ordered integer levels (hidden sizes, batch sizes); values are `.integer`.
        public static func ordinal(_ name: String, levels: [Int]) -> Parameter {
            Parameter(name: name, domain: .ordinal(levels: levels.map { .integer($0) }))
        }

        /// Ordered real levels (e.g. dropout 0, 0.25, 0.5); values are `.real`.
        public static func ordinal(_ name: String, levels: [Double]) -> Parameter {
            Parameter(name: name, domain: .ordinal(levels: levels.map { .real($0) }))
        }

        public static func categorical(_ name: String, choices: [String]) -> Parameter {
            Parameter(name: name, domain: .categorical(choices: choices))
        }
    }

    public var parameters: [Parameter]

    public init(_ parameters: [Parameter]) {
        precondition(!parameters.isEmpty, "a search space needs at least one parameter")
        precondition(Set(parameters.map(\.name)).count == parameters.count, "parameter names must be distinct")
        self.parameters = parameters
    }

    public var names: [String] { parameters.map(\.name) }

    /// Whether the configuration sets exactly these parameters, each to a value in its domain.
    public func contains(_ configuration: Configuration) -> Bool {
        configuration.values.count == parameters.count && parameters.allSatisfy { parameter in
            configuration[parameter.name].map(parameter.domain.contains) ?? false
        }
    }

    /// The configuration at the given per-parameter quantiles (see ``ParameterDomain/value(atQuantile:)``).
    public func configuration(atQuantiles quantiles: [Double]) -> Configuration {
        precondition(quantiles.count == parameters.count, "one quantile per parameter")
        var values: [String: ParameterValue] = [:]
        for (parameter, u) in zip(parameters, quantiles) { values[parameter.name] = parameter.domain.value(atQuantile: u) }
        return Configuration(values)
    }

    /// A draw from the search prior: each parameter independently at a uniform quantile.
    public func randomConfiguration(using generator: inout SeededGenerator) -> Configuration {
        configuration(atQuantiles: parameters.map { _ in generator.nextUniform() })
    }

    /// `count` configurations stratified per parameter (Latin hypercube sampling; McKay, Beckman &
    /// Conover, Technometrics 21, 1979): parameter j of point i sits at quantile (πⱼ(i) + u)/count for
    /// a random permutation πⱼ and uniform u, so every parameter's prior is covered evenly even
    /// by a handful of points, which independent draws often fail to do.
    public func latinHypercube(count: Int, using generator: inout SeededGenerator) -> [Configuration] {
        precondition(count >= 1, "need at least one point")
        let permutations = parameters.map { _ in (0..<count).shuffled(using: &generator) }
        return (0..<count).map { i in
            configuration(atQuantiles: permutations.map { (Double($0[i]) + generator.nextUniform()) / Double(count) })
        }
    }
}
