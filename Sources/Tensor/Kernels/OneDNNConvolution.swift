import CDNNL
import Foundation

/// One convolution geometry's oneDNN primitives (forward, backward-data, backward-weights), in the
/// layouts oneDNN's JIT kernels choose (blocked channels, `any`), with the reorders between those
/// and Labbook's plain NCHW tensors and OIHW weights.
///
/// oneDNN's direct convolutions in their blocked layouts were measured 1.2-2.6x faster than the
/// im2col + sgemm plan on Q4's 3x3 layers (`scripts/bench/onednn-layers.sh`); in plain NCHW they
/// fall back to a GEMM path that is slower, hence the reorders around each call. Primitives are
/// built once per geometry (the first call JIT-compiles them) and kept; gradients are added into
/// the caller's buffers by reorders with a sum post-op. Results are deterministic for a thread
/// count (oneDNN's reductions run in a fixed order).
final class OneDNNConvolution {
    struct Geometry: Hashable {
        var batch, channels, height, width, filters, kernelHeight, kernelWidth, stride, padding: Int
        var hasBias: Bool

        var outputHeight: Int { convolutionOutputExtent(input: height, kernel: kernelHeight, stride: stride, padding: padding) }
        var outputWidth: Int { convolutionOutputExtent(input: width, kernel: kernelWidth, stride: stride, padding: padding) }
    }

    let geometry: Geometry
    private let engine: OneDNNEngine
    private var user: (source: dnnl_memory_desc_t, weights: dnnl_memory_desc_t, destination: dnnl_memory_desc_t, bias: dnnl_memory_desc_t)
    private let forwardDescriptor: dnnl_primitive_desc_t
    private let forward: dnnl_primitive_t
    private let forwardStages: (source: Stage, weights: Stage, destination: Stage)
    private lazy var backwardData: (primitive: dnnl_primitive_t, weights: Stage, destinationGradient: Stage, sourceGradient: Stage)? = makeBackwardData()
    private lazy var backwardWeights: (primitive: dnnl_primitive_t, source: Stage, destinationGradient: Stage,
                                       weightsGradient: Stage, biasGradient: Stage?)? = makeBackwardWeights()

    private static var cache: [Geometry: OneDNNConvolution] = [:]
    private static let lock = NSLock()

    /// The primitives for `geometry`, built on first use; nil when oneDNN cannot run it.
    static func primitives(for geometry: Geometry) -> OneDNNConvolution? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[geometry] { return cached }
        guard let engine = OneDNNEngine.shared, let made = OneDNNConvolution(geometry: geometry, engine: engine) else { return nil }
        cache[geometry] = made
        return made
    }

    private init?(geometry: Geometry, engine: OneDNNEngine) {
        self.geometry = geometry
        self.engine = engine
        let g = geometry
        user = (OneDNNEngine.descriptor([g.batch, g.channels, g.height, g.width], dnnl_nchw),
                OneDNNEngine.descriptor([g.filters, g.channels, g.kernelHeight, g.kernelWidth], dnnl_oihw),
                OneDNNEngine.descriptor([g.batch, g.filters, g.outputHeight, g.outputWidth], dnnl_nchw),
                OneDNNEngine.descriptor([g.filters], dnnl_a))
        var source = OneDNNEngine.descriptor([g.batch, g.channels, g.height, g.width], dnnl_format_tag_any)
        var weights = OneDNNEngine.descriptor([g.filters, g.channels, g.kernelHeight, g.kernelWidth], dnnl_format_tag_any)
        var destination = OneDNNEngine.descriptor([g.batch, g.filters, g.outputHeight, g.outputWidth], dnnl_format_tag_any)
        var description = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)], padding: [Int64] = [Int64(g.padding), Int64(g.padding)]
        let status = withUnsafePointer(to: user.bias) { bias in
            dnnl_convolution_forward_desc_init(&description, dnnl_forward_training, dnnl_convolution_direct, &source, &weights,
                                               g.hasBias ? bias : nil, &destination, strides, padding, padding)
        }
        guard status == dnnl_success, let descriptor = engine.primitiveDescriptor(&description, hint: nil),
              let primitive = engine.primitive(descriptor) else { return nil }
        forwardDescriptor = descriptor
        forward = primitive
        guard let sourceStage = engine.stage(user: user.source, inner: descriptor, query: dnnl_query_src_md, into: true),
              let weightsStage = engine.stage(user: user.weights, inner: descriptor, query: dnnl_query_weights_md, into: true),
              let destinationStage = engine.stage(user: user.destination, inner: descriptor, query: dnnl_query_dst_md, into: false) else { return nil }
        forwardStages = (sourceStage, weightsStage, destinationStage)
    }

    /// Whether oneDNN has backward kernels for this geometry (built on first ask).
    var supportsTraining: Bool { backwardData != nil && backwardWeights != nil }

    /// y = conv(x, w) + b into `output` (plain NCHW, overwritten).
    func forward(x: UnsafePointer<Float>, weights: UnsafePointer<Float>, bias: UnsafePointer<Float>?, output: UnsafeMutablePointer<Float>) {
        engine.withThreads {
            let source = forwardStages.source.bring(engine, user: user.source, from: x)
            let weightsMemory = forwardStages.weights.bring(engine, user: user.weights, from: weights)
            let destination = forwardStages.destination.innerMemory ?? engine.userMemory(user.destination, UnsafeMutableRawPointer(output))
            var arguments = [(DNNL_ARG_SRC, source), (DNNL_ARG_WEIGHTS, weightsMemory), (DNNL_ARG_DST, destination)]
            let biasMemory = bias.map { engine.userMemory(user.bias, UnsafeMutableRawPointer(mutating: $0)) }
            if let biasMemory { arguments.append((DNNL_ARG_BIAS, biasMemory)) }
            engine.execute(forward, arguments)
            forwardStages.destination.send(engine, user: user.destination, to: output, accumulate: false)
            let owned = [forwardStages.source.innerMemory, forwardStages.weights.innerMemory, forwardStages.destination.innerMemory]
            for memory in [source, weightsMemory, destination, biasMemory].compactMap({ $0 }) where !owned.contains(memory) {
                dnnl_memory_destroy(memory)
            }
        }
    }

    /// dx += convᵀ(dy, w), into `inputGradient` (plain NCHW). False when oneDNN has no kernel for it.
    func addInputGradient(outputGradient: UnsafePointer<Float>, weights: UnsafePointer<Float>, into inputGradient: UnsafeMutablePointer<Float>) -> Bool {
        guard let backward = backwardData else { return false }
        engine.withThreads {
            let dy = backward.destinationGradient.bring(engine, user: user.destination, from: outputGradient)
            let w = backward.weights.bring(engine, user: user.weights, from: weights)
            engine.execute(backward.primitive, [(DNNL_ARG_DIFF_DST, dy), (DNNL_ARG_WEIGHTS, w), (DNNL_ARG_DIFF_SRC, backward.sourceGradient.inner)])
            backward.sourceGradient.send(engine, user: user.source, to: inputGradient, accumulate: true)
            for memory in [dy, w] where memory != backward.destinationGradient.innerMemory && memory != backward.weights.innerMemory {
                dnnl_memory_destroy(memory)
            }
        }
        return true
    }

    /// dw (+)= x ⋆ dy into `weightsGradient` (OIHW; added when `accumulate`), db += Σ dy into
    /// `biasGradient`. False when oneDNN has no kernel for it.
    func weightsGradient(x: UnsafePointer<Float>, outputGradient: UnsafePointer<Float>, into weightsGradient: UnsafeMutablePointer<Float>,
                         accumulate: Bool, biasGradient: UnsafeMutablePointer<Float>?) -> Bool {
        guard let backward = backwardWeights else { return false }
        engine.withThreads {
            let source = backward.source.bring(engine, user: user.source, from: x)
            let dy = backward.destinationGradient.bring(engine, user: user.destination, from: outputGradient)
            var arguments = [(DNNL_ARG_SRC, source), (DNNL_ARG_DIFF_DST, dy), (DNNL_ARG_DIFF_WEIGHTS, backward.weightsGradient.inner)]
            if let bias = backward.biasGradient { arguments.append((DNNL_ARG_DIFF_BIAS, bias.inner)) }
            engine.execute(backward.primitive, arguments)
            backward.weightsGradient.send(engine, user: user.weights, to: weightsGradient, accumulate: accumulate)
            if let bias = backward.biasGradient, let biasGradient { bias.send(engine, user: user.bias, to: biasGradient, accumulate: true) }
            for memory in [source, dy] where memory != backward.source.innerMemory && memory != backward.destinationGradient.innerMemory {
                dnnl_memory_destroy(memory)
            }
        }
        return true
    }

    private func makeBackwardData() -> (primitive: dnnl_primitive_t, weights: Stage, destinationGradient: Stage, sourceGradient: Stage)? {
        let g = geometry
        var sourceGradient = OneDNNEngine.descriptor([g.batch, g.channels, g.height, g.width], dnnl_format_tag_any)
        var weights = OneDNNEngine.descriptor([g.filters, g.channels, g.kernelHeight, g.kernelWidth], dnnl_format_tag_any)
        var destinationGradient = OneDNNEngine.descriptor([g.batch, g.filters, g.outputHeight, g.outputWidth], dnnl_format_tag_any)
        var description = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)], padding: [Int64] = [Int64(g.padding), Int64(g.padding)]
        guard dnnl_convolution_backward_data_desc_init(&description, dnnl_convolution_direct, &sourceGradient, &weights, &destinationGradient,
                                                       strides, padding, padding) == dnnl_success,
              let descriptor = engine.primitiveDescriptor(&description, hint: forwardDescriptor), let primitive = engine.primitive(descriptor),
              let weightsStage = engine.stage(user: user.weights, inner: descriptor, query: dnnl_query_weights_md, into: true),
              let dyStage = engine.stage(user: user.destination, inner: descriptor, query: dnnl_query_diff_dst_md, into: true),
              let dxStage = engine.stage(user: user.source, inner: descriptor, query: dnnl_query_diff_src_md, into: false, always: true)
        else { return nil }
        return (primitive, weightsStage, dyStage, dxStage)
    }

    private func makeBackwardWeights() -> (primitive: dnnl_primitive_t, source: Stage, destinationGradient: Stage,
                                           weightsGradient: Stage, biasGradient: Stage?)? {
        let g = geometry
        var source = OneDNNEngine.descriptor([g.batch, g.channels, g.height, g.width], dnnl_format_tag_any)
        var weightsGradient = OneDNNEngine.descriptor([g.filters, g.channels, g.kernelHeight, g.kernelWidth], dnnl_format_tag_any)
        var destinationGradient = OneDNNEngine.descriptor([g.batch, g.filters, g.outputHeight, g.outputWidth], dnnl_format_tag_any)
        var description = dnnl_convolution_desc_t()
        let strides: [Int64] = [Int64(g.stride), Int64(g.stride)], padding: [Int64] = [Int64(g.padding), Int64(g.padding)]
        let status = withUnsafePointer(to: user.bias) { bias in
            dnnl_convolution_backward_weights_desc_init(&description, dnnl_convolution_direct, &source, &weightsGradient,
                                                        g.hasBias ? bias : nil, &destinationGradient, strides, padding, padding)
        }
        guard status == dnnl_success, let descriptor = engine.primitiveDescriptor(&description, hint: forwardDescriptor),
              let primitive = engine.primitive(descriptor),
              let sourceStage = engine.stage(user: user.source, inner: descriptor, query: dnnl_query_src_md, into: true),
              let dyStage = engine.stage(user: user.destination, inner: descriptor, query: dnnl_query_diff_dst_md, into: true),
              let dwStage = engine.stage(user: user.weights, inner: descriptor, query: dnnl_query_diff_weights_md, into: false, always: true)
        else { return nil }
        var biasStage: Stage?
        if g.hasBias {
            guard let stage = engine.stage(user: user.bias, inner: descriptor, query: dnnl_query_diff_weights_md, index: 1, into: false, always: true)
            else { return nil }
            biasStage = stage
        }
        return (primitive, sourceStage, dyStage, dwStage, biasStage)
    }
}

extension OneDNNConvolution {
    /// One argument of a primitive in the layout oneDNN chose: its own memory (when the layout
    /// differs from the plain one, or when the result must be added into the caller's buffer)
    /// and the reorders between the two.
    final class Stage {
        /// The primitive's memory; nil when the plain layout is used directly.
        let innerMemory: dnnl_memory_t?
        let innerDescriptor: dnnl_memory_desc_t
        /// plain → inner (inputs), inner → plain (outputs), inner → plain adding (outputs).
        let reorder: dnnl_primitive_t?
        let addingReorder: dnnl_primitive_t?

        init(innerMemory: dnnl_memory_t?, innerDescriptor: dnnl_memory_desc_t, reorder: dnnl_primitive_t?, addingReorder: dnnl_primitive_t?) {
            self.innerMemory = innerMemory
            self.innerDescriptor = innerDescriptor
            self.reorder = reorder
            self.addingReorder = addingReorder
        }

        var inner: dnnl_memory_t! { innerMemory }

        /// The memory the primitive reads: the plain buffer itself, or its reordered copy.
        func bring(_ engine: OneDNNEngine, user: dnnl_memory_desc_t, from pointer: UnsafePointer<Float>) -> dnnl_memory_t {
            let plain = engine.userMemory(user, UnsafeMutableRawPointer(mutating: pointer))
            guard let reorder, let innerMemory else { return plain }
            engine.execute(reorder, [(DNNL_ARG_FROM, plain), (DNNL_ARG_TO, innerMemory)])
            dnnl_memory_destroy(plain)
            return innerMemory
        }

        /// Writes (or adds) the primitive's result into the plain buffer.
        func send(_ engine: OneDNNEngine, user: dnnl_memory_desc_t, to pointer: UnsafeMutablePointer<Float>, accumulate: Bool) {
            guard let innerMemory, let reorder = accumulate ? addingReorder : reorder else { return }
            let plain = engine.userMemory(user, UnsafeMutableRawPointer(pointer))
            engine.execute(reorder, [(DNNL_ARG_FROM, innerMemory), (DNNL_ARG_TO, plain)])
            dnnl_memory_destroy(plain)
        }
    }
}
