import Foundation

/// An images file and its labels file, read together into one `ImageSet`.
struct IDXFilePair {
    let imagesURL: URL
    let labelsURL: URL

    /// Parses the files' on-disk bytes (gzipped or raw), already read by the caller so it can
    /// hash them too.
    func load(rawImages: [UInt8], rawLabels: [UInt8]) throws -> ImageSet {
        let images = try IDXReader.images(from: contents(rawImages, path: imagesURL.path, kind: .images), path: imagesURL.path)
        let labels = try IDXReader.labels(from: contents(rawLabels, path: labelsURL.path, kind: .labels), path: labelsURL.path)
        guard images.count == labels.count else {
            throw DatasetError.countMismatch(imagesPath: imagesURL.path, imageCount: images.count,
                                             labelsPath: labelsURL.path, labelCount: labels.count)
        }
        return ImageSet(images: images.pixels, labels: labels, rows: images.rows, columns: images.columns)
    }

    /// The decompressed bytes, inflated no further than the file's IDX header says it holds.
    private func contents(_ raw: [UInt8], path: String, kind: IDXReader.Kind) throws -> [UInt8] {
        try DatasetFileReader.contents(ofRaw: raw, path: path, headerBytes: kind.headerBytes) { header in
            try IDXReader.fileSize(header: header, kind: kind, path: path)
        }
    }
}
