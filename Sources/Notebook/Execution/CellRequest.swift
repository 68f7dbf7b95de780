import Foundation

/// One cell to compute in another process: everything a worker (`labbook cell run FILE`) needs
/// to rebuild the question's session exactly as the driver has it and run that one cell. The
/// worker replays the question with every earlier cell read from the cache, computes the cell
/// whose key matches, stores it in the cache and stops; the driver then reads the result.
public struct CellRequest: Codable, Equatable {
    public var question: String
    public var cell: String
    /// The cell key's hex digest: the worker checks it reaches exactly this cell.
    public var key: String
    public var profile: String
    public var seed: UInt64
    public var projectRoot: String
    public var cacheDirectory: String
    /// `--dataset-dir`, when the run used one.
    public var datasetDirectory: String?

    /// `<cache>/requests/QUESTION-CELL-KEY.json`.
    public func file(in cacheDirectory: URL) -> URL {
        cacheDirectory.appendingPathComponent("requests").appendingPathComponent("\(question)-\(cell)-\(key.prefix(12)).json")
    }

    public static func load(from url: URL) throws -> CellRequest {
        do {
            return try JSONDecoder().decode(CellRequest.self, from: Data(contentsOf: url))
        } catch {
            throw NotebookError.invalidInput("\(url.path) is not a cell request: \(error)")
        }
    }
}

/// Thrown by a worker's session once its cell is computed and stored: the rest of the
/// question is not replayed.
public struct WorkerFinished: Error {}
