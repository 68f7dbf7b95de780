import CDNNL
import Foundation

/// oneDNN's CPU engine and stream, and the small vocabulary `OneDNNConvolution` is written in:
/// memory descriptors, primitive descriptors, reorders, execution on the engine's thread count.
final class OneDNNEngine {
    let engine: dnnl_engine_t
    let stream: dnnl_stream_t

    /// nil when oneDNN cannot create a CPU engine (the convolutions then use the im2col plan).
    static let shared: OneDNNEngine? = {
        var engine: dnnl_engine_t?
        guard dnnl_engine_create(&engine, dnnl_cpu, 0) == dnnl_success, let engine else { return nil }
        var stream: dnnl_stream_t?
        guard dnnl_stream_create(&stream, engine, UInt32(dnnl_stream_default_flags.rawValue)) == dnnl_success, let stream else { return nil }
        return OneDNNEngine(engine: engine, stream: stream)
    }()

    private init(engine: dnnl_engine_t, stream: dnnl_stream_t) {
        self.engine = engine
        self.stream = stream
    }

    static func descriptor(_ dimensions: [Int], _ tag: dnnl_format_tag_t) -> dnnl_memory_desc_t {
        var descriptor = dnnl_memory_desc_t()
        let dims = dimensions.map(Int64.init)
        _ = dnnl_memory_desc_init_by_tag(&descriptor, Int32(dims.count), dims, dnnl_f32, tag)
        return descriptor
    }

    func primitiveDescriptor<Description>(_ description: inout Description, hint: dnnl_primitive_desc_t?) -> dnnl_primitive_desc_t? {
        var descriptor: dnnl_primitive_desc_t?
        let status = withUnsafePointer(to: &description) { dnnl_primitive_desc_create(&descriptor, UnsafeRawPointer($0), nil, engine, hint) }
        return status == dnnl_success ? descriptor : nil
    }

    func primitive(_ descriptor: dnnl_primitive_desc_t) -> dnnl_primitive_t? {
        var primitive: dnnl_primitive_t?
        return dnnl_primitive_create(&primitive, descriptor) == dnnl_success ? primitive : nil
    }

    /// A memory object over a buffer Labbook owns (no copy).
    func userMemory(_ descriptor: dnnl_memory_desc_t, _ pointer: UnsafeMutableRawPointer) -> dnnl_memory_t {
        var memory: dnnl_memory_t?
        var descriptor = descriptor
        let status = dnnl_memory_create(&memory, &descriptor, engine, pointer)
        precondition(status == dnnl_success && memory != nil, "oneDNN: cannot wrap a buffer (status \(status.rawValue))")
        return memory!
    }

    /// The argument `query` (index `index`) of `inner` against the plain `user` layout: inputs
    /// (`into`) are reordered into the primitive's layout when it differs; outputs get their own
    /// memory and reorders back (plain, or adding into the plain buffer) when it differs or `always`.
    func stage(user: dnnl_memory_desc_t, inner: dnnl_primitive_desc_t, query: dnnl_query_t, index: Int32 = 0, into: Bool,
               always: Bool = false) -> OneDNNConvolution.Stage? {
        guard let queried = dnnl_primitive_desc_query_md(inner, query, index) else { return nil }
        var innerDescriptor = queried.pointee
        var plain = user
        if dnnl_memory_desc_equal(&plain, &innerDescriptor) != 0 && !always {
            return OneDNNConvolution.Stage(innerMemory: nil, innerDescriptor: innerDescriptor, reorder: nil, addingReorder: nil)
        }
        var memory: dnnl_memory_t?
        guard dnnl_memory_create(&memory, &innerDescriptor, engine, UnsafeMutableRawPointer(bitPattern: UInt.max)) == dnnl_success,
              let memory else { return nil }
        if into {
            guard let reorder = reorder(from: plain, to: innerDescriptor, adding: false) else { return nil }
            return OneDNNConvolution.Stage(innerMemory: memory, innerDescriptor: innerDescriptor, reorder: reorder, addingReorder: nil)
        }
        guard let back = reorder(from: innerDescriptor, to: plain, adding: false),
              let adding = reorder(from: innerDescriptor, to: plain, adding: true) else { return nil }
        return OneDNNConvolution.Stage(innerMemory: memory, innerDescriptor: innerDescriptor, reorder: back, addingReorder: adding)
    }

    /// A reorder between two layouts; `adding` sums into the destination (a sum post-op).
    private func reorder(from source: dnnl_memory_desc_t, to destination: dnnl_memory_desc_t, adding: Bool) -> dnnl_primitive_t? {
        var source = source, destination = destination
        var attributes: dnnl_primitive_attr_t?
        guard dnnl_primitive_attr_create(&attributes) == dnnl_success, let attributes else { return nil }
        defer { dnnl_primitive_attr_destroy(attributes) }
        if adding {
            var postOps: dnnl_post_ops_t?
            guard dnnl_post_ops_create(&postOps) == dnnl_success, let postOps else { return nil }
            defer { dnnl_post_ops_destroy(postOps) }
            guard dnnl_post_ops_append_sum(postOps, 1) == dnnl_success,
                  dnnl_primitive_attr_set_post_ops(attributes, postOps) == dnnl_success else { return nil }
        }
        var descriptor: dnnl_primitive_desc_t?
        guard dnnl_reorder_primitive_desc_create(&descriptor, &source, engine, &destination, engine, attributes) == dnnl_success,
              let descriptor else { return nil }
        defer { dnnl_primitive_desc_destroy(descriptor) }
        return primitive(descriptor)
    }

    func execute(_ primitive: dnnl_primitive_t, _ arguments: [(Int32, dnnl_memory_t)]) {
        var list = arguments.map { dnnl_exec_arg_t(arg: $0.0, memory: $0.1) }
        let status = dnnl_primitive_execute(primitive, stream, Int32(list.count), &list)
        precondition(status == dnnl_success, "oneDNN: a primitive failed (status \(status.rawValue))")
        dnnl_stream_wait(stream)
    }

    /// Runs `body` with oneDNN's OpenMP threads set to the engine's thread count (`withThreads`).
    func withThreads(_ body: () -> Void) {
        omp_set_num_threads(Int32(Parallelism.usableCoreCount))
        body()
    }
}
