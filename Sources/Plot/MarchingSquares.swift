/// Contour geometry on a rectilinear grid: isolines (marching squares) and the regions
/// where z is at least a level (for filled bands).
///
/// Values are interpolated linearly along cell edges; saddle cells are resolved by the
/// cell-centre average so neighbouring isolines never cross.
public enum MarchingSquares {
    /// Isolines of `z` at `level` as polylines of (x, y) points; closed loops repeat their
    /// first point at the end. `z[j][i]` is the value at `(x[i], y[j])`.
    public static func isolines(x: [Double], y: [Double], z: [[Double]], level: Double) throws -> [[(x: Double, y: Double)]] {
        let grid = try GridData(x: x, y: y, z: z)
        return isolines(grid, level: level).map { $0.map { (x: $0.x, y: $0.y) } }
    }

    /// The same, on a checked grid, as points in data coordinates.
    static func isolines(_ grid: GridData, level: Double) -> [[Point]] {
        let nx = grid.x.count, ny = grid.y.count
        // An edge is identified by its lower-left grid node and direction.
        func horizontal(_ i: Int, _ j: Int) -> Int { (j * nx + i) * 2 }
        func vertical(_ i: Int, _ j: Int) -> Int { (j * nx + i) * 2 + 1 }
        var crossing: [Int: Point] = [:]
        var segments: [(Int, Int)] = []

        func crossPoint(_ key: Int, _ a: Point, _ va: Double, _ b: Point, _ vb: Double) {
            guard crossing[key] == nil else { return }
            let t = (level - va) / (vb - va)
            crossing[key] = a + (b - a) * t
        }

        for j in 0..<(ny - 1) {
            for i in 0..<(nx - 1) {
                let values = [grid.z[j][i], grid.z[j][i + 1], grid.z[j + 1][i + 1], grid.z[j + 1][i]]
                guard values.allSatisfy(\.isFinite) else { continue }
                let corners = [Point(x: grid.x[i], y: grid.y[j]), Point(x: grid.x[i + 1], y: grid.y[j]),
                               Point(x: grid.x[i + 1], y: grid.y[j + 1]), Point(x: grid.x[i], y: grid.y[j + 1])]
                // Edge k joins corner k and k+1: bottom, right, top, left.
                let edgeKeys = [horizontal(i, j), vertical(i + 1, j), horizontal(i, j + 1), vertical(i, j)]
                let above = values.map { $0 >= level }
                var crossed: [Int] = []
                for k in 0..<4 where above[k] != above[(k + 1) % 4] {
                    crossed.append(k)
                    // The first cell to see an edge fixes its point, so neighbours share it exactly.
                    crossPoint(edgeKeys[k], corners[k], values[k], corners[(k + 1) % 4], values[(k + 1) % 4])
                }
                if crossed.count == 2 {
                    segments.append((edgeKeys[crossed[0]], edgeKeys[crossed[1]]))
                } else if crossed.count == 4 {
                    let centerAbove = values.reduce(0, +) / 4 >= level
                    if centerAbove == above[0] {
                        segments.append((edgeKeys[0], edgeKeys[1]))
                        segments.append((edgeKeys[2], edgeKeys[3]))
                    } else {
                        segments.append((edgeKeys[3], edgeKeys[0]))
                        segments.append((edgeKeys[1], edgeKeys[2]))
                    }
                }
            }
        }
        return chain(segments).map { keys in keys.compactMap { crossing[$0] } }
    }

    /// Joins segments sharing an edge into polylines, open ones first, in a deterministic
    /// order (segment creation order), so output never depends on hashing.
    private static func chain(_ segments: [(Int, Int)]) -> [[Int]] {
        var neighbors: [Int: [Int]] = [:]
        for (a, b) in segments where a != b {
            neighbors[a, default: []].append(b)
            neighbors[b, default: []].append(a)
        }
        var visited = Set<Int>()
        var lines: [[Int]] = []
        func walk(from start: Int) -> [Int] {
            var line = [start]
            visited.insert(start)
            var current = start
            while let next = neighbors[current]?.first(where: { !visited.contains($0) }) {
                line.append(next)
                visited.insert(next)
                current = next
            }
            if line.count > 2, neighbors[current]?.contains(start) == true { line.append(start) }
            return line
        }
        let endpoints = segments.flatMap { [$0.0, $0.1] }
        for key in endpoints where !visited.contains(key) && neighbors[key]?.count == 1 { lines.append(walk(from: key)) }
        for key in endpoints where !visited.contains(key) && neighbors[key] != nil { lines.append(walk(from: key)) }
        return lines
    }

    /// Polygons (in data coordinates) covering where z >= `level`, all with the same
    /// orientation so one non-zero-winding fill merges them without anti-aliasing seams.
    ///
    /// Runs of whole cells along a row (all four corners at or above the level) become one
    /// rectangle; only cells the boundary crosses are clipped triangle by triangle. A band
    /// of a 100x100 grid is then a few hundred polygons instead of ten thousand, which keeps
    /// SVG figures small.
    static func regionAtLeast(_ grid: GridData, level: Double) -> [[Point]] {
        var polygons: [[Point]] = []
        for j in 0..<(grid.y.count - 1) {
            var runStart: Int?   // first column of the current run of whole cells
            func closeRun(before end: Int) {
                guard let start = runStart else { return }
                polygons.append([Point(x: grid.x[start], y: grid.y[j]), Point(x: grid.x[end], y: grid.y[j]),
                                 Point(x: grid.x[end], y: grid.y[j + 1]), Point(x: grid.x[start], y: grid.y[j + 1])])
                runStart = nil
            }
            for i in 0..<(grid.x.count - 1) {
                let v = [grid.z[j][i], grid.z[j][i + 1], grid.z[j + 1][i + 1], grid.z[j + 1][i]]
                let whole = v.allSatisfy { $0.isFinite && $0 >= level }
                if whole {
                    if runStart == nil { runStart = i }
                    continue
                }
                closeRun(before: i)
                guard v.allSatisfy(\.isFinite), !v.allSatisfy({ $0 < level }) else { continue }
                let p = [Point(x: grid.x[i], y: grid.y[j]), Point(x: grid.x[i + 1], y: grid.y[j]),
                         Point(x: grid.x[i + 1], y: grid.y[j + 1]), Point(x: grid.x[i], y: grid.y[j + 1])]
                for triangle in [[0, 1, 2], [0, 2, 3]] {
                    let clipped = clip(triangle.map { (p[$0], v[$0]) }, level: level)
                    if clipped.count >= 3 { polygons.append(clipped) }
                }
            }
            closeRun(before: grid.x.count - 1)
        }
        return polygons
    }

    /// Sutherland-Hodgman against the half-space value >= level, values linear in between.
    private static func clip(_ vertices: [(Point, Double)], level: Double) -> [Point] {
        var output: [Point] = []
        for k in 0..<vertices.count {
            let (a, va) = vertices[k], (b, vb) = vertices[(k + 1) % vertices.count]
            if va >= level { output.append(a) }
            if (va >= level) != (vb >= level) {
                output.append(a + (b - a) * ((level - va) / (vb - va)))
            }
        }
        return output
    }
}
