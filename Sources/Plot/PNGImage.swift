import CCairo
import Foundation

/// A decoded PNG with per-pixel access, so tests and callers can check rendered output
/// (size, colours at known points) without a second image library.
public final class PNGImage {
    /// One pixel in straight (non-premultiplied) 8-bit RGBA.
    public struct Pixel: Equatable, Hashable, Sendable {
        public var red, green, blue, alpha: UInt8

        public init(red: UInt8, green: UInt8, blue: UInt8, alpha: UInt8 = 255) {
            self.red = red
            self.green = green
            self.blue = blue
            self.alpha = alpha
        }

        public var color: Color {
            Color(red: Double(red) / 255, green: Double(green) / 255, blue: Double(blue) / 255,
                  alpha: Double(alpha) / 255)
        }
    }

    public let width: Int
    public let height: Int
    private let pixels: [Pixel]

    /// Decodes `data` through Cairo's PNG reader; throws `PlotError` for anything not a PNG.
    public init(data: Data) throws {
        let source = ByteSource(data: data)
        let raw = cairo_image_surface_create_from_png_stream(byteSourceRead,
                                                             Unmanaged.passUnretained(source).toOpaque())
        guard let raw else { throw PlotError(.rendering, "cairo returned no surface decoding PNG") }
        let surface = try CairoSurface(adopting: raw)
        cairo_surface_flush(surface.handle)
        width = Int(cairo_image_surface_get_width(surface.handle))
        height = Int(cairo_image_surface_get_height(surface.handle))
        let stride = Int(cairo_image_surface_get_stride(surface.handle))
        let format = cairo_image_surface_get_format(surface.handle)
        guard let base = cairo_image_surface_get_data(surface.handle) else {
            throw PlotError(.rendering, "decoded PNG has no pixel data")
        }
        var pixels: [Pixel] = []
        pixels.reserveCapacity(width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(base + y * stride)
            for x in 0..<width {
                // ARGB32 and RGB24 are native-endian 32-bit words, premultiplied.
                let word = row.loadUnaligned(fromByteOffset: x * 4, as: UInt32.self)
                let alpha = format == CAIRO_FORMAT_RGB24 ? 255 : UInt32(word >> 24)
                func channel(_ shift: UInt32) -> UInt8 {
                    let premultiplied = (word >> shift) & 0xFF
                    guard alpha > 0 else { return 0 }
                    return UInt8(min(255, (premultiplied * 255 + alpha / 2) / alpha))
                }
                pixels.append(Pixel(red: channel(16), green: channel(8), blue: channel(0), alpha: UInt8(alpha)))
            }
        }
        self.pixels = pixels
    }

    /// The pixel at column `x`, row `y` (origin top-left).
    public func pixel(x: Int, y: Int) -> Pixel {
        precondition(x >= 0 && x < width && y >= 0 && y < height, "pixel (\(x), \(y)) outside \(width)x\(height)")
        return pixels[y * width + x]
    }

    /// How many different colours appear; a cheap "is this image blank?" measure.
    public var distinctColorCount: Int { Set(pixels).count }
}

/// Feeds `Data` to Cairo's PNG reader callback.
private final class ByteSource {
    let data: Data
    var offset = 0
    init(data: Data) { self.data = data }
}

private let byteSourceRead: cairo_read_func_t = { closure, buffer, length in
    guard let closure, let buffer else { return CAIRO_STATUS_READ_ERROR }
    let source = Unmanaged<ByteSource>.fromOpaque(closure).takeUnretainedValue()
    let count = Int(length)
    guard source.offset + count <= source.data.count else { return CAIRO_STATUS_READ_ERROR }
    source.data.withUnsafeBytes { bytes in
        buffer.update(from: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self) + source.offset, count: count)
    }
    source.offset += count
    return CAIRO_STATUS_SUCCESS
}
