/// Drawing, in back-to-front order: grid, artists (clipped), spines, ticks, labels,
/// title, colorbar, legend. Everything is positioned by the precomputed `AxesLayout`.
extension Axes {
    func draw(_ layout: AxesLayout, renderer: Renderer) {
        let plot = layout.plotRect
        switch layout.kind {
        case .imageGrid:
            imageGrid?.draw(in: plot, renderer: renderer)
        case .parallel:
            parallel?.draw(in: plot, renderer: renderer)
        case .surface:
            surface?.draw(in: plot, xLabel: xLabel, yLabel: yLabel, renderer: renderer)
        case .cartesian:
            drawCartesian(layout, renderer: renderer)
        }
        if let title {
            let top = layout.kind == .cartesian ? plot.minY - 6 : layout.cell.minY + 6 + TextStyle.title.size * 1.2
            renderer.drawText(title, at: Point(x: plot.midX, y: top), style: .title, anchor: .bottomCenter)
        }
    }

    private func drawCartesian(_ layout: AxesLayout, renderer: Renderer) {
        let plot = layout.plotRect, transform = layout.transform
        let xPositions = layout.xTicks.map { transform.x.page($0.value) }
        let yPositions = layout.yTicks.map { transform.y.page($0.value) }
        if showGrid {
            var grid = Path()
            for x in xPositions { grid.addPolyline([Point(x: x, y: plot.minY), Point(x: x, y: plot.maxY)]) }
            for y in yPositions { grid.addPolyline([Point(x: plot.minX, y: y), Point(x: plot.maxX, y: y)]) }
            renderer.stroke(grid, style: StrokeStyle(color: renderer.theme.grid, width: 0.7))
        }
        renderer.clipped(to: plot) {
            for artist in artists { artist.draw(in: renderer, transform: transform) }
        }
        guard frameVisible else { return }
        renderer.stroke(.rect(plot), style: StrokeStyle(color: renderer.theme.ink, width: 0.8, roundJoins: false))

        let tick = AxesLayout.tickLength, gap = AxesLayout.tickLabelGap
        var marks = Path(), minor = Path()
        for x in xPositions { marks.addPolyline([Point(x: x, y: plot.maxY), Point(x: x, y: plot.maxY + tick)]) }
        for y in yPositions { marks.addPolyline([Point(x: plot.minX, y: y), Point(x: plot.minX - tick, y: y)]) }
        for value in layout.xMinorTicks {
            let x = transform.x.page(value)
            minor.addPolyline([Point(x: x, y: plot.maxY), Point(x: x, y: plot.maxY + 2)])
        }
        for value in layout.yMinorTicks {
            let y = transform.y.page(value)
            minor.addPolyline([Point(x: plot.minX, y: y), Point(x: plot.minX - 2, y: y)])
        }
        renderer.stroke(marks, style: StrokeStyle(color: renderer.theme.ink, width: 0.8))
        renderer.stroke(minor, style: StrokeStyle(color: renderer.theme.ink, width: 0.6))

        for (x, label) in zip(xPositions, layout.xTicks.map(\.label)) {
            if layout.xTickLabelsRotated {
                renderer.drawText(label, at: Point(x: x + 2, y: plot.maxY + tick + gap), style: .tick,
                                  anchor: TextAnchor(horizontal: .right, vertical: .top), rotation: .pi / 4)
            } else {
                renderer.drawText(label, at: Point(x: x, y: plot.maxY + tick + gap), style: .tick, anchor: .topCenter)
            }
        }
        for (y, label) in zip(yPositions, layout.yTicks.map(\.label)) {
            renderer.drawText(label, at: Point(x: plot.minX - tick - gap, y: y), style: .tick, anchor: .rightCenter)
        }
        if let xLabel {
            let y = plot.maxY + tick + gap + layout.xTickLabelExtent + 4
            renderer.drawText(xLabel, at: Point(x: plot.midX, y: y), style: .label, anchor: .topCenter)
        }
        if let yLabel {
            let x = plot.minX - tick - gap - layout.yTickLabelExtent - 4 - TextStyle.label.size * 0.6
            renderer.drawText(yLabel, at: Point(x: x, y: plot.midY), style: .label, anchor: .center, rotation: .pi / 2)
        }
        layout.colorbar?.draw(in: plot, renderer: renderer)
        if let legend = layout.legend { legend.legend.draw(in: legend.frame, renderer: renderer) }
    }
}
