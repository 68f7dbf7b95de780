/// Parses the IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/):
/// a big-endian header, then unsigned bytes.
///
/// ```
/// images: 0x00000803  count  rows  columns  pixels[count * rows * columns]
/// labels: 0x00000801  count                 labels[count]
/// ```
/// The magic's third byte is the element type (0x08 = unsigned byte), the fourth the number of
/// dimensions; both are checked, so a labels file passed as images fails with a clear message.
/// The header is untrusted input: its sizes are multiplied with overflow checks, images must
/// have at least one row and column, and the file must hold exactly what the header promises.
enum IDXReader {
    /// The two kinds of IDX file a digit dataset has.
    enum Kind {
        case images, labels

        var magic: UInt32 { self == .images ? 0x0000_0803 : 0x0000_0801 }
        var dimensions: Int { self == .images ? 3 : 1 }
        /// The magic number and one 32-bit size per dimension.
        var headerBytes: Int { 4 * (1 + dimensions) }
    }

    struct Images { var pixels: [UInt8]; var count: Int; var rows: Int; var columns: Int }

    /// Parses decompressed idx3-ubyte bytes; `path` names the file in errors.
    /// `bytes` is consumed so the header can be cut off in place instead of copying 47 MB.
    static func images(from bytes: consuming [UInt8], path: String) throws -> Images {
        let header = try readHeader(bytes, kind: .images, path: path)
        let pixels = try payload(bytes, header: header, path: path)
        return Images(pixels: pixels, count: header.sizes[0], rows: header.sizes[1], columns: header.sizes[2])
    }

    /// Parses decompressed idx1-ubyte bytes; `path` names the file in errors.
    static func labels(from bytes: consuming [UInt8], path: String) throws -> [UInt8] {
        let header = try readHeader(bytes, kind: .labels, path: path)
        return try payload(bytes, header: header, path: path)
    }

    /// The whole file's length (header and items) as its first `kind.headerBytes` bytes state
    /// it: the cap for inflating a gzipped file, so a lying trailer or a gzip bomb cannot make
    /// the reader allocate more than the header promises.
    static func fileSize(header bytes: [UInt8], kind: Kind, path: String) throws -> Int {
        try readHeader(bytes, kind: kind, path: path).fileBytes
    }

    private struct Header { var sizes: [Int]; var fileBytes: Int; var headerBytes: Int }

    private static func readHeader(_ bytes: [UInt8], kind: Kind, path: String) throws -> Header {
        let headerBytes = kind.headerBytes
        guard bytes.count >= 4 else {
            throw DatasetError.truncated(path: path, expectedBytes: headerBytes, foundBytes: bytes.count)
        }
        let found = bigEndianWord(bytes, at: 0)
        guard found == kind.magic else { throw DatasetError.wrongMagicNumber(path: path, expected: kind.magic, found: found) }
        guard bytes.count >= headerBytes else {
            throw DatasetError.truncated(path: path, expectedBytes: headerBytes, foundBytes: bytes.count)
        }
        let sizes = (1...kind.dimensions).map { Int(bigEndianWord(bytes, at: 4 * $0)) }
        if kind == .images && (sizes[1] == 0 || sizes[2] == 0) {
            throw DatasetError.invalidHeader(path: path, reason: "images of \(sizes[1])x\(sizes[2]) pixels")
        }
        // Each size is below 2^32, but three of them multiplied can pass 2^63.
        var itemBytes = 1, overflow = false
        for size in sizes {
            let product = itemBytes.multipliedReportingOverflow(by: size)
            (itemBytes, overflow) = (product.partialValue, overflow || product.overflow)
        }
        let total = headerBytes.addingReportingOverflow(itemBytes)
        guard !overflow && !total.overflow else {
            throw DatasetError.invalidHeader(path: path, reason: "sizes \(sizes.map(String.init).joined(separator: " x ")) overflow a byte count")
        }
        let fileBytes = total.partialValue
        return Header(sizes: sizes, fileBytes: fileBytes, headerBytes: headerBytes)
    }

    private static func payload(_ bytes: consuming [UInt8], header: Header, path: String) throws -> [UInt8] {
        if bytes.count < header.fileBytes {
            throw DatasetError.truncated(path: path, expectedBytes: header.fileBytes, foundBytes: bytes.count)
        }
        if bytes.count > header.fileBytes {
            throw DatasetError.trailingBytes(path: path, expectedBytes: header.fileBytes, foundBytes: bytes.count)
        }
        bytes.removeSubrange(0..<header.headerBytes)
        return bytes
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
