/// How much work a run does. `quick` exists for CI and tests, `default` produces the
/// committed reports, `full` spends more time for tighter numbers.
public enum Profile: String, CaseIterable, Codable {
    case quick, `default`, full

    /// Chooses among three values by profile, for configs that scale with the profile.
    public func pick<T>(quick: T, default defaultValue: T, full: T) -> T {
        switch self {
        case .quick: return quick
        case .default: return defaultValue
        case .full: return full
        }
    }
}
