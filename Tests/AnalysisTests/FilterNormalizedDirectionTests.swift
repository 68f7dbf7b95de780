@testable import Analysis
import Foundation
import TestSupport
import XCTest

final class FilterNormalizedDirectionTests: XCTestCase {
    /// A dense layer [3 × 4] + bias [3], a conv kernel [2 × 1 × 2 × 2] + batch-norm scale [2], and a [4 × 2] column-major-filter matrix.
    let layout = ParameterLayout(groups: [
        ParameterGroup(name: "dense.weight", shape: [3, 4], offset: 0, role: .weight),
        ParameterGroup(name: "dense.bias", shape: [3], offset: 12, role: .bias),
        ParameterGroup(name: "conv.weight", shape: [2, 1, 2, 2], offset: 15, role: .weight),
        ParameterGroup(name: "norm.scale", shape: [2], offset: 23, role: .normalization),
        ParameterGroup(name: "head.weight", shape: [4, 2], offset: 25, role: .weight, filterAxis: .last),
    ])

    func testEachDirectionFilterHasTheNormOfItsWeightFilterAndBiasesGetZero() {
        XCTAssertEqual(layout.parameterCount, 33)
        var generator = SeededGenerator(seed: 3)
        let parameters = (0..<layout.parameterCount).map { _ in generator.nextGaussian() * 2 }
        let direction = filterNormalizedDirection(layout: layout, parameters: parameters, seed: 9)
        var filtersChecked = 0
        for group in layout.groups {
            let indices = Array(group.offset..<(group.offset + group.count))
            if group.role != .weight {
                XCTAssertEqual(indices.map { direction[$0] }, [Double](repeating: 0, count: group.count), group.name)
                continue
            }
            for filter in 0..<group.filterCount {
                let filterIndices = Array(group.filterIndices(filter))
                XCTAssertEqual(filterIndices.count, group.count / group.filterCount)
                let directionNorm = sqrt(filterIndices.reduce(0) { $0 + direction[$1] * direction[$1] })
                let weightNorm = sqrt(filterIndices.reduce(0) { $0 + parameters[$1] * parameters[$1] })
                assertClose(directionNorm, weightNorm, rtol: 1e-12, "\(group.name) filter \(filter)")
                filtersChecked += 1
            }
        }
        XCTAssertEqual(filtersChecked, 3 + 2 + 2)
        // The last-axis filters of head.weight are its columns: elements 25, 27, 29, 31.
        XCTAssertEqual(Array(layout.groups[4].filterIndices(0)), [25, 27, 29, 31])
        XCTAssertEqual(direction, filterNormalizedDirection(layout: layout, parameters: parameters, seed: 9), "seeded")
    }

    func testZeroWeightFilterGetsAZeroDirectionAndSequentialLayoutComputesOffsets() {
        let sequential = ParameterLayout(sequential: [(name: "W1", shape: [2, 3], role: .weight), (name: "b1", shape: [2], role: .bias)])
        XCTAssertEqual(sequential.group(named: "b1")?.offset, 6)
        XCTAssertEqual(sequential.parameterCount, 8)
        let parameters: [Double] = [0, 0, 0, 1, 2, 2, 5, 5]
        let direction = filterNormalize([1, 1, 1, 1, 1, 1, 1, 1], layout: sequential, parameters: parameters)
        // Row [1, 2, 2] has norm 3, the raw row [1, 1, 1] norm √3: each entry scales by √3; the zero row stays zero.
        assertClose(direction, [0, 0, 0, sqrt(3), sqrt(3), sqrt(3), 0, 0], rtol: 1e-12)
    }
}
