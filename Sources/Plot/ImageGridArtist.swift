/// Small grayscale images tiled in a grid with a caption under each (sample digits,
/// misclassified examples, learned filters). Ink convention: 1 is black on white.
struct ImageGridArtist {
    let images: [[Double]]
    let imageRows: Int
    let imageColumns: Int
    let captions: [String]
    let gridColumns: Int

    private static let captionStyle = TextStyle(size: 8)

    func draw(in area: Rect, renderer: Renderer) {
        let columns = min(gridColumns, images.count)
        let rows = (images.count + gridColumns - 1) / gridColumns
        let captionHeight = captions.isEmpty ? 0 : ImageGridArtist.captionStyle.size * 1.3 + 2
        let slotWidth = area.width / Double(columns), slotHeight = area.height / Double(rows)
        let aspect = Double(imageColumns) / Double(imageRows)
        // Largest image that leaves a margin and its caption inside the slot, aspect kept.
        var height = max(4, slotHeight - captionHeight - 6)
        var width = height * aspect
        if width > slotWidth - 6 {
            width = max(4, slotWidth - 6)
            height = width / aspect
        }
        let blockHeight = Double(rows) * slotHeight
        let top = area.minY + (area.height - blockHeight) / 2
        for (index, values) in images.enumerated() {
            let slotX = area.minX + Double(index % gridColumns) * slotWidth
            let slotY = top + Double(index / gridColumns) * slotHeight
            let used = height + captionHeight
            let rect = Rect(x: slotX + (slotWidth - width) / 2, y: slotY + (slotHeight - used) / 2, width: width, height: height)
            let image = RasterImage(width: imageColumns, height: imageRows) { column, row in
                let v = values[row * imageColumns + column]
                return v.isFinite ? Colormap.grays.color(at: v) : Color(red: 1, green: 0.4, blue: 0.4)
            }
            renderer.drawImage(image, in: rect, smooth: false)
            renderer.stroke(.rect(rect), style: StrokeStyle(color: renderer.theme.imageEdge, width: 0.5, roundJoins: false))
            if index < captions.count {
                renderer.drawText(captions[index], at: Point(x: rect.midX, y: rect.maxY + 2),
                                  style: ImageGridArtist.captionStyle, anchor: .topCenter)
            }
        }
    }
}
