import Datasets

extension DatasetSplit {
    /// The dataset as report prose names it ("MNIST", "Fashion-MNIST", "MNIST-5k"), where
    /// `name` is the command line's spelling ("mnist"); a folder keeps its path.
    var proseName: String {
        switch name {
        case DatasetSource.mnist.name: return "MNIST"
        case DatasetSource.fashionMNIST.name: return "Fashion-MNIST"
        case DatasetSource.mnist5k.name: return "MNIST-5k"
        default: return name
        }
    }

    /// Whether this is the full MNIST the assignment's numbers were measured on.
    var isFullMNIST: Bool { name == DatasetSource.mnist.name }
}
