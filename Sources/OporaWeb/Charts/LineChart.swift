/// Values over years for a few series (school, municipality, region), each with an optional
/// interval drawn as a light band (or whiskers); a missing point breaks its line. Series differ by
/// colour, dash and marker shape.
struct LineChart {
    struct Point {
        /// The category (year) as displayed.
        var x: String
        var y: Double?
        var low: Double? = nil
        var high: Double? = nil
    }

    struct Series {
        var name: String
        var points: [Point]
    }

    enum IntervalStyle { case band, whiskers }

    var id: String
    var title: String
    var series: [Series]
    /// Fixed y range (e.g. 0…1 for shares); otherwise the data's, widened to nice ticks.
    var yDomain: ClosedRange<Double>? = nil
    var format: ChartFormatter
    var noData: String
    var intervalStyle: IntervalStyle = .band
    /// Legend entry for the intervals (e.g. "95% интервал"); no entry without it.
    var intervalLabel: String? = nil
    var xLabel: String? = nil
    var yLabel: String? = nil
    /// Without a fixed domain, whether the axis reaches 0.
    var includeZero = true
    /// A sentence put before the data in the text description.
    var summary: String? = nil
    var showTitle = true

    func svg() -> String {
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        // Categories in order of first appearance over all series.
        var xs: [String] = [], index: [String: Int] = [:]
        for s in series { for p in s.points where index[p.x] == nil { index[p.x] = xs.count; xs.append(p.x) } }
        // One slot per category and series: a category a series lacks breaks its line too.
        let slots: [[Point?]] = series.map { s in
            var row = [Point?](repeating: nil, count: xs.count)
            for p in s.points { row[index[p.x]!] = p }
            return row
        }
        let ys = slots.flatMap { $0.compactMap { finite($0?.y) } }
        guard !ys.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle) }
        let bounds = ys + slots.flatMap { $0.flatMap { [finite($0?.low), finite($0?.high)].compactMap { $0 } } }

        var low = bounds.min()!, high = bounds.max()!
        let fixed = yDomain.map { $0.lowerBound.isFinite && $0.upperBound.isFinite && $0.upperBound > $0.lowerBound } ?? false
        if fixed, let d = yDomain { (low, high) = (d.lowerBound, d.upperBound) } else if includeZero { (low, high) = (min(0, low), max(0, high)) }
        var ticks = ChartSVG.ticks(low, high)
        if fixed { ticks = ticks.filter { $0 >= low - 1e-9 && $0 <= high + 1e-9 } } else { (low, high) = (min(low, ticks.first!), max(high, ticks.last!)) }

        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let labels = ticks.map(format)
        let left = 8 + (yLabel == nil ? 0 : 18) + (labels.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0) + 8
        let right = 16.0, top = doc.top + 8, plotH = 200.0
        let plotW = doc.width - left - right
        let y = ChartScale(domain: low...high, range: (top + plotH, top))
        let step = plotW / Double(xs.count)
        func px(_ i: Int) -> Double { left + step * (Double(i) + 0.5) }

        var body = ChartSVG.yGrid(ticks, labels: labels, scale: y, x0: left, x1: left + plotW)
        body += ChartSVG.line(left, top + plotH, left + plotW, top + plotH, stroke: ChartSVG.muted)
        let every = max(1, Int(((xs.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0) + 8) / step) + 1)
        for (i, x) in xs.enumerated() where i % every == 0 {
            body += ChartSVG.text(px(i), top + plotH + 16, x, anchor: "middle", size: 11, fill: ChartSVG.muted)
        }
        var bottom = top + plotH + 22
        if let xLabel {
            body += ChartSVG.text(left + plotW / 2, bottom + 12, xLabel, anchor: "middle", size: 11, fill: ChartSVG.muted)
            bottom += 18
        }
        if let yLabel { body += ChartSVG.verticalLabel(14, top + plotH / 2, yLabel) }

        // Intervals under the lines; whiskers of several series side by side.
        let withIntervals = series.indices.filter { k in slots[k].contains { finite($0?.low) != nil && finite($0?.high) != nil } }
        for k in withIntervals.reversed() {
            let color = ChartSVG.lineColor(k)
            let offset = withIntervals.count > 1 ? (Double(withIntervals.firstIndex(of: k)!) - Double(withIntervals.count - 1) / 2) * 4 : 0
            var runs: [[(i: Int, lo: Double, hi: Double)]] = [[]]
            for i in xs.indices {
                if let lo = finite(slots[k][i]?.low), let hi = finite(slots[k][i]?.high) {
                    runs[runs.count - 1].append((i, min(lo, hi), max(lo, hi)))
                } else if !runs[runs.count - 1].isEmpty { runs.append([]) }
            }
            for run in runs where !run.isEmpty {
                if intervalStyle == .band && run.count > 1 {
                    let edge = run.map { (px($0.i), y.clamped($0.hi)) } + run.reversed().map { (px($0.i), y.clamped($0.lo)) }
                    let d = edge.enumerated().map { ($0.offset == 0 ? "M" : "L") + ChartSVG.n($0.element.0) + " " + ChartSVG.n($0.element.1) }.joined()
                    body += "<path class=\"interval\" d=\"\(d)Z\" fill=\"\(color)\" fill-opacity=\"0.18\"/>"
                } else {
                    for p in run {
                        let x = px(p.i) + offset, y0 = y.clamped(p.lo), y1 = y.clamped(p.hi)
                        let d = "M\(ChartSVG.n(x)) \(ChartSVG.n(y0))V\(ChartSVG.n(y1))M\(ChartSVG.n(x - 3)) \(ChartSVG.n(y0))H\(ChartSVG.n(x + 3))"
                            + "M\(ChartSVG.n(x - 3)) \(ChartSVG.n(y1))H\(ChartSVG.n(x + 3))"
                        body += "<path class=\"interval\" d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
                    }
                }
            }
        }

        // Lines and markers; the first series (the school) drawn last, on top.
        for k in series.indices.reversed() {
            let color = ChartSVG.lineColor(k), dash = ChartSVG.dash(k)
            var path = "", pen = false, markers = ""
            for i in xs.indices {
                guard let p = slots[k][i], let v = finite(p.y) else { pen = false; continue }
                path += (pen ? "L" : "M") + ChartSVG.n(px(i)) + " " + ChartSVG.n(y.clamped(v))
                pen = true
                markers += "<g class=\"point\">" + ChartSVG.tooltip("\(series[k].name), \(xs[i]): \(format(v))")
                    + ChartSVG.marker(.series(k), px(i), y.clamped(v), size: 4, fill: color) + "</g>"
            }
            body += "<g class=\"series\">"
            if path.contains("L") {
                body += "<path class=\"line\" d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2.2\" stroke-linejoin=\"round\""
                    + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
            }
            body += markers + "</g>"
        }

        var items = series.indices.map { k in
            ChartLegendItem(label: series[k].name, swatch: .line(color: ChartSVG.lineColor(k), dash: ChartSVG.dash(k), marker: .series(k)))
        }
        if let intervalLabel, let k = withIntervals.first {
            let color = ChartSVG.lineColor(k)
            items.append(ChartLegendItem(label: intervalLabel, swatch: intervalStyle == .band ? .band(color: color) : .line(color: color, dash: "", marker: nil)))
        }
        let legend = ChartSVG.legend(items, x: left, y: bottom + 6, width: plotW)
        body += legend.svg

        var description = summary.map { [$0] } ?? []
        for (k, s) in series.enumerated() {
            let values = xs.indices.map { i -> String in
                guard let p = slots[k][i], let v = finite(p.y) else { return "\(xs[i]): —" }
                if let lo = finite(p.low), let hi = finite(p.high) { return "\(xs[i]): \(format(v)) [\(format(min(lo, hi))); \(format(max(lo, hi)))]" }
                return "\(xs[i]): \(format(v))"
            }
            description.append(s.name + " — " + values.joined(separator: ", "))
        }
        return doc.render(kind: "line", height: bottom + 6 + legend.height + 4, description: description.joined(separator: ". "), body: body)
    }
}

extension LineChart.Point {
    /// A point of a year: the label is the year's digits, never grouped ("2024", not "2 024").
    init(year: Int, y: Double?, low: Double? = nil, high: Double? = nil) {
        self.init(x: String(year), y: y, low: low, high: high)
    }
}
