import Foundation

/// The outcome of a randomised Jensen (midpoint-convexity) test.
public struct MidpointConvexityResult: Codable {
    public var pairs: Int
    public var violations: Int
    /// The largest f((a+b)/2) − (f(a)+f(b))/2 seen (positive means a violation).
    public var largestGap: Double
    public var violationRate: Double { pairs == 0 ? 0 : Double(violations) / Double(pairs) }
    /// Endpoints of the first violating pair, for plotting its segment (nil when none).
    public var firstViolation: [[Double]]?
}

/// Tests convexity the way the definition reads: a convex f satisfies
/// `f((a+b)/2) ≤ (f(a)+f(b))/2` for every pair, so one violation disproves convexity,
/// and the violation rate over random pairs measures how non-convex f is where we look.
///
/// - Parameters:
///   - tolerance: relative slack (times the mean of |f(a)|, |f(b)|, plus 1e-12) so rounding is not counted.
///   - samplePoint: draws one random parameter vector.
public func midpointConvexityTest(pairs: Int, tolerance: Double = 1e-9,
                                  samplePoint: () -> [Double], function: ([Double]) -> Double) -> MidpointConvexityResult {
    var violations = 0
    var largestGap = -Double.infinity
    var firstViolation: [[Double]]?
    for _ in 0..<pairs {
        let a = samplePoint()
        let b = samplePoint()
        let midpoint = zip(a, b).map { ($0 + $1) / 2 }
        let fa = function(a), fb = function(b)
        let gap = function(midpoint) - (fa + fb) / 2
        largestGap = max(largestGap, gap)
        if gap > tolerance * ((abs(fa) + abs(fb)) / 2) + 1e-12 {
            violations += 1
            if firstViolation == nil { firstViolation = [a, b] }
        }
    }
    return MidpointConvexityResult(pairs: pairs, violations: violations, largestGap: largestGap, firstViolation: firstViolation)
}
