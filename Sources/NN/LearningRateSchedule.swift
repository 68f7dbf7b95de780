import Foundation

/// The learning rate as a function of the optimiser step, stepped once per mini-batch by
/// `Trainer` (as PyTorch's `OneCycleLR` and `CosineAnnealingLR` are when called per batch).
///
/// A schedule is a value: it is part of a training config, so it goes into cache keys and
/// reports as data.
///
/// ```swift
/// let schedule = LearningRateSchedule.oneCycle(peak: 3e-3, totalSteps: 4 * 844)
/// schedule.rate(atStep: 0)      // 1.2e-4 = peak / 25
/// ```
public enum LearningRateSchedule: Codable, Equatable, Sendable {
    /// The same rate at every step.
    case constant(Double)
    /// Smith & Topin's one-cycle policy ("Super-Convergence", 2019) with PyTorch's
    /// `OneCycleLR` formula: from `peak / initialDivisor` up to `peak` over the first
    /// `warmupFraction` of `totalSteps` (cosine or linear), then a cosine anneal down to
    /// `peak / initialDivisor / finalDivisor` at step `totalSteps − 1`.
    case oneCycle(peak: Double, totalSteps: Int, warmupFraction: Double = 0.25, initialDivisor: Double = 25,
                  finalDivisor: Double = 1e4, linearWarmup: Bool = false)
    /// Cosine decay from `initial` to `minimum` at step `totalSteps` (Loshchilov & Hutter's
    /// SGDR without restarts, PyTorch's `CosineAnnealingLR` with `T_max = totalSteps`).
    case cosine(initial: Double, totalSteps: Int, minimum: Double = 0)

    /// The rate for the step with 0-based index `step`; steps past the end keep the last rate.
    public func rate(atStep step: Int) -> Double {
        switch self {
        case .constant(let rate):
            return rate
        case let .oneCycle(peak, totalSteps, warmupFraction, initialDivisor, finalDivisor, linearWarmup):
            let initial = peak / initialDivisor, final = initial / finalDivisor
            let warmupEnd = warmupFraction * Double(totalSteps) - 1, end = Double(totalSteps - 1)
            let t = Double(min(step, totalSteps - 1))
            if t <= warmupEnd {
                let fraction = warmupEnd > 0 ? t / warmupEnd : 1
                return linearWarmup ? initial + (peak - initial) * fraction : Self.cosineAnneal(from: initial, to: peak, fraction: fraction)
            }
            let fraction = end > warmupEnd ? (t - warmupEnd) / (end - warmupEnd) : 1
            return Self.cosineAnneal(from: peak, to: final, fraction: fraction)
        case let .cosine(initial, totalSteps, minimum):
            let fraction = totalSteps > 0 ? Double(min(step, totalSteps)) / Double(totalSteps) : 1
            return Self.cosineAnneal(from: initial, to: minimum, fraction: fraction)
        }
    }

    /// The largest rate of the schedule.
    public var peakRate: Double {
        switch self {
        case .constant(let rate): return rate
        case .oneCycle(let peak, _, _, _, _, _): return peak
        case .cosine(let initial, _, _): return initial
        }
    }

    /// One line for reports: "one-cycle, peak 0.003, 25% cosine warm-up from peak/25, cosine
    /// anneal to peak/250000 over 3376 steps".
    public var summary: String {
        switch self {
        case .constant(let rate):
            return "constant \(Self.format(rate))"
        case let .oneCycle(peak, totalSteps, warmupFraction, initialDivisor, finalDivisor, linearWarmup):
            return "one-cycle, peak \(Self.format(peak)): \(Int((warmupFraction * 100).rounded()))% \(linearWarmup ? "linear" : "cosine") "
                + "warm-up from peak/\(Self.format(initialDivisor)), cosine anneal to peak/\(Self.format(initialDivisor * finalDivisor)) "
                + "over \(totalSteps) steps"
        case let .cosine(initial, totalSteps, minimum):
            return "cosine decay from \(Self.format(initial)) to \(Self.format(minimum)) over \(totalSteps) steps"
        }
    }

    /// PyTorch's `_annealing_cos`: `end + (start − end)/2 · (1 + cos(π · fraction))`.
    static func cosineAnneal(from start: Double, to end: Double, fraction: Double) -> Double {
        end + (start - end) / 2 * (1 + cos(Double.pi * fraction))
    }

    private static func format(_ value: Double) -> String {
        String(format: "%g", value)
    }
}
