import Foundation

/// A 3-D surface z(x, y) in a matplotlib-style box: back panes with grid lines, quads
/// painted far-to-near (painter's algorithm) and coloured by z with simple diffuse
/// lighting, then ticks and labels on the outer edges.
struct SurfaceArtist {
    let grid: GridData
    let colormap: Colormap
    let elevation: Double
    let azimuth: Double
    let zLabel: String?

    static let halfHeight = 0.75

    private var view: Projection3D { Projection3D(elevation: elevation, azimuth: azimuth) }

    /// Maps data to the normalised box.
    private func boxPoint(_ x: Double, _ y: Double, _ z: Double) -> Vector3 {
        func unit(_ v: Double, _ range: ClosedRange<Double>) -> Double {
            range.upperBound > range.lowerBound ? 2 * (v - range.lowerBound) / (range.upperBound - range.lowerBound) - 1 : 0
        }
        return Vector3(x: unit(x, xRange), y: unit(y, yRange), z: unit(z, grid.zRange) * SurfaceArtist.halfHeight)
    }

    private var xRange: ClosedRange<Double> { DataExtent.range(grid.x) ?? 0...1 }
    private var yRange: ClosedRange<Double> { DataExtent.range(grid.y) ?? 0...1 }

    func draw(in area: Rect, xLabel: String?, yLabel: String?, renderer: Renderer) {
        let view = self.view
        let h = SurfaceArtist.halfHeight
        let corners = [-1.0, 1].flatMap { x in [-1.0, 1].flatMap { y in [-h, h].map { Vector3(x: x, y: y, z: $0) } } }
        let projected = corners.map(view.screen)
        let minU = projected.map(\.u).min()!, maxU = projected.map(\.u).max()!
        let minV = projected.map(\.v).min()!, maxV = projected.map(\.v).max()!
        // Leave room for tick labels and axis labels around the projected box.
        let scale = min((area.width - 110) / (maxU - minU), (area.height - 60) / (maxV - minV))
        let center = Point(x: area.midX + 8, y: area.midY)
        func page(_ p: Vector3) -> Point {
            let s = view.screen(p)
            return Point(x: center.x + scale * (s.u - (minU + maxU) / 2), y: center.y - scale * (s.v - (minV + maxV) / 2))
        }

        // Back panes: the face of each axis pair whose outward normal points away from the eye.
        let backX = view.eye.x >= 0 ? -1.0 : 1, backY = view.eye.y >= 0 ? -1.0 : 1, floorZ = view.eye.z >= 0 ? -h : h
        let xTicks = TickLocator.linear(lower: xRange.lowerBound, upper: xRange.upperBound, maxTicks: 5)
        let yTicks = TickLocator.linear(lower: yRange.lowerBound, upper: yRange.upperBound, maxTicks: 5)
        let zTicks = TickLocator.linear(lower: grid.zRange.lowerBound, upper: grid.zRange.upperBound, maxTicks: 5)
        let xs = xTicks.map { boxPoint($0, yRange.lowerBound, grid.zRange.lowerBound).x }
        let ys = yTicks.map { boxPoint(xRange.lowerBound, $0, grid.zRange.lowerBound).y }
        let zs = zTicks.map { boxPoint(xRange.lowerBound, yRange.lowerBound, $0).z }
        let paneFill = renderer.theme.paneFill, paneEdge = StrokeStyle(color: renderer.theme.paneEdge, width: 0.6)
        let panes: [[Vector3]] = [
            [Vector3(x: backX, y: -1, z: -h), Vector3(x: backX, y: 1, z: -h), Vector3(x: backX, y: 1, z: h), Vector3(x: backX, y: -1, z: h)],
            [Vector3(x: -1, y: backY, z: -h), Vector3(x: 1, y: backY, z: -h), Vector3(x: 1, y: backY, z: h), Vector3(x: -1, y: backY, z: h)],
            [Vector3(x: -1, y: -1, z: floorZ), Vector3(x: 1, y: -1, z: floorZ), Vector3(x: 1, y: 1, z: floorZ), Vector3(x: -1, y: 1, z: floorZ)],
        ]
        for pane in panes {
            var path = Path()
            path.addPolygon(pane.map(page))
            renderer.fillAndStroke(path, fill: paneFill, stroke: paneEdge)
        }
        var gridLines = Path()
        for y in ys {
            gridLines.addPolyline([page(Vector3(x: backX, y: y, z: -h)), page(Vector3(x: backX, y: y, z: h))])
            gridLines.addPolyline([page(Vector3(x: -1, y: y, z: floorZ)), page(Vector3(x: 1, y: y, z: floorZ))])
        }
        for x in xs {
            gridLines.addPolyline([page(Vector3(x: x, y: backY, z: -h)), page(Vector3(x: x, y: backY, z: h))])
            gridLines.addPolyline([page(Vector3(x: x, y: -1, z: floorZ)), page(Vector3(x: x, y: 1, z: floorZ))])
        }
        for z in zs {
            gridLines.addPolyline([page(Vector3(x: backX, y: -1, z: z)), page(Vector3(x: backX, y: 1, z: z))])
            gridLines.addPolyline([page(Vector3(x: -1, y: backY, z: z)), page(Vector3(x: 1, y: backY, z: z))])
        }
        renderer.stroke(gridLines, style: StrokeStyle(color: renderer.theme.paneGrid, width: 0.5))

        drawQuads(view: view, page: page, renderer: renderer)

        // Ticks on the front floor edges and the leftmost vertical edge.
        let frontY = -backY, frontX = -backX
        let zCorner = [(-1.0, -1.0), (-1, 1), (1, -1), (1, 1)].min { page(Vector3(x: $0.0, y: $0.1, z: 0)).x < page(Vector3(x: $1.0, y: $1.1, z: 0)).x }!
        drawAxis(ticks: zip(xs, xTicks).map { (Vector3(x: $0, y: frontY, z: floorZ), $1) }, outward: Vector3(x: 0, y: frontY, z: 0),
                 label: xLabel, page: page, renderer: renderer)
        drawAxis(ticks: zip(ys, yTicks).map { (Vector3(x: frontX, y: $0, z: floorZ), $1) }, outward: Vector3(x: frontX, y: 0, z: 0),
                 label: yLabel, page: page, renderer: renderer)
        drawAxis(ticks: zip(zs, zTicks).map { (Vector3(x: zCorner.0, y: zCorner.1, z: $0), $1) },
                 outward: Vector3(x: zCorner.0, y: zCorner.1, z: 0).normalized, label: zLabel, page: page, renderer: renderer)
    }

    /// Each grid cell as two triangles (planar, so a steep, twisted cell cannot fold over its
    /// neighbour in the painter's order), shaded from normals averaged at the vertices, so
    /// light changes smoothly across cells instead of in a saw-tooth of flat facets.
    private func drawQuads(view: Projection3D, page: (Vector3) -> Point, renderer: Renderer) {
        // Light from over the viewer's left shoulder, fixed relative to the view.
        let light = (view.eye + view.up - view.right * 0.5).normalized
        let normalization = ColorNormalization(lower: grid.zRange.lowerBound, upper: grid.zRange.upperBound, center: nil)
        let columns = grid.x.count, rows = grid.y.count
        let points = (0..<rows).map { j in (0..<columns).map { i in boxPoint(grid.x[i], grid.y[j], grid.z[j][i]) } }
        let shades = (0..<rows).map { j in (0..<columns).map { i in 0.55 + 0.45 * abs(vertexNormal(points, i, j).dot(light)) } }
        var triangles: [(depth: Double, index: Int, points: [Vector3], color: Color)] = []
        for j in 0..<(rows - 1) {
            for i in 0..<(columns - 1) {
                for corners in [[(i, j), (i + 1, j), (i + 1, j + 1)], [(i, j), (i + 1, j + 1), (i, j + 1)]] {
                    let values = corners.map { grid.z[$0.1][$0.0] }
                    guard values.allSatisfy(\.isFinite) else { continue }
                    let vertices = corners.map { points[$0.1][$0.0] }
                    let shade = corners.map { shades[$0.1][$0.0] }.reduce(0, +) / 3
                    let base = colormap.color(at: normalization.position(of: values.reduce(0, +) / 3))
                    let depth = vertices.map(view.depth).reduce(0, +) / 3
                    triangles.append((depth, triangles.count, vertices, base.shaded(shade)))
                }
            }
        }
        triangles.sort { $0.depth != $1.depth ? $0.depth < $1.depth : $0.index < $1.index }
        for triangle in triangles {
            var path = Path()
            path.addPolygon(triangle.points.map(page))
            // Stroking with the fill colour hides anti-aliasing seams between triangles.
            renderer.fillAndStroke(path, fill: triangle.color, stroke: StrokeStyle(color: triangle.color, width: 0.4))
        }
    }

    /// The surface normal at grid vertex (i, j) from central differences (one-sided at edges).
    private func vertexNormal(_ points: [[Vector3]], _ i: Int, _ j: Int) -> Vector3 {
        let columns = points[0].count, rows = points.count
        let alongX = points[j][min(i + 1, columns - 1)] - points[j][max(i - 1, 0)]
        let alongY = points[min(j + 1, rows - 1)][i] - points[max(j - 1, 0)][i]
        let normal = alongX.cross(alongY)
        // A non-finite neighbour gives a non-finite normal: fall back to straight up.
        return normal.x.isFinite && normal.y.isFinite && normal.z.isFinite ? normal.normalized : Vector3(x: 0, y: 0, z: 1)
    }

    /// Tick marks, labels pushed outward along `outward` (projected), and the axis label.
    private func drawAxis(ticks: [(Vector3, Double)], outward: Vector3, label: String?,
                          page: (Vector3) -> Point, renderer: Renderer) {
        guard ticks.count > 0 else { return }
        let step = ticks.count > 1 ? abs(ticks[1].1 - ticks[0].1) : 1
        var widest = 0.0
        var marks = Path()
        let texts = TickLocator.labels(ticks.map(\.1), step: step)
        for ((point, _), text) in zip(ticks, texts) {
            let start = page(point), direction = (page(point + outward * 0.1) - start).normalized
            marks.addPolyline([start, start + direction * 4])
            let size = renderer.measure(text, style: .tick)
            let extent = abs(direction.x) * size.width / 2 + abs(direction.y) * size.height / 2
            widest = max(widest, 2 * extent)
            renderer.drawText(text, at: start + direction * (7 + extent), style: .tick, anchor: .center)
        }
        renderer.stroke(marks, style: StrokeStyle(color: renderer.theme.ink, width: 0.7))
        guard let label else { return }
        let middle = page(ticks[0].0 + (ticks[ticks.count - 1].0 - ticks[0].0) * 0.5)
        let direction = (page(ticks[0].0 + outward * 0.1) - page(ticks[0].0)).normalized
        let size = renderer.measure(label, style: .label)
        let extent = abs(direction.x) * size.width / 2 + abs(direction.y) * size.height / 2
        renderer.drawText(label, at: middle + direction * (10 + widest + extent), style: .label, anchor: .center)
    }
}
