import CZlib

/// Inflates gzip (or zlib) streams with zlib, the only place this module touches the C API.
///
/// zlib is initialised with `windowBits = 15 + 32`, which makes it detect a gzip or zlib header
/// itself. Concatenated gzip members (as `cat a.gz b.gz` produces) are inflated one after another,
/// as `gunzip` does.
///
/// Every inflation has a cap. The gzip trailer's size field is not trusted (a damaged trailer is
/// noise, and a gzip bomb tells the truth about a size nobody wants): the output buffer starts
/// small and grows only as zlib really produces bytes, never past the cap. Callers take the cap
/// from what the data itself promises, e.g. the IDX header (see `DatasetFileReader`).
enum GzipInflater {
    /// deflate's best possible compression ratio (about 1032:1, from its 258-byte maximum match
    /// length); no stream of `n` bytes can inflate to more than `n * maximumRatio` bytes.
    static let maximumRatio = 1032

    /// True when `bytes` start with the gzip magic `1f 8b`.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates `compressed` completely; `path` only names the file in error messages.
    /// - Throws: `DatasetError.inflatesPastLimit` as soon as the stream produces more than
    ///   `limit` bytes (nothing past the limit is kept), `DatasetError.corruptGzip` for bad data.
    static func inflate(_ compressed: [UInt8], path: String, limit: Int) throws -> [UInt8] {
        let (bytes, exceeded) = try inflate(compressed, path: path, keeping: limit)
        if exceeded { throw DatasetError.inflatesPastLimit(path: path, limitBytes: limit) }
        return bytes
    }

    /// The first `count` inflated bytes (fewer when the stream is shorter), without inflating
    /// the rest: enough to read a header that says how long the whole file should be.
    static func prefix(_ compressed: [UInt8], count: Int, path: String) throws -> [UInt8] {
        let (bytes, exceeded) = try inflate(compressed, path: path, keeping: count)
        return exceeded ? Array(bytes.prefix(count)) : bytes
    }

    /// Inflates until the stream ends or it has produced `limit + 1` bytes; `exceeded` says which.
    private static func inflate(_ compressed: [UInt8], path: String, keeping limit: Int) throws -> (bytes: [UInt8], exceeded: Bool) {
        let stream = try ZlibInflateStream(path: path)
        // One byte past the limit tells "exactly `limit`" from "more". Start at a typical ratio
        // (IDX digits inflate 2-5x) and double only as zlib fills the buffer.
        let ceiling = limit + 1
        var capacity = min(ceiling, max(compressed.count * 8, 1024))
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var consumed = 0
        while true {
            if produced == capacity {
                if capacity == ceiling { return (output, true) }
                capacity = min(ceiling, capacity * 2)
                output.append(contentsOf: repeatElement(0, count: capacity - output.count))
            }
            let step = try compressed.withUnsafeBufferPointer { input in
                try output.withUnsafeMutableBufferPointer { out in
                    try stream.inflate(input: UnsafeBufferPointer(rebasing: input[consumed...]),
                                       output: UnsafeMutableBufferPointer(rebasing: out[produced...]))
                }
            }
            consumed += step.consumed
            produced += step.produced
            if step.finishedMember {
                // Skip zero padding some tools append; anything else is another gzip member.
                let rest = compressed[consumed...]
                if rest.allSatisfy({ $0 == 0 }) { break }
                try stream.reset()
                continue
            }
            if step.consumed == 0 && step.produced == 0 {
                // Output had room, so zlib is starved of input: the file was cut short.
                throw DatasetError.corruptGzip(
                    path: path,
                    reason: consumed == compressed.count
                        ? "stream ends early after \(consumed) compressed bytes (truncated download?)"
                        : "inflate stopped making progress at byte \(consumed)")
            }
        }
        output.removeSubrange(produced...)
        return (output, produced > limit)
    }
}

/// Owns one `z_stream` for inflating and frees it in `deinit`, turning zlib status codes into
/// `DatasetError.corruptGzip`.
final class ZlibInflateStream {
    struct Step { var consumed: Int; var produced: Int; var finishedMember: Bool }

    private var stream = z_stream()
    private let path: String

    init(path: String) throws {
        self.path = path
        let status = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw DatasetError.corruptGzip(path: path, reason: "zlib init failed (\(status))") }
    }

    deinit { inflateEnd(&stream) }

    func reset() throws {
        let status = inflateReset(&stream)
        guard status == Z_OK else { throw DatasetError.corruptGzip(path: path, reason: "zlib reset failed (\(status))") }
    }

    /// Runs `inflate` once over as much of `input` and `output` as zlib will take.
    func inflate(input: UnsafeBufferPointer<UInt8>, output: UnsafeMutableBufferPointer<UInt8>) throws -> Step {
        // zlib counts in 32-bit `uInt`; larger buffers are simply fed over several calls.
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = uInt(inputCount)
        stream.next_out = output.baseAddress
        stream.avail_out = uInt(outputCount)
        let status = CZlib.inflate(&stream, Z_NO_FLUSH)
        let step = Step(consumed: inputCount - Int(stream.avail_in),
                        produced: outputCount - Int(stream.avail_out),
                        finishedMember: status == Z_STREAM_END)
        switch status {
        case Z_OK, Z_STREAM_END, Z_BUF_ERROR:
            return step
        default:
            let message = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
            // zlib checks the trailer's CRC-32 and size against what it inflated.
            let hint = message.hasPrefix("incorrect data check") || message.hasPrefix("incorrect length check")
                ? " (the gzip trailer does not match the data: a damaged file)" : ""
            throw DatasetError.corruptGzip(path: path, reason: message + hint)
        }
    }
}
