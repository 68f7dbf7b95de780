import NN

/// Turns a `Trainer`'s events into the Keras-style log a report keeps and a console shows,
/// and, on a terminal, Keras's live batch line as a transient status.
final class TrainingLog {
    private(set) var lines: [String] = []
    private let log: (String) -> Void
    private let status: ((String) -> Void)?

    init(log: @escaping (String) -> Void, status: ((String) -> Void)? = nil) {
        self.log = log
        self.status = status
    }

    func append(_ line: String) {
        lines.append(line)
        log(line)
    }

    func receive(_ event: TrainingEvent) {
        if let line = event.logLine {
            append(line)
        } else if let status, let line = event.progressLine {
            status(line)
        }
    }
}
