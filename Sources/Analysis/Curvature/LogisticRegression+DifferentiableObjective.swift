import Foundation

/// Logistic regression already computes `value` and `valueAndGradient` over θ = (w, b).
extension LogisticRegression: DifferentiableObjective {}
