import Foundation
import Tensor

/// Mini-batch training and evaluation of a classifier, the `model.fit` of this engine.
///
/// Each epoch shuffles the training set with a generator seeded from `seed`, so the same
/// seed, model initialisation and data give bit-identical runs.
///
/// ```swift
/// let trainer = Trainer(model: MLP(seed: 1), optimizer: Adam(), seed: 1)
/// let history = trainer.fit(train, validation: validation, epochs: 10)
/// let result = trainer.evaluate(test)        // loss, accuracy, predictions
/// ```
public final class Trainer {
    public let model: any UnaryLayer
    public let optimizer: any Optimizer
    public let loss: Loss
    public let batchSize: Int
    /// Receives the run's events (epochs, batches, early stopping); `TrainingEvent.logLine`
    /// turns them into Keras's log. The trainer itself prints nothing.
    public var onEvent: ((TrainingEvent) -> Void)?
    /// Called after every optimiser step with the number of steps taken so far (1, 2, …,
    /// counted over all epochs), e.g. to save the weights along the way for a trajectory plot.
    public var onStep: ((Int) -> Void)?
    /// The learning rate of every step, set on the optimiser before it; nil keeps the
    /// optimiser's own rate.
    public var schedule: LearningRateSchedule?
    private var shuffler: SeededGenerator
    private var stepsTaken = 0

    public init(model: any UnaryLayer, optimizer: any Optimizer, loss: Loss = .crossEntropy,
                batchSize: Int = 32, seed: UInt64 = 0, schedule: LearningRateSchedule? = nil,
                onEvent: ((TrainingEvent) -> Void)? = nil) {
        precondition(batchSize > 0, "Trainer: batch size must be positive, got \(batchSize)")
        self.model = model
        self.optimizer = optimizer
        self.loss = loss
        self.batchSize = batchSize
        self.onEvent = onEvent
        self.schedule = schedule
        self.shuffler = SeededGenerator(seed: seed)
    }

    /// Trains for `epochs` passes over `training`, evaluating on `validation` after each, and
    /// stops earlier when `stopping` says validation accuracy has stopped improving. With
    /// `restoresBestValidation` the model ends with the weights (and buffers) of its epoch of
    /// highest validation accuracy, the first on ties (Keras's `restore_best_weights`), so what
    /// is tested is the checkpoint the validation split chose, not whichever epoch came last.
    /// Subnormal floats are flushed to zero meanwhile (see `FloatingPointMode`).
    @discardableResult
    public func fit(_ training: LabeledData, validation: LabeledData? = nil, epochs: Int,
                    stopping: EarlyStopping? = nil, restoresBestValidation: Bool = false) -> TrainingHistory {
        precondition(stopping == nil || validation != nil, "Trainer.fit: early stopping needs validation data")
        precondition(!restoresBestValidation || validation != nil, "Trainer.fit: restoring the best epoch needs validation data")
        return FloatingPointMode.withSubnormalsFlushedToZero {
            var best: (accuracy: Double, state: ModuleState)?
            let history = train(training, validation: validation, epochs: epochs, stopping: stopping) { accuracy in
                guard restoresBestValidation, accuracy > (best?.accuracy ?? -.infinity) else { return }
                best = (accuracy, model.capturedState())
            }
            if let best { model.restore(best.state) }
            return history
        }
    }

    private func train(_ training: LabeledData, validation: LabeledData?, epochs: Int, stopping: EarlyStopping?,
                       afterValidation: (Double) -> Void) -> TrainingHistory {
        precondition(training.count > 0, "Trainer.fit: no training samples")
        var history = TrainingHistory()
        let steps = (training.count + batchSize - 1) / batchSize
        for epoch in stride(from: 1, through: epochs, by: 1) {
            onEvent?(.epochStarted(epoch: epoch, of: epochs))
            let order = shuffler.permutation(of: training.count)
            let start = ContinuousClock.now
            var lastDrawn = start
            var progress = EpochMetrics()
            model.train(true)
            var batchFeatures: [Float] = [], batchLabels: [Int32] = []
            for step in 0..<steps {
                let batch = order[(step * batchSize)..<min((step + 1) * batchSize, training.count)]
                training.gather(batch, features: &batchFeatures, labels: &batchLabels)
                trainStep(features: batchFeatures, labels: batchLabels, sampleShape: training.sampleShape,
                          metrics: &progress)
                stepsTaken += 1
                onStep?(stepsTaken)
                if let onEvent {
                    let now = ContinuousClock.now
                    if now - lastDrawn > .milliseconds(50) || step == steps - 1 {
                        lastDrawn = now
                        onEvent(.batchFinished(step: step + 1, of: steps, elapsedSeconds: seconds(since: start), metrics: progress.values))
                    }
                }
            }
            let elapsed = seconds(since: start)
            var metrics = progress.values
            history.loss.append(metrics["loss"]!)
            history.accuracy.append(metrics["accuracy"]!)
            history.seconds.append(elapsed)
            if let validation {
                let result = evaluate(validation, keepsPredictions: false)
                metrics["val_loss"] = result.loss
                metrics["val_accuracy"] = result.accuracy
                history.validationLoss.append(result.loss)
                history.validationAccuracy.append(result.accuracy)
                afterValidation(result.accuracy)
            }
            onEvent?(.epochFinished(epoch: epoch, of: epochs, steps: steps, elapsedSeconds: elapsed, metrics: metrics))
            if let stopping, epoch < epochs, stopping.shouldStop(validationAccuracies: history.validationAccuracy) {
                onEvent?(.stoppedEarly(afterEpoch: epoch, patience: stopping.patience))
                break
            }
        }
        return history
    }

    /// Loss, accuracy, predicted classes and softmax probabilities on `data`, computed without
    /// recording a graph, in batches of `batchSize`.
    public func evaluate(_ data: LabeledData, batchSize: Int = 1000) -> Evaluation {
        evaluate(data, batchSize: batchSize, keepsPredictions: true)
    }

    private func evaluate(_ data: LabeledData, batchSize: Int = 1000, keepsPredictions: Bool) -> Evaluation {
        model.train(false)
        defer { model.train(true) }
        var metrics = EpochMetrics()
        var predictions: [Int32] = [], probabilities: [Float] = []
        var classCount = 0
        var batchFeatures: [Float] = [], batchLabels: [Int32] = []
        withoutGradients {
            for start in stride(from: 0, to: data.count, by: batchSize) {
                data.gather(start..<min(start + batchSize, data.count), features: &batchFeatures, labels: &batchLabels)
                let input = Tensor(batchFeatures, shape: [batchLabels.count] + data.sampleShape)
                let logits = model(input)
                let batchPredictions = argmaxRows(logits)
                metrics.add(loss: loss(logits: logits, labels: batchLabels).scalar,
                            predictions: batchPredictions, labels: batchLabels)
                if keepsPredictions {
                    classCount = logits.shape[1]
                    predictions += batchPredictions
                    probabilities += softmax(logits).data
                }
            }
        }
        let values = metrics.values
        return Evaluation(loss: values["loss"] ?? .nan, accuracy: values["accuracy"] ?? .nan,
                          predictions: predictions, probabilities: probabilities, classCount: classCount)
    }

    /// Forward, backward, optimizer step, gradient reset.
    private func trainStep(features: [Float], labels: [Int32], sampleShape: [Int], metrics: inout EpochMetrics) {
        let (batchLoss, predictions) = step(Tensor(features, shape: [labels.count] + sampleShape), labels: labels)
        metrics.add(loss: batchLoss, predictions: predictions, labels: labels)
    }

    /// One training step on one mini-batch (forward, loss, backward, the scheduled optimiser
    /// update, gradient reset), as `fit` takes it; returns the batch's loss and predictions.
    /// Public so that throughput measurements time exactly the step that training runs.
    @discardableResult
    public func step(_ input: Tensor, labels: [Int32]) -> (loss: Float, predictions: [Int32]) {
        var ignored = StepPhaseDurations()
        return step(input, labels: labels, timing: &ignored)
    }

    /// A training step that adds the time of each of its phases to `timing`: the one training
    /// step, whether a benchmark times its phases or not.
    /// The convolutions' products run in the process's training precision (`ComputePrecision.training`:
    /// bf16 mixed precision where asked for), and only here: evaluation stays fp32.
    public func step(_ input: Tensor, labels: [Int32], timing: inout StepPhaseDurations) -> (loss: Float, predictions: [Int32]) {
        ComputePrecision.withPrecision(ComputePrecision.training) { fp32Step(input, labels: labels, timing: &timing) }
    }

    private func fp32Step(_ input: Tensor, labels: [Int32], timing: inout StepPhaseDurations) -> (loss: Float, predictions: [Int32]) {
        if let schedule { optimizer.learningRate = Float(schedule.rate(atStep: stepsTaken)) }
        let clock = ContinuousClock()
        let start = clock.now
        let logits = model(input)
        let batchLoss = loss(logits: logits, labels: labels)
        let forwardEnd = clock.now
        batchLoss.backward()
        let backwardEnd = clock.now
        let parameters = model.parameters()
        optimizer.update(parameters: parameters)
        for parameter in parameters { parameter.zeroGradient() }
        let updateEnd = clock.now
        timing.forward += forwardEnd - start
        timing.backward += backwardEnd - forwardEnd
        timing.update += updateEnd - backwardEnd
        return (batchLoss.scalar, argmaxRows(logits))
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return elapsed.seconds
    }
}

/// Running loss (sample-weighted) and accuracy over an epoch, as Keras reports them.
struct EpochMetrics {
    private var lossTotal = 0.0
    private var correct = 0
    private var seen = 0

    mutating func add(loss: Float, predictions: [Int32], labels: [Int32]) {
        lossTotal += Double(loss) * Double(labels.count)
        for (prediction, label) in zip(predictions, labels) where prediction == label { correct += 1 }
        seen += labels.count
    }

    var values: [String: Double] {
        guard seen > 0 else { return [:] }
        return ["loss": lossTotal / Double(seen), "accuracy": Double(correct) / Double(seen)]
    }
}

/// Time spent in the phases of training steps (forward with the loss, backward, optimizer
/// update), summed over the steps that added to it.
public struct StepPhaseDurations: Sendable {
    public var forward = Duration.zero
    public var backward = Duration.zero
    public var update = Duration.zero

    public init() {}
}
