import Foundation

/// How two renderings of one figure differ, as matplotlib's `compare_images` measures it: the
/// root-mean-square difference of all colour channels (0-255 units), and an image of where they
/// differ (differences amplified tenfold on black) for a reviewer to look at.
public struct ImageDifference {
    public let rms: Double
    /// Pixels with any channel more than 2 units apart.
    public let differingPixels: Int
    public let sameSize: Bool
    private let expected: PNGImage
    private let actual: PNGImage

    public init(expected: Data, actual: Data) throws {
        self.expected = try PNGImage(data: expected)
        self.actual = try PNGImage(data: actual)
        sameSize = self.expected.width == self.actual.width && self.expected.height == self.actual.height
        guard sameSize else {
            rms = .infinity
            differingPixels = max(self.expected.width * self.expected.height, self.actual.width * self.actual.height)
            return
        }
        var squares = 0.0, differing = 0
        for y in 0..<self.expected.height {
            for x in 0..<self.expected.width {
                let deltas = Self.deltas(self.expected.pixel(x: x, y: y), self.actual.pixel(x: x, y: y))
                squares += deltas.reduce(0) { $0 + $1 * $1 }
                if deltas.contains(where: { $0 > 2 }) { differing += 1 }
            }
        }
        rms = (squares / Double(4 * self.expected.width * self.expected.height)).squareRoot()
        differingPixels = differing
    }

    private static func deltas(_ a: PNGImage.Pixel, _ b: PNGImage.Pixel) -> [Double] {
        [Double(a.red) - Double(b.red), Double(a.green) - Double(b.green), Double(a.blue) - Double(b.blue), Double(a.alpha) - Double(b.alpha)]
            .map(abs)
    }

    /// The difference image (the expected size; empty black when the sizes differ).
    public func differencePNG() throws -> Data {
        let surface = try CairoSurface(imageWidth: expected.width, height: expected.height)
        let renderer = try CairoRenderer(surface: surface, scale: 1, theme: .light)
        renderer.paintBackground(.black)
        if sameSize {
            let image = RasterImage(width: expected.width, height: expected.height) { x, y in
                let d = Self.deltas(expected.pixel(x: x, y: y), actual.pixel(x: x, y: y))
                return Color(red: min(1, d[0] * 10 / 255), green: min(1, d[1] * 10 / 255), blue: min(1, d[2] * 10 / 255))
            }
            renderer.drawImage(image, in: Rect(x: 0, y: 0, width: Double(expected.width), height: Double(expected.height)), smooth: false)
        }
        return try surface.pngData()
    }
}
