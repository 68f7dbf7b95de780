import Crypto

// SHA-256 (cache keys, dataset content hashes, figure checks) and MD5 (the checksums MNIST's
// mirrors publish) from swift-crypto, behind the small streaming API Labbook's callers use:
// feed bytes, then a lowercase hex digest. MD5 is only ever checked against published sums,
// never used for anything that needs collision resistance.

/// Streaming SHA-256.
public struct SHA256 {
    private var hasher = Crypto.SHA256()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// The 32-byte digest of everything fed so far.
    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    public func hexDigest() -> String { finalize().hexString }

    public static func hexDigest(of bytes: [UInt8]) -> String { Crypto.SHA256.hash(data: bytes).hexString }
}

/// Streaming MD5, for comparing downloads with published checksums only.
public struct MD5 {
    private var hasher = Insecure.MD5()

    public init() {}

    public mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    public mutating func update(_ bytes: UnsafeRawBufferPointer) { hasher.update(bufferPointer: bytes) }

    /// The 16-byte digest of everything fed so far.
    public func finalize() -> [UInt8] { Array(hasher.finalize()) }

    public func hexDigest() -> String { finalize().hexString }

    public static func hexDigest(of bytes: [UInt8]) -> String { Insecure.MD5.hash(data: bytes).hexString }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hex, two characters a byte.
    var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        for byte in self {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}
