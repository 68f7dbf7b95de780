/// The colours a figure's furniture is drawn in (background, text, frames, grid, legend,
/// 3-D panes), passed to the drawing code as one value so a light and a dark figure come from
/// the same drawing code. Data colours (palette, colour maps) are the same in every theme.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var background: Color
    /// Text, axes frames, ticks, colour-bar outlines.
    public var ink: Color
    public var grid: Color
    public var legendFill: Color
    public var legendEdge: Color
    public var paneFill: Color
    public var paneEdge: Color
    public var paneGrid: Color
    /// Outlines of image cells (digit grids).
    public var imageEdge: Color

    public static let light = Theme(
        name: "light", background: .white, ink: .black, grid: Color(red: 0.85, green: 0.85, blue: 0.85),
        legendFill: Color.white.withAlpha(0.85), legendEdge: Color(red: 0.8, green: 0.8, blue: 0.8),
        paneFill: Color(red: 0.95, green: 0.95, blue: 0.95), paneEdge: Color(red: 0.7, green: 0.7, blue: 0.7),
        paneGrid: Color(red: 0.82, green: 0.82, blue: 0.82), imageEdge: Color(red: 0.6, green: 0.6, blue: 0.6))

    /// GitHub's dark canvas (#0d1117) and text (#e6edf3), so embedded figures sit on dark pages.
    public static let dark = Theme(
        name: "dark", background: Color(hex: 0x0D1117), ink: Color(hex: 0xE6EDF3), grid: Color(hex: 0x30363D),
        legendFill: Color(hex: 0x161B22).withAlpha(0.9), legendEdge: Color(hex: 0x3D444D),
        paneFill: Color(hex: 0x161B22), paneEdge: Color(hex: 0x3D444D),
        paneGrid: Color(hex: 0x30363D), imageEdge: Color(hex: 0x6E7681))

    /// `light` or `dark` by name; nil for anything else.
    public static func named(_ name: String) -> Theme? {
        switch name {
        case "light": return .light
        case "dark": return .dark
        default: return nil
        }
    }

    /// The same theme with no background, for figures laid over a page's own colour.
    public var transparent: Theme {
        var copy = self
        copy.background = background.withAlpha(0)
        return copy
    }
}
