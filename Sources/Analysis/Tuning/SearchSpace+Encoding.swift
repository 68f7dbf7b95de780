import Foundation

/// The unit-hypercube coordinates the Gaussian process sees; see ``ParameterDomain`` for the
/// per-kind choices (log-space, rank, one-hot).
extension SearchSpace {
    /// Total number of coordinates: the sum of the parameters' ``ParameterDomain/encodedWidth``.
    public var encodedDimension: Int {
        parameters.reduce(0) { $0 + $1.domain.encodedWidth }
    }

    /// The coordinate range each parameter occupies, in parameter order.
    public var encodedRanges: [Range<Int>] {
        var start = 0
        return parameters.map { parameter in
            defer { start += parameter.domain.encodedWidth }
            return start..<(start + parameter.domain.encodedWidth)
        }
    }

    /// The configuration as a point of [0, 1]^``encodedDimension``.
    public func encode(_ configuration: Configuration) -> [Double] {
        parameters.flatMap { parameter -> [Double] in
            guard let value = configuration[parameter.name] else {
                preconditionFailure("configuration lacks '\(parameter.name)': \(configuration)")
            }
            return parameter.domain.encode(value)
        }
    }

    /// The configuration nearest to a point of the unit hypercube; `decode(encode(c)) == c`.
    public func decode(_ point: [Double]) -> Configuration {
        precondition(point.count == encodedDimension, "expected \(encodedDimension) coordinates, got \(point.count)")
        var values: [String: ParameterValue] = [:]
        for (parameter, range) in zip(parameters, encodedRanges) {
            values[parameter.name] = parameter.domain.decode(point[range])
        }
        return Configuration(values)
    }
}
