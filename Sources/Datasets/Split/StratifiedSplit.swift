import Seeding
/// Splits example indices into training and test sets so each class keeps its proportion.
///
/// For every class (in increasing label order) its indices are shuffled with one `SplitMix64`
/// seeded by `seed`, and the first `round(testFraction * classCount)` go to the test set; both
/// lists are then shuffled so that neither is ordered by class. The result depends only on
/// `labels`, `testFraction` and `seed`.
///
/// - Parameters:
///   - labels: One class label per example.
///   - testFraction: Share of each class held out, in `0...1`.
///   - seed: Seed for the shuffles.
/// - Returns: Indices into `labels`; together they cover every index exactly once.
public func stratifiedSplit(labels: [UInt8], testFraction: Double, seed: UInt64) -> (train: [Int], test: [Int]) {
    precondition((0...1).contains(testFraction), "stratifiedSplit: testFraction must be in 0...1, got \(testFraction)")
    var indicesByClass = [[Int]](repeating: [], count: 256)
    for (index, label) in labels.enumerated() { indicesByClass[Int(label)].append(index) }

    var generator = SplitMix64(seed: seed)
    var train: [Int] = []
    var test: [Int] = []
    train.reserveCapacity(labels.count)
    for var classIndices in indicesByClass where !classIndices.isEmpty {
        generator.shuffle(&classIndices)
        let testCount = Int((Double(classIndices.count) * testFraction).rounded())
        test += classIndices[..<testCount]
        train += classIndices[testCount...]
    }
    generator.shuffle(&train)
    generator.shuffle(&test)
    return (train, test)
}
