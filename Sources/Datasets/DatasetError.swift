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
    /// The IDX header's sizes are impossible (a zero image side, a byte count past 2^63).
    case invalidHeader(path: String, reason: String)
    /// The gzip stream could not be inflated.
    case corruptGzip(path: String, reason: String)
    /// The gzip stream inflates to more than its IDX header promises; inflating stopped there,
    /// so a gzip bomb costs at most the promised size.
    case inflatesPastLimit(path: String, limitBytes: Int)
    /// An images file and its labels file disagree on how many examples they hold.
    case countMismatch(imagesPath: String, imageCount: Int, labelsPath: String, labelCount: Int)
    /// The training or test set holds no images.
    case noImages(path: String, set: String)
    /// Training and test images differ in size (`[rows, columns]` each).
    case imageSizeMismatch(trainingPath: String, trainingSize: [Int], testPath: String, testSize: [Int])
    /// A label is not one of the dataset's declared classes; the first such label is named.
    case labelOutOfRange(path: String, index: Int, label: Int, classCount: Int, outOfRangeCount: Int, labelCount: Int)
    /// The images are not the size a model's layers take (`size` is `[rows, columns]`).
    case wrongImageSize(path: String, size: [Int], consumer: String, needed: String)
    /// Fewer training images than one step of an experiment needs.
    case tooFewImages(path: String, count: Int, consumer: String, minimum: Int, reason: String)
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
        case let .invalidHeader(path, reason):
            return "\(path): invalid IDX header: \(reason) (not an MNIST-format file?)"
        case let .corruptGzip(path, reason):
            return "\(path): corrupt gzip data: \(reason)"
        case let .inflatesPastLimit(path, limitBytes):
            return "\(path): inflates to more than the \(limitBytes) bytes its header promises"
                + " (extra data after the last item, or a gzip bomb); inflating stopped there"
        case let .countMismatch(imagesPath, imageCount, labelsPath, labelCount):
            return "size mismatch: \(imagesPath) holds \(imageCount) images"
                + " but \(labelsPath) holds \(labelCount) labels"
        case let .noImages(path, set):
            return "\(path): no images: the \(set) set is empty (a dataset needs at least one training and one test image)"
        case let .imageSizeMismatch(trainingPath, trainingSize, testPath, testSize):
            return "size mismatch: \(trainingPath) holds \(sizeText(trainingSize)) images"
                + " but \(testPath) holds \(sizeText(testSize)) images"
        case let .labelOutOfRange(path, index, label, classCount, outOfRangeCount, labelCount):
            return "\(path): label \(label) at index \(index) is outside 0-\(classCount - 1)"
                + " (the dataset declares \(classCount) classes); \(outOfRangeCount) of \(labelCount) labels are out of range"
        case let .wrongImageSize(path, size, consumer, needed):
            return "\(path): images are \(sizeText(size)), but \(consumer) needs \(needed)"
        case let .tooFewImages(path, count, consumer, minimum, reason):
            return "\(path): \(count) training image\(count == 1 ? "" : "s"), but \(consumer) needs at least \(minimum)"
                + (reason.isEmpty ? "" : " (\(reason))")
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

/// `[28, 28]` as "28x28".
private func sizeText(_ size: [Int]) -> String {
    size.map(String.init).joined(separator: "x")
}

private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
}
