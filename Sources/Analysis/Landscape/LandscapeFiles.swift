import Foundation

/// A 2-D landscape as files other tools open: CSV for spreadsheets and pandas, and a legacy
/// VTK structured grid for ParaView (the route of loss-landscape's `h52vtp.py`).
public enum LandscapeFiles {
    /// `alpha,beta,loss,accuracy`, one line per grid point, α varying fastest; an empty
    /// accuracy field when the landscape has none, `nan`/`inf` as Swift prints them.
    public static func csv(_ landscape: LossLandscape2D) -> String {
        var lines = ["alpha,beta,loss,accuracy"]
        lines.reserveCapacity(landscape.alphas.count * landscape.betas.count + 1)
        for (j, beta) in landscape.betas.enumerated() {
            for (i, alpha) in landscape.alphas.enumerated() {
                let accuracy = landscape.accuracies.map { number($0[j][i]) } ?? ""
                lines.append("\(number(alpha)),\(number(beta)),\(number(landscape.values[j][i])),\(accuracy)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// An ASCII legacy-format VTK `STRUCTURED_GRID`: points (α, β, log₁₀ loss) so the grid is
    /// the surface itself, and point data `loss`, `log10_loss` and (if known) `accuracy`.
    /// VTK's ASCII reader takes no NaN or infinity, so non-finite losses are written as the
    /// largest finite loss on the grid (the header says how many).
    public static func vtk(_ landscape: LossLandscape2D, title: String) -> String {
        let flat = landscape.values.flatMap { $0 }
        let largest = flat.filter(\.isFinite).max() ?? 1
        let nonFinite = flat.filter { !$0.isFinite }.count
        let losses = flat.map { $0.isFinite ? $0 : largest }
        let logs = losses.map { log10(max($0, 1e-12)) }
        let count = flat.count
        // The title line holds at most 256 characters and no newline.
        let header = String((title + (nonFinite > 0 ? " (\(nonFinite) non-finite losses written as \(number(largest)))" : ""))
            .replacingOccurrences(of: "\n", with: " ").prefix(250))
        var lines = ["# vtk DataFile Version 3.0", header, "ASCII", "DATASET STRUCTURED_GRID",
                     "DIMENSIONS \(landscape.alphas.count) \(landscape.betas.count) 1", "POINTS \(count) double"]
        var index = 0
        for beta in landscape.betas {
            for alpha in landscape.alphas {
                lines.append("\(number(alpha)) \(number(beta)) \(number(logs[index]))")
                index += 1
            }
        }
        lines.append("POINT_DATA \(count)")
        func scalars(_ name: String, _ values: [Double]) {
            lines.append("SCALARS \(name) double 1")
            lines.append("LOOKUP_TABLE default")
            lines.append(contentsOf: values.map(number))
        }
        scalars("loss", losses)
        scalars("log10_loss", logs)
        if let accuracies = landscape.accuracies { scalars("accuracy", accuracies.flatMap { $0 }.map { $0.isFinite ? $0 : 0 }) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Shortest round-tripping decimal.
    private static func number(_ value: Double) -> String { "\(value)" }
}
