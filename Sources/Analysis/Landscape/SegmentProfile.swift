import Foundation

/// A function along a segment next to its chord: the picture behind the definition of
/// convexity,
/// ```
/// f((1 − t) a + t b) ≤ (1 − t) f(a) + t f(b)    for all t ∈ [0, 1]
/// ```
/// A convex f stays on or below the chord everywhere; any point above it disproves convexity.
/// ``midpointConvexityTest(pairs:tolerance:samplePoint:function:)`` checks only t = ½ over many
/// random segments; a profile shows one segment in full (e.g. the first violating pair).
public struct SegmentProfile: Codable {
    /// t₀ = 0 … t_last = 1.
    public var t: [Double]
    /// f((1 − t) a + t b).
    public var values: [Double]
    /// (1 − t) f(a) + t f(b).
    public var chord: [Double]

    /// max over t of f − chord (≤ 0 up to rounding along a convex function's segment).
    public var largestGapAboveChord: Double {
        zip(values, chord).map { $0 - $1 }.max() ?? 0
    }
}

/// f along the segment from a to b at `points` evenly spaced t ∈ [0, 1], with the chord.
public func segmentProfile(_ function: ([Double]) -> Double, from start: [Double], to end: [Double],
                           points: Int = 21) -> SegmentProfile {
    precondition(points >= 2, "need at least the two endpoints")
    precondition(start.count == end.count, "endpoints must have the same length")
    let t = evenlySpacedValues(from: 0, through: 1, count: points)
    let values = t.map { function(interpolate(start, end, $0)) }
    let first = values[0], last = values[points - 1]
    return SegmentProfile(t: t, values: values, chord: t.map { (1 - $0) * first + $0 * last })
}

/// The loss of a ``DifferentiableObjective`` along a segment, with the chord.
public func segmentProfile<Objective: DifferentiableObjective>(_ objective: Objective, from start: [Double],
                                                               to end: [Double], points: Int = 21) -> SegmentProfile {
    segmentProfile({ objective.value($0) }, from: start, to: end, points: points)
}
