import CZlib

/// Inflates gzip (or zlib) streams with zlib, the only place this module touches the C API.
///
/// zlib is initialised with `windowBits = 15 + 32`, which makes it detect a gzip or zlib header
/// itself. Concatenated gzip members (as `cat a.gz b.gz` produces) are inflated one after another,
/// as `gunzip` does.
enum GzipInflater {
    /// True when `bytes` start with the gzip magic `1f 8b`.
    static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b
    }

    /// Inflates `compressed`; `path` only names the file in error messages.
    static func inflate(_ compressed: [UInt8], path: String) throws -> [UInt8] {
        let stream = try ZlibInflateStream(path: path)
        // The gzip trailer stores the uncompressed size mod 2^32: a good first guess for the buffer,
        // capped by deflate's best possible ratio (~1032:1) because a damaged file's trailer is noise.
        let hint = min(Self.trailerSizeHint(compressed), compressed.count * 1032)
        var capacity = max(hint, compressed.count * 2, 1024)
        var output = [UInt8](repeating: 0, count: capacity)
        var produced = 0
        var consumed = 0
        while true {
            if produced == capacity {
                capacity *= 2
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
                // Output had room (it grows above), so zlib is starved of input: the file was cut short.
                throw DatasetError.corruptGzip(
                    path: path,
                    reason: consumed == compressed.count
                        ? "stream ends early after \(consumed) compressed bytes (truncated download?)"
                        : "inflate stopped making progress at byte \(consumed)")
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    private static func trailerSizeHint(_ bytes: [UInt8]) -> Int {
        guard bytes.count >= 18 else { return 0 }
        let n = bytes.count
        return Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
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
            throw DatasetError.corruptGzip(path: path, reason: message)
        }
    }
}
