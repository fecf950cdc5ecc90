/// 100% stacked horizontal bars: one row per group (school, region), one segment per category
/// (marks «2»…«5», or lowered / confirmed / raised) with its share printed inside when there is
/// room. Segments differ by colour and texture (patterns), so they read in greyscale too.
struct StackedShareBar {
    struct Row {
        var label: String
        /// One share per segment, in the segments' order; widths are normalised to the row's total.
        var shares: [Double]
    }

    var id: String
    var title: String
    var segments: [String]
    var rows: [Row]
    /// Formats shares as printed (e.g. as percent).
    var format: ChartFormatter
    var noData: String
    /// Segment colours `#rrggbb`, cycled; ordered worst → best by default.
    var colors: [String]? = nil
    var summary: String? = nil
    var showTitle = true

    func svg() -> String {
        guard !rows.isEmpty, !segments.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle) }
        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let palette = (colors?.isEmpty ?? true) ? ChartSVG.orderedFills : colors!
        let fills = segments.indices.map { palette[$0 % palette.count] }
        let rowH = 32.0, barH = 24.0
        let left = 8 + (rows.map { ChartSVG.textWidth($0.label, size: 12) }.max() ?? 0) + 10
        let right = 12.0, plotW = doc.width - left - right, top = doc.top + 6

        var body = ChartSVG.patternDefs(doc.id, colors: fills)
        for (r, row) in rows.enumerated() {
            let y = top + rowH * Double(r)
            let shares = segments.indices.map { k in k < row.shares.count && row.shares[k].isFinite ? max(0, row.shares[k]) : 0 }
            let total = shares.reduce(0, +)
            body += "<g class=\"row\">" + ChartSVG.text(left - 8, y + barH / 2 + 4, row.label, anchor: "end", size: 12)
            if total <= 0 {
                body += ChartSVG.rect(left, y, plotW, barH, fill: "none", extra: "stroke=\"\(ChartSVG.gridColor)\"")
                    + ChartSVG.text(left + 6, y + barH / 2 + 4, "—", size: 12, fill: ChartSVG.muted)
            }
            var x = left
            for (k, share) in shares.enumerated() where total > 0 && share > 0 {
                let w = plotW * share / total
                body += "<g class=\"segment\">" + ChartSVG.tooltip("\(row.label), \(segments[k]): \(format(share))")
                    + ChartSVG.rect(x, y, w, barH, fill: ChartSVG.patternFill(doc.id, k), extra: "stroke=\"#ffffff\" stroke-width=\"1\"")
                let label = format(share)
                if ChartSVG.textWidth(label, size: 11) + 8 <= w {
                    body += ChartSVG.text(x + w / 2, y + barH / 2 + 4, label, anchor: "middle", size: 11, bold: true, extra: ChartSVG.halo)
                }
                body += "</g>"
                x += w
            }
            body += "</g>"
        }
        let legendTop = top + rowH * Double(rows.count)
        let legend = ChartSVG.legend(segments.indices.map { ChartLegendItem(label: segments[$0], swatch: .box(fill: ChartSVG.patternFill(doc.id, $0), stroke: nil)) },
                                     x: left, y: legendTop, width: plotW)
        body += legend.svg

        var description = summary.map { [$0] } ?? []
        description += rows.map { row in
            row.label + ": " + segments.indices.map { k in
                "\(segments[k]) " + (k < row.shares.count && row.shares[k].isFinite ? format(row.shares[k]) : "—")
            }.joined(separator: ", ")
        }
        return doc.render(kind: "stacked", height: legendTop + legend.height + 4, description: description.joined(separator: "; "), body: body)
    }
}
