/// The buffering and padding that MD5 and SHA-256 share: both consume 64-byte blocks and end
/// with a 0x80 byte, zeros, and the message length in bits (little-endian for MD5, big-endian
/// for SHA-256).
struct BlockBuffer {
    static let blockSize = 64

    private var pending: [UInt8] = []
    private(set) var totalBytes: UInt64 = 0

    init() { pending.reserveCapacity(Self.blockSize) }

    /// Calls `compress` on each complete 64-byte block of the stream so far.
    mutating func append(_ bytes: UnsafeRawBufferPointer, compress: (UnsafeRawPointer) -> Void) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        totalBytes += UInt64(bytes.count)
        var offset = 0
        if !pending.isEmpty {
            let take = min(Self.blockSize - pending.count, bytes.count)
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base, count: take))
            offset = take
            if pending.count == Self.blockSize {
                pending.withUnsafeBytes { compress($0.baseAddress!) }
                pending.removeAll(keepingCapacity: true)
            }
        }
        while bytes.count - offset >= Self.blockSize {
            compress(base + offset)
            offset += Self.blockSize
        }
        if offset < bytes.count {
            pending.append(contentsOf: UnsafeRawBufferPointer(start: base + offset, count: bytes.count - offset))
        }
    }

    /// Appends the final padding and length, compressing the last one or two blocks.
    mutating func finish(lengthIsBigEndian: Bool, compress: (UnsafeRawPointer) -> Void) {
        let bitLength = totalBytes &* 8
        var tail: [UInt8] = [0x80]
        let used = (pending.count + 1) % Self.blockSize
        let zeros = used <= 56 ? 56 - used : 120 - used
        tail += repeatElement(0, count: zeros)
        for index in 0..<8 {
            let shift = lengthIsBigEndian ? UInt64(56 - 8 * index) : UInt64(8 * index)
            tail.append(UInt8(truncatingIfNeeded: bitLength >> shift))
        }
        let savedTotal = totalBytes
        tail.withUnsafeBytes { append($0, compress: compress) }
        totalBytes = savedTotal
    }
}

extension Array where Element == UInt8 {
    /// Lower-case hexadecimal, two digits per byte, as `md5sum` and `sha256sum` print.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var characters = [UInt8]()
        characters.reserveCapacity(count * 2)
        for byte in self {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
