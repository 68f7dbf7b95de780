/// Redrawing from recorded calls: the inverse of the recording each public call does.
extension Axes {
    /// Makes `call` again, exactly as the drawing code made it (it is recorded again, too).
    func replay(_ call: AxesCall) {
        switch call {
        case let .line(x, y, label, color, width, dash, marker):
            line(x: x, y: y, label: label, color: color, width: width, dash: dash, marker: marker)
        case let .scatter(x, y, label, color, size, marker):
            scatter(x: x, y: y, label: label, color: color, size: size, marker: marker)
        case let .filledContour(x, y, z, levels, colormap, colorbarLabel, center, valueRange):
            filledContour(x: x, y: y, z: z, levels: levels, colormap: colormap, colorbarLabel: colorbarLabel, center: center,
                          valueRange: valueRange)
        case let .contourLines(x, y, z, levels, color, labelLines):
            contourLines(x: x, y: y, z: z, levels: levels, color: color, labelLines: labelLines)
        case let .heatmap(values, colormap, colorScale, valueRange, colorbarLabel, xTickLabels, yTickLabels, annotate,
                          annotationFormat, center):
            heatmap(values, colormap: colormap, colorScale: colorScale, valueRange: valueRange, colorbarLabel: colorbarLabel,
                    xTickLabels: xTickLabels, yTickLabels: yTickLabels, annotate: annotate, annotationFormat: annotationFormat,
                    center: center)
        case let .surface3D(x, y, z, colormap, elevation, azimuth, zLabel):
            surface3D(x: x, y: y, z: z, colormap: colormap, elevation: elevation, azimuth: azimuth, zLabel: zLabel)
        case let .groupedBars(categories, series):
            groupedBars(categories: categories, series: series)
        case let .imageGrid(images, imageRows, imageColumns, captions, gridColumns):
            imageGrid(images: images, imageRows: imageRows, imageColumns: imageColumns, captions: captions, gridColumns: gridColumns)
        case let .horizontalLine(y, color, dash, label):
            horizontalLine(y: y, color: color, dash: dash, label: label)
        case let .verticalLine(x, color, dash, label):
            verticalLine(x: x, color: color, dash: dash, label: label)
        case let .text(string, x, y, color):
            text(string, x: x, y: y, color: color)
        case let .xCategories(labels):
            categoricalX(labels)
        case let .parallelCoordinates(dimensions, colorValues, colorLabel, colormap):
            parallelCoordinates(dimensions, colorValues: colorValues, colorLabel: colorLabel, colormap: colormap)
        }
    }
}
