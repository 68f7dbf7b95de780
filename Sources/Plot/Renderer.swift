/// What artists draw through: knows *how* to put paths, text and images on a surface, and
/// how big a piece of text will be (layout needs that before anything is drawn).
///
/// Artists never see Cairo; the same drawing code produces the PNG and the SVG.
protocol Renderer: TextMeasuring {
    /// The colours of the figure's furniture.
    var theme: Theme { get }
    /// Fills the whole surface (the figure's background).
    func paintBackground(_ color: Color)
    func fill(_ path: Path, color: Color)
    func stroke(_ path: Path, style: StrokeStyle)
    /// Draws text with `anchor` placed at `point`, rotated counter-clockwise by `rotation`
    /// radians around that point (so y-labels use `.pi / 2`).
    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor, rotation: Double)
    /// Draws a raster stretched over `rect`; `smooth: false` keeps cells crisp (nearest).
    func drawImage(_ image: RasterImage, in rect: Rect, smooth: Bool)
    /// Runs `body` with drawing clipped to `rect`.
    func clipped(to rect: Rect, _ body: () -> Void)
}

/// Text measurement only: what the layout pass needs.
protocol TextMeasuring: AnyObject {
    /// The advance width and the nominal height (ascent + descent) of `text`.
    func measure(_ text: String, style: TextStyle) -> Size
}

extension Renderer {
    func drawText(_ text: String, at point: Point, style: TextStyle, anchor: TextAnchor) {
        drawText(text, at: point, style: style, anchor: anchor, rotation: 0)
    }

    func fillAndStroke(_ path: Path, fill: Color, stroke: StrokeStyle) {
        self.fill(path, color: fill)
        self.stroke(path, style: stroke)
    }
}
