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

    /// `<cache>/requests/DRIVER/QUESTION-CELL-KEY.json`: each driver run writes into its own
    /// folder (process id and a random id, see `WriterTag`), so two runs sharing a cache never
    /// delete or overwrite each other's requests, worker logs or Slurm files.
    public func file(in cacheDirectory: URL, driver: String = CellRequest.driverTag) -> URL {
        Self.folder(in: cacheDirectory, driver: driver).appendingPathComponent("\(question)-\(cell)-\(key.prefix(12)).json")
    }

    /// This process's driver tag, one per run.
    public static let driverTag = WriterTag.current()

    static func folder(in cacheDirectory: URL, driver: String) -> URL {
        cacheDirectory.appendingPathComponent("requests").appendingPathComponent(driver)
    }

    /// Removes the request folders of drivers whose process has ended (a killed run's requests,
    /// worker logs and Slurm scripts); returns how many were removed.
    @discardableResult
    public static func removeStaleFolders(in cacheDirectory: URL) -> Int {
        let requests = cacheDirectory.appendingPathComponent("requests")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: requests.path)) ?? []
        var removed = 0
        for name in names {
            guard let pid = WriterTag.process(of: Substring(name)), WriterTag.hasEnded(pid) else { continue }
            if (try? FileManager.default.removeItem(at: requests.appendingPathComponent(name))) != nil { removed += 1 }
        }
        return removed
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
