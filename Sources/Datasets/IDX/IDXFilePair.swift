import Foundation

/// An images file and its labels file, read together into one `ImageSet`.
struct IDXFilePair {
    let imagesURL: URL
    let labelsURL: URL

    /// Parses the files' on-disk bytes (gzipped or raw), already read by the caller so it can
    /// hash them too.
    func load(rawImages: [UInt8], rawLabels: [UInt8]) throws -> ImageSet {
        let images = try IDXReader.images(from: DatasetFileReader.contents(ofRaw: rawImages, path: imagesURL.path),
                                          path: imagesURL.path)
        let labels = try IDXReader.labels(from: DatasetFileReader.contents(ofRaw: rawLabels, path: labelsURL.path),
                                          path: labelsURL.path)
        guard images.count == labels.count else {
            throw DatasetError.countMismatch(imagesPath: imagesURL.path, imageCount: images.count,
                                             labelsPath: labelsURL.path, labelCount: labels.count)
        }
        return ImageSet(images: images.pixels, labels: labels, rows: images.rows, columns: images.columns)
    }
}
