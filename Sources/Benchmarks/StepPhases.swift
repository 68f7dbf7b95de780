import Foundation
import NN
import Tensor

/// Where a training step's time goes: mean microseconds per step gathering the shuffled
/// mini-batch, in the forward pass (with the loss), the backward pass and the optimizer update. `labbook bench` reports it beside the
/// epoch time so a regression can be traced to its phase.
public struct StepPhases: Codable, Equatable, Sendable {
    /// Copying the batch's scattered samples into one buffer: reads from main memory, so it
    /// costs about ten microseconds for an MLP batch however fast the arithmetic is.
    public var batchMicroseconds: Double
    public var forwardMicroseconds: Double
    public var backwardMicroseconds: Double
    public var optimizerMicroseconds: Double

    enum CodingKeys: String, CodingKey {
        case batchMicroseconds = "batch_us"
        case forwardMicroseconds = "forward_us"
        case backwardMicroseconds = "backward_us"
        case optimizerMicroseconds = "optimizer_us"
    }

    /// Times `steps` training steps of `trainer` (its own `step`) on consecutive shuffled
    /// mini-batches of `data`, phase by phase. The steps really train the model (they update its
    /// weights and the optimizer's state), so run this after the measurement it explains.
    public static func measure(trainer: Trainer, data: LabeledData, steps: Int) -> StepPhases {
        let batchSize = trainer.batchSize
        precondition(steps > 0 && batchSize > 0 && data.count >= batchSize, "StepPhases.measure: not enough data")
        var gathering = Duration.zero, phases = StepPhaseDurations()
        let clock = ContinuousClock()
        var features: [Float] = [], labels: [Int32] = []
        var shuffler = SeededGenerator(seed: 7)
        let order = shuffler.permutation(of: data.count)
        trainer.model.train(true)
        FloatingPointMode.withSubnormalsFlushedToZero {
            for step in 0..<steps {
                // Shuffled batches, as in training: gathering scattered samples is part of a step.
                let start = clock.now
                let first = (step * batchSize) % (data.count - batchSize + 1)
                data.gather(order[first..<(first + batchSize)], features: &features, labels: &labels)
                let input = Tensor(features, shape: [batchSize] + data.sampleShape)
                gathering += clock.now - start
                _ = trainer.step(input, labels: labels, timing: &phases)
            }
        }
        func microseconds(_ total: Duration) -> Double {
            total.seconds * 1e6 / Double(steps)
        }
        return StepPhases(batchMicroseconds: microseconds(gathering), forwardMicroseconds: microseconds(phases.forward),
                          backwardMicroseconds: microseconds(phases.backward), optimizerMicroseconds: microseconds(phases.update))
    }
}
