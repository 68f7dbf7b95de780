/// Two-sided 95% critical values of Student's t distribution, `t₀.₉₇₅(df)`, for the small
/// seed counts of a report (tabulated to four decimals; Fisher & Yates' tables, or
/// `scipy.stats.t.ppf(0.975, df)`); beyond 30 degrees of freedom, 1.96 plus a 2.4/df
/// correction, within 0.001 of the exact value.
public func studentTCritical975(degreesOfFreedom df: Int) -> Double {
    let table: [Double] = [12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
                           2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
                           2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423]
    guard df >= 1 else { return .infinity }
    return df <= table.count ? table[df - 1] : 1.95996 + 2.4 / Double(df)
}
