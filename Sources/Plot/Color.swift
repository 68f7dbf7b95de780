/// An sRGB colour with straight (non-premultiplied) alpha, components in 0...1.
///
/// Kept as plain doubles so colormaps can interpolate without rounding; the renderer is the
/// only place that converts to bytes.
public struct Color: Equatable, Hashable, Codable, Sendable {
    public var red: Double
    public var green: Double
    public var blue: Double
    public var alpha: Double

    public init(red: Double, green: Double, blue: Double, alpha: Double = 1) {
        self.red = red
        self.green = green
        self.blue = blue
        self.alpha = alpha
    }

    /// A colour from a 24-bit `0xRRGGBB` literal, as colour tables are usually published.
    public init(hex: UInt32, alpha: Double = 1) {
        self.init(red: Double((hex >> 16) & 0xFF) / 255,
                  green: Double((hex >> 8) & 0xFF) / 255,
                  blue: Double(hex & 0xFF) / 255,
                  alpha: alpha)
    }

    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let gray = Color(red: 0.5, green: 0.5, blue: 0.5)
    /// Light gray used for grid lines and 3-D panes.
    public static let lightGray = Color(red: 0.88, green: 0.88, blue: 0.88)

    /// matplotlib's "tab10" qualitative palette, so series colours match what readers expect.
    private static let tab10: [UInt32] = [
        0x1F77B4, 0xFF7F0E, 0x2CA02C, 0xD62728, 0x9467BD,
        0x8C564B, 0xE377C2, 0x7F7F7F, 0xBCBD22, 0x17BECF,
    ]

    /// The `index`-th colour of the tab10 cycle; wraps around after ten series.
    public static func palette(_ index: Int) -> Color {
        let count = tab10.count
        return Color(hex: tab10[((index % count) + count) % count])
    }

    /// The same colour with a different opacity.
    public func withAlpha(_ alpha: Double) -> Color {
        Color(red: red, green: green, blue: blue, alpha: alpha)
    }

    /// Relative luminance (Rec. 709 weights on the sRGB values); good enough to choose
    /// black or white annotation text over a cell.
    public var luminance: Double { 0.2126 * red + 0.7152 * green + 0.0722 * blue }

    /// Linear interpolation between two colours, `t` in 0...1.
    static func mix(_ a: Color, _ b: Color, _ t: Double) -> Color {
        Color(red: a.red + (b.red - a.red) * t,
              green: a.green + (b.green - a.green) * t,
              blue: a.blue + (b.blue - a.blue) * t,
              alpha: a.alpha + (b.alpha - a.alpha) * t)
    }

    /// The colour scaled towards black by `factor` (1 keeps it), for simple shading.
    func shaded(_ factor: Double) -> Color {
        let f = max(0, min(1, factor))
        return Color(red: red * f, green: green * f, blue: blue * f, alpha: alpha)
    }
}
