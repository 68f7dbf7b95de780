import Foundation

/// A kind of computed cell, as a value: its name, the question whose cache holds it, a version
/// for the code in Questions that assembles it, the keys of the cells whose results it reads,
/// and the function that computes one config's result.
///
/// A question's page asks its session for cells of a definition (`compute`, `computeAll`); how
/// they are obtained is the session's resolver's business: computed here, handed to workers, or
/// read from the cache. The definitions a question's batches use are also named by the question
/// (`Question.workerCell(named:context:)`), so a worker builds the very definition the driver
/// used and runs the one cell of its request, without the page.
public struct CellDefinition<Config: Codable, Result: Codable> {
    public var name: String
    /// Bump when the code in Questions that assembles the computation changes (the engine's code
    /// is in every key already: `CodeFingerprint`).
    public var version: String
    /// The question whose cache and report own the cell; nil: the question that asks for it.
    public var owner: String?
    /// Keys of the cells whose results or artifacts `run` reads.
    public var inputs: [CellKey]
    public var run: (Config, CellProgress) throws -> Result

    public init(_ name: String, version: String, inputs: [CellKey] = [], owner: String? = nil,
                run: @escaping (Config, CellProgress) throws -> Result) {
        self.name = name
        self.version = version
        self.owner = owner
        self.inputs = inputs
        self.run = run
    }

    /// The question whose cache holds this definition's cells when `asker` asks for them.
    func question(askedBy asker: String) -> String { owner ?? asker }

    /// The cell's name as `asker`'s console and records show it: `q3/train-mlp` for another
    /// question's cell.
    func label(askedBy asker: String) -> String {
        question(askedBy: asker) == asker ? name : "\(question(askedBy: asker))/\(name)"
    }

    /// A cell's key: its identity, config, version and inputs, and the engine code (nil: no
    /// fingerprint, as in tests that build sessions by hand).
    func key(_ config: Config, askedBy asker: String, code: CodeFingerprint?) throws -> CellKey {
        try CellKey(question: question(askedBy: asker), cell: name, version: code?.version(version) ?? version,
                    config: config, inputs: inputs)
    }

    /// The key without the code: the same for every version of the engine, to find a result
    /// older code computed (`labbook list`'s "stale").
    func codeFreeKey(_ config: Config, askedBy asker: String) throws -> CellKey {
        try CellKey(question: question(askedBy: asker), cell: name, version: version, config: config, inputs: inputs)
    }
}

/// A computed cell's result together with its key (to pass as an input to later cells)
/// and its artifact folder (for large binary outputs such as weights).
public struct Computed<Result> {
    public let result: Result
    public let key: CellKey
    public let artifacts: URL
}
