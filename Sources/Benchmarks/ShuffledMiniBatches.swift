import Datasets
import Experiments
import NN
import Tensor

/// The mini-batches of a convolutional benchmark, built one at a time from the byte images and
/// scaled to [0, 1] per batch (the same values `ImageSet.normalizedPixels()` gives), so memory
/// does not grow with the number of steps: building 1,500 steps' batches up front took 1 GB,
/// and a float copy of the whole training set another 188 MB for Fashion-MNIST.
struct ShuffledMiniBatches {
    let images: ImageSet
    /// A permutation of the training images; batches walk through it, wrapping around.
    let order: [Int]
    let batchSize: Int

    /// One image as a `[1, rows, columns]` sample.
    var sampleShape: [Int] { [1, images.rows, images.columns] }

    /// The images of batch `step`: the next `batchSize` positions of `order`.
    func indices(ofStep step: Int) -> [Int] {
        (0..<batchSize).map { order[(step * batchSize + $0) % order.count] }
    }

    /// Batch `step` as an NCHW tensor with its labels.
    func batch(_ step: Int) -> (input: Tensor, labels: [Int32]) {
        let data = labeledData(steps: step..<(step + 1))
        return (Tensor(data.features, shape: [batchSize] + sampleShape), data.labels)
    }

    /// The images of batches `steps`, in order, as one data set (a bounded pool to measure
    /// step phases on).
    func labeledData(steps: Range<Int>) -> LabeledData {
        let indices = steps.flatMap(indices(ofStep:))
        var features: [Float] = []
        features.reserveCapacity(indices.count * images.pixelsPerImage)
        for index in indices {
            for pixel in images.image(at: index) { features.append(Float(pixel) / 255) }
        }
        return LabeledData(features: features, labels: indices.map { Int32(images.labels[$0]) }, sampleShape: sampleShape)
    }
}
