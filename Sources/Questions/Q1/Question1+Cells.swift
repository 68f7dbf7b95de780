import Datasets
import Foundation
import Notebook

/// Q1's batches of cells, defined once for the page and for a worker handed one of their cells.
extension Question1 {
    /// The digits task of the real-data sections: 3 against 8.
    static func digitsTask(_ split: DatasetSplit) throws -> DigitsTask {
        try DigitsTask(split: split, negativeClass: 3, positiveClass: 8)
    }

    /// `lr-sweep`: both losses at one learning rate and initial logit scale, from one start.
    static func learningRateSweep(_ task: DigitsTask) -> CellDefinition<SweepCellConfig, SweepCell> {
        CellDefinition("lr-sweep", version: "1") { config, progress in runSweepCell(config, task: task, progress: progress.update) }
    }

    /// `class-imbalance`: both losses on one imbalanced training sample from one seed.
    static func classImbalance(_ task: DigitsTask) -> CellDefinition<ImbalanceCellConfig, ImbalanceCell> {
        CellDefinition("class-imbalance", version: "1") { config, progress in
            runImbalanceCell(config, task: task, progress: progress.update)
        }
    }

    public func workerCell(named name: String, context: WorkerContext) throws -> WorkerCell? {
        let task = { try Self.digitsTask(try digits.split(preferring: .mnist5k)) }
        switch name {
        case "lr-sweep": return WorkerCell(Self.learningRateSweep(try task()))
        case "class-imbalance": return WorkerCell(Self.classImbalance(try task()))
        default: return nil
        }
    }
}
