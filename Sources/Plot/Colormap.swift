import Foundation

/// A map from a normalised value `t` in 0...1 to a colour.
///
/// - `viridis`: matplotlib's perceptually uniform default, interpolated from its published
///   256-entry table (every 16th entry, plus the last two anchors).
/// - `diverging`: ColorBrewer RdBu reversed (blue low, white middle, red high), for signed
///   quantities such as curvature or loss differences; pair it with a `center`.
/// - `grays`: white (0) to black (1), matplotlib's `gray_r`, i.e. ink on paper.
public enum Colormap: String, Codable, Sendable {
    case viridis, diverging, grays

    /// The colour for `t`; values outside 0...1 are clamped and NaN gives transparent.
    /// `count` colours evenly spaced over the map as `[t, red, green, blue]`, for drawing code
    /// outside Cairo (the report's WebGL surface viewer) that must use the same colours.
    public func stops(count: Int = 17) -> [[Double]] {
        precondition(count >= 2, "a colour map needs at least two stops")
        return (0..<count).map { index in
            let t = Double(index) / Double(count - 1)
            let color = self.color(at: t)
            return [t, color.red, color.green, color.blue]
        }
    }

    public func color(at t: Double) -> Color {
        guard t.isFinite else { return Color(red: 0, green: 0, blue: 0, alpha: 0) }
        let t = min(1, max(0, t))
        switch self {
        case .viridis: return Colormap.interpolate(Colormap.viridisStops, t)
        case .diverging: return Colormap.interpolate(Colormap.divergingStops, t)
        case .grays: return Color(red: 1 - t, green: 1 - t, blue: 1 - t)
        }
    }

    private static func interpolate(_ stops: [(position: Double, color: Color)], _ t: Double) -> Color {
        // Stops are few (<20): a linear scan is clearer than a binary search.
        for index in 1..<stops.count where t <= stops[index].position {
            let lower = stops[index - 1], upper = stops[index]
            let span = upper.position - lower.position
            return Color.mix(lower.color, upper.color, span > 0 ? (t - lower.position) / span : 0)
        }
        return stops[stops.count - 1].color
    }

    /// matplotlib `_viridis_data` entries 0, 16, ..., 240, 248, 255 (CC0, van der Walt & Smith).
    private static let viridisStops: [(position: Double, color: Color)] = [
        (0, 0.267004, 0.004874, 0.329415), (16, 0.282327, 0.094955, 0.417331),
        (32, 0.278826, 0.175490, 0.483397), (48, 0.258965, 0.251537, 0.524736),
        (64, 0.229739, 0.322361, 0.545706), (80, 0.199430, 0.387607, 0.554642),
        (96, 0.172719, 0.448791, 0.557885), (112, 0.149039, 0.508051, 0.557250),
        (128, 0.127568, 0.566949, 0.550556), (144, 0.120638, 0.625828, 0.533488),
        (160, 0.157851, 0.683765, 0.501686), (176, 0.246070, 0.738910, 0.452024),
        (192, 0.369214, 0.788888, 0.382914), (208, 0.515992, 0.831158, 0.294279),
        (224, 0.678489, 0.863742, 0.189503), (240, 0.845561, 0.887322, 0.099702),
        (248, 0.926106, 0.897330, 0.104071), (255, 0.993248, 0.906157, 0.143936),
    ].map { (index: Double, red: Double, green: Double, blue: Double) in
        (index / 255, Color(red: red, green: green, blue: blue))
    }

    /// ColorBrewer RdBu (11 classes), reversed so that low values are blue.
    private static let divergingStops: [(position: Double, color: Color)] = {
        let hexes: [UInt32] = [0x053061, 0x2166AC, 0x4393C3, 0x92C5DE, 0xD1E5F0, 0xF7F7F7,
                               0xFDDBC7, 0xF4A582, 0xD6604D, 0xB2182B, 0x67001F]
        return hexes.enumerated().map { (Double($0.offset) / Double(hexes.count - 1), Color(hex: $0.element)) }
    }()
}

/// Maps data values to colormap positions, optionally with a fixed centre.
///
/// With a centre (a two-slope norm) the centre lands on t = 0.5 even when the range is
/// lopsided, so "zero" is always the neutral colour of a diverging map.
struct ColorNormalization: Equatable {
    var lower: Double
    var upper: Double
    var center: Double?
    /// Positions by log10 of the value (matplotlib's LogNorm); lower must be positive.
    var logarithmic = false

    func position(of value: Double) -> Double {
        guard value.isFinite else { return .nan }
        if logarithmic {
            guard upper > lower, lower > 0 else { return 0.5 }
            return value <= lower ? 0 : min(1, log10(value / lower) / log10(upper / lower))
        }
        if let center {
            // Data entirely on one side of the centre uses only that half of the map,
            // so an all-positive field never shows the colour of negative values.
            if value < center, center > lower { return 0.5 * (value - lower) / (center - lower) }
            if value >= center, upper > center { return 0.5 + 0.5 * (value - center) / (upper - center) }
            return 0.5
        }
        return upper > lower ? (value - lower) / (upper - lower) : 0.5
    }
}
