import Tensor

/// How many cores the engine gives one convolutional run (a training, a throughput measurement,
/// a landscape's evaluations) where it is computed: two, or fewer where the process has fewer (a
/// local worker has its share, see `LocalExecutor`). OpenBLAS runs single-threaded meanwhile: the
/// engine splits each convolution over the cores itself. Results are reproducible for a fixed count.
enum EngineCores {
    static var perRun: Int { min(2, Parallelism.usableCoreCount) }
}
