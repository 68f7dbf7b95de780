/// Runs `body` with OpenBLAS on `blas` threads and the engine's parallel loops on `engine`
/// cores, and puts both back afterwards, whatever `body` does (like `withoutGradients`).
///
/// Convolutional training passes `blas: 1`: the engine already splits images or filters
/// over the cores, each calling a single-threaded OpenBLAS, and OpenBLAS's own threads would
/// spin on the same cores. Results depend on neither count (see `parallelTasks`), except that
/// OpenBLAS's own threaded products are deterministic only for a fixed `blas`.
///
/// ```swift
/// let report = withThreads(blas: 1, engine: 2) { train(model) }
/// ```
public func withThreads<Result>(blas: Int? = nil, engine: Int? = nil, _ body: () throws -> Result) rethrows -> Result {
    let previousBLAS = BLAS.threadCount, previousEngine = Parallelism.coreCount
    if let blas { BLAS.threadCount = blas }
    if let engine { Parallelism.coreCount = engine }
    defer {
        BLAS.threadCount = previousBLAS
        Parallelism.coreCount = previousEngine
    }
    return try body()
}
