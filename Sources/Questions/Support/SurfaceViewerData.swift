import Analysis
import Foundation
import Plot

/// What the report's WebGL surface viewer (`templates/landscape-viewer.js`) reads from the JSON
/// block under a landscape figure: the grid, the colour map of the static figure, the trained
/// point. Non-finite values become `null` (JSON has no NaN); the viewer leaves those points out.
struct SurfaceViewerData: Encodable {
    struct Point: Encodable { var alpha: Double; var beta: Double; var loss: Double? }

    var title: String
    var alphas: [Double]
    var betas: [Double]
    var loss: [[Double?]]
    var accuracy: [[Double?]]?
    var trained: Point
    /// `[t, red, green, blue]` stops, low loss at t = 0, as `Colormap.stops`.
    var colormap: [[Double]]
    var xLabel: String
    var yLabel: String
    var initialScale: String

    init(title: String, surface: LossLandscape2D, trainedLoss: Double, colormap: Colormap = .viridis,
         xLabel: String = "α (direction 1)", yLabel: String = "β (direction 2)") {
        func finite(_ value: Double) -> Double? { value.isFinite ? value : nil }
        self.title = title
        alphas = surface.alphas
        betas = surface.betas
        loss = surface.values.map { $0.map(finite) }
        accuracy = surface.accuracies.map { $0.map { $0.map(finite) } }
        trained = Point(alpha: 0, beta: 0, loss: finite(trainedLoss))
        self.colormap = colormap.stops()
        self.xLabel = xLabel
        self.yLabel = yLabel
        initialScale = "log"
    }

    func json() throws -> String { try viewerJSON(self) }
}

/// Several landscapes in one viewer, side by side on one height and colour scale with one
/// camera (`templates/landscape-viewer.js` reads this shape as well as a single surface).
struct SurfaceViewerPanels: Encodable {
    var panels: [SurfaceViewerData]
    var sharedScale = true
    var colormap: [[Double]]
    var initialScale = "log"

    init(panels: [SurfaceViewerData], colormap: Colormap = .viridis) {
        self.panels = panels
        self.colormap = colormap.stops()
    }

    func json() throws -> String { try viewerJSON(self) }
}

/// The viewer's JSON: sorted keys (stable bytes), slashes unescaped.
private func viewerJSON<Value: Encodable>(_ value: Value) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}
