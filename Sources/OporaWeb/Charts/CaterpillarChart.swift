/// How a school's value-added compares with the expected: its interval below zero, around it, above.
enum ChartBand: String, CaseIterable {
    case below, expected, above
    /// Not estimated with confidence (e.g. too little data).
    case unknown

    /// From the analysis' raw value ("below", "expected", "above"; anything else is unknown).
    init(raw: String) { self = ChartBand(rawValue: raw) ?? .unknown }

    var color: String {
        switch self {
        case .below: "#D55E00"
        case .expected: "#4b5563"
        case .above: "#0072B2"
        case .unknown: "#6b7280"
        }
    }

    var marker: ChartMarker {
        switch self {
        case .below: .triangleDown
        case .expected, .unknown: .circle
        case .above: .triangleUp
        }
    }
}

/// Value-added estimates of schools, sorted, each with its 95% interval, against the zero line (as
/// expected); colour and marker shape by band; one school highlighted. Up to `listThreshold`
/// schools: a named list (highest first, estimate axis horizontal); beyond: a compact caterpillar
/// (rank on x, lowest first) where only the highlighted school is named.
struct CaterpillarChart {
    struct School {
        var id: String
        var name: String
        var estimate: Double
        var low: Double?
        var high: Double?
        var band: ChartBand
    }

    var id: String
    var title: String
    var schools: [School]
    /// The id of the school to highlight.
    var highlight: String? = nil
    /// Name of the estimate axis ("баллы относительно ожидаемого").
    var axisLabel: String? = nil
    /// Formats estimates.
    var format: ChartFormatter
    var noData: String
    /// Name of the rank axis of the compact form ("школы по возрастанию оценки").
    var rankLabel: String? = nil
    /// Legend names of the bands; bands without a name get no legend entry.
    var bandLabels: [ChartBand: String] = [:]
    var listThreshold = 40
    var formatRank: (Int) -> String = { String($0) }
    var summary: String? = nil
    var showTitle = true
    /// State the highlighted school's place among the schools (not for ВПР: its results do not rate schools).
    var statesRank = true

    func svg() -> String {
        let list = schools.filter(\.estimate.isFinite).sorted {
            $0.estimate != $1.estimate ? $0.estimate < $1.estimate : ($0.name != $1.name ? $0.name < $1.name : $0.id < $1.id)
        }
        guard !list.isEmpty else { return ChartSVG.empty(id: id, title: title, noData: noData, showTitle: showTitle) }
        func interval(_ s: School) -> (Double, Double)? {
            guard let lo = s.low, let hi = s.high, lo.isFinite, hi.isFinite else { return nil }
            return (min(lo, hi), max(lo, hi))
        }
        let values = list.flatMap { s in [s.estimate] + (interval(s).map { [$0.0, $0.1] } ?? []) }
        let ticks = ChartSVG.ticks(min(0, values.min()!), max(0, values.max()!))
        let domain = ticks.first!...ticks.last!
        let doc = ChartDocument(id: id, title: title, showTitle: showTitle)
        let named = list.count <= listThreshold
        let rank = list.firstIndex { $0.id == highlight }

        var (body, bottom) = named ? listBody(list.reversed(), ticks: ticks, domain: domain, doc: doc, interval: interval)
                                   : compactBody(list, ticks: ticks, domain: domain, doc: doc, interval: interval)
        let items = ChartBand.allCases.compactMap { b -> ChartLegendItem? in
            guard let label = bandLabels[b], list.contains(where: { $0.band == b }) else { return nil }
            return ChartLegendItem(label: label, swatch: .marker(b.marker, color: b.color))
        }
        let legend = ChartSVG.legend(items, x: 8, y: bottom + 4, width: doc.width - 16)
        body += legend.svg
        bottom += legend.height

        var description = summary.map { [$0] } ?? []
        description.append("\(formatRank(list.count)): " + ChartBand.allCases.compactMap { b in
            let k = list.filter { $0.band == b }.count
            return k == 0 ? nil : "\(bandLabels[b] ?? b.rawValue) \(formatRank(k))"
        }.joined(separator: ", "))
        if let rank {
            let s = list[rank]
            description.append("\(s.name): \(format(s.estimate))" + (interval(s).map { " [\(format($0.0)); \(format($0.1))]" } ?? "")
                               + (statesRank ? " (\(formatRank(list.count - rank))/\(formatRank(list.count)))" : ""))
        }
        return doc.render(kind: named ? "caterpillar" : "caterpillar compact", height: bottom + 6,
                          description: description.joined(separator: ". "), body: body)
    }

    private func tooltip(_ s: School, _ interval: (Double, Double)?) -> String {
        ChartSVG.tooltip("\(s.name): \(format(s.estimate))" + (interval.map { " [\(format($0.0)); \(format($0.1))]" } ?? ""))
    }

    /// Named rows, highest estimate first; the estimate axis runs across.
    private func listBody(_ list: [School], ticks: [Double], domain: ClosedRange<Double>, doc: ChartDocument,
                          interval: (School) -> (Double, Double)?) -> (String, Double) {
        let rowH = 17.0
        // Names are measured bold (the highlighted one is); the last tick label is centred on the edge.
        let nameW = min(240, (list.map { ChartSVG.textWidth($0.name, size: 11) }.max() ?? 0) * 1.1)
        let labels = ticks.map(format)
        let left = 8 + nameW + 12, right = max(16, ChartSVG.textWidth(labels.last ?? "", size: 11) / 2 + 6), top = doc.top + 20
        let plotW = doc.width - left - right, plotH = rowH * Double(list.count)
        let x = ChartScale(domain: domain, range: (left, left + plotW))
        var body = ChartSVG.xGrid(ticks, labels: labels, scale: x, y0: top, y1: top + plotH, top: list.count > 15, bottom: true)
        body += ChartSVG.line(x(0), top, x(0), top + plotH, stroke: ChartSVG.ink, width: 1.5)
        for (i, s) in list.enumerated() {
            let y = top + rowH * (Double(i) + 0.5), mine = s.id == highlight, c = s.band.color
            body += "<g class=\"school \(s.band.rawValue)\(mine ? " highlight" : "")\">" + tooltip(s, interval(s))
            if mine { body += ChartSVG.rect(4, y - rowH / 2, doc.width - 8, rowH, fill: ChartSVG.highlightFill) }
            body += ChartSVG.text(left - 8, y + 4, ChartSVG.truncate(s.name, width: nameW, size: 11), anchor: "end", size: 11, bold: mine)
            if let iv = interval(s) { body += ChartSVG.line(x(iv.0), y, x(iv.1), y, stroke: c, width: mine ? 3 : 1.5) }
            body += ChartSVG.marker(s.band.marker, x(s.estimate), y, size: mine ? 5.5 : 4, fill: c,
                                    stroke: mine ? ChartSVG.ink : "#ffffff", strokeWidth: mine ? 1.5 : 1) + "</g>"
        }
        var bottom = top + plotH + 20
        if let axisLabel {
            body += ChartSVG.text(left + plotW / 2, bottom + 12, axisLabel, anchor: "middle", size: 11, fill: ChartSVG.muted)
            bottom += 18
        }
        return (body, bottom)
    }

    /// A column per school, lowest estimate left; the estimate axis runs up; only the highlighted
    /// school is named (every school has a hover tooltip).
    private func compactBody(_ list: [School], ticks: [Double], domain: ClosedRange<Double>, doc: ChartDocument,
                             interval: (School) -> (Double, Double)?) -> (String, Double) {
        let labels = ticks.map(format)
        let left = 8 + (axisLabel == nil ? 0 : 18) + (labels.map { ChartSVG.textWidth($0, size: 11) }.max() ?? 0) + 8
        let right = 16.0, top = doc.top + 24, plotH = 220.0
        let plotW = doc.width - left - right
        let y = ChartScale(domain: domain, range: (top + plotH, top))
        let step = plotW / Double(list.count)
        func px(_ i: Int) -> Double { left + step * (Double(i) + 0.5) }
        var body = ChartSVG.yGrid(ticks, labels: labels, scale: y, x0: left, x1: left + plotW)
        body += ChartSVG.line(left, y(0), left + plotW, y(0), stroke: ChartSVG.ink, width: 1.5)
        let whisker = min(2, max(0.6, step * 0.5)), size = min(3.5, max(2.2, step * 0.6))
        var highlighted = ""
        for (i, s) in list.enumerated() {
            let c = s.band.color, iv = interval(s)
            guard s.id != highlight else {
                let x = px(i), label = "\(s.name): \(format(s.estimate))"
                let anchor = x > left + plotW / 2 ? "end" : "start"
                highlighted = "<g class=\"school \(s.band.rawValue) highlight\">" + tooltip(s, iv)
                    + ChartSVG.line(x, top - 12, x, top + plotH, stroke: ChartSVG.ink, width: 1, dash: "2 3")
                    + (iv.map { ChartSVG.line(x, y($0.0), x, y($0.1), stroke: ChartSVG.ink, width: 3) } ?? "")
                    + ChartSVG.marker(s.band.marker, x, y(s.estimate), size: 5.5, fill: c, stroke: ChartSVG.ink, strokeWidth: 1.5)
                    + ChartSVG.text(anchor == "end" ? x - 4 : x + 4, top - 8, ChartSVG.truncate(label, width: plotW * 0.6, size: 12),
                                    anchor: anchor, size: 12, bold: true) + "</g>"
                continue
            }
            body += "<g class=\"school \(s.band.rawValue)\">" + tooltip(s, iv)
                + (iv.map { ChartSVG.line(px(i), y($0.0), px(i), y($0.1), stroke: c, width: whisker, extra: "stroke-opacity=\"0.45\"") } ?? "")
                + ChartSVG.marker(s.band.marker, px(i), y(s.estimate), size: size, fill: c, strokeWidth: 0.5) + "</g>"
        }
        body += highlighted
        let rankTicks = ([1] + ChartSVG.ticks(0, Double(list.count), count: 5).map { Int($0) }.filter { $0 > 1 && $0 <= list.count })
        for r in rankTicks {
            body += ChartSVG.text(px(r - 1), top + plotH + 15, formatRank(r), anchor: "middle", size: 11, fill: ChartSVG.muted)
        }
        var bottom = top + plotH + 22
        if let rankLabel {
            body += ChartSVG.text(left + plotW / 2, bottom + 12, rankLabel, anchor: "middle", size: 11, fill: ChartSVG.muted)
            bottom += 18
        }
        if let axisLabel { body += ChartSVG.verticalLabel(14, top + plotH / 2, axisLabel) }
        return (body, bottom)
    }
}

extension CaterpillarChart.School {
    /// With the analysis' band as its raw value ("below", "expected", "above", anything else unknown).
    init(id: String, name: String, estimate: Double, low: Double?, high: Double?, band: String) {
        self.init(id: id, name: name, estimate: estimate, low: low, high: high, band: ChartBand(raw: band))
    }
}
