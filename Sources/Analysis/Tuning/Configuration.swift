import Foundation

/// One point of a ``SearchSpace``: a value for every named hyperparameter.
///
/// A value type that is `Codable` and `Hashable`, so a trial can be a cached notebook cell keyed
/// by its configuration (its JSON with sorted keys is stable) and a tuner can tell which points
/// it has already evaluated.
///
/// ```swift
/// let learningRate = configuration.real("learningRate")
/// let hiddenSize = configuration.integer("hiddenSize1")
/// ```
public struct Configuration: Codable, Hashable, Sendable, CustomStringConvertible {
    public var values: [String: ParameterValue]

    public init(_ values: [String: ParameterValue]) {
        self.values = values
    }

    public subscript(name: String) -> ParameterValue? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// The value of a `.real` parameter; an `.integer` value is converted.
    public func real(_ name: String) -> Double {
        switch values[name] {
        case .real(let value)?: return value
        case .integer(let value)?: return Double(value)
        default: preconditionFailure("configuration has no numeric parameter '\(name)': \(self)")
        }
    }

    /// The value of an `.integer` parameter.
    public func integer(_ name: String) -> Int {
        guard case .integer(let value)? = values[name] else {
            preconditionFailure("configuration has no integer parameter '\(name)': \(self)")
        }
        return value
    }

    /// The value of a `.category` parameter.
    public func category(_ name: String) -> String {
        guard case .category(let value)? = values[name] else {
            preconditionFailure("configuration has no categorical parameter '\(name)': \(self)")
        }
        return value
    }

    /// A copy with one parameter changed: e.g. the best configuration with the learning rate swept,
    /// to plot the surrogate along that axis.
    public func setting(_ name: String, to value: ParameterValue) -> Configuration {
        var copy = self
        copy.values[name] = value
        return copy
    }

    /// `name=value` pairs sorted by name, e.g. `batchSize=64, learningRate=0.001`.
    public var description: String {
        values.keys.sorted().map { "\($0)=\(values[$0]!)" }.joined(separator: ", ")
    }
}
