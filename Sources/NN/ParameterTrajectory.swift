import Foundation
import Tensor

/// A model's flat parameter vector saved every few optimiser steps of a training run: the
/// iterates θ₀, θ_k, θ_2k, … whose projection on their principal plane is loss-landscape's
/// trajectory plot (Li et al. 2018, `plot_trajectory`).
///
/// Stored in the weights-file format (`WeightsFile`), one rank-1 tensor per snapshot named
/// `step-N`, so reading it back checks every length the same way.
public struct ParameterTrajectory: Equatable {
    /// Optimiser steps taken before each snapshot (0 is the initialisation), ascending.
    public private(set) var steps: [Int] = []
    /// One flat parameter vector per step, all of one length.
    public private(set) var snapshots: [[Float]] = []

    public init() {}

    public var parameterCount: Int { snapshots.first?.count ?? 0 }

    public mutating func record(step: Int, parameters: [Float]) {
        precondition(snapshots.isEmpty || parameters.count == parameterCount, "trajectory snapshots must all have \(parameterCount) parameters")
        precondition(steps.last.map { step > $0 } ?? true, "trajectory steps must increase")
        steps.append(step)
        snapshots.append(parameters)
    }

    /// Saves the snapshot of every `interval` steps of `trainer` (and the model's parameters
    /// now, as step 0) into `self` while it trains; returns the recorder to read afterwards.
    public static func recording(_ model: Module, trainer: Trainer, every interval: Int) -> Recorder {
        precondition(interval > 0, "trajectory interval must be positive")
        let recorder = Recorder()
        recorder.trajectory.record(step: 0, parameters: model.flattenedParameters())
        trainer.onStep = { [weak recorder] step in
            guard let recorder else { return }
            recorder.lastStep = step
            guard step % interval == 0 else { return }
            recorder.trajectory.record(step: step, parameters: model.flattenedParameters())
        }
        return recorder
    }

    /// Holds the trajectory while the trainer's step callback fills it.
    public final class Recorder {
        public var trajectory = ParameterTrajectory()
        var lastStep = 0
        /// Adds the final weights unless the last step already saved them.
        public func finish(model: Module) {
            if trajectory.steps.last != lastStep { trajectory.record(step: lastStep, parameters: model.flattenedParameters()) }
        }
    }

    public func save(to url: URL) throws {
        try WeightsFile.write(zip(steps, snapshots).map { step, values in
            (name: "step-\(step)", tensor: Tensor(values, shape: [values.count]))
        }, to: url)
    }

    /// Reads a trajectory file, checking that every tensor is a `step-N` vector of one length
    /// with increasing N.
    public static func load(from url: URL) throws -> ParameterTrajectory {
        let tensors: [(name: String, shape: [Int], values: [Float])]
        do {
            tensors = try WeightsFile.decode(Data(contentsOf: url))
        } catch let error as WeightsFileError {
            throw ParameterTrajectoryError(file: url, reason: error.description)
        }
        var trajectory = ParameterTrajectory()
        for tensor in tensors {
            guard tensor.name.hasPrefix("step-"), let step = Int(tensor.name.dropFirst(5)), step >= 0 else {
                throw ParameterTrajectoryError(file: url, reason: "tensor \(tensor.name) is not named step-N")
            }
            guard tensor.shape.count == 1, trajectory.snapshots.isEmpty || tensor.values.count == trajectory.parameterCount else {
                throw ParameterTrajectoryError(file: url, reason: "snapshot \(tensor.name) has shape \(tensor.shape), expected [\(trajectory.parameterCount)]")
            }
            guard trajectory.steps.last.map({ step > $0 }) ?? true else {
                throw ParameterTrajectoryError(file: url, reason: "steps do not increase at \(tensor.name)")
            }
            trajectory.record(step: step, parameters: tensor.values)
        }
        guard trajectory.snapshots.count >= 2 else {
            throw ParameterTrajectoryError(file: url, reason: "\(trajectory.snapshots.count) snapshot(s); a trajectory needs at least 2")
        }
        return trajectory
    }
}

/// A trajectory file that cannot be used, with the file and the reason.
public struct ParameterTrajectoryError: Error, CustomStringConvertible {
    public var file: URL
    public var reason: String
    public init(file: URL, reason: String) {
        self.file = file
        self.reason = reason
    }
    public var description: String { "\(file.path): \(reason)" }
}
