/// A school's primary-score distribution (bars: share of its participants per score) against the
/// region's (a step line or dots), with the minimum scores of the marks («3», «4», «5») marked.
struct HistogramChart {
    enum RegionStyle { case step, dots }

    var id: String
    var title: String
    /// The school's participants per score 0…max.
    var counts: [Int]
    /// The region's share of participants per score 0…max (empty: no region).
    var regionShares: [Double]
    /// Lowest score of each mark, drawn as a labelled vertical line at the left edge of its bar.
    var boundaries: [(score: Int, label: String)] = []
    var schoolName: String
    var regionName: String
    /// Name of the score axis ("первичный балл").
    var scoreLabel: String
    /// Formats shares (the y axis): e.g. a percent formatter.
    var format: ChartFormatter
    var noData: String
    var regionStyle: RegionStyle = .step
    /// Name of the share axis, written vertically.
    var shareLabel: String? = nil
    /// Formats scores on the x axis.
    var formatScore: (Int) -> String = { String($0) }
    var summary: String? = nil
    var showTitle = true

    static let barFill = "#56B4E9", barStroke = "#0072B2", regionColor = "#D55E00"

    func svg() -> String {
        let total = Double(counts.reduce(0) { $0 + max(0, $1) })
        guard total > 0 else { return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle) }
        let bins = max(counts.count, regionShares.count)
        let shares = (0..<bins).map { $0 < counts.count ? Double(max(0, counts[$0])) / total : 0 }
        let region: [Double?] = (0..<bins).map { $0 < regionShares.count && regionShares[$0].isFinite ? max(0, regionShares[$0]) : nil }
        let marks = boundaries.filter { $0.score >= 0 && $0.score <= bins }.sorted { $0.score < $1.score }

        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let ticks = ChartSVG.ticks(0, max(shares.max() ?? 0, region.compactMap { $0 }.max() ?? 0, 0.01), count: 4)
        let labels = ticks.map(format)
        let left = 8 + (shareLabel == nil ? 0 : 18) + (labels.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0) + 8
        let right = 12.0, plotW = doc.width - left - right, plotH = 200.0
        let bw = plotW / Double(bins)
        func px(_ i: Int) -> Double { left + bw * Double(i) }

        // Mark labels above the plot, on a second row where they would overlap.
        var rowEnds: [Double] = [], placed: [(x: Double, row: Int, label: String)] = []
        for m in marks {
            let x = px(m.score), w = ChartSVG.textWidth(m.label, size: 11)
            let row = rowEnds.firstIndex { $0 < x - 2 } ?? rowEnds.count
            if row == rowEnds.count { rowEnds.append(0) }
            rowEnds[row] = x + 3 + w
            placed.append((x, row, m.label))
        }
        let top = doc.top + 8 + Double(rowEnds.count) * 15
        let y = ChartScale(domain: 0...ticks.last!, range: (top + plotH, top))

        var body = ChartSVG.yGrid(ticks, labels: labels, scale: y, x0: left, x1: left + plotW)
        body += "<g class=\"bars\">"
        for (i, s) in shares.enumerated() where s > 0 {
            let inset = bw > 4 ? 0.5 : 0
            body += "<g class=\"bar\">" + ChartSVG.tooltip("\(formatScore(i)): \(format(s))")
                + ChartSVG.rect(px(i) + inset, y(s), bw - 2 * inset, y(0) - y(s), fill: Self.barFill,
                                extra: "stroke=\"\(Self.barStroke)\" stroke-width=\"1\"") + "</g>"
        }
        body += "</g>" + ChartSVG.line(left, y(0), left + plotW, y(0), stroke: ChartSVG.muted)

        switch regionStyle {
        case .step:
            var d = "", pen = false
            for (i, r) in region.enumerated() {
                guard let r else { pen = false; continue }
                d += (pen ? "L" : "M") + "\(ChartSVG.n(px(i))) \(ChartSVG.n(y(r)))H\(ChartSVG.n(px(i + 1)))"
                pen = true
            }
            if !d.isEmpty {
                body += "<path class=\"region\" d=\"\(d)\" fill=\"none\" stroke=\"\(Self.regionColor)\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
            }
        case .dots:
            body += "<g class=\"region\">"
            for (i, r) in region.enumerated() {
                if let r { body += ChartSVG.marker(.diamond, px(i) + bw / 2, y(r), size: min(3.5, max(2, bw / 3)), fill: Self.regionColor) }
            }
            body += "</g>"
        }

        for p in placed {
            let ly = top - 6 - Double(p.row) * 15
            // Near the right edge the label goes left of its line.
            let flip = p.x + 3 + ChartSVG.textWidth(p.label, size: 11) > doc.width - 4
            body += "<g class=\"boundary\">" + ChartSVG.line(p.x, ly + 2, p.x, top + plotH, stroke: ChartSVG.ink, width: 1.2, dash: "4 3")
                + ChartSVG.text(flip ? p.x - 3 : p.x + 3, ly, p.label, anchor: flip ? "end" : "start", size: 11, bold: true) + "</g>"
        }

        // Score labels, thinned so they do not overlap.
        let widest = (0..<bins).map { ChartSVG.textWidth(formatScore($0), size: 11) }.max() ?? 0
        let every = [1, 2, 5, 10, 20, 50, 100, 200, 500].first { Double($0) * bw >= widest + 6 } ?? bins
        for i in stride(from: 0, to: bins, by: every) {
            body += ChartSVG.text(px(i) + bw / 2, top + plotH + 15, formatScore(i), anchor: "middle", size: 11, fill: ChartSVG.muted)
        }
        body += ChartSVG.text(left + plotW / 2, top + plotH + 32, scoreLabel, anchor: "middle", size: 11, fill: ChartSVG.muted)
        if let shareLabel { body += ChartSVG.verticalLabel(14, top + plotH / 2, shareLabel) }

        var items = [ChartLegendItem(label: schoolName, swatch: .box(fill: Self.barFill, stroke: Self.barStroke))]
        if region.contains(where: { $0 != nil }) {
            items.append(ChartLegendItem(label: regionName, swatch: regionStyle == .step ? .line(color: Self.regionColor, dash: "6 3", marker: nil)
                                                                                        : .marker(.diamond, color: Self.regionColor)))
        }
        let legend = ChartSVG.legend(items, x: left, y: top + plotH + 42, width: plotW)
        body += legend.svg

        var description = summary.map { [$0] } ?? []
        description += marks.map { "\($0.label) ≥ \(formatScore($0.score))" }
        description += (0..<bins).compactMap { i in
            guard shares[i] > 0 || (region[i] ?? 0) > 0 else { return nil }
            return "\(scoreLabel) \(formatScore(i)): \(schoolName) \(format(shares[i]))" + (region[i].map { ", \(regionName) \(format($0))" } ?? "")
        }
        return doc.render(kind: "histogram", height: top + plotH + 42 + legend.height + 4, description: description.joined(separator: "; "), body: body)
    }
}
