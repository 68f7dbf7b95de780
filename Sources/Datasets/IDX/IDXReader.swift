/// Parses the IDX format of the MNIST files (http://yann.lecun.com/exdb/mnist/):
/// a big-endian header, then unsigned bytes.
///
/// ```
/// images: 0x00000803  count  rows  columns  pixels[count * rows * columns]
/// labels: 0x00000801  count                 labels[count]
/// ```
/// The magic's third byte is the element type (0x08 = unsigned byte), the fourth the number of
/// dimensions; both are checked, so a labels file passed as images fails with a clear message.
enum IDXReader {
    static let imagesMagic: UInt32 = 0x0000_0803
    static let labelsMagic: UInt32 = 0x0000_0801

    struct Images { var pixels: [UInt8]; var count: Int; var rows: Int; var columns: Int }

    /// Parses decompressed idx3-ubyte bytes; `path` names the file in errors.
    /// `bytes` is consumed so the header can be cut off in place instead of copying 47 MB.
    static func images(from bytes: consuming [UInt8], path: String) throws -> Images {
        let header = try readHeader(bytes, path: path, magic: imagesMagic, dimensions: 3)
        let (count, rows, columns) = (header[0], header[1], header[2])
        let pixels = try payload(bytes, headerBytes: 16, itemBytes: count * rows * columns, path: path)
        return Images(pixels: pixels, count: count, rows: rows, columns: columns)
    }

    /// Parses decompressed idx1-ubyte bytes; `path` names the file in errors.
    static func labels(from bytes: consuming [UInt8], path: String) throws -> [UInt8] {
        let header = try readHeader(bytes, path: path, magic: labelsMagic, dimensions: 1)
        return try payload(bytes, headerBytes: 8, itemBytes: header[0], path: path)
    }

    private static func readHeader(_ bytes: [UInt8], path: String, magic: UInt32, dimensions: Int) throws -> [Int] {
        let headerBytes = 4 * (1 + dimensions)
        guard bytes.count >= 4 else {
            throw DatasetError.truncated(path: path, expectedBytes: headerBytes, foundBytes: bytes.count)
        }
        let found = bigEndianWord(bytes, at: 0)
        guard found == magic else { throw DatasetError.wrongMagicNumber(path: path, expected: magic, found: found) }
        guard bytes.count >= headerBytes else {
            throw DatasetError.truncated(path: path, expectedBytes: headerBytes, foundBytes: bytes.count)
        }
        return (1...dimensions).map { Int(bigEndianWord(bytes, at: 4 * $0)) }
    }

    private static func payload(_ bytes: consuming [UInt8], headerBytes: Int, itemBytes: Int, path: String) throws -> [UInt8] {
        let expected = headerBytes + itemBytes
        if bytes.count < expected {
            throw DatasetError.truncated(path: path, expectedBytes: expected, foundBytes: bytes.count)
        }
        if bytes.count > expected {
            throw DatasetError.trailingBytes(path: path, expectedBytes: expected, foundBytes: bytes.count)
        }
        bytes.removeSubrange(0..<headerBytes)
        return bytes
    }

    private static func bigEndianWord(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        UInt32(bytes[offset]) << 24 | UInt32(bytes[offset + 1]) << 16
            | UInt32(bytes[offset + 2]) << 8 | UInt32(bytes[offset + 3])
    }
}
