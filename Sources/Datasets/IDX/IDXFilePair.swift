import Foundation

/// An images file and its labels file, read together into one `ImageSet`.
struct IDXFilePair {
    let imagesURL: URL
    let labelsURL: URL

    /// Reads both files; `missingHint` tells the user how to obtain them if absent.
    /// `rawBytes` receives the on-disk bytes of each file, for the content hash.
    func load(missingHint: String, rawBytes: (([UInt8]) -> Void)? = nil) throws -> ImageSet {
        let rawImages = try DatasetFileReader.rawBytes(at: imagesURL, missingHint: missingHint)
        let rawLabels = try DatasetFileReader.rawBytes(at: labelsURL, missingHint: missingHint)
        rawBytes?(rawImages)
        rawBytes?(rawLabels)
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
