/// A position in points on the page, origin top-left, y growing downward (Cairo's space).
struct Point: Equatable {
    var x: Double
    var y: Double

    static func + (a: Point, b: Point) -> Point { Point(x: a.x + b.x, y: a.y + b.y) }
    static func - (a: Point, b: Point) -> Point { Point(x: a.x - b.x, y: a.y - b.y) }
    static func * (a: Point, s: Double) -> Point { Point(x: a.x * s, y: a.y * s) }

    var length: Double { (x * x + y * y).squareRoot() }
    var normalized: Point { length > 0 ? self * (1 / length) : Point(x: 0, y: 0) }
}

struct Size: Equatable {
    var width: Double
    var height: Double
}

/// An axis-aligned rectangle in page points.
struct Rect: Equatable {
    var x: Double
    var y: Double
    var width: Double
    var height: Double

    var minX: Double { x }
    var minY: Double { y }
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }

    /// Shrinks each side by its own amount; never produces a negative size.
    func inset(left: Double = 0, top: Double = 0, right: Double = 0, bottom: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top,
             width: max(1, width - left - right), height: max(1, height - top - bottom))
    }

    func contains(_ p: Point) -> Bool { p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY }

    func intersects(_ other: Rect) -> Bool {
        minX < other.maxX && other.minX < maxX && minY < other.maxY && other.minY < maxY
    }
}

/// A vector path in page points, built once and handed to a renderer.
struct Path {
    enum Element {
        case move(Point)
        case line(Point)
        case arc(center: Point, radius: Double)
        case close
    }

    private(set) var elements: [Element] = []

    var isEmpty: Bool { elements.isEmpty }

    mutating func move(to p: Point) { elements.append(.move(p)) }
    mutating func line(to p: Point) { elements.append(.line(p)) }
    mutating func close() { elements.append(.close) }

    mutating func addCircle(center: Point, radius: Double) {
        elements.append(.arc(center: center, radius: radius))
        elements.append(.close)
    }

    mutating func addRect(_ r: Rect) {
        addPolygon([Point(x: r.minX, y: r.minY), Point(x: r.maxX, y: r.minY),
                    Point(x: r.maxX, y: r.maxY), Point(x: r.minX, y: r.maxY)])
    }

    mutating func addPolygon(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
        close()
    }

    mutating func addPolyline(_ points: [Point]) {
        guard let first = points.first else { return }
        move(to: first)
        for p in points.dropFirst() { line(to: p) }
    }

    static func segment(_ a: Point, _ b: Point) -> Path {
        var path = Path()
        path.move(to: a)
        path.line(to: b)
        return path
    }

    static func rect(_ r: Rect) -> Path {
        var path = Path()
        path.addRect(r)
        return path
    }
}

/// An RGBA raster in straight alpha, row 0 at the top; used for heatmaps, colorbars and
/// image grids so they stay seamless (one image, no per-cell anti-aliasing seams).
struct RasterImage {
    var width: Int
    var height: Int
    var pixels: [Color]

    init(width: Int, height: Int, pixel: (_ column: Int, _ row: Int) -> Color) {
        self.width = width
        self.height = height
        var pixels: [Color] = []
        pixels.reserveCapacity(width * height)
        for row in 0..<height { for column in 0..<width { pixels.append(pixel(column, row)) } }
        self.pixels = pixels
    }
}
