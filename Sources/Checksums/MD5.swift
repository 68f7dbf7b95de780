/// MD5 (RFC 1321), only to check downloads against the checksums the MNIST mirrors publish.
///
/// MD5 is broken for security; here it detects truncated or corrupted downloads, which it does
/// well. Written in Swift because the module may depend only on zlib.
public struct MD5 {
    private var state: [UInt32] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]
    private var buffer = BlockBuffer()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) {
        state.withUnsafeMutableBufferPointer { state in
            buffer.append(bytes) { Self.compress(block: $0, state: state) }
        }
    }

    /// The 16-byte digest of everything fed so far (the hasher itself is left unchanged).
    public func finalize() -> [UInt8] {
        var copy = self
        var state = copy.state
        state.withUnsafeMutableBufferPointer { state in
            copy.buffer.finish(lengthIsBigEndian: false) { Self.compress(block: $0, state: state) }
        }
        return state.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (8 * $0)) } }
    }

    /// The digest as 32 lower-case hex digits, as `md5sum` prints it.
    public func hexDigest() -> String { finalize().hexString }

    /// The hex MD5 of `bytes`.
    public static func hexDigest(of bytes: [UInt8]) -> String {
        var hasher = MD5()
        hasher.update(bytes)
        return hasher.hexDigest()
    }

    /// Per-step left-rotation amounts.
    private static let shifts: [UInt32] = [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ]

    /// `floor(abs(sin(i + 1)) * 2^32)`, as RFC 1321 section 3.4 defines the table T.
    private static let sineConstants: [UInt32] = [
        0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
        0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
        0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
        0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
        0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
        0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
        0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
        0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
    ]

    private static func compress(block: UnsafeRawPointer, state: UnsafeMutableBufferPointer<UInt32>) {
        var words = [UInt32](repeating: 0, count: 16)
        for index in 0..<16 {
            words[index] = UInt32(littleEndian: block.loadUnaligned(fromByteOffset: 4 * index, as: UInt32.self))
        }
        var (a, b, c, d) = (state[0], state[1], state[2], state[3])
        for step in 0..<64 {
            let mixed: UInt32
            let wordIndex: Int
            switch step {
            case 0..<16: mixed = (b & c) | (~b & d); wordIndex = step
            case 16..<32: mixed = (d & b) | (~d & c); wordIndex = (5 * step + 1) % 16
            case 32..<48: mixed = b ^ c ^ d; wordIndex = (3 * step + 5) % 16
            default: mixed = c ^ (b | ~d); wordIndex = (7 * step) % 16
            }
            let sum = mixed &+ a &+ sineConstants[step] &+ words[wordIndex]
            (a, d, c) = (d, c, b)
            b = b &+ rotateLeft(sum, shifts[step])
        }
        state[0] &+= a; state[1] &+= b; state[2] &+= c; state[3] &+= d
    }
}

@inline(__always) private func rotateLeft(_ value: UInt32, _ count: UInt32) -> UInt32 {
    (value &<< count) | (value &>> (32 &- count))
}
