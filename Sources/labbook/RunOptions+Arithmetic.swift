import Notebook
import Tensor

extension RunOptions {
    /// Takes this process's kernels and arithmetic: their description for the run metadata, and
    /// what every computed cell's key includes, the training steps' precision
    /// (`LABBOOK_PRECISION`) and the kernels that change results (`KernelDescription.resultKey`).
    /// A driver and its workers each take their own, so a worker with other kernels refuses a
    /// request rather than computing other numbers under its key.
    mutating func useProcessArithmetic() {
        let description = BLASCoreStartup.kernelDescription
        kernels = description.description
        precision = description.precision
        resultKernels = description.resultKey
    }
}
