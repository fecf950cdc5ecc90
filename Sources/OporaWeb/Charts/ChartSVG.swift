import Foundation

/// Formats a number for display, already localised by the caller (Russian: "1 234,5", "45 %").
/// The charts never format displayed numbers themselves.
typealias ChartFormatter = (Double) -> String

/// Shared pieces of the server-rendered charts: escaping, coordinates, ticks, scales, text
/// measuring, markers, fill patterns, legends and the `<svg>` document itself.
///
/// Charts are inline SVG (no scripts, nothing loaded), readable in greyscale (series differ by
/// dash, marker shape or fill texture as well as colour; Okabe–Ito colours), titled and described
/// for screen readers. All caller text goes through `escape`; all coordinates through `n`.
enum ChartSVG {
    // MARK: Colours (text colours reach WCAG AA 4.5:1 on white; line colours 3:1)

    static let ink = "#1d2733"
    static let muted = "#4b5563"
    static let gridColor = "#d9dee5"
    /// Emphasis text (a dark vermillion).
    static let alert = "#a3260b"
    static let alertFill = "#fde6dc"
    static let highlightFill = "#fff1c2"
    /// Lines and markers of series: blue, vermillion, bluish green, near-black, then the paler ones.
    static let lineColors = ["#0072B2", "#D55E00", "#009E73", "#1d2733", "#CC79A7", "#E69F00"]
    /// Fills of unordered categories (always with a texture, see `patternDefs`).
    static let fillColors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"]
    /// Fills of ordered categories, worst to best (marks «2»…«5», lowered / confirmed / raised).
    static let orderedFills = ["#D55E00", "#E69F00", "#56B4E9", "#0072B2", "#009E73", "#CC79A7"]
    static let dashes = ["", "7 4", "2 3", "10 3 2 3", "4 2 1 2", "1 2"]

    static func lineColor(_ k: Int) -> String { lineColors[abs(k) % lineColors.count] }
    static func dash(_ k: Int) -> String { dashes[abs(k) % dashes.count] }

    // MARK: Text and numbers

    /// XML-escapes text for element content and attribute values; drops characters XML 1.0
    /// forbids even when escaped (C0 controls other than tab, newline, return; U+FFFE, U+FFFF).
    static func escape(_ s: String) -> String {
        // Most texts (names, numbers) need nothing: one pass over the bytes saves rebuilding them.
        // U+FFFE/U+FFFF are EF BF BE/BF in UTF-8, so any 0xEF byte takes the slow path too.
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 == 0xEF }) {
            return s
        }
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// An id usable in `id="…"` and `url(#…)`: ASCII letters, digits, `-`, `_`; starts with a letter.
    static func safeID(_ s: String) -> String {
        var out = ""
        for u in s.unicodeScalars {
            let ok = (u >= "a" && u <= "z") || (u >= "A" && u <= "Z") || (u >= "0" && u <= "9") || u == "-" || u == "_"
            out += ok ? String(u) : "_"
        }
        if let f = out.unicodeScalars.first, (f >= "a" && f <= "z") || (f >= "A" && f <= "Z") { return out }
        return "c" + out
    }

    /// A coordinate: at most one decimal, always a point whatever the locale; non-finite → "0".
    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let tenths = Int((min(max(v, -1e9), 1e9) * 10).rounded())
        let a = abs(tenths), sign = tenths < 0 ? "-" : ""
        return a % 10 == 0 ? sign + String(a / 10) : sign + String(a / 10) + "." + String(a % 10)
    }

    /// "Nice" ticks (steps of 1, 2 or 5 × 10ⁿ) covering `low…high`, about `count` intervals.
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard low.isFinite, high.isFinite else { return [0, 1] }
        var lo = min(low, high), hi = max(low, high)
        if hi - lo < 1e-12 {
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let raw = (hi - lo) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw * (1 - 1e-9) } ?? 10 * magnitude
        let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
        guard last - first <= 1000 else { return [lo, hi] }
        let decimals = max(0, -Int(floor(log10(step))) + 1)
        let scale = pow(10, Double(decimals))
        return stride(from: first, through: last, by: 1).map { k in
            // Multiply rather than add (0.1 + 0.1 + 0.1 drifts from 0.3), then round to the step.
            let v = (k * step * scale).rounded() / scale
            return v == 0 ? 0 : v
        }
    }

    /// Estimated width of `s` in a sans-serif font of `size` (no font metrics on the server).
    static func textWidth(_ s: String, size: Double) -> Double {
        // Scalars and sets, not Characters and String.contains: this runs for every label of every
        // chart, and grapheme breaking made it the hottest code of a page.
        var em = 0.0
        for u in s.unicodeScalars {
            if narrowScalars.contains(u.value) { em += 0.32 }
            else if wideScalars.contains(u.value) || u.properties.isUppercase { em += 0.74 }
            else if u.properties.generalCategory == .nonspacingMark { continue }
            else { em += 0.6 }
        }
        return em * size
    }

    private static let narrowScalars: Set<UInt32> = Set(" .,:;!|'`ilIjtf()[]\u{202F}\u{A0}".unicodeScalars.map(\.value))
    private static let wideScalars: Set<UInt32> = Set("mwшщжюыфм—%@".unicodeScalars.map(\.value))

    /// `s` shortened with "…" to fit `width`.
    static func truncate(_ s: String, width: Double, size: Double) -> String {
        guard textWidth(s, size: size) > width else { return s }
        var chars = Array(s)
        while !chars.isEmpty && textWidth(String(chars) + "…", size: size) > width { chars.removeLast() }
        return String(chars).trimmingCharacters(in: .whitespaces) + "…"
    }

    /// `s` broken at spaces into at most `maxLines` lines of `width`; the last one truncated.
    static func wrap(_ s: String, width: Double, size: Double, maxLines: Int = 2) -> [String] {
        var lines: [String] = [], current = ""
        for word in s.split(separator: " ", omittingEmptySubsequences: true).map(String.init) {
            let candidate = current.isEmpty ? word : current + " " + word
            if current.isEmpty || textWidth(candidate, size: size) <= width { current = candidate } else {
                lines.append(current)
                current = word
            }
        }
        if !current.isEmpty { lines.append(current) }
        if lines.count > maxLines {
            lines = Array(lines.prefix(maxLines - 1)) + [lines[(maxLines - 1)...].joined(separator: " ")]
        }
        return lines.map { truncate($0, width: width, size: size) }
    }

    // MARK: Elements

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Double = 12, fill: String = ink,
                     bold: Bool = false, extra: String = "") -> String {
        var out = "<text x=\"\(n(x))\" y=\"\(n(y))\""
        if anchor != "start" { out += " text-anchor=\"\(anchor)\"" }
        out += " font-size=\"\(n(max(11, size)))\" fill=\"\(escape(fill))\""
        if bold { out += " font-weight=\"bold\"" }
        if !extra.isEmpty { out += " " + extra }
        return out + ">" + escape(s) + "</text>"
    }

    /// Text with a white outline, readable over any fill or texture.
    static let halo = "stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\""

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = gridColor, width: Double = 1,
                     dash: String = "", extra: String = "") -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(escape(stroke))\" stroke-width=\"\(n(width))\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + (extra.isEmpty ? "" : " " + extra) + "/>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "") -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(escape(fill))\""
            + (extra.isEmpty ? "" : " " + extra) + "/>"
    }

    /// A native tooltip (hover) for the enclosing group; nothing for screen readers beyond `<desc>`.
    static func tooltip(_ s: String) -> String { "<title>" + escape(s) + "</title>" }

    static func marker(_ shape: ChartMarker, _ x: Double, _ y: Double, size r: Double = 4, fill: String,
                       stroke: String = "#ffffff", strokeWidth: Double = 1, extra: String = "") -> String {
        let paint = "fill=\"\(escape(fill))\" stroke=\"\(escape(stroke))\" stroke-width=\"\(n(strokeWidth))\"" + (extra.isEmpty ? "" : " " + extra)
        func path(_ points: [(Double, Double)]) -> String {
            "<path d=\"" + points.enumerated().map { ($0.offset == 0 ? "M" : "L") + n($0.element.0) + " " + n($0.element.1) }.joined() + "Z\" \(paint)/>"
        }
        switch shape {
        case .circle: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(r))\" \(paint)/>"
        case .square: return "<rect x=\"\(n(x - r * 0.9))\" y=\"\(n(y - r * 0.9))\" width=\"\(n(r * 1.8))\" height=\"\(n(r * 1.8))\" \(paint)/>"
        case .triangleUp: return path([(x, y - r * 1.2), (x + r * 1.15, y + r * 0.85), (x - r * 1.15, y + r * 0.85)])
        case .diamond: return path([(x, y - r * 1.3), (x + r * 1.3, y), (x, y + r * 1.3), (x - r * 1.3, y)])
        case .triangleDown: return path([(x, y + r * 1.2), (x + r * 1.15, y - r * 0.85), (x - r * 1.15, y - r * 0.85)])
        }
    }

    /// Relative luminance (WCAG) of `#rrggbb`, nil for anything else.
    static func luminance(_ hex: String) -> Double? {
        let digits = hex.hasPrefix("#") ? String(hex.dropFirst()) : hex
        guard digits.count == 6, let v = Int(digits, radix: 16) else { return nil }
        func channel(_ c: Int) -> Double {
            let s = Double(c) / 255
            return s <= 0.03928 ? s / 12.92 : pow((s + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(v >> 16 & 255) + 0.7152 * channel(v >> 8 & 255) + 0.0722 * channel(v & 255)
    }

    /// One `<pattern>` per colour: colour k with texture k (solid, diagonal lines, dots, horizontal
    /// lines, cross-hatch, vertical lines), so fills stay apart in greyscale. Ids `<id>-fill<k>`.
    static func patternDefs(_ id: String, colors: [String]) -> String {
        var out = "<defs>"
        for (k, c) in colors.enumerated() {
            let light = (luminance(c) ?? 0) > 0.3
            let over = light ? ink : "#ffffff", opacity = light ? "0.6" : "0.85"
            let lines = "stroke=\"\(over)\" stroke-opacity=\"\(opacity)\" stroke-width=\"1.5\""
            out += "<pattern id=\"\(id)-fill\(k)\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">"
                + "<rect width=\"8\" height=\"8\" fill=\"\(escape(c))\"/>"
            switch k % 6 {
            case 0: break
            case 1: out += "<path d=\"M-2 2L2 -2M0 8L8 0M6 10L10 6\" \(lines)/>"
            case 2: out += "<circle cx=\"4\" cy=\"4\" r=\"1.7\" fill=\"\(over)\" fill-opacity=\"\(opacity)\"/>"
            case 3: out += "<path d=\"M0 4H8\" \(lines)/>"
            case 4: out += "<path d=\"M0 0L8 8M8 0L0 8\" stroke=\"\(over)\" stroke-opacity=\"\(opacity)\" stroke-width=\"1\"/>"
            default: out += "<path d=\"M4 0V8\" \(lines)/>"
            }
            out += "</pattern>"
        }
        return out + "</defs>"
    }

    static func patternFill(_ id: String, _ k: Int) -> String { "url(#\(id)-fill\(k))" }

    // MARK: Axes and legend

    /// Horizontal gridlines with their labels on the left (a vertical value axis).
    static func yGrid(_ ticks: [Double], labels: [String], scale: ChartScale, x0: Double, x1: Double) -> String {
        var out = "<g class=\"axis\">"
        for (t, label) in zip(ticks, labels) {
            let y = scale(t)
            out += line(x0, y, x1, y, stroke: t == 0 && ticks.count > 1 ? muted : gridColor, width: 1)
            out += text(x0 - 6, y + 4, label, anchor: "end", size: 11, fill: muted)
        }
        return out + "</g>"
    }

    /// Vertical gridlines from `y0` to `y1`, labels above `y0` and/or below `y1`.
    static func xGrid(_ ticks: [Double], labels: [String], scale: ChartScale, y0: Double, y1: Double, top: Bool, bottom: Bool) -> String {
        var out = "<g class=\"axis\">"
        for (t, label) in zip(ticks, labels) {
            let x = scale(t)
            out += line(x, y0, x, y1, stroke: gridColor, width: 1)
            if top { out += text(x, y0 - 5, label, anchor: "middle", size: 11, fill: muted) }
            if bottom { out += text(x, y1 + 14, label, anchor: "middle", size: 11, fill: muted) }
        }
        return out + "</g>"
    }

    /// A label turned a quarter left, centred on `y` (for a vertical axis).
    static func verticalLabel(_ x: Double, _ y: Double, _ s: String) -> String {
        text(x, y, s, anchor: "middle", size: 11, fill: muted, extra: "transform=\"rotate(-90 \(n(x)) \(n(y)))\"")
    }

    /// Legend items left to right from (`x`, `y` = top), wrapping within `width`. Returns its height.
    static func legend(_ items: [ChartLegendItem], x: Double, y: Double, width: Double) -> (svg: String, height: Double) {
        guard !items.isEmpty else { return ("", 0) }
        let rowH = 20.0, swatchW = 24.0
        var out = "<g class=\"legend\">", cx = x, row = 0
        for item in items {
            let label = truncate(item.label, width: width - swatchW - 6, size: 12)
            let w = swatchW + 6 + textWidth(label, size: 12)
            if cx > x && cx + w > x + width {
                row += 1
                cx = x
            }
            let my = y + Double(row) * rowH + 9
            out += swatch(item.swatch, x: cx, y: my) + text(cx + swatchW + 6, my + 4, label, size: 12)
            cx += w + 20
        }
        return (out + "</g>", Double(row + 1) * rowH)
    }

    static func swatch(_ s: ChartLegendItem.Swatch, x: Double, y: Double) -> String {
        switch s {
        case let .line(color, dash, shape):
            return line(x, y, x + 24, y, stroke: color, width: 2, dash: dash) + (shape.map { marker($0, x + 12, y, size: 3.5, fill: color) } ?? "")
        case let .box(fill, stroke):
            return rect(x + 5, y - 6, 14, 12, fill: fill, extra: "stroke=\"\(escape(stroke ?? ink))\" stroke-width=\"0.6\"")
        case let .band(color):
            return rect(x, y - 5, 24, 10, fill: color, extra: "fill-opacity=\"0.2\"") + line(x, y, x + 24, y, stroke: color, width: 1)
        case let .marker(shape, color):
            return marker(shape, x + 12, y, size: 4, fill: color)
        case let .tick(color):
            return line(x + 12, y - 7, x + 12, y + 7, stroke: "#ffffff", width: 4.5) + line(x + 12, y - 7, x + 12, y + 7, stroke: color, width: 2.5)
        }
    }

    // MARK: Document

    /// The small chart shown instead when there is nothing to draw.
    static func empty(id: String, title: String, noData: String, showTitle: Bool = true) -> String {
        let doc = ChartDocument(id: id, title: title, width: 400, showTitle: showTitle)
        return doc.render(kind: "empty", height: doc.top + 30, description: noData,
                          body: text(8, doc.top + 18, noData, size: 12, fill: muted))
    }
}

/// Marker shapes; series and bands differ by shape as well as colour.
enum ChartMarker: Int, CaseIterable {
    case circle, square, triangleUp, diamond, triangleDown

    static func series(_ k: Int) -> ChartMarker { allCases[abs(k) % allCases.count] }
}

/// A linear map from data values to SVG coordinates.
struct ChartScale {
    var domain: ClosedRange<Double>
    var range: (Double, Double)

    func callAsFunction(_ v: Double) -> Double {
        let d = domain.upperBound - domain.lowerBound
        guard d > 0, v.isFinite else { return (range.0 + range.1) / 2 }
        return range.0 + (v - domain.lowerBound) / d * (range.1 - range.0)
    }

    /// As above, for a value first clamped into the domain (a fixed domain the data overflows).
    func clamped(_ v: Double) -> Double { self(min(max(v, domain.lowerBound), domain.upperBound)) }
}

struct ChartLegendItem {
    enum Swatch {
        case line(color: String, dash: String, marker: ChartMarker?)
        case box(fill: String, stroke: String?)
        case band(color: String)
        case marker(ChartMarker, color: String)
        case tick(color: String)
    }

    var label: String
    var swatch: Swatch
}

/// The `<svg>` element of one chart: sizes, accessible name and description, the visible title.
struct ChartDocument {
    /// The caller's id made safe; every id in the chart starts with it.
    let id: String
    let title: String
    let width: Double
    let titleLines: [String]

    init(id: String, title: String, width: Double = 640, showTitle: Bool = true) {
        self.id = ChartSVG.safeID(id)
        self.title = title
        self.width = width
        titleLines = showTitle && !title.isEmpty ? ChartSVG.wrap(title, width: width - 16, size: 14) : []
    }

    /// Where the drawing starts, below the visible title.
    var top: Double { titleLines.isEmpty ? 8 : 12 + Double(titleLines.count) * 18 }

    func render(kind: String, height: Double, description: String, body: String) -> String {
        let w = ChartSVG.n(width)
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind)\" viewBox=\"0 0 \(w) \(ChartSVG.n(height))\""
            + " width=\"100%\" style=\"max-width:\(w)px\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""
            + " font-family=\"system-ui, sans-serif\" font-size=\"12\">"
            + "<title id=\"\(id)-title\">\(ChartSVG.escape(title))</title><desc id=\"\(id)-desc\">\(ChartSVG.escape(description))</desc>"
        for (i, line) in titleLines.enumerated() {
            out += ChartSVG.text(8, 22 + Double(i) * 18, line, size: 14, bold: true)
        }
        return out + body + "</svg>"
    }
}
