import Foundation

/// The two languages Opora speaks. Russian is the default everywhere.
public enum Language: String, CaseIterable, Sendable, Codable {
    case ru, en

    public func pick(_ text: LocalizedText) -> String { self == .ru ? text.ru : text.en }
    public func pick(ru: String, en: String) -> String { self == .ru ? ru : en }
}

/// Russian plural forms: 1 школа, 2 школы, 5 школ, 11 школ, 21 школа, 1,5 школы.
public struct RussianPlural: Sendable, Hashable {
    public var one: String
    public var few: String
    public var many: String

    public init(_ one: String, _ few: String, _ many: String) {
        self.one = one
        self.few = few
        self.many = many
    }

    public func form(for count: Int) -> String {
        let n = abs(count) % 100
        if (11...14).contains(n) { return many }
        switch n % 10 {
        case 1: return one
        case 2...4: return few
        default: return many
        }
    }

    public static let school = RussianPlural("школа", "школы", "школ")
    public static let municipality = RussianPlural("муниципалитет", "муниципалитета", "муниципалитетов")
    public static let result = RussianPlural("результат", "результата", "результатов")
    public static let row = RussianPlural("строка", "строки", "строк")
    public static let file = RussianPlural("файл", "файла", "файлов")
    public static let participant = RussianPlural("участник", "участника", "участников")
    public static let value = RussianPlural("значение", "значения", "значений")
    public static let problem = RussianPlural("ошибка", "ошибки", "ошибок")
}

/// Number formats as Russian users read them: `1 234,5` (a narrow no-break space groups thousands,
/// a comma marks decimals), and `1,234.5` in English.
public enum NumberFormat {
    public static func integer(_ value: Int, _ language: Language = .ru) -> String {
        let digits = String(value.magnitude)
        guard digits.utf8.count > 3 else { return value < 0 ? "−" + digits : digits }
        var grouped = ""
        let count = digits.utf8.count
        for (i, ch) in digits.enumerated() {
            if i > 0, (count - i) % 3 == 0 { grouped.append(language == .ru ? "\u{202F}" : ",") }
            grouped.append(ch)
        }
        return (value < 0 ? "−" : "") + grouped
    }

    public static func decimal(_ value: Double, digits: Int = 1, _ language: Language = .ru) -> String {
        guard value.isFinite else { return "—" }
        let scale = pow(10, Double(digits))
        let rounded = (abs(value) * scale).rounded() / scale
        let whole = Int(rounded)
        var text = integer(whole, language)
        if digits > 0 {
            let fraction = Int(((rounded - Double(whole)) * scale).rounded())
            // Zero-padded by hand: String(format:) goes through Foundation's formatter, and the
            // identification texts format hundreds of thousands of numbers.
            let f = String(fraction)
            text += (language == .ru ? "," : ".") + String(repeating: "0", count: max(0, digits - f.utf8.count)) + f
        }
        return (value < 0 && rounded > 0 ? "−" : "") + text
    }

    /// "12 школ" / "12 schools". The English plural is `en` + "s" unless `enPlural` is given.
    public static func count(_ value: Int, _ plural: RussianPlural, en: String, enPlural: String? = nil,
                             _ language: Language = .ru) -> String {
        switch language {
        case .ru: return "\(integer(value, .ru)) \(plural.form(for: value))"
        case .en: return "\(integer(value, .en)) \(value == 1 ? en : enPlural ?? en + "s")"
        }
    }
}
