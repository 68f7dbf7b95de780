import Tensor

/// Base class of layers and models. A module finds its parameters itself: every stored
/// property that is a `Tensor`, a `Module`, or an array of modules is discovered by
/// reflection, and named by its property path (`hidden1.weight`, `layers.0.bias`).
///
/// Subclasses only declare properties:
///
/// ```swift
/// final class Affine: Module, UnaryLayer {
///     let weight: Tensor
///     let bias: Tensor
///     ...
/// }
/// ```
///
/// The structure is read once, on first use, and cached: modules are expected to keep the
/// same submodules and tensors for life (values change, tensors are not swapped).
open class Module {
    /// Training or inference behaviour, for layers that differ (dropout, batch norm).
    public private(set) var isTraining = true
    private var cachedNamedTensors: [(name: String, tensor: Tensor)]?
    private var cachedChildren: [(name: String, module: Module)]?

    public init() {}

    /// Direct submodules in declaration order, with their property names.
    public func children() -> [(name: String, module: Module)] {
        if let cached = cachedChildren { return cached }
        var found: [(name: String, module: Module)] = []
        forEachStoredProperty { name, value in
            if let module = value as? Module {
                found.append((name, module))
            } else if let array = value as? [Any] {
                for (index, element) in array.enumerated() {
                    if let module = element as? Module { found.append(("\(name).\(index)", module)) }
                }
            }
        }
        cachedChildren = found
        return found
    }

    /// Every tensor held by this module and its submodules, depth-first in declaration order,
    /// including ones that do not require gradients (running statistics, say).
    public func namedTensors() -> [(name: String, tensor: Tensor)] {
        if let cached = cachedNamedTensors { return cached }
        var found: [(name: String, tensor: Tensor)] = []
        func appendTensors(of module: Module, prefix: String) {
            for (name, tensor) in module.namedTensors() { found.append(("\(prefix).\(name)", tensor)) }
        }
        forEachStoredProperty { name, value in
            if let tensor = value as? Tensor {
                found.append((name, tensor))
            } else if let module = value as? Module {
                appendTensors(of: module, prefix: name)
            } else if let array = value as? [Any] {
                for (index, element) in array.enumerated() {
                    if let module = element as? Module { appendTensors(of: module, prefix: "\(name).\(index)") }
                }
            }
        }
        cachedNamedTensors = found
        return found
    }

    /// The trainable tensors (those with `requiresGradient`), with their names.
    public func namedParameters() -> [(name: String, tensor: Tensor)] {
        namedTensors().filter { $0.tensor.requiresGradient }
    }

    /// The trainable tensors in a fixed order; optimizers and flattening use this order.
    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    /// Total number of trainable scalars.
    public var parameterCount: Int { parameters().reduce(0) { $0 + $1.count } }

    /// Switches this module and all submodules to training (`true`) or inference mode.
    public func train(_ isTraining: Bool = true) {
        self.isTraining = isTraining
        for child in children() { child.module.train(isTraining) }
    }

    /// Forgets all accumulated parameter gradients.
    public func zeroGradients() {
        for parameter in parameters() { parameter.zeroGradient() }
    }

    /// Calls `body` for each stored property of the concrete class and its superclasses up to
    /// (not including) `Module`.
    private func forEachStoredProperty(_ body: (String, Any) -> Void) {
        var mirror: Mirror? = Mirror(reflecting: self)
        var levels: [Mirror] = []
        while let current = mirror, current.subjectType != Module.self {
            levels.append(current)
            mirror = current.superclassMirror
        }
        for level in levels.reversed() {   // superclass properties first
            for child in level.children {
                guard let label = child.label else { continue }
                body(label.hasPrefix("$__lazy_storage_$_") ? String(label.dropFirst(18)) : label, child.value)
            }
        }
    }
}

/// A module that maps one tensor to one tensor; what `Sequential` chains.
public protocol UnaryLayer: Module {
    func callAsFunction(_ input: Tensor) -> Tensor
}
