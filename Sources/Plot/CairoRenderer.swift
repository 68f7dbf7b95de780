import CCairo
import Foundation

/// The Cairo implementation of `Renderer`. Owns one `cairo_t` (destroyed in deinit) drawing
/// into a `CairoSurface`; page units are points, scaled to device pixels by `scale`.
final class CairoRenderer: Renderer {
    private let context: OpaquePointer
    private let surface: CairoSurface
    let theme: Theme

    init(surface: CairoSurface, scale: Double = 1, theme: Theme = .light) throws {
        self.surface = surface
        self.theme = theme
        context = cairo_create(surface.handle)
        try CairoSurface.check(cairo_status(context), "creating a drawing context")
        cairo_scale(context, scale, scale)
        // Unhinted metrics make text widths identical for PNG and SVG and at every scale,
        // so one layout serves all outputs; grayscale antialiasing keeps PNGs deterministic.
        let options = cairo_font_options_create()
        cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
        cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
        cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
        cairo_set_font_options(context, options)
        cairo_font_options_destroy(options)
    }

    /// A renderer over a 1x1 scratch surface, used only to measure text during layout.
    static func measuring() throws -> CairoRenderer {
        try CairoRenderer(surface: CairoSurface(imageWidth: 1, height: 1))
    }

    deinit { cairo_destroy(context) }

    /// The first error Cairo recorded on this context, if any.
    func checkStatus() throws {
        try CairoSurface.check(cairo_status(context), "drawing")
    }

    func paintBackground(_ color: Color) {
        setSource(color)
        cairo_paint(context)
    }

    // MARK: - Renderer

    func fill(_ path: Path, color: Color) {
        guard !path.isEmpty else { return }
        build(path)
        setSource(color)
        cairo_set_fill_rule(context, CAIRO_FILL_RULE_WINDING)
        cairo_fill(context)
    }

    func stroke(_ path: Path, style: StrokeStyle) {
        guard !path.isEmpty, style.width > 0 else { return }
        build(path)
        setSource(style.color)
        cairo_set_line_width(context, style.width)
        cairo_set_line_join(context, style.roundJoins ? CAIRO_LINE_JOIN_ROUND : CAIRO_LINE_JOIN_MITER)
        cairo_set_line_cap(context, style.dash == .solid ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        let pattern = style.dash.pattern(width: style.width)
        pattern.withUnsafeBufferPointer { cairo_set_dash(context, $0.baseAddress, Int32($0.count), 0) }
        cairo_stroke(context)
        cairo_set_dash(context, nil, 0, 0)
    }

    func measure(_ text: String, style: TextStyle) -> Size {
        selectFont(style)
        var extents = cairo_text_extents_t()
        cairo_text_extents(context, text, &extents)
        return Size(width: extents.x_advance, height: style.size * 1.16)
    }

    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, rotation: Double) {
        guard !text.isEmpty else { return }
        let offset = anchor.offset(width: measure(text, style: style).width, size: style.size)
        let dx = offset.x, dy = offset.y
        cairo_save(context)
        cairo_translate(context, point.x, point.y)
        cairo_rotate(context, -rotation)
        cairo_move_to(context, dx, dy)
        setSource(style.color ?? theme.ink)
        cairo_show_text(context, text)
        cairo_new_path(context)
        cairo_restore(context)
    }

    func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool) {
        guard image.width > 0, image.height > 0 else { return }
        // SVG viewers smooth embedded images; replicating pixels keeps cells crisp there.
        let factor = (surface.isVector && !smooth) ? max(1, min(16, 512 / max(image.width, image.height))) : 1
        guard let raster = try? CairoSurface(imageWidth: image.width * factor, height: image.height * factor) else { return }
        cairo_surface_flush(raster.handle)
        let stride = Int(cairo_image_surface_get_stride(raster.handle))
        guard let base = cairo_image_surface_get_data(raster.handle) else { return }
        for y in 0..<(image.height * factor) {
            let row = UnsafeMutableRawPointer(base + y * stride)
            for x in 0..<(image.width * factor) {
                let c = image.pixels[(y / factor) * image.width + x / factor]
                let a = max(0, min(1, c.alpha))
                func byte(_ v: Double) -> UInt32 { UInt32((max(0, min(1, v)) * a * 255).rounded()) }
                let word = (UInt32((a * 255).rounded()) << 24) | (byte(c.red) << 16) | (byte(c.green) << 8) | byte(c.blue)
                row.storeBytes(of: word, toByteOffset: x * 4, as: UInt32.self)
            }
        }
        cairo_surface_mark_dirty(raster.handle)
        cairo_save(context)
        cairo_translate(context, rect.x, rect.y)
        cairo_scale(context, rect.width / Double(image.width * factor), rect.height / Double(image.height * factor))
        cairo_set_source_surface(context, raster.handle, 0, 0)
        let pattern = cairo_get_source(context)
        cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_BILINEAR : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        cairo_rectangle(context, 0, 0, Double(image.width * factor), Double(image.height * factor))
        cairo_fill(context)
        cairo_restore(context)
    }

    func clipped(to rect: Rect, _ body: () -> Void) {
        cairo_save(context)
        cairo_rectangle(context, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(context)
        body()
        cairo_restore(context)
    }

    // MARK: - Helpers

    private func setSource(_ c: Color) {
        cairo_set_source_rgba(context, c.red, c.green, c.blue, c.alpha)
    }

    private func selectFont(_ style: TextStyle) {
        cairo_select_font_face(context, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                               style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
        cairo_set_font_size(context, style.size)
    }

    private func build(_ path: Path) {
        cairo_new_path(context)
        for element in path.elements {
            switch element {
            case .move(let p): cairo_move_to(context, p.x, p.y)
            case .line(let p): cairo_line_to(context, p.x, p.y)
            case .arc(let center, let radius):
                cairo_new_sub_path(context)
                cairo_arc(context, center.x, center.y, radius, 0, 2 * .pi)
            case .close: cairo_close_path(context)
            }
        }
    }
}
