import Checksums
import Foundation

/// The checksum line that follows a cache entry's JSON: the SHA-256 of the entry's bytes and
/// of every artifact file the cell left (trained weights, trajectories), as figures already
/// carry. A flipped bit in a result or a truncated weights file is then found when the entry
/// is read, named, and the cell recomputed, instead of changing a headline silently.
///
/// File layout: `<entry JSON>\n<seal JSON>`. Entries written before seals existed are one line
/// of JSON and are read as before (unverified).
struct CacheSeal: Codable, Equatable {
    struct Artifact: Codable, Equatable {
        var name: String
        var bytes: Int
        var sha256: String
    }

    var sha256: String
    var artifacts: [Artifact]

    /// What a sealed file's bytes hold.
    enum Reading {
        case unsealed(body: Data)
        case sealed(body: Data, seal: CacheSeal)
        case damaged(reason: String)
    }

    /// Seals `body`, recording every regular file directly inside `artifactDirectory`.
    static func sealing(_ body: Data, artifactDirectory: URL) throws -> CacheSeal {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: artifactDirectory.path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
        let artifacts = try names.compactMap { name -> Artifact? in
            let url = artifactDirectory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
            let data = try Data(contentsOf: url)
            return Artifact(name: name, bytes: data.count, sha256: SHA256.hexDigest(of: [UInt8](data)))
        }
        return CacheSeal(sha256: SHA256.hexDigest(of: [UInt8](body)), artifacts: artifacts)
    }

    /// `body`, a newline, then the seal.
    static func file(body: Data, seal: CacheSeal) throws -> Data {
        body + Data([0x0A]) + (try JSONEncoder.labbook.encode(seal))
    }

    /// Splits a file into its entry and seal and checks the entry's bytes against the seal.
    static func read(_ data: Data) -> Reading {
        guard let newline = data.lastIndex(of: 0x0A) else { return .unsealed(body: data) }
        let body = data[data.startIndex..<newline]
        guard let seal = try? JSONDecoder.labbook.decode(CacheSeal.self, from: data[data.index(after: newline)...]) else {
            return .damaged(reason: "its checksum line is unreadable")
        }
        guard SHA256.hexDigest(of: [UInt8](body)) == seal.sha256 else {
            return .damaged(reason: "its contents do not match their SHA-256 (changed after it was written)")
        }
        return .sealed(body: Data(body), seal: seal)
    }

    /// Nil when every recorded artifact is present with its size and SHA-256; otherwise why not.
    func artifactProblem(in artifactDirectory: URL) -> String? {
        for artifact in artifacts {
            let url = artifactDirectory.appendingPathComponent(artifact.name)
            guard let data = try? Data(contentsOf: url) else { return "artifact \(url.path) is missing" }
            guard data.count == artifact.bytes else { return "artifact \(url.path) has \(data.count) bytes, \(artifact.bytes) were written" }
            guard SHA256.hexDigest(of: [UInt8](data)) == artifact.sha256 else { return "artifact \(url.path) does not match its SHA-256" }
        }
        return nil
    }
}
