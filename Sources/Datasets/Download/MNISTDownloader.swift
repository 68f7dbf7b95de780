import Checksums
import Foundation

/// Fetches MNIST's four gzipped IDX files into a folder (normally `data/mnist/`), the work
/// behind `labbook data fetch mnist`.
///
/// yann.lecun.com no longer serves the files reliably, so mirrors are tried in order until one
/// delivers a file whose MD5 matches the published checksum. Each file is streamed into a
/// temporary file in the destination folder and renamed into place only after it verifies, so an
/// interrupted or corrupted download never leaves a file that looks complete.
public struct MNISTDownloader {
    /// A file to fetch and the MD5 it must have.
    public struct RemoteFile: Equatable {
        public let name: String
        public let md5: String

        public init(name: String, md5: String) {
            self.name = name
            self.md5 = md5.lowercased()
        }
    }

    /// Mirrors that serve the original files under their original names.
    public static let defaultMirrors = [
        URL(string: "https://ossci-datasets.s3.amazonaws.com/mnist/")!,
        URL(string: "https://storage.googleapis.com/cvdf-datasets/mnist/")!,
    ]

    /// The four MNIST files with the checksums published alongside them.
    public static let mnistFiles = [
        RemoteFile(name: "train-images-idx3-ubyte.gz", md5: "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
        RemoteFile(name: "train-labels-idx1-ubyte.gz", md5: "d53e105ee54ea40749a09fcbcd1e9432"),
        RemoteFile(name: "t10k-images-idx3-ubyte.gz", md5: "9fb629c4189551a2d022fa330f9573f3"),
        RemoteFile(name: "t10k-labels-idx1-ubyte.gz", md5: "ec29112dd5afa0611ce80d1b7f02629c"),
    ]

    /// Base URLs tried in order; a file's URL is the base plus its name.
    public let mirrors: [URL]
    public let files: [RemoteFile]
    /// Seconds without any data before a mirror is abandoned.
    public let timeout: TimeInterval

    /// - Parameters:
    ///   - mirrors: Base URLs (tests point these at a local server).
    ///   - files: What to fetch and the MD5 each must have.
    ///   - timeout: Idle timeout per request, in seconds.
    public init(mirrors: [URL] = MNISTDownloader.defaultMirrors, files: [RemoteFile] = MNISTDownloader.mnistFiles,
                timeout: TimeInterval = 60) {
        precondition(!mirrors.isEmpty, "MNISTDownloader needs at least one mirror")
        self.mirrors = mirrors
        self.files = files
        self.timeout = timeout
    }

    /// Downloads every file that is not already in `directory` with the right MD5.
    ///
    /// - Parameter progress: Called from a background thread as bytes arrive.
    /// - Returns: The local URL of each file, in `files` order.
    /// - Throws: `DatasetError.downloadFailed` naming the file and what each mirror did wrong.
    @discardableResult
    public func download(into directory: URL, progress: ((DownloadProgress) -> Void)? = nil) throws -> [URL] {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        removeAbandonedTemporaries(in: directory)
        return try files.map { try download($0, into: directory, progress: progress) }
    }

    /// Deletes `.NAME.*.partial` files that a killed process could not clean up.
    private func removeAbandonedTemporaries(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        for name in names where name.hasSuffix(".partial")
            && files.contains(where: { name.hasPrefix(".\($0.name).") }) {
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }

    /// Downloads one file unless it is already present and verified; see `download(into:progress:)`.
    @discardableResult
    public func download(_ file: RemoteFile, into directory: URL,
                         progress: ((DownloadProgress) -> Void)? = nil) throws -> URL {
        let destination = directory.appendingPathComponent(file.name)
        if let existing = FileManager.default.contents(atPath: destination.path),
           MD5.hexDigest(of: [UInt8](existing)) == file.md5 {
            return destination
        }
        var attempts: [String] = []
        for mirror in mirrors {
            let url = mirror.appendingPathComponent(file.name)
            do {
                try fetch(file, from: url, to: destination, progress: progress)
                return destination
            } catch let error as DatasetError {
                attempts.append(error.description)
            } catch let error as HTTPFileTransfer.Failure {
                attempts.append("\(url.absoluteString): \(error.reason)")
            } catch {
                attempts.append("\(url.absoluteString): \(error.localizedDescription)")
            }
        }
        throw DatasetError.downloadFailed(file: destination.path, attempts: attempts)
    }

    /// Streams `url` into a temporary file beside `destination`, checks its MD5 and renames it
    /// into place; on any failure the temporary file is removed.
    private func fetch(_ file: RemoteFile, from url: URL, to destination: URL,
                       progress: ((DownloadProgress) -> Void)?) throws {
        let temporary = destination.deletingLastPathComponent()
            .appendingPathComponent(".\(file.name).\(UUID().uuidString).partial")
        defer { try? FileManager.default.removeItem(at: temporary) }

        let transfer = try HTTPFileTransfer(destination: temporary) { received, expected in
            progress?(DownloadProgress(file: file.name, url: url, bytesReceived: received, expectedBytes: expected))
        }
        let md5 = try transfer.run(url: url, timeout: timeout)
        guard md5 == file.md5 else {
            throw DatasetError.checksumMismatch(file: file.name, url: url.absoluteString,
                                                expectedMD5: file.md5, foundMD5: md5)
        }
        // rename(2) replaces atomically within one file system, hence the temporary beside the target.
        guard rename(temporary.path, destination.path) == 0 else {
            throw DatasetError.unreadableFile(path: destination.path,
                                              reason: "could not move the download into place (errno \(errno))")
        }
    }
}

/// How far one file's download has got.
public struct DownloadProgress {
    /// The file's name, e.g. "train-images-idx3-ubyte.gz".
    public let file: String
    /// The mirror URL currently being read.
    public let url: URL
    public let bytesReceived: Int
    /// The size the server announced, if it did.
    public let expectedBytes: Int?
}
