import Foundation

/// How much of the variation in trial scores each hyperparameter explains: for each one, the
/// trials are grouped by its value (each level of an ordinal or choice; a real-valued range
/// split into `bins` equal-width bins on its own scale, log for log-uniform), and the share of
/// the scores' variance that lies between the groups is the correlation ratio
///
/// ```
/// η² = Σ_g n_g (mean_g − mean)² / Σ_i (score_i − mean)²
/// ```
/// (fANOVA's main effects, Hutter et al. 2014, estimated from the trials themselves instead of a
/// random-forest surrogate). 1 means the parameter alone fixes the score; near 0, it does not
/// matter over the range searched. The shares need not add to 1: parameters interact, and with
/// few trials the groups overlap.
public enum HyperparameterImportance {
    public static func correlationRatios(trials: [Trial], space: SearchSpace, bins: Int = 3) -> [(name: String, share: Double)] {
        let finite = trials.filter { $0.score.isFinite }
        guard finite.count > 1 else { return space.names.map { ($0, .nan) } }
        let mean = finite.map(\.score).reduce(0, +) / Double(finite.count)
        let total = finite.reduce(0) { $0 + ($1.score - mean) * ($1.score - mean) }
        let ranges = space.encodedRanges
        return zip(space.names, ranges).map { name, range in
            guard total > 0 else { return (name, 0) }
            var groups: [Int: [Double]] = [:]
            for trial in finite {
                // Unit-cube coordinates: one per real or ordinal parameter (binned), one-hot for a choice.
                let coordinates = Array(space.encode(trial.configuration)[range])
                let group = coordinates.count == 1
                    ? min(bins - 1, max(0, Int(coordinates[0] * Double(bins))))
                    : coordinates.indices.max { coordinates[$0] < coordinates[$1] } ?? 0
                groups[group, default: []].append(trial.score)
            }
            // Groups in the order of their keys: a Dictionary's own order changes from process to
            // process, and so would the sum's last bits (Q3's learning-rate share read
            // 0.41521190756264814 in one run and 0.4152119075626481 in the next).
            let between = groups.sorted { $0.key < $1.key }.reduce(0.0) { sum, group in
                let scores = group.value
                let groupMean = scores.reduce(0, +) / Double(scores.count)
                return sum + Double(scores.count) * (groupMean - mean) * (groupMean - mean)
            }
            return (name, between / total)
        }
    }
}
