/// Grouped bars: counts per category for each year (schools by category and year).
struct CountsByYearChart {
    struct Category {
        var name: String
        var counts: [Int]
    }

    var id: String
    var title: String
    var years: [String]
    var categories: [Category]
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        let maxCount = categories.flatMap(\.counts).max() ?? 0
        guard !years.isEmpty, !categories.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let width = 520.0, height = 250.0, left = 40.0, right = 10.0, top = 28.0, bottom = 80.0
        let plotW = width - left - right, plotH = height - top - bottom
        let ticks = ChartSVG.ticks(0, Double(max(1, maxCount)), count: 4)
        let high = ticks.last ?? 1
        func py(_ v: Double) -> Double { top + plotH * (1 - v / high) }
        let group = plotW / Double(years.count), bar = min(28, (group - 12) / Double(categories.count))
        let description = categories.map { c in c.name + ": " + zip(years, c.counts).map { "\($0) — \(format(Double($1)))" }.joined(separator: ", ") }
        var out = ChartSVG.open(id: id, title: title, description: description.joined(separator: "; "), width: width, height: height)
        for t in ticks {
            out += ChartSVG.line(left, py(t), width - right, py(t))
            out += ChartSVG.text(left - 6, py(t) + 4, format(t), anchor: "end", size: 11, fill: "#444")
        }
        for (y, year) in years.enumerated() {
            let x0 = left + group * Double(y) + (group - bar * Double(categories.count)) / 2
            for (k, c) in categories.enumerated() {
                let v = Double(y < c.counts.count ? c.counts[y] : 0)
                let x = x0 + bar * Double(k)
                out += ChartSVG.rect(x, py(v), bar - 2, py(0) - py(v), fill: ChartSVG.palette[k % ChartSVG.palette.count],
                                     extra: k % 2 == 1 ? "stroke=\"#1d2733\" stroke-width=\"0.8\"" : "")
                out += ChartSVG.text(x + (bar - 2) / 2, py(v) - 3, format(v), anchor: "middle", size: 11)
            }
            out += ChartSVG.text(left + group * (Double(y) + 0.5), top + plotH + 16, year, anchor: "middle", size: 11, fill: "#444")
        }
        // Legend in two columns: category names are long.
        for (k, c) in categories.enumerated() {
            let lx = 4 + Double(k % 2) * 258, ly = height - 40 + Double(k / 2) * 18
            out += ChartSVG.rect(lx, ly - 10, 12, 12, fill: ChartSVG.palette[k % ChartSVG.palette.count])
            out += ChartSVG.text(lx + 17, ly, c.name, size: 11)
        }
        return out + "</svg>"
    }
}

/// 100% stacked horizontal bars: one row per group (school, region), segments with their shares
/// printed inside when there is room (marks «2»…«5», or lowered / confirmed / raised).
struct StackedShareBar {
    struct Row {
        var label: String
        var shares: [Double]
    }

    var id: String
    var title: String
    var segments: [String]
    var rows: [Row]
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        guard !rows.isEmpty, !segments.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let width = 520.0, left = 90.0, right = 10.0, top = 28.0, rowH = 26.0
        let height = top + rowH * Double(rows.count) + 40
        let plotW = width - left - right
        let description = rows.map { r in r.label + ": " + zip(segments, r.shares).map { "\($0) \(format($1))" }.joined(separator: ", ") }
        var out = ChartSVG.open(id: id, title: title, description: description.joined(separator: "; "), width: width, height: height)
        // Hatching for every other segment: the order reads in greyscale too.
        out += "<defs><pattern id=\"\(id)-hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
            + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#ffffff\" stroke-width=\"2\" stroke-opacity=\"0.6\"/></pattern></defs>"
        for (r, row) in rows.enumerated() {
            let y = top + rowH * Double(r) + 4
            out += ChartSVG.text(left - 6, y + 14, row.label, anchor: "end")
            let total = row.shares.filter(\.isFinite).reduce(0, +)
            var x = left
            for (k, share) in row.shares.enumerated() where share.isFinite && share > 0 {
                let w = plotW * share / max(total, 1e-12)
                let color = ChartSVG.palette[k % ChartSVG.palette.count]
                out += ChartSVG.rect(x, y, w, rowH - 6, fill: color)
                if k % 2 == 1 { out += ChartSVG.rect(x, y, w, rowH - 6, fill: "url(#\(id)-hatch)") }
                if w > 34 { out += ChartSVG.text(x + w / 2, y + 14, format(share), anchor: "middle", size: 11, fill: "#ffffff", bold: true) }
                x += w
            }
        }
        let ly = top + rowH * Double(rows.count) + 22
        var lx = left
        for (k, s) in segments.enumerated() {
            out += ChartSVG.rect(lx, ly - 10, 12, 12, fill: ChartSVG.palette[k % ChartSVG.palette.count])
            if k % 2 == 1 { out += ChartSVG.rect(lx, ly - 10, 12, 12, fill: "url(#\(id)-hatch)") }
            out += ChartSVG.text(lx + 16, ly, s, size: 11)
            lx += 30 + Double(s.count) * 6.5
        }
        return out + "</svg>"
    }
}
