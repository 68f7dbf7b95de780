import Analysis
import Foundation
import Notebook

extension ImbalanceComparison {
    /// A minority recall below this means the classifier misses most minority digits.
    static let minorityRecallFloor = 0.5

    static var rule: Prose {
        """
        both losses are trained on the same class-imbalanced samples (the digit 8 as the minority) from the same starts, each \
        at the learning rate chosen for it on balanced data; on the balanced test digits, balanced accuracy (the mean of the \
        two classes' recalls) at the smallest minority share gets a 95% paired bootstrap interval of cross-entropy − MSE \
        (seeds and test images resampled together). **SUPPORTED** if the interval lies above 0 and cross-entropy still finds \
        at least \(percent(minorityRecallFloor, digits: 0)) of the minority test digits (mean recall); **PARTLY** if above 0 \
        but cross-entropy finds fewer; **REFUTED** if below 0; **INCONCLUSIVE** otherwise.
        """
    }

    func claim(figure: String) -> ClaimCheck {
        let smallest = shares.indices.min { shares[$0] < shares[$1] }!
        let difference = balancedAccuracyDifferences[smallest]
        let ceRecall = mean(minorityRecalls(.crossEntropy, share: smallest))
        let verdict: Verdict = difference.lower > 0 ? (ceRecall >= Self.minorityRecallFloor ? .supported : .partly)
            : difference.upper < 0 ? .refuted : .inconclusive
        let bullets: [Prose] = shares.indices.map { evidence(share: $0) } + [
            "Learning rates \(rateLabel(learningRates[.crossEntropy]!)) (cross-entropy) and "
                + "\(rateLabel(learningRates[.meanSquaredError]!)) (MSE); see \(figure).",
        ]
        return ClaimCheck(id: "ce-handles-imbalance",
                          claim: "Cross-entropy loss suits logistic regression by ... handling class imbalances efficiently.",
                          verdict: verdict, evidence: bullets, conclusion: Self.conclusion(verdict), decisionRule: Self.rule)
    }

    /// One bullet: both losses' minority recall and the balanced-accuracy difference at one share.
    func evidence(share index: Int) -> Prose {
        let recalls = BinaryLoss.allCases.map { SeedSpread(values: minorityRecalls($0, share: index)).formatted(digits: 3) }
        return "Minority share \(percent(shares[index], digits: 0)) (\(cells[index].first?.minorityCount ?? 0) of \(trainingSize) "
            + "training images are 8s): minority recall cross-entropy \(recalls[0]), MSE \(recalls[1]); balanced accuracy "
            + "cross-entropy − MSE \(CalibrationComparison.interval(balancedAccuracyDifferences[index]))."
    }

    static func conclusion(_ verdict: Verdict) -> Prose {
        switch verdict {
        case .supported:
            return "At the smallest share cross-entropy keeps a higher balanced accuracy than MSE and still finds most minority digits."
        case .partly:
            return "Cross-entropy copes with the imbalance better than MSE, but not efficiently: at the smallest share it misses most "
                + "minority digits too. Neither loss corrects for imbalance by itself (no class weights were used)."
        case .refuted:
            return "MSE keeps the higher balanced accuracy at the smallest share: cross-entropy does not handle the imbalance better."
        case .inconclusive:
            return "At the smallest share the two losses' balanced accuracies are within the noise of the seeds and test digits: no "
                + "advantage of cross-entropy under class imbalance is measured. Neither loss corrects for imbalance by itself."
        }
    }
}
