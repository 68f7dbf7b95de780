import Analysis
import Experiments
import Foundation
import Notebook

/// The verdict on the assignment's Q4 claim, decided on the same test images.
extension Question4 {
    /// The significance level of the paired tests (after Holm's adjustment).
    static let alpha = 0.05
    /// Differences whose whole 95% interval lies inside ±this are "the same accuracy".
    static let equivalenceMargin = 0.001

    static let decisionRule: Prose = """
    each ResNet is compared with LeNet-5 on the same test images (McNemar's exact test on the images only one of the two gets \
    right, seed k against seed k, pooled; Holm's adjustment over the two comparisons) with a 95% bootstrap interval of the \
    accuracy difference. **SUPPORTED** if some ResNet is significantly more accurate than LeNet-5 (adjusted p < \(alpha)); \
    **REFUTED** if LeNet-5 is significantly more accurate than both ResNets, or if both differences' intervals lie inside \
    ±\(String(format: "%.1f", 100 * equivalenceMargin)) percentage points; otherwise **INCONCLUSIVE**. Cost (FLOPs, measured \
    throughput) is reported beside the verdict, not folded into it.
    """

    /// "test accuracy for resnet 50 is 0.9316 test accuracy for resnet 18 is 0.91 so resnet suit
    /// more than the Lenet", decided by `decisionRule` from `comparisons` (the first two compare
    /// each ResNet with LeNet-5 and carry Holm-adjusted p-values).
    static func claimCheck(networks: [NetworkResults], comparisons: [PairedComparison],
                           throughput: [ConvolutionalArchitecture: ThroughputResult]) -> ClaimCheck {
        let family = comparisons.filter { $0.adjustedPValue != nil }
        let better = family.filter { $0.isSignificant(direction: 1, alpha: alpha) }
        let worse = family.filter { $0.isSignificant(direction: -1, alpha: alpha) }
        let equivalent = family.filter { $0.isEquivalent(margin: equivalenceMargin) }
        let verdict: Verdict
        if !better.isEmpty {
            verdict = .supported
        } else if worse.count == family.count || equivalent.count == family.count {
            verdict = .refuted
        } else {
            verdict = .inconclusive
        }
        var evidence: [Prose] = family.map { comparison in
            let outcome = comparison.isSignificant(direction: 1, alpha: alpha) ? "significantly more accurate"
                : comparison.isSignificant(direction: -1, alpha: alpha) ? "significantly less accurate"
                : comparison.isEquivalent(margin: equivalenceMargin) ? "the same accuracy within the margin" : "no significant difference"
            return "\(comparison.summary): \(outcome)."
        }
        evidence += networks.map { "\($0.architecture.displayName): test accuracy \($0.testAccuracy.formatted())." }
        if let leNet = networks.first(where: { $0.architecture == .leNet5 }) {
            for resNet in networks where resNet.architecture != .leNet5 {
                let flops = Double(resNet.results[0].multiplyAccumulates) / Double(max(leNet.results[0].multiplyAccumulates, 1))
                let speed = throughput[leNet.architecture].flatMap { lenet in
                    throughput[resNet.architecture].map { lenet.imagesPerSecond / $0.imagesPerSecond }
                }
                evidence.append(
                    "Cost of \(resNet.architecture.displayName): \(String(format: "%.0f", flops))× LeNet-5's forward FLOPs per image"
                    + (speed.map { " and \(String(format: "%.0f", $0))× its training time per image (steps timed alone)" } ?? "")
                    + ".")
            }
        }
        let conclusion: Prose
        switch verdict {
        case .supported:
            conclusion = """
                \(better.map(\.second.displayName).joined(separator: " and ")) classifies more test digits correctly \
                than LeNet-5 by more than chance explains, at many times its arithmetic; the assignment's reasoning \
                (comparison with a LeNet-5 run at 18.81%) does not show this, the paired test on trained networks does.
                """
        case .refuted:
            conclusion = """
                Trained properly, LeNet-5 \
                is \(worse.count == family.count ? "more accurate than both ResNets" : "as accurate as both ResNets") on these \
                digits at a small fraction of their cost; the assignment's conclusion rests on a LeNet-5 run that did not train.
                """
        case .inconclusive, .partly:
            conclusion = """
                On these test images neither network family is shown more accurate than the other: the ResNets' \
                differences from LeNet-5 are within what chance explains, yet not tight enough to call them \
                equal. What the data do show is the cost: the ResNets need many times LeNet-5's arithmetic for \
                no demonstrated gain, and the assignment's conclusion rests on a LeNet-5 run that did not train.
                """
        }
        return ClaimCheck(
            id: "resnet-suits-more",
            claim: "test accuracy for resnet 50 is 0.9316 test accuracy for resnet 18 is 0.91 so resnet suit more than the Lenet",
            verdict: verdict, evidence: evidence, conclusion: conclusion, decisionRule: decisionRule)
    }
}
