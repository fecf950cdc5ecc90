/// Values over years for a few series (school, municipality, region), with optional intervals drawn
/// as whiskers; a missing point breaks its line.
struct LineChart {
    struct Point {
        var x: String
        var y: Double?
        var low: Double? = nil
        var high: Double? = nil
    }

    struct Series {
        var name: String
        var points: [Point]
    }

    var id: String
    var title: String
    var series: [Series]
    /// Fixed y range (e.g. 0…1 for shares); the data's otherwise.
    var yDomain: ClosedRange<Double>?
    var format: (Double) -> String
    var noData: String

    func svg() -> String {
        let xs = series.first?.points.map(\.x) ?? []
        let values = series.flatMap { $0.points.flatMap { [$0.y, $0.low, $0.high].compactMap { $0 } } }.filter(\.isFinite)
        guard !xs.isEmpty, !values.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData) }
        let width = 520.0, height = 240.0, left = 56.0, right = 16.0, top = 28.0, bottom = 58.0
        var low = yDomain?.lowerBound ?? min(0, values.min()!), high = yDomain?.upperBound ?? values.max()!
        if high <= low { high = low + 1 }
        let ticks = ChartSVG.ticks(low, high)
        low = min(low, ticks.first!)
        high = max(high, ticks.last!)
        let plotW = width - left - right, plotH = height - top - bottom
        func px(_ i: Int) -> Double { left + (xs.count == 1 ? plotW / 2 : plotW * Double(i) / Double(xs.count - 1)) }
        func py(_ v: Double) -> Double { top + plotH * (1 - (v - low) / (high - low)) }

        var description: [String] = []
        for s in series {
            description.append(s.name + ": " + zip(xs, s.points).map { "\($0) — \($1.y.map(format) ?? "—")" }.joined(separator: ", "))
        }
        var out = ChartSVG.open(id: id, title: title, description: description.joined(separator: "; "), width: width, height: height)
        for t in ticks {
            out += ChartSVG.line(left, py(t), width - right, py(t))
            out += ChartSVG.text(left - 6, py(t) + 4, format(t), anchor: "end", size: 11, fill: "#444")
        }
        for (i, x) in xs.enumerated() { out += ChartSVG.text(px(i), top + plotH + 16, x, anchor: "middle", size: 11, fill: "#444") }
        for (k, s) in series.enumerated() {
            let color = ChartSVG.palette[k % ChartSVG.palette.count]
            var path = "", pen = false
            for (i, p) in s.points.enumerated() where i < xs.count {
                guard let y = p.y, y.isFinite else { pen = false; continue }
                path += (pen ? "L" : "M") + "\(ChartSVG.n(px(i))) \(ChartSVG.n(py(y)))"
                pen = true
                if let lo = p.low, let hi = p.high, lo.isFinite, hi.isFinite {
                    out += ChartSVG.line(px(i) + Double(k) * 3 - 3, py(lo), px(i) + Double(k) * 3 - 3, py(hi), stroke: color, width: 1.2)
                }
            }
            if !path.isEmpty {
                out += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\""
                    + (ChartSVG.dashes[k % 4].isEmpty ? "" : " stroke-dasharray=\"\(ChartSVG.dashes[k % 4])\"") + "/>"
            }
            for (i, p) in s.points.enumerated() where i < xs.count {
                if let y = p.y, y.isFinite { out += ChartSVG.marker(k, px(i), py(y), color: color) }
            }
        }
        out += ChartSVG.legend(series.map(\.name), y: height - 10, x: left)
        return out + "</svg>"
    }
}
