import Checksums
import Foundation

/// The four files every MNIST-format dataset ships, under their standard names.
///
/// A folder may hold them gzipped (`train-images-idx3-ubyte.gz`, as published) or already
/// decompressed (`train-images-idx3-ubyte`); the gzipped name wins when both exist.
public enum StandardIDXFiles {
    /// Base names in load order: training images, training labels, test images, test labels.
    public static let baseNames = [
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    ]

    /// The file in `directory` for `baseName`: `.gz` if present, else raw if present, else the
    /// `.gz` path (so a "missing file" error names the file the user should fetch).
    static func url(for baseName: String, in directory: URL) -> URL {
        let gzipped = directory.appendingPathComponent(baseName + ".gz")
        let raw = directory.appendingPathComponent(baseName)
        if FileManager.default.fileExists(atPath: gzipped.path) { return gzipped }
        if FileManager.default.fileExists(atPath: raw.path) { return raw }
        return gzipped
    }

    /// The four resolved file URLs in load order.
    static func urls(in directory: URL) -> [URL] {
        baseNames.map { url(for: $0, in: directory) }
    }

    /// True when all four files exist (gzipped or raw) in `directory`.
    public static func arePresent(in directory: URL) -> Bool {
        urls(in: directory).allSatisfy { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// Loads the training and test pairs; `contentHash` is SHA-256 over the four files' raw
    /// bytes concatenated in load order.
    static func load(from directory: URL, missingHint: String) throws
        -> (train: ImageSet, test: ImageSet, files: DatasetFiles, contentHash: String)
    {
        let urls = urls(in: directory)
        let raw = try urls.map { try DatasetFileReader.rawBytes(at: $0, missingHint: missingHint) }
        let hash = BackgroundSHA256(of: raw)
        let train = try IDXFilePair(imagesURL: urls[0], labelsURL: urls[1]).load(rawImages: raw[0], rawLabels: raw[1])
        let test = try IDXFilePair(imagesURL: urls[2], labelsURL: urls[3]).load(rawImages: raw[2], rawLabels: raw[3])
        let files = DatasetFiles(trainingImages: urls[0].path, trainingLabels: urls[1].path,
                                 testImages: urls[2].path, testLabels: urls[3].path)
        return (train, test, files, hash.wait())
    }
}
