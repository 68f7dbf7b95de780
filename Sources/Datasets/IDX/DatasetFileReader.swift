import Foundation

/// Reads a dataset file's raw bytes and, when it is gzip-compressed, inflates them.
enum DatasetFileReader {
    /// The bytes exactly as stored on disk (for checksums and content hashes).
    static func rawBytes(at url: URL, missingHint: String) throws -> [UInt8] {
        let path = url.path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DatasetError.missingFile(path: path, hint: missingHint)
        }
        guard !isDirectory.boolValue else {
            throw DatasetError.unreadableFile(path: path, reason: "it is a directory")
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw DatasetError.unreadableFile(path: path, reason: error.localizedDescription)
        }
    }

    /// The decompressed contents: gzip is recognised by its magic bytes, anything else is raw.
    /// A file named `.gz` that is not gzip is reported as corrupt rather than parsed as raw.
    static func contents(ofRaw raw: [UInt8], path: String) throws -> [UInt8] {
        if GzipInflater.isGzip(raw) {
            return try GzipInflater.inflate(raw, path: path)
        }
        if path.hasSuffix(".gz") {
            throw DatasetError.corruptGzip(path: path, reason: "not in gzip format (no 1f 8b header)")
        }
        return raw
    }
}
