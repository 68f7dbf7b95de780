import Foundation

/// One named tensor inside a flat parameter vector.
public struct ParameterGroup: Codable, Equatable {
    /// What a tensor is, which decides whether it gets a random landscape direction.
    public enum Role: String, Codable {
        /// A weight matrix or convolution kernel: split into filters and filter-normalised.
        case weight
        /// Biases get a zero direction (Li et al. 2018).
        case bias
        /// Batch-norm scales and shifts get a zero direction too.
        case normalization
    }

    /// Which axis of `shape` indexes the output units, i.e. the filters.
    public enum FilterAxis: String, Codable {
        /// [out, in] matrices and [out, in, kh, kw] kernels: each filter is a contiguous slice.
        case first
        /// [in, out] matrices: each filter is a strided column.
        case last
    }

    public var name: String
    public var shape: [Int]
    /// Index of the first element in the flat vector.
    public var offset: Int
    public var role: Role
    public var filterAxis: FilterAxis

    public init(name: String, shape: [Int], offset: Int, role: Role, filterAxis: FilterAxis = .first) {
        precondition(!shape.isEmpty && shape.allSatisfy { $0 > 0 }, "\(name): shape must be non-empty and positive")
        precondition(offset >= 0, "\(name): offset must be non-negative")
        self.name = name
        self.shape = shape
        self.offset = offset
        self.role = role
        self.filterAxis = filterAxis
    }

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Number of filters (output units); a rank-1 weight is that many one-element filters.
    public var filterCount: Int { filterAxis == .first ? shape[0] : shape[shape.count - 1] }

    /// Flat indices of filter `filter`'s elements.
    public func filterIndices(_ filter: Int) -> StrideTo<Int> {
        precondition((0..<filterCount).contains(filter), "\(name): filter must be in 0..<\(filterCount)")
        let filterSize = count / filterCount
        switch filterAxis {
        case .first:
            let start = offset + filter * filterSize
            return stride(from: start, to: start + filterSize, by: 1)
        case .last:
            return stride(from: offset + filter, to: offset + count, by: filterCount)
        }
    }
}

/// The tensors of a model laid out in one flat parameter vector, so landscape directions can
/// respect the model's structure without knowing the model.
public struct ParameterLayout: Codable, Equatable {
    public var groups: [ParameterGroup]

    /// Groups must not overlap; gaps are allowed (they get zero directions).
    public init(groups: [ParameterGroup]) {
        let sorted = groups.sorted { $0.offset < $1.offset }
        for (previous, next) in zip(sorted, sorted.dropFirst()) {
            precondition(previous.offset + previous.count <= next.offset, "\(previous.name) overlaps \(next.name)")
        }
        self.groups = groups
    }

    /// Tensors stored one after another in the given order, offsets computed.
    public init(sequential tensors: [(name: String, shape: [Int], role: ParameterGroup.Role)],
                filterAxis: ParameterGroup.FilterAxis = .first) {
        var offset = 0
        var groups: [ParameterGroup] = []
        for tensor in tensors {
            let group = ParameterGroup(name: tensor.name, shape: tensor.shape, offset: offset, role: tensor.role, filterAxis: filterAxis)
            groups.append(group)
            offset += group.count
        }
        self.groups = groups
    }

    /// One past the last element of any group: the length of parameter vectors it describes.
    public var parameterCount: Int { groups.map { $0.offset + $0.count }.max() ?? 0 }

    /// The group with this name, if any.
    public func group(named name: String) -> ParameterGroup? {
        groups.first { $0.name == name }
    }
}
