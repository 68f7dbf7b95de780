/// The spread of timed steps: a median is robust to the odd step a noisy machine slows down,
/// and min-max shows how noisy the sitting was.
public struct StepTimeSummary: Codable, Equatable {
    public var median: Double
    public var min: Double
    public var max: Double

    public init(_ seconds: [Double]) {
        precondition(!seconds.isEmpty, "StepTimeSummary needs at least one step")
        let sorted = seconds.sorted()
        let middle = sorted.count / 2
        median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        min = sorted[0]
        max = sorted[sorted.count - 1]
    }
}
