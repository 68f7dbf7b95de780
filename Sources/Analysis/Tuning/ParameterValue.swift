import Foundation

/// The value one hyperparameter takes in a ``Configuration``.
///
/// Encoded as a one-key JSON object (`{"real": 0.001}`, `{"integer": 64}`, `{"category": "relu"}`)
/// so that `1.0` and `1` never collide and a cached trial decodes to exactly the value it was run with.
public enum ParameterValue: Hashable, Sendable, CustomStringConvertible {
    case real(Double)
    case integer(Int)
    case category(String)

    /// The value as a number when it is one (`.real` or `.integer`), for plotting along an axis.
    public var numericValue: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        case .category: return nil
        }
    }

    public var description: String {
        switch self {
        case .real(let value): return "\(value)"
        case .integer(let value): return "\(value)"
        case .category(let value): return value
        }
    }
}

// MARK: - Codable

extension ParameterValue: Codable {
    private enum CodingKeys: String, CodingKey {
        case real, integer, category
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try container.decodeIfPresent(Double.self, forKey: .real) {
            self = .real(value)
        } else if let value = try container.decodeIfPresent(Int.self, forKey: .integer) {
            self = .integer(value)
        } else if let value = try container.decodeIfPresent(String.self, forKey: .category) {
            self = .category(value)
        } else {
            throw DecodingError.dataCorrupted(DecodingError.Context(
                codingPath: decoder.codingPath,
                debugDescription: "expected one of the keys real, integer, category"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .real(let value): try container.encode(value, forKey: .real)
        case .integer(let value): try container.encode(value, forKey: .integer)
        case .category(let value): try container.encode(value, forKey: .category)
        }
    }
}
