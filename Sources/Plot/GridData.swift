/// Values on a rectilinear grid: `z[j][i]` at `(x[i], y[j])`, checked once on creation.
struct GridData {
    let x: [Double]
    let y: [Double]
    let z: [[Double]]
    /// Finite min...max of z.
    let zRange: ClosedRange<Double>

    init(x: [Double], y: [Double], z: [[Double]]) throws {
        guard x.count >= 2, y.count >= 2 else {
            throw PlotError(.emptyData, "grid needs at least 2 x and 2 y values, got \(x.count) x \(y.count)")
        }
        guard z.count == y.count else {
            throw PlotError(.shapeMismatch, "z has \(z.count) rows but y has \(y.count) values (z[j][i] is at (x[i], y[j]))")
        }
        if let bad = z.firstIndex(where: { $0.count != x.count }) {
            throw PlotError(.shapeMismatch, "z row \(bad) has \(z[bad].count) values but x has \(x.count)")
        }
        guard x.allSatisfy(\.isFinite), y.allSatisfy(\.isFinite) else {
            throw PlotError(.noFiniteData, "grid coordinates x and y must all be finite")
        }
        guard let range = DataExtent.range(z.flatMap { $0 }) else {
            throw PlotError(.noFiniteData, "z has no finite values")
        }
        self.x = x
        self.y = y
        self.z = z
        zRange = range
    }

    var extent: DataExtent {
        DataExtent(x: DataExtent.range(x), y: DataExtent.range(y), tight: true)
    }

    func validate(xScale: AxisScale, yScale: AxisScale, artist: String) throws {
        try requirePositive(x, scale: xScale, axis: "x", artist: artist)
        try requirePositive(y, scale: yScale, axis: "y", artist: artist)
    }
}
