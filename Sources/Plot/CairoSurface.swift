import CCairo
import Foundation

/// Owns one `cairo_surface_t`: created in init, destroyed in deinit; every Cairo status
/// becomes a thrown `PlotError` instead of a silently blank image.
final class CairoSurface {
    let handle: OpaquePointer
    /// Whether this surface is vector output (SVG); renderers upsample crisp rasters for it.
    let isVector: Bool
    /// Collects bytes streamed by the SVG surface; must outlive `handle` until `finish()`.
    private let sink: ByteSink?

    /// An ARGB32 raster of `width` x `height` device pixels, cleared to transparent.
    init(imageWidth width: Int, height: Int) throws {
        guard width > 0, height > 0, width <= 32_767, height <= 32_767 else {
            throw PlotError(.invalidArgument, "image size \(width)x\(height) pixels is out of range")
        }
        handle = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(width), Int32(height))
        isVector = false
        sink = nil
        try CairoSurface.check(cairo_surface_status(handle), "creating a \(width)x\(height) image surface")
    }

    /// An SVG surface of `width` x `height` points whose bytes are collected in memory.
    convenience init(svgWidth width: Double, height: Double) throws {
        try self.init(streaming: "SVG") { cairo_svg_surface_create_for_stream(byteSinkWrite, $0, width, height) }
    }

    /// A one-page PDF surface of `width` x `height` points, bytes collected in memory. Cairo keeps
    /// text as text and embeds the fonts' subsets, so LaTeX documents can include the figure.
    convenience init(pdfWidth width: Double, height: Double) throws {
        try self.init(streaming: "PDF") { cairo_pdf_surface_create_for_stream(byteSinkWrite, $0, width, height) }
    }

    /// A vector surface that `create` makes to write into a `ByteSink` (passed as its closure pointer).
    private init(streaming kind: String, _ create: (UnsafeMutableRawPointer) -> OpaquePointer?) throws {
        let sink = ByteSink()
        guard let surface = create(Unmanaged.passUnretained(sink).toOpaque()) else {
            throw PlotError(.rendering, "creating a \(kind) surface returned NULL")
        }
        handle = surface
        isVector = true
        self.sink = sink
        try CairoSurface.check(cairo_surface_status(handle), "creating a \(kind) surface")
    }

    /// Wraps an existing surface (already referenced for us), e.g. one decoded from PNG.
    init(adopting surface: OpaquePointer) throws {
        handle = surface
        isVector = false
        sink = nil
        try CairoSurface.check(cairo_surface_status(handle), "adopting a surface")
    }

    deinit { cairo_surface_destroy(handle) }

    /// Flushes and closes the surface; for SVG this writes the closing tags.
    func finish() throws {
        cairo_surface_finish(handle)
        try CairoSurface.check(cairo_surface_status(handle), "finishing the surface")
    }

    /// The bytes written so far by a stream-backed (SVG) surface.
    var streamedBytes: Data { sink?.data ?? Data() }

    /// Encodes an image surface as PNG in memory.
    func pngData() throws -> Data {
        let sink = ByteSink()
        let status = cairo_surface_write_to_png_stream(handle, byteSinkWrite,
                                                       Unmanaged.passUnretained(sink).toOpaque())
        try CairoSurface.check(status, "encoding PNG")
        return sink.data
    }

    static func check(_ status: cairo_status_t, _ action: String) throws {
        guard status != CAIRO_STATUS_SUCCESS else { return }
        let reason = String(cString: cairo_status_to_string(status))
        throw PlotError(.rendering, "Cairo failed \(action): \(reason)")
    }
}

/// Accumulates bytes that Cairo streams out (PNG or SVG).
final class ByteSink {
    var data = Data()
}

/// A C-compatible write callback appending to the `ByteSink` passed as closure pointer.
private let byteSinkWrite: cairo_write_func_t = { closure, bytes, length in
    guard let closure, let bytes else { return CAIRO_STATUS_WRITE_ERROR }
    let sink = Unmanaged<ByteSink>.fromOpaque(closure).takeUnretainedValue()
    sink.data.append(bytes, count: Int(length))
    return CAIRO_STATUS_SUCCESS
}
