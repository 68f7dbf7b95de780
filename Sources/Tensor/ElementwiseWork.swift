/// How an element-wise pass over many buffers (an optimizer step over a model's parameters)
/// is spread over the cores in a single hand-off.
///
/// A buffer large enough to split is cut the way `concurrentChunks` cuts it, `chunks` contiguous
/// pieces for cores `0..<chunks`, so the core that updates a half of a layer's weights is the
/// one whose product computed that half's gradient (see `SmallMatrixProduct.splitsDepth`). The
/// small buffers are laid end to end; a run under one chunk stays on core 0, the calling core
/// (`WorkerPool`), and a longer one is cut into one contiguous stretch per core.
///
/// Why core 0: a model whose small buffers add up to less than a chunk (the MLP's 9,034
/// parameters besides its first layer's weights) runs its small layers' products on the
/// calling core (all but one, the 128 → 64 layer's weight gradient, which runs beside that
/// layer's input gradient), so their weights, gradients and moments are in that core's cache.
/// Cutting the run in half sent half of them to the other core and back every step: with the
/// small buffers on core 0, MLP epochs took 0.31-0.33 s instead of 0.35-0.39 in the VM's far
/// placement (where a cache line takes six times as long to cross between its two vCPUs:
/// `bench round-trip`), and 1% less in its usual one.
///
/// Each element is processed exactly once, by arithmetic that depends on the element alone,
/// so the split cannot change a result.
public struct ElementwiseWork: Equatable {
    /// A range of one buffer's elements.
    public struct Piece: Equatable {
        public let buffer: Int
        public let elements: Range<Int>
    }

    /// The pieces each core runs, in order; `perCore.count` is the number of cores used.
    public let perCore: [[Piece]]

    /// Splits buffers of `counts` elements over at most `cores` cores, giving a core no piece
    /// of a large buffer under `minimumChunk` elements and using one core when the whole
    /// pass is under two chunks.
    public init(counts: [Int], cores: Int, minimumChunk: Int) {
        precondition(cores > 0 && minimumChunk > 0 && counts.allSatisfy { $0 >= 0 }, "ElementwiseWork: bad split")
        let total = counts.reduce(0, +)
        let used = min(cores, max(1, total / minimumChunk))
        guard used > 1 else {
            perCore = [counts.indices.filter { counts[$0] > 0 }.map { Piece(buffer: $0, elements: 0..<counts[$0]) }]
            return
        }
        var perCore = [[Piece]](repeating: [], count: used)
        var small: [Int] = []
        for (buffer, count) in counts.enumerated() where count > 0 {
            let chunks = min(used, count / minimumChunk)
            guard chunks > 1 else { small.append(buffer); continue }
            for chunk in 0..<chunks {
                perCore[chunk].append(Piece(buffer: buffer, elements: (chunk * count / chunks)..<((chunk + 1) * count / chunks)))
            }
        }
        Self.spread(small, counts: counts, minimumChunk: minimumChunk, over: &perCore)
        self.perCore = perCore
    }

    /// Lays `buffers` end to end and gives each core one contiguous stretch of that run, or
    /// all of it to core 0 when it is under `minimumChunk` elements.
    private static func spread(_ buffers: [Int], counts: [Int], minimumChunk: Int, over perCore: inout [[Piece]]) {
        let total = buffers.reduce(0) { $0 + counts[$1] }
        guard total >= minimumChunk else {
            perCore[0] += buffers.map { Piece(buffer: $0, elements: 0..<counts[$0]) }
            return
        }
        var start = 0
        for buffer in buffers {
            let end = start + counts[buffer]
            for core in perCore.indices {
                let stretch = (core * total / perCore.count)..<((core + 1) * total / perCore.count)
                let overlap = stretch.clamped(to: start..<end)
                if !overlap.isEmpty {
                    perCore[core].append(Piece(buffer: buffer, elements: (overlap.lowerBound - start)..<(overlap.upperBound - start)))
                }
            }
            start = end
        }
    }
}
