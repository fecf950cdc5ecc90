/// Completion of each task by the school (a bar) against the region (a dark tick); tasks where the
/// school is far below the region are marked (tinted row, bold code, "▼ difference").
struct TaskCompletionChart {
    struct Task {
        /// "1", "2", "9.1".
        var code: String
        /// Level tag, already localised: "Б", "П", "В".
        var level: String? = nil
        var school: Double?
        var region: Double?
    }

    var id: String
    var title: String
    var tasks: [Task]
    var schoolName: String
    var regionName: String
    /// School − region at or below this (in the values' unit: −0.15 = 15 points of shares) is marked.
    var gapThreshold = -0.15
    /// Formats completion values and differences (e.g. as percent).
    var format: ChartFormatter
    var noData: String
    /// Range of completion values: 0…1 for shares, 0…100 for percent.
    var domain: ClosedRange<Double> = 0...1
    /// Legend entry explaining the marked rows (e.g. "ниже региона на 15 п. и более").
    var weakLabel: String? = nil
    var summary: String? = nil
    var showTitle = true

    static let schoolColor = "#0072B2"

    /// Whether the school is far below the region on this task.
    func isWeak(_ t: Task) -> Bool {
        guard let s = t.school, let r = t.region, s.isFinite, r.isFinite else { return false }
        return s - r <= gapThreshold + 1e-9
    }

    func svg() -> String {
        guard !tasks.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle) }
        func finite(_ v: Double?) -> Double? { v.flatMap { $0.isFinite ? $0 : nil } }
        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let lo = domain.lowerBound.isFinite ? domain.lowerBound : 0
        let hi = domain.upperBound.isFinite && domain.upperBound > lo ? domain.upperBound : lo + 1
        let rowH = 20.0
        let codeW = tasks.map { ChartSVG.textWidth($0.code, size: 12) }.max() ?? 0
        let levelW = tasks.compactMap { $0.level.map { ChartSVG.textWidth($0, size: 11) } }.max()
        let codeRight = 8 + codeW
        let left = codeRight + (levelW.map { $0 + 8 } ?? 0) + 12
        let values = tasks.map { finite($0.school).map(format) ?? "—" }
        let deltas = tasks.map { t in isWeak(t) ? "▼ " + format(t.school! - t.region!) : "" }
        let valueW = values.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0
        let deltaW = deltas.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0
        let right = 12 + valueW + (deltaW > 0 ? deltaW + 10 : 0) + 8
        let plotW = max(160, doc.width - left - right)
        let top = doc.top + 22, plotH = rowH * Double(tasks.count)
        let x = ChartScale(domain: lo...hi, range: (left, left + plotW))
        let ticks = ChartSVG.ticks(lo, hi).filter { $0 >= lo - 1e-9 && $0 <= hi + 1e-9 }

        var body = ChartSVG.xGrid(ticks, labels: ticks.map(format), scale: x, y0: top, y1: top + plotH, top: true, bottom: tasks.count > 12)
        for (i, t) in tasks.enumerated() {
            let y0 = top + rowH * Double(i), weak = isWeak(t)
            body += "<g class=\"task\(weak ? " weak" : "")\">"
            if weak { body += ChartSVG.rect(4, y0, doc.width - 8, rowH, fill: ChartSVG.alertFill) }
            body += ChartSVG.text(codeRight, y0 + 14, t.code, anchor: "end", size: 12, fill: weak ? ChartSVG.alert : ChartSVG.ink, bold: weak)
            if let level = t.level { body += ChartSVG.text(codeRight + 6, y0 + 14, level, size: 11, fill: ChartSVG.muted) }
            if let s = finite(t.school) {
                body += ChartSVG.rect(left, y0 + 5, x.clamped(s) - left, 10, fill: Self.schoolColor, extra: "class=\"school\"")
            }
            if let r = finite(t.region) {
                let rx = x.clamped(r)
                body += "<g class=\"region\">" + ChartSVG.line(rx, y0 + 2, rx, y0 + rowH - 2, stroke: "#ffffff", width: 4.5)
                    + ChartSVG.line(rx, y0 + 2, rx, y0 + rowH - 2, stroke: ChartSVG.ink, width: 2.5) + "</g>"
            }
            let vx = left + plotW + 8 + valueW
            body += ChartSVG.text(vx, y0 + 14, values[i], anchor: "end", size: 11, fill: weak ? ChartSVG.alert : ChartSVG.ink, bold: weak)
            if weak { body += ChartSVG.text(vx + 10, y0 + 14, deltas[i], size: 11, fill: ChartSVG.alert, bold: true) }
            body += "</g>"
        }
        body += ChartSVG.line(left, top, left, top + plotH, stroke: ChartSVG.muted)

        let legendTop = top + plotH + (tasks.count > 12 ? 22 : 8)
        var items = [ChartLegendItem(label: schoolName, swatch: .box(fill: Self.schoolColor, stroke: nil)),
                     ChartLegendItem(label: regionName, swatch: .tick(color: ChartSVG.ink))]
        if let weakLabel, tasks.contains(where: isWeak) { items.append(ChartLegendItem(label: weakLabel, swatch: .box(fill: ChartSVG.alertFill, stroke: ChartSVG.alert))) }
        let legend = ChartSVG.legend(items, x: left, y: legendTop, width: doc.width - left - 8)
        body += legend.svg

        var description = summary.map { [$0] } ?? []
        description += tasks.map { t in
            t.code + (t.level.map { " (\($0))" } ?? "") + ": \(schoolName) \(finite(t.school).map(format) ?? "—"), \(regionName) \(finite(t.region).map(format) ?? "—")"
        }
        let weak = tasks.filter(isWeak).map(\.code)
        if !weak.isEmpty { description.append((weakLabel ?? "▼") + ": " + weak.joined(separator: ", ")) }
        return doc.render(kind: "tasks", height: legendTop + legend.height + 4, description: description.joined(separator: "; "), body: body)
    }
}
