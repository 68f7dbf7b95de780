import Checksums
import Foundation

/// The content address of a computed cell: SHA-256 over the cell's identity, its
/// configuration (canonical JSON, sorted keys), the code version string its author
/// bumps when the computation changes, and the keys of the cells whose results it
/// consumes. Any change to one of these gives a new key, so stale results are never reused.
public struct CellKey: Hashable, Codable, CustomStringConvertible {
    public let hex: String

    public init<Config: Encodable>(question: String, cell: String, version: String, config: Config, inputs: [CellKey] = []) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let configJSON = try encoder.encode(config)
        var material = Data("labbook-cell-v1\u{0}\(question)\u{0}\(cell)\u{0}\(version)\u{0}".utf8)
        material.append(configJSON)
        for input in inputs { material.append(Data("\u{0}\(input.hex)".utf8)) }
        hex = SHA256.hex(material)
    }

    /// A key read back from a record (64 hex characters).
    init(hex: String) {
        self.hex = hex
    }

    public var short: String { String(hex.prefix(12)) }
    public var description: String { short }
}
