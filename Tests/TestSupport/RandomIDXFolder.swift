// Random IDX folders for the fuzz tests of the dataset readers and the benchmarks.
import Foundation
import Tensor

/// The four standard IDX files with headers, label bytes and payload lengths drawn at random:
/// usually broken in one way or another (a count that disagrees, a zero or enormous image side,
/// labels of 200 or 255, a payload cut short or padded, a wrong magic number, a damaged or cut
/// gzip stream), now and then valid. How broken is drawn per folder too (`wildness`, from
/// none to twice the base odds), so clean folders that pass every check are drawn as well.
/// Equal seeds write equal folders.
public enum RandomIDXFolder {
    /// Writes the four files into `directory` and returns a one-line summary of what was drawn,
    /// for the message of a failing assertion.
    @discardableResult
    public static func write(into directory: URL, seed: UInt64) throws -> String {
        var dice = Dice(generator: SeededGenerator(seed: seed), wildness: 0)
        dice.wildness = dice.pick([0, 0, 0.5, 1, 2])
        let trainCount = dice.pick([0, 1, 2, 39, 40, 64, 100, dice.int(0..<150)])
        let trainSize = dice.mutate(0.4) ? (dice.side(), dice.side()) : (28, 28)
        let testCount = dice.mutate(0.3) ? dice.pick([0, 1, 3, dice.int(0..<50)]) : 10
        let testSize = dice.mutate(0.15) ? (dice.side(), dice.side()) : trainSize
        var summary = ["seed \(seed), wildness \(dice.wildness)"]
        let files: [(String, [UInt8])] = [
            ("train-images-idx3-ubyte", dice.images(count: trainCount, size: trainSize, summary: &summary)),
            ("train-labels-idx1-ubyte", dice.labels(count: trainCount, summary: &summary)),
            ("t10k-images-idx3-ubyte", dice.images(count: testCount, size: testSize, summary: &summary)),
            ("t10k-labels-idx1-ubyte", dice.labels(count: testCount, summary: &summary)),
        ]
        for (name, bytes) in files {
            if dice.chance(0.25) {
                var compressed = try IDXFixture.gzip(bytes)
                if dice.mutate(0.2) {
                    // The trailer: CRC-32, then the size mod 2^32.
                    for index in compressed.count - 8 ..< compressed.count { compressed[index] ^= dice.byte() | 1 }
                    summary.append("\(name).gz: damaged trailer")
                } else if dice.mutate(0.1) {
                    compressed = Array(compressed.prefix(dice.int(0..<compressed.count)))
                    summary.append("\(name).gz: cut to \(compressed.count) bytes")
                }
                try Data(compressed).write(to: directory.appendingPathComponent(name + ".gz"))
            } else {
                try Data(bytes).write(to: directory.appendingPathComponent(name))
            }
        }
        return summary.joined(separator: "; ")
    }

    /// Draws from a seeded generator.
    private struct Dice {
        var generator: SeededGenerator
        /// Scales the odds of every way to break a file.
        var wildness: Double

        mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &generator) }
        mutating func chance(_ probability: Double) -> Bool { Double.random(in: 0..<1, using: &generator) < probability }
        /// Whether to break something that breaks with base odds `probability`.
        mutating func mutate(_ probability: Double) -> Bool { chance(probability * wildness) }
        mutating func pick<T>(_ options: [T]) -> T { options[int(0..<options.count)] }
        mutating func byte() -> UInt8 { UInt8.random(in: 0...255, using: &generator) }
        /// Pixel values do not matter to the checks, so one random value fills them (cheaply).
        mutating func pixels(_ count: Int) -> [UInt8] { Array(repeating: byte(), count: count) }
        /// An image side: mostly small, sometimes zero or past anything a file could hold.
        mutating func side() -> Int { pick([0, 1, 2, 20, 28, 255, 65_536, Int(UInt32.max), int(0..<40)]) }

        /// A header word: the intended value, or now and then something else.
        mutating func word(_ intended: Int, wrongChance: Double) -> UInt32 {
            mutate(wrongChance) ? UInt32.random(in: 0...UInt32.max, using: &generator) : UInt32(truncatingIfNeeded: intended)
        }

        /// `promised` payload bytes, or a few less or more; at most ~1 MB is ever written.
        mutating func payloadLength(promised: Int, exactChance: Double) -> Int {
            let written = min(promised, 1 << 20)
            if !mutate(1 - exactChance) { return written }
            return chance(0.5) ? int(0..<(written + 1)) : written + int(1..<100)
        }

        mutating func images(count: Int, size: (Int, Int), summary: inout [String]) -> [UInt8] {
            let magic = mutate(0.07) ? pick([0x0801, 0x0802, 0x0804, int(0..<0x10000)]) : 0x0803
            let header = [magic, count, size.0, size.1].map { IDXFixture.bigEndian(word($0, wrongChance: 0.03)) }.flatMap { $0 }
            let (product, overflow) = count.multipliedReportingOverflow(by: size.0)
            let (promised, overflow2) = product.multipliedReportingOverflow(by: size.1)
            let length = payloadLength(promised: overflow || overflow2 ? Int.max : promised, exactChance: 0.75)
            summary.append("images magic \(magic) count \(count) \(size.0)x\(size.1), \(length) pixel bytes")
            return cutHeader(header, summary: &summary) + pixels(length)
        }

        mutating func labels(count: Int, summary: inout [String]) -> [UInt8] {
            let magic = mutate(0.05) ? pick([0x0803, int(0..<0x10000)]) : 0x0801
            let declared = mutate(0.2) ? pick([0, count + 1, max(0, count - 1), int(0..<200)]) : count
            let length = payloadLength(promised: declared, exactChance: 0.85)
            let kind = mutate(0.5) ? pick(["all 255", "all 200", "random", "one stray"]) : "digits"
            var values: [UInt8]
            switch kind {
            case "all 255": values = Array(repeating: 255, count: length)
            case "all 200": values = Array(repeating: 200, count: length)
            case "random": values = (0..<length).map { _ in byte() }
            default: values = (0..<length).map { _ in UInt8(int(0..<10)) }
            }
            if kind == "one stray" && length > 0 { values[int(0..<length)] = UInt8(int(10..<256)) }
            summary.append("labels magic \(magic) count \(declared), \(length) bytes, \(kind)")
            return cutHeader([magic, declared].map { IDXFixture.bigEndian(word($0, wrongChance: 0.03)) }.flatMap { $0 },
                             summary: &summary) + values
        }

        /// The header, or rarely only its first few bytes.
        mutating func cutHeader(_ header: [UInt8], summary: inout [String]) -> [UInt8] {
            guard mutate(0.03) else { return header }
            summary.append("header cut")
            return Array(header.prefix(int(0..<header.count)))
        }
    }
}
