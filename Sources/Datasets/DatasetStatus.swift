import Checksums
import Foundation

/// What `labbook data status` reports for one dataset: whether it can be loaded, and each file's
/// size and SHA-256 so a user can compare against data/README.md or another machine.
public struct DatasetStatus: CustomStringConvertible {
    /// One file the dataset needs.
    public struct File {
        public let path: String
        /// Whether the file exists; `sizeInBytes` and `sha256` are nil when it does not.
        public let isPresent: Bool
        public let sizeInBytes: Int?
        public let sha256: String?
    }

    public let name: String
    public let directory: String
    /// True when every file the dataset needs is present (it may still fail to parse).
    public let isPresent: Bool
    public let files: [File]
    /// How to obtain missing files.
    public let howToObtain: String

    public var description: String {
        var lines = ["\(name): \(isPresent ? "present" : "missing") in \(directory)"]
        for file in files {
            if let size = file.sizeInBytes, let hash = file.sha256 {
                lines.append("  \(file.path)  \(formatted(size)) bytes  sha256 \(hash)")
            } else {
                lines.append("  \(file.path)  missing")
            }
        }
        if !isPresent { lines.append("  " + howToObtain) }
        return lines.joined(separator: "\n")
    }
}

extension DatasetSource {
    /// Which files exist, with sizes and SHA-256 checksums (reads every present file).
    public func status(projectRoot: URL) -> DatasetStatus {
        let directory = dataDirectory(projectRoot: projectRoot)
        let urls: [URL]
        switch self {
        case .mnist5k: urls = [directory.appendingPathComponent(Self.mnist5kFileName)]
        case .mnist, .fashionMNIST, .directory: urls = StandardIDXFiles.urls(in: directory)
        }
        let files = urls.map { url -> DatasetStatus.File in
            guard let data = FileManager.default.contents(atPath: url.path) else {
                return DatasetStatus.File(path: url.path, isPresent: false, sizeInBytes: nil, sha256: nil)
            }
            return DatasetStatus.File(path: url.path, isPresent: true, sizeInBytes: data.count,
                                      sha256: SHA256.hexDigest(of: [UInt8](data)))
        }
        return DatasetStatus(name: name, directory: directory.path, isPresent: files.allSatisfy(\.isPresent),
                             files: files, howToObtain: howToObtain)
    }
}
