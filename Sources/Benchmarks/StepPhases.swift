import Foundation
import NN
import Tensor

/// Where a training step's time goes: mean microseconds per step gathering the shuffled
/// mini-batch, in the forward pass (with the loss), the backward pass and the optimizer update. `labbook bench` reports it beside the
/// epoch time so a regression can be traced to its phase.
public struct StepPhases: Codable, Equatable, Sendable {
    /// Copying the batch's scattered samples into one buffer: reads from main memory, so it
    /// costs tens of microseconds however fast the arithmetic is.
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

    /// Times `steps` training steps of `model` on consecutive mini-batches of `data`, phase by
    /// phase. The steps really train the model (they update its weights and the optimizer's
    /// state), so run this after the measurement it explains.
    public static func measure(model: any UnaryLayer, optimizer: any Optimizer, loss: Loss = .crossEntropy,
                               data: LabeledData, batchSize: Int, steps: Int) -> StepPhases {
        precondition(steps > 0 && batchSize > 0 && data.count >= batchSize, "StepPhases.measure: not enough data")
        var gathering = Duration.zero, forward = Duration.zero, backward = Duration.zero, update = Duration.zero
        let clock = ContinuousClock()
        var features: [Float] = [], labels: [Int32] = []
        var shuffler = SeededGenerator(seed: 7)
        let order = shuffler.permutation(of: data.count)
        let parameters = model.parameters()
        model.train(true)
        FloatingPointMode.withSubnormalsFlushedToZero {
            for step in 0..<steps {
                // Shuffled batches, as in training: gathering scattered samples is part of a step.
                let tb = clock.now
                let start = (step * batchSize) % (data.count - batchSize + 1)
                data.gather(order[start..<(start + batchSize)], features: &features, labels: &labels)
                let input = Tensor(features, shape: [batchSize] + data.sampleShape)
                let t0 = clock.now
                let batchLoss = loss(logits: model(input), labels: labels)
                let t1 = clock.now
                batchLoss.backward()
                let t2 = clock.now
                optimizer.update(parameters: parameters)
                for parameter in parameters { parameter.zeroGradient() }
                let t3 = clock.now
                gathering += t0 - tb; forward += t1 - t0; backward += t2 - t1; update += t3 - t2
            }
        }
        func microseconds(_ total: Duration) -> Double {
            total.seconds * 1e6 / Double(steps)
        }
        return StepPhases(batchMicroseconds: microseconds(gathering), forwardMicroseconds: microseconds(forward), backwardMicroseconds: microseconds(backward),
                          optimizerMicroseconds: microseconds(update))
    }
}
