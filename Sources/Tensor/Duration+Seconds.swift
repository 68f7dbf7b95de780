/// A `Duration` as floating-point seconds, the unit every timing in Labbook reports in.
extension Duration {
    public var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) * 1e-18
    }
}
