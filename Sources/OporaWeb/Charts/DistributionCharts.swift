/// A school's primary-score distribution (bars, share of its participants) against the region's
/// (a step line), with the minimum scores for «3», «4», «5» marked.
struct HistogramChart {
    var id: String
    var title: String
    /// Participants per score 0…max.
    var counts: [Int]
    /// The region's share per score.
    var regionShares: [Double]
    var boundaries: [(score: Int, label: String)]
    var schoolName: String
    var regionName: String
    var scoreLabel: String
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        let total = Double(counts.reduce(0, +))
        guard total > 0 else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let bins = max(counts.count, regionShares.count)
        let shares = (0..<bins).map { $0 < counts.count ? Double(counts[$0]) / total : 0 }
        let region = (0..<bins).map { $0 < regionShares.count ? regionShares[$0] : 0 }
        let width = 520.0, height = 240.0, left = 48.0, right = 10.0, top = 28.0, bottom = 56.0
        let plotW = width - left - right, plotH = height - top - bottom
        let ticks = ChartSVG.ticks(0, max(shares.max() ?? 0, region.max() ?? 0, 0.01), count: 4)
        let high = ticks.last!
        let bw = plotW / Double(bins)
        func px(_ i: Int) -> Double { left + bw * Double(i) }
        func py(_ v: Double) -> Double { top + plotH * (1 - v / high) }
        let mode = shares.indices.max { shares[$0] < shares[$1] } ?? 0
        var out = ChartSVG.open(id: id, title: title, description: "\(schoolName): \(Int(total)); \(scoreLabel) \(mode) — \(format(shares[mode]))",
                                width: width, height: height)
        for t in ticks {
            out += ChartSVG.line(left, py(t), width - right, py(t))
            out += ChartSVG.text(left - 6, py(t) + 4, format(t), anchor: "end", size: 11, fill: "#444")
        }
        for (i, s) in shares.enumerated() where s > 0 { out += ChartSVG.rect(px(i) + 0.5, py(s), bw - 1, py(0) - py(s), fill: ChartSVG.palette[0]) }
        var path = ""
        for (i, r) in region.enumerated() { path += (i == 0 ? "M" : "L") + "\(ChartSVG.n(px(i))) \(ChartSVG.n(py(r)))L\(ChartSVG.n(px(i + 1))) \(ChartSVG.n(py(r)))" }
        out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(ChartSVG.palette[1])\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
        for b in boundaries where b.score < bins {
            out += ChartSVG.line(px(b.score), top, px(b.score), top + plotH, stroke: "#1d2733", width: 1, dash: "2 3")
            out += ChartSVG.text(px(b.score) + 2, top + 10, b.label, size: 11)
        }
        let step = max(1, bins / 10)
        for i in stride(from: 0, to: bins, by: step) { out += ChartSVG.text(px(i) + bw / 2, top + plotH + 14, String(i), anchor: "middle", size: 10, fill: "#444") }
        out += ChartSVG.text(left + plotW / 2, top + plotH + 28, scoreLabel, anchor: "middle", size: 11, fill: "#444")
        out += ChartSVG.rect(left, height - 18, 12, 12, fill: ChartSVG.palette[0]) + ChartSVG.text(left + 16, height - 8, schoolName, size: 11)
        out += ChartSVG.line(left + 160, height - 12, left + 182, height - 12, stroke: ChartSVG.palette[1], width: 2, dash: "6 3")
            + ChartSVG.text(left + 187, height - 8, regionName, size: 11)
        return out + "</svg>"
    }
}

/// Completion of each task by the school against the region (paired horizontal bars); tasks where
/// the school is far below the region are marked.
struct TaskCompletionChart {
    struct Task {
        var code: String
        var level: String?
        var school: Double?
        var region: Double?
    }

    var id: String
    var title: String
    var tasks: [Task]
    var schoolName: String
    var regionName: String
    /// School − region at or below this (in share points) is marked.
    var gapThreshold = -0.15
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        guard !tasks.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let width = 520.0, left = 64.0, right = 56.0, top = 28.0, rowH = 20.0
        let height = top + rowH * Double(tasks.count) + 44
        let plotW = width - left - right
        func px(_ v: Double) -> Double { left + plotW * min(1, max(0, v)) }
        let weak = tasks.filter { ($0.school ?? 0) - ($0.region ?? 0) <= gapThreshold && $0.school != nil && $0.region != nil }.map(\.code)
        var out = ChartSVG.open(id: id, title: title, description: "\(tasks.count); ≤ \(format(-gapThreshold)): \(weak.joined(separator: ", "))",
                                width: width, height: height)
        for t in [0.0, 0.25, 0.5, 0.75, 1] {
            out += ChartSVG.line(px(t), top, px(t), top + rowH * Double(tasks.count))
            out += ChartSVG.text(px(t), top + rowH * Double(tasks.count) + 14, format(t), anchor: "middle", size: 10, fill: "#444")
        }
        for (i, t) in tasks.enumerated() {
            let y = top + rowH * Double(i)
            let isWeak = weak.contains(t.code)
            out += ChartSVG.text(left - 6, y + 13, t.code + (t.level.map { " (\($0))" } ?? ""), anchor: "end", size: 11, bold: isWeak)
            if let s = t.school { out += ChartSVG.rect(left, y + 2, px(s) - left, 8, fill: ChartSVG.palette[0]) }
            if let r = t.region { out += ChartSVG.rect(left, y + 10, px(r) - left, 6, fill: ChartSVG.palette[1], extra: "fill-opacity=\"0.75\"") }
            if isWeak { out += ChartSVG.text(width - right + 4, y + 13, "▼ " + format((t.school ?? 0) - (t.region ?? 0)), size: 11, fill: "#9b1c1c", bold: true) }
        }
        let ly = height - 8
        out += ChartSVG.rect(left, ly - 10, 12, 8, fill: ChartSVG.palette[0]) + ChartSVG.text(left + 16, ly, schoolName, size: 11)
        out += ChartSVG.rect(left + 170, ly - 9, 12, 6, fill: ChartSVG.palette[1]) + ChartSVG.text(left + 186, ly, regionName, size: 11)
        return out + "</svg>"
    }
}

/// Value-added estimates of schools, sorted, each with its interval; the zero line is "as
/// expected"; one school highlighted. A named list up to 40 schools, a compact plot beyond.
struct CaterpillarChart {
    struct School {
        var id: String
        var name: String
        var estimate: Double
        var low: Double
        var high: Double
        /// below / expected / above
        var band: String
    }

    var id: String
    var title: String
    var schools: [School]
    var highlight: String?
    var axisLabel: String
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        let list = schools.filter { $0.estimate.isFinite && $0.low.isFinite && $0.high.isFinite }.sorted { $0.estimate < $1.estimate }
        guard !list.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let low = min(0, list.map(\.low).min()!), high = max(0, list.map(\.high).max()!)
        let ticks = ChartSVG.ticks(low, high, count: 5)
        let lo = min(low, ticks.first!), hi = max(high, ticks.last!)
        let named = list.count <= 40
        let width = 520.0, top = 28.0
        let left = named ? 190.0 : 48.0, right = 12.0
        let rowH = named ? 16.0 : 0
        let plotH = named ? rowH * Double(list.count) : 200
        let height = top + plotH + 40
        let plotW = width - left - right
        func colour(_ band: String) -> String { band == "below" ? "#D55E00" : band == "above" ? "#009E73" : "#555555" }
        let counts = Dictionary(grouping: list, by: \.band).mapValues(\.count)
        var out = ChartSVG.open(id: id, title: title, description: "\(list.count): " + counts.keys.sorted().map { "\($0) \(counts[$0]!)" }.joined(separator: ", "),
                                width: width, height: height)
        if named {
            func px(_ v: Double) -> Double { left + plotW * (v - lo) / (hi - lo) }
            for t in ticks { out += ChartSVG.line(px(t), top, px(t), top + plotH) + ChartSVG.text(px(t), top + plotH + 14, format(t), anchor: "middle", size: 10, fill: "#444") }
            out += ChartSVG.line(px(0), top, px(0), top + plotH, stroke: "#1d2733", width: 1.2)
            for (i, s) in list.enumerated() {
                let y = top + rowH * (Double(i) + 0.5), mine = s.id == highlight, c = colour(s.band)
                let name = s.name.count > 27 ? String(s.name.prefix(26)) + "…" : s.name
                out += ChartSVG.text(left - 6, y + 4, name, anchor: "end", size: 11, bold: mine)
                out += ChartSVG.line(px(s.low), y, px(s.high), y, stroke: c, width: mine ? 3 : 1.5)
                out += ChartSVG.marker(s.band == "below" ? 2 : s.band == "above" ? 1 : 0, px(s.estimate), y, color: c, size: mine ? 5 : 3.5)
            }
        } else {
            func py(_ v: Double) -> Double { top + plotH * (1 - (v - lo) / (hi - lo)) }
            for t in ticks { out += ChartSVG.line(left, py(t), width - right, py(t)) + ChartSVG.text(left - 6, py(t) + 4, format(t), anchor: "end", size: 10, fill: "#444") }
            out += ChartSVG.line(left, py(0), width - right, py(0), stroke: "#1d2733", width: 1.2)
            let step = plotW / Double(list.count)
            for (i, s) in list.enumerated() {
                let x = left + step * (Double(i) + 0.5), mine = s.id == highlight, c = colour(s.band)
                out += ChartSVG.line(x, py(s.low), x, py(s.high), stroke: c, width: mine ? 3 : 1)
                if mine { out += ChartSVG.marker(0, x, py(s.estimate), color: "#1d2733", size: 5) + ChartSVG.text(x + 6, py(s.high) - 4, s.name, size: 11, bold: true) }
            }
        }
        out += ChartSVG.text(left + plotW / 2, height - 6, axisLabel, anchor: "middle", size: 11, fill: "#444")
        return out + "</svg>"
    }
}
