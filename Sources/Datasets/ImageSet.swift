/// A set of equally sized greyscale images with one class label each, stored as raw bytes.
///
/// Pixels stay `UInt8` (0-255) so a 60,000-image set costs 47 MB rather than 188 MB; callers
/// convert to `Float` once with `normalizedPixels()` or per batch from `image(at:)`.
public struct ImageSet {
    /// Row-major pixels, `count * rows * columns` bytes, image after image.
    public let images: [UInt8]
    /// One class index per image.
    public let labels: [UInt8]
    public let count: Int
    public let rows: Int
    public let columns: Int

    /// Pixels per image (`rows * columns`).
    public var pixelsPerImage: Int { rows * columns }

    /// - Precondition: `images.count == labels.count * rows * columns`.
    public init(images: [UInt8], labels: [UInt8], rows: Int, columns: Int) {
        precondition(rows > 0 && columns > 0, "ImageSet needs positive image dimensions, got \(rows)x\(columns)")
        precondition(images.count == labels.count * rows * columns,
                     "ImageSet: \(images.count) pixel bytes do not make \(labels.count) images of \(rows)x\(columns)")
        self.images = images
        self.labels = labels
        self.count = labels.count
        self.rows = rows
        self.columns = columns
    }

    /// All pixels scaled to [0, 1] by dividing by 255, row-major, `count * rows * columns` values.
    public func normalizedPixels() -> [Float] {
        images.withUnsafeBufferPointer { source in
            [Float](unsafeUninitializedCapacity: source.count) { destination, initialized in
                for index in 0..<source.count { destination[index] = Float(source[index]) / 255 }
                initialized = source.count
            }
        }
    }

    /// The images at `indices`, in that order (repeats allowed), with their labels.
    public func subset(_ indices: [Int]) -> ImageSet {
        let size = pixelsPerImage
        let pixels = images.withUnsafeBufferPointer { source in
            [UInt8](unsafeUninitializedCapacity: indices.count * size) { destination, initialized in
                for (position, index) in indices.enumerated() {
                    precondition(index >= 0 && index < count, "ImageSet.subset: index \(index) out of 0..<\(count)")
                    let from = UnsafeBufferPointer(rebasing: source[index * size ..< (index + 1) * size])
                    _ = UnsafeMutableBufferPointer(rebasing: destination[position * size ..< (position + 1) * size])
                        .initialize(from: from)
                }
                initialized = indices.count * size
            }
        }
        return ImageSet(images: pixels, labels: indices.map { labels[$0] }, rows: rows, columns: columns)
    }

    /// The `rows * columns` pixels of image `index`, row-major.
    public func image(at index: Int) -> ArraySlice<UInt8> {
        precondition(index >= 0 && index < count, "ImageSet.image(at:): index \(index) out of 0..<\(count)")
        return images[index * pixelsPerImage ..< (index + 1) * pixelsPerImage]
    }

    /// How many images carry each label, indexed by label.
    public func labelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: Int(labels.max() ?? 0) + 1)
        for label in labels { counts[Int(label)] += 1 }
        return counts
    }
}
