import Tensor

/// In-memory classification data: samples stored back to back as Float32 and one integer
/// label per sample. Independent of any dataset reader: a reader produces one of these.
/// A large sample array is kept in huge pages (`HugePages`), for the scattered reads of
/// shuffled mini-batches.
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
        self.features = HugePages.copy(features)
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

    /// Copies the samples at `indices` into `features` and `labels` (replaced), the gather step
    /// of mini-batching; reusing the buffers avoids an allocation per batch.
    ///
    /// The samples of a shuffled batch lie scattered over a training set far larger than the
    /// caches, so copying them waits on main memory (about 10 µs for 32 Fashion-MNIST images in
    /// a training step on two cores, 4 µs when they are cached; huge pages take a few
    /// microseconds off, see `init`). Two cores copying halves keep twice as many reads in
    /// flight. A copy is a copy, so the cores cannot change the result. Prefetching the next
    /// batch's rows during the optimizer's update, and keeping 8-bit images as bytes (a quarter
    /// of the reads), were tried and dropped: neither made epochs faster.
    ///
    /// Inlinable so that callers in other modules get a copy specialised for their index type,
    /// as `Trainer` does: the generic one walks `indices` through protocol witnesses and took
    /// 22 µs per 32-image batch where the specialised copy took 11.5 (one core), which made
    /// the benchmarks' `batch_us`, measured from another module, twice what training pays.
    @inlinable
    public func gather<Indices: RandomAccessCollection>(_ indices: Indices, features batchFeatures: inout [Float],
                                                        labels batchLabels: inout [Int32]) where Indices.Element == Int {
        let sampleSize = sampleSize, count = indices.count
        batchLabels.removeAll(keepingCapacity: true)
        batchLabels.append(contentsOf: indices.lazy.map { labels[$0] })
        if batchFeatures.count != count * sampleSize {
            batchFeatures = [Float](unsafeUninitializedCapacity: count * sampleSize) { _, initialized in initialized = count * sampleSize }
        }
        features.withUnsafeBufferPointer { source in
            batchFeatures.withUnsafeMutableBufferPointer { destination in
                concurrentChunks(count: count, minimumChunk: max(1, Self.floatsPerGatherChunk / max(1, sampleSize))) { samples in
                    for position in samples {
                        let index = indices[indices.index(indices.startIndex, offsetBy: position)]
                        (destination.baseAddress! + position * sampleSize)
                            .update(from: source.baseAddress! + index * sampleSize, count: sampleSize)
                    }
                }
            }
        }
    }

    /// Floats a core copies at least when a gather is split (48 KB): below that the hand-off
    /// to the other core costs more than the reads it overlaps.
    @usableFromInline static let floatsPerGatherChunk = 12_288
}
