import Foundation
import Tensor

/// Labbook's weight file, version 1. All integers and floats are little-endian:
///
/// ```
/// magic     4 bytes   "LBWT"
/// version   UInt32    1
/// count     UInt32    number of tensors
/// count times:
///   nameLength UInt32, name (UTF-8, nameLength bytes)
///   rank       UInt32, extents (rank × UInt64)
///   values     Float32 × product of extents
/// ```
/// Nothing may follow the last tensor. Files are written to a temporary sibling and renamed
/// into place, so a reader never sees a half-written file.
public enum WeightsFile {
    public static let magic: [UInt8] = Array("LBWT".utf8)
    public static let version: UInt32 = 1

    /// Encodes named tensors in the format above.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)]) -> Data {
        var bytes = Data(magic)
        append(version, to: &bytes)
        append(UInt32(tensors.count), to: &bytes)
        for (name, tensor) in tensors {
            let nameBytes = Array(name.utf8)
            append(UInt32(nameBytes.count), to: &bytes)
            bytes.append(contentsOf: nameBytes)
            append(UInt32(tensor.rank), to: &bytes)
            for extent in tensor.shape { append(UInt64(extent), to: &bytes) }
            for value in tensor.data { append(value.bitPattern, to: &bytes) }
        }
        return bytes
    }

    /// Decodes a file's tensors, checking the magic, version and every length.
    public static func decode(_ bytes: Data) throws -> [(name: String, shape: [Int], values: [Float])] {
        var reader = ByteReader(bytes: [UInt8](bytes))
        guard reader.remaining >= 4, Array(try reader.take(4)) == magic else { throw WeightsFileError.notAWeightsFile }
        let fileVersion = try reader.read(UInt32.self)
        guard fileVersion == version else { throw WeightsFileError.unsupportedVersion(fileVersion) }
        let count = Int(try reader.read(UInt32.self))
        var tensors: [(name: String, shape: [Int], values: [Float])] = []
        for _ in 0..<count {
            let nameLength = Int(try reader.read(UInt32.self))
            guard let name = String(bytes: try reader.take(nameLength), encoding: .utf8) else {
                throw WeightsFileError.corrupt("tensor name is not UTF-8")
            }
            let rank = Int(try reader.read(UInt32.self))
            guard rank <= 16 else { throw WeightsFileError.corrupt("tensor \(name) has rank \(rank)") }
            var shape: [Int] = []
            for _ in 0..<rank {
                let extent = try reader.read(UInt64.self)
                guard extent <= UInt64(Int32.max) else { throw WeightsFileError.corrupt("tensor \(name) has extent \(extent)") }
                shape.append(Int(extent))
            }
            let valueCount = shape.reduce(1, *)
            guard valueCount <= reader.remaining / 4 else { throw WeightsFileError.truncated }
            let raw = try reader.take(valueCount * 4)
            let values = (0..<valueCount).map { index -> Float in
                let base = raw.startIndex + index * 4
                let bits = UInt32(raw[base]) | UInt32(raw[base + 1]) << 8 | UInt32(raw[base + 2]) << 16 | UInt32(raw[base + 3]) << 24
                return Float(bitPattern: bits)
            }
            tensors.append((name, shape, values))
        }
        guard reader.remaining == 0 else { throw WeightsFileError.corrupt("\(reader.remaining) bytes after the last tensor") }
        return tensors
    }

    /// Encodes `tensors` into a temporary sibling of `url` and renames it into place, so a
    /// reader never sees a half-written file.
    public static func write(_ tensors: [(name: String, tensor: Tensor)], to url: URL) throws {
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        try encode(tensors).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write \(url.path): rename failed: \(String(cString: strerror(code)))"])
        }
    }

    private static func append<Integer: FixedWidthInteger>(_ value: Integer, to bytes: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}

/// Why a weight file could not be read or applied.
public enum WeightsFileError: Error, Equatable, CustomStringConvertible {
    case notAWeightsFile
    case unsupportedVersion(UInt32)
    case truncated
    case corrupt(String)
    case tensorCountMismatch(expected: Int, found: Int)
    case nameMismatch(expected: String, found: String)
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case .notAWeightsFile: return "not a Labbook weights file (bad magic)"
        case .unsupportedVersion(let version): return "unsupported weights file version \(version) (expected \(WeightsFile.version))"
        case .truncated: return "weights file is truncated"
        case .corrupt(let reason): return "weights file is corrupt: \(reason)"
        case let .tensorCountMismatch(expected, found): return "model has \(expected) tensors but the file has \(found)"
        case let .nameMismatch(expected, found): return "expected tensor \(expected) but the file has \(found)"
        case let .shapeMismatch(name, expected, found): return "tensor \(name): model shape \(expected), file shape \(found)"
        }
    }
}

/// Sequential little-endian reads that throw `truncated` instead of running off the end.
private struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    var remaining: Int { bytes.count - offset }

    mutating func take(_ count: Int) throws -> ArraySlice<UInt8> {
        guard count >= 0, count <= remaining else { throw WeightsFileError.truncated }
        defer { offset += count }
        return bytes[offset..<(offset + count)]
    }

    mutating func read<Integer: FixedWidthInteger>(_: Integer.Type) throws -> Integer {
        var value: Integer = 0
        for (shift, byte) in try take(MemoryLayout<Integer>.size).enumerated() {
            value |= Integer(byte) << (8 * shift)
        }
        return value
    }
}

extension Module {
    /// Writes every tensor of the model (`namedTensors()`) atomically to `url`.
    public func saveWeights(to url: URL) throws {
        try WeightsFile.write(namedTensors(), to: url)
    }

    /// Reads `url` and copies its values into the model's tensors; names, order and shapes must
    /// match exactly. The model is left untouched if anything is wrong.
    public func loadWeights(from url: URL) throws {
        let tensors = try WeightsFile.decode(Data(contentsOf: url))
        let own = namedTensors()
        guard tensors.count == own.count else {
            throw WeightsFileError.tensorCountMismatch(expected: own.count, found: tensors.count)
        }
        for (mine, stored) in zip(own, tensors) {
            guard mine.name == stored.name else { throw WeightsFileError.nameMismatch(expected: mine.name, found: stored.name) }
            guard mine.tensor.shape == stored.shape else {
                throw WeightsFileError.shapeMismatch(name: mine.name, expected: mine.tensor.shape, found: stored.shape)
            }
        }
        for (mine, stored) in zip(own, tensors) { mine.tensor.assign(stored.values) }
    }
}
