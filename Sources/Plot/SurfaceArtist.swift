/// Placeholder; replaced below.
struct SurfaceArtist {
    let grid: GridData
    let colormap: Colormap
    let elevation: Double
    let azimuth: Double
    let zLabel: String?
    func draw(in area: Rect, xLabel: String?, yLabel: String?, renderer: Renderer) {}
}
