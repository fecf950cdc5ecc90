import Foundation
import OporaCore

/// How procedures and numbers are written in the flags' sentences (and on the web pages).
public enum Wording {
    public static func assessment(_ a: Assessment, _ l: Language) -> String {
        switch a.rawValue {
        case "vpr": return l == .ru ? "ВПР" : "VPR"
        case "oge": return l == .ru ? "ОГЭ" : "OGE"
        case "ege": return l == .ru ? "ЕГЭ" : "EGE"
        case "regional": return l == .ru ? "региональная диагностика" : "regional test"
        case "municipal": return l == .ru ? "муниципальная диагностика" : "municipal test"
        default: return a.rawValue
        }
    }

    // Built once, not at every call: the flags' sentences name subjects hundreds of thousands of times.
    private static let subjectsRU: [String: String] = [
        "math": "математика", "russian": "русский язык", "physics": "физика", "chemistry": "химия",
        "biology": "биология", "history": "история", "geography": "география", "english": "английский язык",
        "social": "обществознание", "informatics": "информатика", "literature": "литература"]
    private static let subjectsEN: [String: String] = ["math": "maths", "russian": "Russian", "english": "English", "social": "social studies"]

    public static func subject(_ s: String, _ l: Language) -> String {
        l == .ru ? (subjectsRU[s] ?? s) : (subjectsEN[s] ?? s)
    }

    /// "ВПР, математика, 5 класс" / "VPR, maths, grade 5".
    public static func procedure(_ p: Procedure, _ l: Language, year: Bool = false) -> String {
        let y = year ? (l == .ru ? ", \(p.year) г." : ", \(p.year)") : ""
        return l == .ru ? "\(assessment(p.assessment, l)), \(subject(p.subject, l)), \(p.grade) класс\(y)"
            : "\(assessment(p.assessment, l)), \(subject(p.subject, l)), grade \(p.grade)\(y)"
    }

    /// "34,3%" / "34.3%".
    public static func percent(_ share: Double, _ l: Language, digits: Int = 1) -> String {
        NumberFormat.decimal(share * 100, digits: digits, l) + "%"
    }

    public static func number(_ v: Double, _ l: Language, digits: Int = 2) -> String { NumberFormat.decimal(v, digits: digits, l) }

    /// "12 из 35" / "12 of 35".
    public static func outOf(_ k: Int, _ n: Int, _ l: Language) -> String {
        l == .ru ? "\(NumberFormat.integer(k, .ru)) из \(NumberFormat.integer(n, .ru))" : "\(NumberFormat.integer(k, .en)) of \(NumberFormat.integer(n, .en))"
    }

    public static func participants(_ n: Int, _ l: Language) -> String {
        NumberFormat.count(n, .participant, en: "participant", l)
    }

    /// "0,001" style p/q values: at least 3 significant digits for small values.
    public static func pValue(_ p: Double, _ l: Language) -> String {
        if p < 0.0001 { return l == .ru ? "< 0,0001" : "< 0.0001" }
        return NumberFormat.decimal(p, digits: 4, l)
    }

    /// A p- or q-value after its symbol: "= 0,0289", or "< 0,0001" (not "= < 0,0001").
    public static func isP(_ p: Double, _ l: Language) -> String {
        p < 0.0001 ? pValue(p, l) : "= " + pValue(p, l)
    }

    /// The name of a non-objective sign, for sentences.
    public static func criterionName(_ id: String, _ l: Language) -> String {
        guard let c = IdentificationCriterion.byID[id], c.isSign else { return id }
        return "\(l.pick(c.title)) (\(id))"
    }

    public static func join(_ items: [String], _ l: Language) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: "; ") + (l == .ru ? " и " : " and ") + items.last!
    }

    public static func years(_ n: Int, _ l: Language) -> String {
        l == .ru ? "\(n) \(RussianPlural("году", "годах", "годах").form(for: n))" : "\(n) year\(n == 1 ? "" : "s")"
    }

    public static func indicatorName(_ code: String, _ l: Language) -> String {
        if let d = IndicatorCatalogue.definition(of: code) { return l == .ru ? d.nameRU.lowercasedFirst : d.nameEN.lowercasedFirst }
        switch code {
        case "vacancies_per_teacher": return l == .ru ? "вакансий на одного педагога" : "vacancies per teacher"
        case "specialists_missing": return l == .ru ? "нет специалистов (психолог, логопед, соцпедагог), из 3" : "specialists missing (psychologist, speech therapist, social pedagogue), of 3"
        default: return code
        }
    }

    /// "низкие результаты" / "low results"; an unknown code as it is.
    public static func categoryName(_ id: String, _ l: Language) -> String {
        SupportCategory(rawValue: id).map { l.pick($0.name) } ?? id
    }

    /// A criterion of the default set by name, without its id (for headings and filters).
    public static func criterionTitle(_ id: String, _ l: Language) -> String {
        IdentificationCriterion.byID[id].map { l.pick($0.title) } ?? id
    }

    public static func indicatorValue(_ code: String, _ v: Double, _ l: Language) -> String {
        if let d = IndicatorCatalogue.definition(of: code) {
            switch d.unit {
            case .share: return percent(v, l)
            case .flag: return v >= 0.5 ? (l == .ru ? "да" : "yes") : (l == .ru ? "нет" : "no")
            case .count: return NumberFormat.decimal(v, digits: v.rounded() == v ? 0 : 1, l)
            case .ratio, .km, .mbps: return NumberFormat.decimal(v, digits: 1, l)
            }
        }
        return NumberFormat.decimal(v, digits: code == "specialists_missing" ? 0 : 2, l)
    }
}

extension String {
    var lowercasedFirst: String {
        guard let f = first else { return self }
        // Keep abbreviations (ОВЗ, ФГОС) and proper names as they are: only lower a capitalised word.
        let second = dropFirst().first
        if let second, second.isUppercase { return self }
        return f.lowercased() + dropFirst()
    }
}

/// Rounds for output: 6 decimals keeps the JSON short and byte-stable.
func rounded6(_ v: Double) -> Double {
    guard v.isFinite else { return 0 }
    return (v * 1_000_000).rounded() / 1_000_000
}

/// Significant rounding for p/q values (4 significant digits; 0 below the smallest normal double).
func roundedP(_ v: Double) -> Double {
    guard v.isFinite else { return 1 }
    guard v >= 1e-300 else { return 0 }
    return Double(String(format: "%.3e", v)) ?? v
}
