import Checksums
/// Everything that can go wrong while finding, reading or downloading a dataset.
///
/// Each message names the file involved and says what was expected, because the person reading
/// it is usually looking at a half-finished download or a mis-copied folder and needs to know
/// which file to replace and how.
public enum DatasetError: Error, Equatable, CustomStringConvertible {
    /// A required file does not exist; `hint` says how to obtain it.
    case missingFile(path: String, hint: String)
    /// The file exists but could not be read (permissions, a directory in its place, ...).
    case unreadableFile(path: String, reason: String)
    /// The first four bytes of an IDX file are not the magic number for the expected kind.
    case wrongMagicNumber(path: String, expected: UInt32, found: UInt32)
    /// The (decompressed) file is shorter than its header promises.
    case truncated(path: String, expectedBytes: Int, foundBytes: Int)
    /// The (decompressed) file is longer than its header promises: probably the wrong file.
    case trailingBytes(path: String, expectedBytes: Int, foundBytes: Int)
    /// The gzip stream could not be inflated.
    case corruptGzip(path: String, reason: String)
    /// An images file and its labels file disagree on how many examples they hold.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// A CSV row could not be parsed.
    case malformedCSV(path: String, line: Int, reason: String)
    /// `DatasetSource(name:)` was given a name it does not know.
    case unknownDataset(name: String, validNames: [String])
    /// A downloaded file's MD5 did not match the published checksum.
    case checksumMismatch(file: String, url: String, expectedMD5: String, foundMD5: String)
    /// Every mirror failed for `file`; `attempts` holds one line per mirror.
    case downloadFailed(file: String, attempts: [String])

    public var description: String {
        switch self {
        case let .missingFile(path, hint):
            return "\(path): file not found. \(hint)"
        case let .unreadableFile(path, reason):
            return "\(path): cannot be read (\(reason))"
        case let .wrongMagicNumber(path, expected, found):
            return "\(path): wrong magic number: expected \(hex(expected)), found \(hex(found))"
                + " (not an IDX file of the expected kind?)"
        case let .truncated(path, expectedBytes, foundBytes):
            return "\(path): truncated: expected \(expectedBytes) bytes, found \(foundBytes)\(decompressedNote(path))"
                + " (incomplete download? delete it and fetch again)"
        case let .trailingBytes(path, expectedBytes, foundBytes):
            return "\(path): expected \(expectedBytes) bytes as its header says, found \(foundBytes)\(decompressedNote(path))"
                + " (extra data after the last item; wrong file?)"
        case let .corruptGzip(path, reason):
            return "\(path): corrupt gzip data: \(reason)"
        case let .countMismatch(imagesPath, imageCount, labelsPath, labelCount):
            return "size mismatch: \(imagesPath) holds \(imageCount) images"
                + " but \(labelsPath) holds \(labelCount) labels"
        case let .malformedCSV(path, line, reason):
            return "\(path):\(line): \(reason)"
        case let .unknownDataset(name, validNames):
            return "unknown dataset '\(name)'; valid names: \(validNames.joined(separator: ", "))"
                + " (or pass --dataset-dir DIR for a folder of IDX files)"
        case let .checksumMismatch(file, url, expectedMD5, foundMD5):
            return "\(file): MD5 mismatch for \(url): expected \(expectedMD5), found \(foundMD5);"
                + " the file was discarded"
        case let .downloadFailed(file, attempts):
            return "\(file): download failed from every mirror:\n  "
                + attempts.joined(separator: "\n  ")
        }
    }
}

/// IDX sizes are counted after decompression; say so for gzipped files to avoid confusion
/// with the size `ls` shows.
private func decompressedNote(_ path: String) -> String {
    path.hasSuffix(".gz") ? " after decompression" : ""
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
