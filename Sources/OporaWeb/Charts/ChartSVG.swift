import Foundation

/// Shared pieces of the server-rendered charts: escaping, coordinates, scales, axes and legends.
/// Charts are inline SVG (no scripts, nothing loaded), readable in greyscale (series differ by dash
/// and marker as well as colour, Okabe–Ito palette), with a title and a text description for
/// screen readers.
enum ChartSVG {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.count)
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A coordinate: at most one decimal, always a point (never a locale's comma).
    static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", locale: Locale(identifier: "en_US_POSIX"), r)
    }

    /// Okabe–Ito colours (colour-blind safe), dark enough for text on white.
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#555555"]
    static let dashes = ["", "6 3", "2 3", "8 3 2 3"]

    /// "Nice" ticks (1–2–5 steps) covering `low…high`.
    static func ticks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low, low.isFinite, high.isFinite else { return [low] }
        let raw = (high - low) / Double(max(1, count))
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        let first = Int(floor(low / step + 1e-9)), last = Int(ceil(high / step - 1e-9))
        return (first...max(first, last)).map { k in
            // Multiply rather than add: 0.1 + 0.1 + 0.1 drifts from 0.3.
            let v = Double(k) * step
            return abs(v) < step * 1e-9 ? 0 : (v * 1e9).rounded() / 1e9
        }
    }

    static func open(id: String, title: String, description: String, width: Double, height: Double) -> String {
        let t = escape(title), d = escape(description)
        return "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"100%\" role=\"img\" aria-labelledby=\"\(id)-t \(id)-d\" "
            + "font-family=\"system-ui, sans-serif\" font-size=\"12\" class=\"chart\">"
            + "<title id=\"\(id)-t\">\(t)</title><desc id=\"\(id)-d\">\(d)</desc>"
            + "<text x=\"0\" y=\"14\" font-weight=\"bold\" fill=\"#1d2733\">\(t)</text>"
    }

    static func text(_ x: Double, _ y: Double, _ s: String, anchor: String = "start", size: Int = 12, fill: String = "#1d2733",
                     bold: Bool = false) -> String {
        "<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "")>\(escape(s))</text>"
    }

    static func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String = "#c8ced6", width: Double = 1, dash: String = "") -> String {
        "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
            + (dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"") + "/>"
    }

    static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String, extra: String = "") -> String {
        "<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(0, w)))\" height=\"\(n(max(0, h)))\" fill=\"\(fill)\"\(extra.isEmpty ? "" : " " + extra)/>"
    }

    /// A marker of series `i`: circle, square, triangle, diamond — tells series apart without colour.
    static func marker(_ i: Int, _ x: Double, _ y: Double, color: String, size: Double = 4) -> String {
        switch i % 4 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(size))\" fill=\"\(color)\"/>"
        case 1: return rect(x - size, y - size, size * 2, size * 2, fill: color)
        case 2: return "<path d=\"M\(n(x)) \(n(y - size - 1))L\(n(x + size + 1)) \(n(y + size))L\(n(x - size - 1)) \(n(y + size))Z\" fill=\"\(color)\"/>"
        default: return "<path d=\"M\(n(x)) \(n(y - size - 1))L\(n(x + size + 1)) \(n(y))L\(n(x)) \(n(y + size + 1))L\(n(x - size - 1)) \(n(y))Z\" fill=\"\(color)\"/>"
        }
    }

    /// A legend row at `y`: a short line with the series' dash and marker, then its name.
    static func legend(_ names: [String], y: Double, x: Double = 0, dashed: Bool = true) -> String {
        var out = "", cx = x
        for (i, name) in names.enumerated() {
            let c = palette[i % palette.count]
            out += line(cx, y - 4, cx + 22, y - 4, stroke: c, width: 2, dash: dashed ? dashes[i % dashes.count] : "")
            out += marker(i, cx + 11, y - 4, color: c, size: 3.5)
            out += text(cx + 27, y, name)
            cx += 48 + Double(name.count) * 7.2
        }
        return out
    }

    static func empty(id: String, title: String, noData: String) -> String {
        open(id: id, title: title, description: noData, width: 400, height: 50) + text(0, 38, noData, fill: "#555") + "</svg>"
    }
}
