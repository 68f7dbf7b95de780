import Checksums
import Foundation

/// A data file a report ships beside its pages, such as Q4's per-image predictions: the
/// numbers behind a table or a test, for a reader to check or reuse. results.json lists each
/// with its size and SHA-256, so a copy can be verified.
public struct ReportDataFile: Codable, Equatable {
    /// Relative to the report folder (`predictions.csv`).
    public var path: String
    public var description: String
    public var bytes: Int
    public var sha256: String

    public init(path: String, description: String, contents: Data) {
        self.path = path
        self.description = description
        bytes = contents.count
        sha256 = Checksums.SHA256.hexDigest(of: [UInt8](contents))
    }
}
