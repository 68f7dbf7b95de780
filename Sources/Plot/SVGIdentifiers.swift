import Foundation

/// Cairo numbers the `id`s of SVG elements (`surface1674`, `image1678`, `pattern12`) from
/// counters global to the process, so the same figure drawn after other figures gets other
/// ids and other bytes, and `labbook diff` would report a change that is not there. This
/// renumbers each kind of id from 1 in the order the document defines them, and rewrites every
/// reference (`href="#…"`, `url(#…)`) to match: identical drawings give identical files.
enum SVGIdentifiers {
    private static let definition = try! NSRegularExpression(pattern: #"id="([A-Za-z]+)([0-9]+)""#)
    private static let reference = try! NSRegularExpression(pattern: ##"(id="|href="#|url\(#)([A-Za-z]+[0-9]+)(["\)])"##)

    static func canonical(_ data: Data) -> Data {
        guard let text = String(data: data, encoding: .utf8) else { return data }
        let whole = NSRange(text.startIndex..., in: text)
        var renamed: [String: String] = [:]
        var counters: [String: Int] = [:]
        for match in definition.matches(in: text, range: whole) {
            guard let prefixRange = Range(match.range(at: 1), in: text), let numberRange = Range(match.range(at: 2), in: text) else { continue }
            let prefix = String(text[prefixRange]), old = prefix + text[numberRange]
            guard renamed[old] == nil else { continue }
            counters[prefix, default: 0] += 1
            renamed[old] = prefix + String(counters[prefix]!)
        }
        guard renamed.contains(where: { $0.key != $0.value }) else { return data }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var cursor = text.startIndex
        for match in reference.matches(in: text, range: whole) {
            guard let idRange = Range(match.range(at: 2), in: text), let replacement = renamed[String(text[idRange])] else { continue }
            result += text[cursor..<idRange.lowerBound]
            result += replacement
            cursor = idRange.upperBound
        }
        result += text[cursor...]
        return Data(result.utf8)
    }
}
