import AtomicFiles
import Foundation

/// One cell to compute in another process: everything a worker (`labbook cell run FILE`) needs
/// to run exactly that cell. The worker asks the question for the cell's definition by name
/// (`Question.workerCell`), decodes the config, checks that definition, config, inputs and its
/// own code give the request's key, computes the cell and stores it in the cache; the driver
/// then reads the result. Nothing else of the question runs.
public struct CellRequest: Codable, Equatable {
    /// The question whose run asks for the cell (it names the definition).
    public var question: String
    /// The cell as the driver's console shows it (`q3/train-mlp` for another question's cell).
    public var cell: String
    /// The definition's name, and the question that owns its cache entries (nil: `question`).
    public var name: String
    public var owner: String?
    /// The cell's config as JSON.
    public var config: String
    /// Keys (hex) of the cells whose results or artifacts the cell reads.
    public var inputs: [String]
    /// The cell key's hex digest: the worker checks it builds exactly this cell.
    public var key: String
    public var profile: String
    public var seed: UInt64
    public var projectRoot: String
    public var cacheDirectory: String
    /// `--dataset-dir`, when the run used one.
    public var datasetDirectory: String?

    /// `<cache>/requests/DRIVER/QUESTION-NAME-KEY.json`: each driver run writes into its own
    /// folder (process id and a random id, see `WriterTag`), so two runs sharing a cache never
    /// delete or overwrite each other's requests, worker logs or Slurm files.
    public func file(in cacheDirectory: URL, driver: String = CellRequest.driverTag) -> URL {
        Self.folder(in: cacheDirectory, driver: driver).appendingPathComponent("\(owner ?? question)-\(name)-\(key.prefix(12)).json")
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

extension CellRequest {
    /// The request for one cell of a batch a driver hands to workers.
    init<Config: Codable, Result: Codable>(_ definition: CellDefinition<Config, Result>, config: Config, key: CellKey, session: NotebookSession,
                         context: ComputingResolver.RequestContext) throws {
        question = session.questionID
        cell = definition.label(askedBy: session.questionID)
        name = definition.name
        owner = definition.owner
        self.config = String(decoding: try JSONEncoder.labbook.encode(config), as: UTF8.self)
        inputs = definition.inputs.map(\.hex)
        self.key = key.hex
        profile = session.profile.rawValue
        seed = session.seed
        projectRoot = context.projectRoot.path
        cacheDirectory = session.cache.directory.path
        datasetDirectory = context.datasetDirectory
    }
}
