import Checksums
import Dispatch

/// SHA-256 of a sequence of buffers (hashed as if concatenated), computed on another thread.
///
/// Loading Fashion-MNIST spends about as long hashing the 30 MB of gzip files (for the
/// content hash) as inflating them; on two cores the two can overlap.
final class BackgroundSHA256: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once on the background queue before `group.leave()`, read after `group.wait()`.
    private var digest = ""

    init(of buffers: [[UInt8]]) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            var hasher = SHA256()
            for buffer in buffers { hasher.update(buffer) }
            digest = hasher.hexDigest()
        }
    }

    /// Blocks until the digest is ready and returns it as hex.
    func wait() -> String {
        group.wait()
        return digest
    }
}
