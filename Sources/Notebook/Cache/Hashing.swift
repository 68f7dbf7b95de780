import Checksums
import Foundation

extension SHA256 {
    /// The SHA-256 of `data` as 64 lowercase hex characters.
    static func hex(_ data: Data) -> String {
        hexDigest(of: [UInt8](data))
    }
}
