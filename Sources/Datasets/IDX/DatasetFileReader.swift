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
        // Read straight into the array: going through `Data` would copy the file once more.
        guard let file = fopen(path, "rb") else {
            throw DatasetError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        if fseek(file, 0, SEEK_END) == 0, case let size = ftell(file), size > 0, fseek(file, 0, SEEK_SET) == 0 {
            bytes.reserveCapacity(size)
        }
        while true {
            let read = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if read > 0 { bytes.append(contentsOf: chunk[..<read]) }
            if read < chunk.count { break }
        }
        guard ferror(file) == 0 else {
            throw DatasetError.unreadableFile(path: path, reason: String(cString: strerror(errno)))
        }
        return bytes
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
