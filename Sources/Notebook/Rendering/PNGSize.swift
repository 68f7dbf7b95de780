import Foundation

/// A PNG's pixel size from its header (the IHDR chunk that must come first), without decoding
/// the image.
struct PNGSize: Equatable {
    var width: Int
    var height: Int

    /// Nil when the file is missing, short or not a PNG.
    init?(contentsOf url: URL) {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard let header = try? handle.read(upToCount: 24) else { return nil }
        self.init(header: [UInt8](header))
    }

    /// From the first 24 bytes: the 8-byte signature, the IHDR length and type, width, height.
    init?(header bytes: [UInt8]) {
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard bytes.count >= 24, Array(bytes[0..<8]) == signature, Array(bytes[12..<16]) == Array("IHDR".utf8) else { return nil }
        func bigEndian(_ offset: Int) -> Int { bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | Int($1) } }
        width = bigEndian(16)
        height = bigEndian(20)
        guard width > 0, height > 0 else { return nil }
    }
}
