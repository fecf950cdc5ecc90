import OporaAnalysis
import OporaCore

/// The rows of the dashboard's schools table, written directly rather than through Mustache: the
/// table is the largest part of the dashboard, and Mustache's dynamic lookups over a hundred rows of
/// nested dictionaries were half the cost of the page (see bench/web.sh). Every text is escaped.
enum SchoolTableHTML {
    static func rows(_ rows: [Dashboard.Row], _ language: Language) -> String {
        var out = ""
        out.reserveCapacity(rows.count * 420)
        for r in rows {
            let e = ChartSVG.escape
            let id = e(r.school.id)
            out += "<tr><td>\(id)</td><td><a href=\"/schools/\(id)\">\(e(r.school.name))</a><br><small>"
            out += e(language.pick(r.school.settlement.name)) + ", " + e(language.pick(r.school.kind.name)) + "</small></td>"
            out += "<td>\(e(r.school.municipality))</td>"
            out += "<td class=\"num\">\(r.school.students.map { NumberFormat.integer($0, language) } ?? "—")</td>"
            out += "<td class=\"num\">\(r.wellbeingPercentile.map { NumberFormat.integer(Int(($0 * 100).rounded()), language) } ?? "—")</td>"
            out += "<td class=\"num\">\(r.failShare.map { Wording.percent($0, language) } ?? "—")</td><td>"
            for c in r.categories { out += "<span class=\"tag tag-\(e(c))\">\(e(Wording.categoryName(c, language)))</span> " }
            out += "</td><td>\(r.registry.map { e(language.pick($0.name)) } ?? "")</td></tr>\n"
        }
        return out
    }
}
