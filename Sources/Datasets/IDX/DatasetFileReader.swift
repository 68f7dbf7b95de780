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

    /// The decompressed contents of a file with no size header (the mnist-5k CSV): gzip is
    /// recognised by its magic bytes, anything else is raw. A file named `.gz` that is not gzip
    /// is reported as corrupt rather than parsed as raw.
    static func contents(ofRaw raw: [UInt8], path: String) throws -> [UInt8] {
        guard try isGzip(raw, path: path) else { return raw }
        // Nothing states the size, so the cap is deflate's own limit; the buffer still grows
        // only with the bytes zlib really produces, whatever the gzip trailer claims.
        return try GzipInflater.inflate(raw, path: path, limit: raw.count * GzipInflater.maximumRatio)
    }

    /// The decompressed contents of a file whose first `headerBytes` bytes state its whole
    /// length (`fileSize(header)`, e.g. `IDXReader.fileSize`). A gzipped file is inflated no
    /// further than that length, and one whose header promises more than its compressed bytes
    /// could ever hold is rejected before anything is allocated for it. The caller's parser
    /// still checks the length exactly (it reports a short file as truncated).
    static func contents(ofRaw raw: [UInt8], path: String, headerBytes: Int,
                         fileSize: ([UInt8]) throws -> Int) throws -> [UInt8] {
        guard try isGzip(raw, path: path) else { return raw }
        let header = try GzipInflater.prefix(raw, count: headerBytes, path: path)
        guard header.count == headerBytes else { return header }
        let expected = try fileSize(header)
        guard expected / GzipInflater.maximumRatio <= raw.count else {
            throw DatasetError.corruptGzip(
                path: path, reason: "its header promises \(expected) bytes, more than \(raw.count) compressed bytes can"
                    + " inflate to (truncated download?)")
        }
        return try GzipInflater.inflate(raw, path: path, limit: expected)
    }

    /// Whether `raw` is gzip; a `.gz` name on anything else is an error.
    private static func isGzip(_ raw: [UInt8], path: String) throws -> Bool {
        if GzipInflater.isGzip(raw) { return true }
        if path.hasSuffix(".gz") {
            throw DatasetError.corruptGzip(path: path, reason: "not in gzip format (no 1f 8b header)")
        }
        return false
    }
}
