import Experiments
import Foundation
import Notebook

/// The PyTorch reference runs of Q4's recipe (`scripts/reference/q4_recipe_torch.py`, run once
/// on a GPU machine and committed as `data/reference/q4-recipe-pytorch.json`): the same
/// networks, schedule and budgets, and each budget doubled, to put beside this run's numbers.
/// Read as committed data, never recomputed by `labbook run`.
struct PyTorchRecipeReference: Decodable {
    struct Run: Decodable {
        /// `lenet`, `resnet18`, `resnet50`.
        var model: String
        var epochs: Int
        var seed: Int
        var bestEpoch: Int
        var bestValidationAccuracy: Double
        var testAccuracy: Double

        enum CodingKeys: String, CodingKey {
            case model, epochs, seed
            case bestEpoch = "best_epoch"
            case bestValidationAccuracy = "best_val_accuracy"
            case testAccuracy = "test_accuracy"
        }

        var architecture: ConvolutionalArchitecture? {
            model == "lenet" ? .leNet5 : ConvolutionalArchitecture(rawValue: model)
        }
    }

    var torch: String
    var gpu: String
    var runs: [Run]

    static let relativePath = "data/reference/q4-recipe-pytorch.json"

    /// The committed reference, nil where the file is absent; a damaged file is an error naming it.
    static func load(projectRoot: URL) throws -> PyTorchRecipeReference? {
        let url = projectRoot.appendingPathComponent(relativePath)
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        do {
            return try JSONDecoder().decode(PyTorchRecipeReference.self, from: data)
        } catch {
            throw NotebookError.invalidInput("\(url.path): not a Q4 PyTorch reference file (\(error))")
        }
    }

    /// Per network and budget: validation and test accuracy over seeds, and the change when
    /// the budget doubles.
    var table: Table {
        let groups = Dictionary(grouping: runs) { "\($0.architecture?.rawValue ?? $0.model)|\($0.epochs)" }
        var rows: [[String]] = []
        for architecture in ConvolutionalArchitecture.allCases {
            let budgets = Set(runs.filter { $0.architecture == architecture }.map(\.epochs)).sorted()
            for budget in budgets {
                let group = groups["\(architecture.rawValue)|\(budget)"] ?? []
                let validation = SeedSpread(values: group.map(\.bestValidationAccuracy))
                let test = SeedSpread(values: group.map(\.testAccuracy))
                var change = ("–", "–")
                if let shorter = budgets.last(where: { $0 < budget }), let base = groups["\(architecture.rawValue)|\(shorter)"] {
                    change = Q4Recipe.budgetRule(before: SeedSpread(values: base.map(\.bestValidationAccuracy)), after: validation)
                }
                rows.append([architecture.displayName, "\(budget)", validation.formatted(), change.0, change.1, test.formatted()])
            }
        }
        return Table(caption: """
            PyTorch reference (torch \(torch) on \(gpu), fp32 with TF32 off; the same networks, initialisation, \
            split sizes, schedule and budgets, and each budget doubled; committed in \(Self.relativePath), not \
            recomputed by this run): validation accuracy of the tested checkpoint, its change in percentage \
            points (± the standard error of the difference) when the budget doubles, whether the convergence \
            rule holds, and test accuracy, mean ± standard deviation over seeds.
            """,
                     headers: ["Model", "Budget (epochs)", "Validation accuracy", "Change from half the budget (points)",
                               "Rule met", "Test accuracy"],
                     rows: rows)
    }

    var note: Prose {
        """
            The reference trains in another framework on other hardware with other random streams and its \
            own stratified split, so its numbers agree with this run's in distribution, not digit for digit. \
            With 3 seeds the standard error of a difference of two means is about 0.1 points, so changes \
            near the 0.1-point threshold are at the resolution of the rule: the budgets are where the curves \
            have flattened to within that resolution, not where training has stopped helping altogether.
            """
    }
}
