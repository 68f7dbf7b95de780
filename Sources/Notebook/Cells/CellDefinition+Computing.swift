import Foundation

extension CellDefinition {
    /// Computes one cell and stores its result in the cache: the one place where a cell is
    /// computed, in a driver (`ComputingResolver`) or in a worker (`WorkerCell`).
    /// - Returns: the result and the seconds it took.
    func computeAndStore(_ config: Config, key: CellKey, askedBy asker: String, cache: ResultCache, console: Console,
                         code: CodeFingerprint?) throws -> (result: Result, seconds: Double) {
        let question = question(askedBy: asker)
        let label = label(askedBy: asker)
        let artifacts = cache.artifactDirectory(question: question, cell: name, key: key)
        let progress = CellProgress(label: "\(asker) › \(label)", console: console, artifactDirectory: artifacts)
        let start = Date()
        let result: Result
        do {
            result = try run(config, progress)
        } catch {
            progress.finish()
            throw NotebookError.cell(question: asker, cell: label, underlying: error)
        }
        progress.finish()
        let seconds = Date().timeIntervalSince(start)
        try cache.store(result, seconds: seconds, question: question, cell: name, key: key,
                        codeFreeKey: try codeFreeKey(config, askedBy: asker), code: code)
        return (result, seconds)
    }
}
