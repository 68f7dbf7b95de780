import Foundation

/// A point or direction in the normalised 3-D box (x, y in -1...1, z in -0.75...0.75,
/// matplotlib's 4:4:3 box aspect).
struct Vector3 {
    var x, y, z: Double

    static func + (a: Vector3, b: Vector3) -> Vector3 { Vector3(x: a.x + b.x, y: a.y + b.y, z: a.z + b.z) }
    static func - (a: Vector3, b: Vector3) -> Vector3 { Vector3(x: a.x - b.x, y: a.y - b.y, z: a.z - b.z) }
    static func * (a: Vector3, s: Double) -> Vector3 { Vector3(x: a.x * s, y: a.y * s, z: a.z * s) }
    func dot(_ b: Vector3) -> Double { x * b.x + y * b.y + z * b.z }
    func cross(_ b: Vector3) -> Vector3 { Vector3(x: y * b.z - z * b.y, y: z * b.x - x * b.z, z: x * b.y - y * b.x) }
    var normalized: Vector3 {
        let length = dot(self).squareRoot()
        return length > 0 ? self * (1 / length) : self
    }
}

/// Orthographic view from elevation/azimuth angles in degrees, matplotlib's convention:
/// azimuth rotates about z (from +x toward +y), elevation raises the eye above the xy-plane.
struct Projection3D {
    /// Unit vector from the box centre toward the viewer.
    let eye: Vector3
    let right: Vector3
    let up: Vector3

    init(elevation: Double, azimuth: Double) {
        let e = elevation * .pi / 180, a = azimuth * .pi / 180
        eye = Vector3(x: cos(e) * cos(a), y: cos(e) * sin(a), z: sin(e))
        right = Vector3(x: -sin(a), y: cos(a), z: 0)
        up = Vector3(x: -sin(e) * cos(a), y: -sin(e) * sin(a), z: cos(e))
    }

    /// Screen coordinates with y up (before fitting to the page).
    func screen(_ p: Vector3) -> (u: Double, v: Double) { (p.dot(right), p.dot(up)) }

    /// Larger is nearer the viewer.
    func depth(_ p: Vector3) -> Double { p.dot(eye) }
}
