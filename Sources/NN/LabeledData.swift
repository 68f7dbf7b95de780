/// In-memory classification data: samples stored back to back as Float32 and one integer
/// label per sample. Independent of any dataset reader: a reader produces one of these.
public struct LabeledData: Sendable {
    /// `count · sampleSize` values, sample after sample.
    public let features: [Float]
    /// One class index per sample.
    public let labels: [Int32]
    /// Shape of one sample, e.g. `[784]` or `[1, 28, 28]` (CHW).
    public let sampleShape: [Int]

    public init(features: [Float], labels: [Int32], sampleShape: [Int]) {
        let sampleSize = sampleShape.reduce(1, *)
        precondition(features.count == labels.count * sampleSize,
                     "LabeledData: \(features.count) values for \(labels.count) samples of shape \(sampleShape)")
        precondition(labels.allSatisfy { $0 >= 0 }, "LabeledData: negative label")
        self.features = features
        self.labels = labels
        self.sampleShape = sampleShape
    }

    /// Byte labels, as IDX files store them.
    public init(features: [Float], labels: [UInt8], sampleShape: [Int]) {
        self.init(features: features, labels: labels.map { Int32($0) }, sampleShape: sampleShape)
    }

    /// Number of samples.
    public var count: Int { labels.count }
    /// Values per sample.
    public var sampleSize: Int { sampleShape.reduce(1, *) }
    /// One more than the largest label (at least 1).
    public var classCount: Int { Int(labels.max() ?? 0) + 1 }

    /// The samples at `range`, e.g. an 80/20 train/validation split.
    public func samples(_ range: Range<Int>) -> LabeledData {
        LabeledData(features: Array(features[(range.lowerBound * sampleSize)..<(range.upperBound * sampleSize)]),
                    labels: Array(labels[range]), sampleShape: sampleShape)
    }

    /// Copies the samples at `indices` into `features` and `labels` (cleared first), the
    /// gather step of mini-batching; reusing the buffers avoids an allocation per batch.
    public func gather<Indices: Collection>(_ indices: Indices, features batchFeatures: inout [Float],
                                     labels batchLabels: inout [Int32]) where Indices.Element == Int {
        let sampleSize = sampleSize
        batchFeatures.removeAll(keepingCapacity: true)
        batchLabels.removeAll(keepingCapacity: true)
        features.withUnsafeBufferPointer { source in
            for index in indices {
                batchFeatures.append(contentsOf: source[(index * sampleSize)..<((index + 1) * sampleSize)])
                batchLabels.append(labels[index])
            }
        }
    }
}
