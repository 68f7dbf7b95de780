/// One cell a page asks for: a definition and the config to compute it with. A batch of calls
/// may mix definitions of one result type (Q4's trainings of three networks), so that an
/// executor can run all of them at once, longest first, instead of one network at a time.
public struct CellCall<Config: Codable, Result: Codable> {
    public var definition: CellDefinition<Config, Result>
    public var config: Config

    public init(_ definition: CellDefinition<Config, Result>, config: Config) {
        self.definition = definition
        self.config = config
    }
}
