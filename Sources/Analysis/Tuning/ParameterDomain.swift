import Foundation

/// The set of values one hyperparameter may take, and how it maps to the unit interval.
///
/// Each kind answers two questions, so samplers never switch on the kind:
///
/// - ``value(atQuantile:)`` maps `u ∈ [0, 1)` onto the domain so that a uniform `u` draws from the
///   search prior (log-uniform for `.logUniform`), and the cell centres `(i + ½)/m` give `m` evenly
///   spread grid levels.
/// - ``encode(_:)`` / ``decode(_:)`` place a value in the unit hypercube the Gaussian process
///   works in: log-space for `.logUniform`, linear for `.uniform` and `.integer`, rank for
///   `.ordinal` (so {64, 128, 256} are equally spaced, as they are in log-space), one coordinate per
///   choice (one-hot) for `.categorical`, whose choices have no order a distance could respect.
///
/// A new kind (say, log-spaced integers) is a new case here; search spaces, grid, random search
/// and Bayesian optimisation stay untouched.
public enum ParameterDomain: Codable, Hashable, Sendable {
    /// Continuous on [lower, upper], sampled and encoded in log-space (e.g. learning rate 1e-4…1e-2).
    case logUniform(lower: Double, upper: Double)
    /// Continuous on [lower, upper], sampled and encoded linearly (e.g. dropout 0…0.5).
    case uniform(lower: Double, upper: Double)
    /// Every integer in lower…upper (e.g. epochs 1…20).
    case integer(lower: Int, upper: Int)
    /// A few ordered values, encoded by rank (e.g. hidden sizes 64, 128, 256 or batch sizes).
    case ordinal(levels: [ParameterValue])
    /// Unordered labels, one-hot encoded (e.g. activation relu, tanh).
    case categorical(choices: [String])

    /// How many distinct values the domain holds; nil for continuous domains.
    public var levelCount: Int? {
        switch self {
        case .logUniform, .uniform: return nil
        case .integer(let lower, let upper): return upper - lower + 1
        case .ordinal(let levels): return levels.count
        case .categorical(let choices): return choices.count
        }
    }

    /// The value at quantile `u ∈ [0, 1)` of the search prior (values of `u` outside are clamped).
    public func value(atQuantile u: Double) -> ParameterValue {
        let u = min(max(u, 0), 1)
        switch self {
        case .logUniform(let lower, let upper):
            return .real(clamp(exp(log(lower) + u * (log(upper) - log(lower))), lower, upper))
        case .uniform(let lower, let upper):
            return .real(clamp(lower + u * (upper - lower), lower, upper))
        case .integer(let lower, _):
            return .integer(lower + levelIndex(atQuantile: u))
        case .ordinal(let levels):
            return levels[levelIndex(atQuantile: u)]
        case .categorical(let choices):
            return .category(choices[levelIndex(atQuantile: u)])
        }
    }

    /// Whether `value` is of the right kind and inside the domain.
    public func contains(_ value: ParameterValue) -> Bool {
        switch (self, value) {
        case (.logUniform(let lower, let upper), .real(let x)), (.uniform(let lower, let upper), .real(let x)):
            return lower <= x && x <= upper
        case (.integer(let lower, let upper), .integer(let x)):
            return lower <= x && x <= upper
        case (.ordinal(let levels), _):
            return levels.contains(value)
        case (.categorical(let choices), .category(let x)):
            return choices.contains(x)
        default:
            return false
        }
    }

    // MARK: - Unit-hypercube encoding

    /// Number of unit-hypercube coordinates: one per choice for `.categorical`, otherwise one.
    public var encodedWidth: Int {
        if case .categorical(let choices) = self { return choices.count }
        return 1
    }

    /// The value's coordinates in [0, 1]^``encodedWidth``.
    public func encode(_ value: ParameterValue) -> [Double] {
        precondition(contains(value), "\(value) is not in \(self)")
        switch (self, value) {
        case (.logUniform(let lower, let upper), .real(let x)):
            return [(log(x) - log(lower)) / (log(upper) - log(lower))]
        case (.uniform(let lower, let upper), .real(let x)):
            return [(x - lower) / (upper - lower)]
        case (.integer(let lower, let upper), .integer(let x)):
            return [rank(x - lower, count: upper - lower + 1)]
        case (.ordinal(let levels), _):
            return [rank(levels.firstIndex(of: value)!, count: levels.count)]
        case (.categorical(let choices), .category(let x)):
            return choices.map { $0 == x ? 1 : 0 }
        default:
            preconditionFailure("unreachable: contains(_:) checked the kind")
        }
    }

    /// The value nearest to the given coordinates (continuous values clamped, discrete ones rounded
    /// to the nearest rank, categories by the largest coordinate). Inverts ``encode(_:)``.
    public func decode<Coordinates: Collection>(_ coordinates: Coordinates) -> ParameterValue
    where Coordinates.Element == Double {
        precondition(coordinates.count == encodedWidth, "expected \(encodedWidth) coordinates")
        switch self {
        case .logUniform(let lower, let upper):
            let u = clamp(coordinates.first!, 0, 1)
            return .real(clamp(exp(log(lower) + u * (log(upper) - log(lower))), lower, upper))
        case .uniform(let lower, let upper):
            return .real(lower + clamp(coordinates.first!, 0, 1) * (upper - lower))
        case .integer(let lower, let upper):
            return .integer(lower + nearestRank(coordinates.first!, count: upper - lower + 1))
        case .ordinal(let levels):
            return levels[nearestRank(coordinates.first!, count: levels.count)]
        case .categorical(let choices):
            let best = zip(choices.indices, coordinates).max { $0.1 < $1.1 }!.0
            return .category(choices[best])
        }
    }

    // MARK: - Helpers

    private func levelIndex(atQuantile u: Double) -> Int {
        let count = levelCount!
        return min(Int(u * Double(count)), count - 1)
    }

    /// Rank i of n as i / (n − 1), so the extremes sit at 0 and 1; a single level sits at ½.
    private func rank(_ index: Int, count: Int) -> Double {
        count == 1 ? 0.5 : Double(index) / Double(count - 1)
    }

    private func nearestRank(_ coordinate: Double, count: Int) -> Int {
        count == 1 ? 0 : Int((clamp(coordinate, 0, 1) * Double(count - 1)).rounded())
    }
}

private func clamp(_ x: Double, _ lower: Double, _ upper: Double) -> Double {
    min(max(x, lower), upper)
}
