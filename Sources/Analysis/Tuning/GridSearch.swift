import Foundation

/// Grid search: the Cartesian product of a few levels per parameter, sized to the budget.
///
/// **How the grid is chosen.** Every parameter starts with one level. Repeatedly, the parameter
/// with the fewest levels (the earlier-declared on ties) gains one level, provided it has more
/// distinct values to offer and the product of level counts stays ≤ budget; this stops when no
/// parameter can grow. The grid is therefore as balanced as possible and never exceeds the budget
/// (four parameters and a budget of 20 give 2·2·2·2 = 16 points; 81 give 3·3·3·3).
///
/// **Which levels.** `m` levels of a parameter sit at the quantile-cell centres `(i + ½)/m` of its
/// prior (``ParameterDomain/value(atQuantile:)``): for a learning rate on 1e-4…1e-2 with m = 2 that is
/// 10^−3.5 and 10^−2.5, not the extremes; for a 3-level ordinal with m = 3 it is every level, with
/// m = 2 the two extremes, with m = 1 the middle one.
///
/// **Order.** Lexicographic in declaration order, the first parameter varying slowest, like nested
/// loops. Each suggestion is the first grid point not yet in the history; nil once all are.
public struct GridSearch: Tuner {
    public let space: SearchSpace
    /// Levels per parameter, in parameter order; their product is ``points``' count.
    public let levelCounts: [Int]
    /// Every grid configuration, in evaluation order.
    public let points: [Configuration]

    public init(space: SearchSpace, budget: Int) {
        precondition(budget >= 1, "a grid needs a budget of at least one point")
        self.space = space
        levelCounts = GridSearch.balancedLevelCounts(for: space.parameters.map(\.domain.levelCount), budget: budget)
        var points: [Configuration] = []
        var index = [Int](repeating: 0, count: levelCounts.count)
        repeat {
            let quantiles = zip(index, levelCounts).map { (Double($0) + 0.5) / Double($1) }
            points.append(space.configuration(atQuantiles: quantiles))
        } while GridSearch.advance(&index, limits: levelCounts)
        self.points = points
    }

    public func suggest(history: [Trial]) -> Configuration? {
        let seen = Set(history.map(\.configuration))
        return points.first { !seen.contains($0) }
    }

    /// Level counts by balanced greedy growth under `product ≤ budget` (see the type's documentation).
    /// `capacities[i]` is the number of distinct values of parameter i, nil when unlimited.
    static func balancedLevelCounts(for capacities: [Int?], budget: Int) -> [Int] {
        var counts = [Int](repeating: 1, count: capacities.count)
        var product = 1
        while true {
            let growable = counts.indices.filter { i in
                counts[i] < (capacities[i] ?? Int.max) && product / counts[i] * (counts[i] + 1) <= budget
            }
            guard let next = growable.min(by: { counts[$0] < counts[$1] }) else { return counts }
            product = product / counts[next] * (counts[next] + 1)
            counts[next] += 1
        }
    }

    /// Odometer increment with the last index fastest; false after the final combination.
    private static func advance(_ index: inout [Int], limits: [Int]) -> Bool {
        for position in index.indices.reversed() {
            index[position] += 1
            if index[position] < limits[position] { return true }
            index[position] = 0
        }
        return false
    }
}
