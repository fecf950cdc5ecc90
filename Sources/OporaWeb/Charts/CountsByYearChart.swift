/// Grouped vertical bars: counts per category for each year (e.g. schools flagged per category),
/// values printed above the bars. Bars differ by colour and texture, so they read in greyscale.
struct CountsByYearChart {
    struct Category {
        var name: String
        /// One count per year, in the years' order; nil: no data (no bar).
        var counts: [Int?]
    }

    enum Grouping {
        /// A group per year, a bar per category (legend: categories).
        case byYear
        /// A group per category, a bar per year (legend: years).
        case byCategory
    }

    var id: String
    var title: String
    var years: [String]
    var categories: [Category]
    /// Formats counts (axis and values above the bars).
    var format: ChartFormatter
    var noData: String
    var grouping: Grouping = .byYear
    var yLabel: String? = nil
    var summary: String? = nil
    var showTitle = true

    func svg() -> String {
        func count(_ c: Int, _ y: Int) -> Int? { y < categories[c].counts.count ? categories[c].counts[y] : nil }
        guard !years.isEmpty, categories.indices.contains(where: { c in years.indices.contains { count(c, $0) != nil } }) else {
            return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle)
        }
        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let byYear = grouping == .byYear
        let groups = byYear ? years : categories.map(\.name)
        let members = byYear ? categories.map(\.name) : years
        func value(_ g: Int, _ m: Int) -> Int? { byYear ? count(m, g) : count(g, m) }

        let maxCount = Double(groups.indices.flatMap { g in members.indices.compactMap { value(g, $0) } }.max() ?? 0)
        let ticks = ChartSVG.ticks(0, max(1, maxCount), count: 4).filter { $0 >= 0 && $0 == $0.rounded() }
        let labels = ticks.map(format)
        let left = 8 + (yLabel == nil ? 0 : 18) + (labels.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0) + 8
        let right = 12.0, top = doc.top + 16, plotH = 180.0
        let plotW = doc.width - left - right
        let y = ChartScale(domain: 0...(ticks.last ?? 1), range: (top + plotH, top))
        let groupW = plotW / Double(groups.count)
        let barW = min(44, max(4, (groupW - 14) / Double(members.count)))

        var body = ChartSVG.patternDefs(doc.id, colors: members.indices.map { ChartSVG.fillColors[$0 % ChartSVG.fillColors.count] })
        body += ChartSVG.yGrid(ticks, labels: labels, scale: y, x0: left, x1: left + plotW)
        var groupLines = 1
        for (g, name) in groups.enumerated() {
            let x0 = left + groupW * Double(g) + (groupW - barW * Double(members.count)) / 2
            body += "<g class=\"group\">"
            for m in members.indices {
                guard let v = value(g, m) else { continue }
                let x = x0 + barW * Double(m), barTop = y(Double(max(0, v)))
                body += "<g class=\"bar\">" + ChartSVG.tooltip("\(name), \(members[m]): \(format(Double(v)))")
                    + ChartSVG.rect(x + 1, barTop, barW - 2, y(0) - barTop, fill: ChartSVG.patternFill(doc.id, m),
                                    extra: "stroke=\"\(ChartSVG.ink)\" stroke-width=\"0.6\"")
                    + ChartSVG.text(x + barW / 2, barTop - 4, format(Double(v)), anchor: "middle", size: 11) + "</g>"
            }
            let lines = ChartSVG.wrap(name, width: groupW - 6, size: 11)
            groupLines = max(groupLines, lines.count)
            for (i, line) in lines.enumerated() {
                body += ChartSVG.text(left + groupW * (Double(g) + 0.5), top + plotH + 15 + Double(i) * 13, line, anchor: "middle", size: 11, fill: ChartSVG.ink)
            }
            body += "</g>"
        }
        body += ChartSVG.line(left, y(0), left + plotW, y(0), stroke: ChartSVG.muted)
        if let yLabel { body += ChartSVG.verticalLabel(14, top + plotH / 2, yLabel) }

        let legendTop = top + plotH + 10 + 13 * Double(groupLines) + 6
        let legend = ChartSVG.legend(members.indices.map { ChartLegendItem(label: members[$0], swatch: .box(fill: ChartSVG.patternFill(doc.id, $0), stroke: nil)) },
                                     x: left, y: legendTop, width: plotW)
        body += legend.svg

        var description = summary.map { [$0] } ?? []
        description += categories.indices.map { c in
            categories[c].name + ": " + years.indices.map { "\(years[$0]) — " + (count(c, $0).map { format(Double($0)) } ?? "—") }.joined(separator: ", ")
        }
        return doc.render(kind: "counts", height: legendTop + legend.height + 4, description: description.joined(separator: "; "), body: body)
    }
}
