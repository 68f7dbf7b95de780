import Foundation

/// Layout: limits, ticks and the rectangles for plot, labels, colorbar and legend.
extension Axes {
    private static let outerPadding = 6.0

    func layout(in cell: Rect, measurer: TextMeasuring, showsColorbar: Bool = true) throws -> AxesLayout {
        var layout = try layout(in: cell, measurer: measurer, headroom: 0, showsColorbar: showsColorbar,
                                legendOutside: legendLocation == .outsideRight)
        // With automatic limits, make room above the data rather than let a legend hide it.
        var headroom = 0.0
        while let legend = layout.legend, legend.covered > 0, legendLocation == .best, yLimits == nil,
              yScale == .linear, !yInverted, headroom < 0.6 {
            headroom += (legend.frame.height + 8) / layout.plotRect.height
            layout = try self.layout(in: cell, measurer: measurer, headroom: headroom, showsColorbar: showsColorbar, legendOutside: false)
        }
        // No place inside hides nothing: the legend goes beside the plot instead.
        if let legend = layout.legend, legend.covered > 0, legendLocation == .best {
            layout = try self.layout(in: cell, measurer: measurer, headroom: 0, showsColorbar: showsColorbar, legendOutside: true)
        }
        return layout
    }

    private func layout(in cell: Rect, measurer: TextMeasuring, headroom: Double, showsColorbar: Bool,
                        legendOutside: Bool) throws -> AxesLayout {
        if let recordedError { throw recordedError }
        for artist in artists {
            do { try artist.validate(xScale: xScale, yScale: yScale) } catch let error as PlotError { throw error.prefixed(name) }
        }
        let pad = Axes.outerPadding
        let titleSpace = title == nil ? 0 : TextStyle.title.size * 1.2 + 6
        if surface != nil || imageGrid != nil || parallel != nil {
            let plot = cell.inset(left: pad, top: pad + titleSpace, right: pad, bottom: pad)
            return .plain(kind: surface != nil ? .surface : imageGrid != nil ? .imageGrid : .parallel, cell: cell, plotRect: plot)
        }

        let extents = artists.compactMap(\.extent)
        let xRange = try limits(explicit: xLimits, scale: xScale, ranges: extents.map { ($0.x, $0) }, axis: "x")
        var yRange = try limits(explicit: yLimits, scale: yScale, ranges: extents.map { ($0.y, $0) }, axis: "y")
        if headroom > 0 {
            yRange = yRange.lowerBound...(yRange.upperBound + headroom * (yRange.upperBound - yRange.lowerBound))
        }
        let colorbar = showsColorbar ? artists.compactMap(\.colorbar).first.map(Colorbar.init) : nil
        let entries = artists.flatMap(\.legendEntries)
        let outsideWidth = legendOutside && !entries.isEmpty ? Legend(entries: entries).size(measurer: measurer).width + Legend.outsideGap : 0
        let labelHeight = TextStyle.label.size * 1.2
        let tickSpace = AxesLayout.tickLength + AxesLayout.tickLabelGap

        // Two passes: tick density depends on the plot size, which depends on label sizes.
        var plot = cell.inset(left: 50, top: pad + titleSpace + 2, right: 12, bottom: 40)
        var layout = AxesLayout.plain(kind: .cartesian, cell: cell, plotRect: plot)
        for _ in 0..<2 {
            layout.xTicks = ticks(scale: xScale, range: xRange, length: plot.width, spacing: 60, categories: xCategories,
                                  wholeNumbers: xWholeNumberTicks)
            layout.yTicks = ticks(scale: yScale, range: yRange, length: plot.height, spacing: 34, categories: yCategories,
                                  wholeNumbers: false)
            let xWidths = layout.xTicks.map { measurer.measure($0.label, style: .tick).width }
            let tickHeight = TextStyle.tick.size * 1.05
            let slot = plot.width / Double(max(1, layout.xTicks.count))
            layout.xTickLabelsRotated = xCategories != nil && (xWidths.max() ?? 0) > slot - 4
            layout.xTickLabelExtent = layout.xTickLabelsRotated
                ? ((xWidths.max() ?? 0) + tickHeight) * 0.7071 : tickHeight
            layout.yTickLabelExtent = layout.yTicks.map { measurer.measure($0.label, style: .tick).width }.max() ?? 0
            let left = pad + (yLabel == nil ? 0 : labelHeight + 4) + layout.yTickLabelExtent + tickSpace
            let bottom = pad + tickSpace + layout.xTickLabelExtent + (xLabel == nil ? 0 : labelHeight + 4)
            let lastHalf = layout.xTickLabelsRotated ? 0 : (xWidths.last ?? 0) / 2
            let right = max(pad + 4, lastHalf + 2) + (colorbar?.reservedWidth(measurer: measurer) ?? 0) + outsideWidth
            plot = cell.inset(left: left, top: pad + titleSpace + 2, right: right, bottom: bottom)
        }
        if equalAspect && xScale == .linear && yScale == .linear {
            let unitsX = (xRange.upperBound - xRange.lowerBound), unitsY = (yRange.upperBound - yRange.lowerBound)
            let scale = min(plot.width / unitsX, plot.height / unitsY)
            let width = unitsX * scale, height = unitsY * scale
            plot = Rect(x: plot.midX - width / 2, y: plot.midY - height / 2, width: width, height: height)
        }
        layout.colorbar = colorbar
        layout.legendOutside = legendOutside
        layout.xRange = xRange
        layout.yRange = yRange
        if xScale == .log { layout.xMinorTicks = TickLocator.logMinor(lower: xRange.lowerBound, upper: xRange.upperBound) }
        if yScale == .log { layout.yMinorTicks = TickLocator.logMinor(lower: yRange.lowerBound, upper: yRange.upperBound) }
        place(&layout, plot: plot, measurer: measurer)
        return layout
    }

    /// The same layout with an equal-aspect plot drawn at `unitScale` points per data unit,
    /// centred where it was (so panels of a row can share one scale).
    func relayout(_ layout: AxesLayout, unitScale: Double, measurer: TextMeasuring) -> AxesLayout {
        var layout = layout
        let old = layout.plotRect
        let width = (layout.xRange.upperBound - layout.xRange.lowerBound) * unitScale
        let height = (layout.yRange.upperBound - layout.yRange.lowerBound) * unitScale
        place(&layout, plot: Rect(x: old.midX - width / 2, y: old.midY - height / 2, width: width, height: height), measurer: measurer)
        return layout
    }

    /// Puts the plot area at `plot`: the data transform and the legend box follow from it.
    private func place(_ layout: inout AxesLayout, plot: Rect, measurer: TextMeasuring) {
        let xRange = layout.xRange, yRange = layout.yRange
        layout.plotRect = plot
        layout.transform = DataTransform(
            x: AxisMapping(scale: xScale, lower: xRange.lowerBound, upper: xRange.upperBound, start: plot.minX, end: plot.maxX),
            y: AxisMapping(scale: yScale, lower: yRange.lowerBound, upper: yRange.upperBound,
                           start: yInverted ? plot.minY : plot.maxY, end: yInverted ? plot.maxY : plot.minY))
        layout.legend = nil
        let entries = artists.flatMap(\.legendEntries)
        if !entries.isEmpty {
            let legend = Legend(entries: entries)
            let occupied = artists.flatMap { $0.occupiedPoints(transform: layout.transform) }
            var placement = legend.frame(location: layout.legendOutside ? .outsideRight : legendLocation, plotRect: plot,
                                         occupied: occupied, measurer: measurer)
            if layout.legendOutside { placement.frame.x += layout.colorbar?.reservedWidth(measurer: measurer) ?? 0 }
            layout.legend = (legend, placement.frame, placement.covered)
        }
    }

    /// Explicit limits, or the union of artist extents plus a 5% margin (none for images).
    private func limits(explicit: ClosedRange<Double>?, scale: AxisScale, ranges: [(ClosedRange<Double>?, DataExtent)],
                        axis: String) throws -> ClosedRange<Double> {
        if let explicit {
            guard explicit.lowerBound.isFinite, explicit.upperBound.isFinite, explicit.lowerBound < explicit.upperBound else {
                throw PlotError(.invalidArgument, "\(axis)Limits \(explicit) must be finite with lower < upper").prefixed(name)
            }
            guard scale == .linear || explicit.lowerBound > 0 else {
                throw PlotError(.nonPositiveOnLogAxis, "\(axis)Limits \(explicit) include values <= 0 on a log axis").prefixed(name)
            }
            return explicit
        }
        let present = ranges.filter { $0.0 != nil }
        guard var low = present.compactMap({ $0.0?.lowerBound }).min(),
              var high = present.compactMap({ $0.0?.upperBound }).max() else {
            return scale == .log ? 1...10 : 0...1
        }
        let tight = present.allSatisfy { $0.1.tight }
        let sticky = present.contains { $0.1.stickyZero }
        let forward: (Double) -> Double = scale == .log ? { log10($0) } : { $0 }
        let inverse: (Double) -> Double = scale == .log ? { pow(10, $0) } : { $0 }
        var a = forward(low), b = forward(high)
        if b - a < 1e-12 * max(1, abs(a)) {
            let pad = scale == .log ? 0.5 : (a == 0 ? 0.5 : abs(a) * 0.1)
            a -= pad
            b += pad
        } else if !tight {
            let margin = 0.05 * (b - a)
            if !(sticky && low == 0) { a -= margin }
            if !(sticky && high == 0) { b += margin }
        }
        low = inverse(a)
        high = inverse(b)
        return low...high
    }

    private func ticks(scale: AxisScale, range: ClosedRange<Double>, length: Double, spacing: Double,
                       categories: [String]?, wholeNumbers: Bool) -> [AxesLayout.Tick] {
        if let categories {
            return categories.enumerated()
                .filter { range.contains(Double($0.offset)) }
                .map { AxesLayout.Tick(value: Double($0.offset), label: $0.element) }
        }
        let maxTicks = min(9, max(3, Int(length / spacing)))
        if scale == .log {
            let decades = TickLocator.logDecades(lower: range.lowerBound, upper: range.upperBound, maxTicks: maxTicks)
            if decades.count >= 2 { return decades.map { AxesLayout.Tick(value: $0, label: TickLocator.logLabel($0)) } }
        }
        var values = TickLocator.linear(lower: range.lowerBound, upper: range.upperBound, maxTicks: maxTicks)
        var step = values.count > 1 ? values[1] - values[0] : 1
        // Heatmap cells are indexed by integers, and counts such as epochs have no halves:
        // fractional ticks would point between cells or epochs.
        if (wholeNumbers || artists.contains(where: { $0 is HeatmapArtist })) && step.rounded() != step {
            // The nearest whole step of the 1-2-5 ladder at or above the nice one (2.5 → 5).
            step = [1.0, 2, 5, 10, 20, 50, 100].first { $0 >= step } ?? step.rounded(.up)
            values = stride(from: (range.lowerBound / step).rounded(.up) * step, through: range.upperBound, by: step).map { $0 }
        }
        return zip(values, TickLocator.labels(values, step: step)).map { AxesLayout.Tick(value: $0, label: $1) }
    }
}
