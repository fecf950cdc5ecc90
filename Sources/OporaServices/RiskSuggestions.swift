import Foundation
import OporaAnalysis
import OporaCore

/// Risk levels the data already knows, so a school confirms or corrects them instead of filling
/// them in: students at risk from its «2», staff shortage and equipment from its indicators,
/// language barriers from the share of non-native speakers. Factors the data cannot see (motivation,
/// parents, environment, teaching) get no suggestion.
public enum RiskSuggestions {
    public struct Suggestion: Sendable, Equatable {
        public var level: RiskLevel
        public var reason: LocalizedText
    }

    public static func suggest(schoolID: String, snapshot: AnalysisSnapshot) -> [RiskFactor: Suggestion] {
        var out: [RiskFactor: Suggestion] = [:]
        let indicators = snapshot.indicatorsBySchool[schoolID] ?? []
        let year = indicators.map(\.year).max()
        func value(_ code: String) -> Double? { indicators.first { $0.year == year && $0.indicator == code }?.value }
        func pct(_ v: Double, _ l: Language) -> String { Wording.percent(v, l) }

        if let f = snapshot.latestFails[schoolID], f.marked >= 10 {
            let share = Double(f.fails) / Double(f.marked)
            let level: RiskLevel = share >= 0.15 ? .high : share >= 0.08 ? .medium : .low
            out[.studentsAtRisk] = Suggestion(level: level, reason: LocalizedText(
                ru: "«2» получили \(pct(share, .ru)) участников процедур последнего года (\(f.fails) из \(f.marked)); порог: от 8% — средний, от 15% — высокий.",
                en: "\(pct(share, .en)) of the latest year's participants got «2» (\(f.fails) of \(f.marked)); thresholds: 8% medium, 15% high."))
        }

        var staffSigns: [LocalizedText] = []
        if let vacancies = value("teacher_vacancies"), let teachers = value("teachers"), teachers > 0, vacancies / teachers >= 0.05 {
            staffSigns.append(LocalizedText(ru: "вакансий \(Int(vacancies)) на \(Int(teachers)) педагогов", en: "\(Int(vacancies)) vacancies for \(Int(teachers)) teachers"))
        }
        if let share = value("teachers_without_qualification_share"), share >= 0.2 {
            staffSigns.append(LocalizedText(ru: "без профильного образования \(pct(share, .ru))", en: "\(pct(share, .en)) without subject training"))
        }
        if let share = value("teachers_retirement_age_share"), share >= 0.35 {
            staffSigns.append(LocalizedText(ru: "пенсионного возраста \(pct(share, .ru))", en: "\(pct(share, .en)) of retirement age"))
        }
        let missing = ["has_psychologist", "has_speech_therapist", "has_social_pedagogue"].filter { value($0) == 0 }.count
        if missing >= 2 {
            staffSigns.append(LocalizedText(ru: "нет \(missing) из 3 специалистов", en: "\(missing) of 3 specialists missing"))
        }
        if year != nil, value("teachers") != nil {
            out[.staffShortage] = Suggestion(level: staffSigns.count >= 2 ? .high : staffSigns.isEmpty ? .low : .medium, reason: signs(staffSigns))
        }

        var equipmentSigns: [LocalizedText] = []
        if let v = value("computers_per_100_students"), v < 8 {
            equipmentSigns.append(LocalizedText(ru: "компьютеров на 100 обучающихся: \(NumberFormat.decimal(v, digits: 1, .ru))",
                                                en: "computers per 100 students: \(NumberFormat.decimal(v, digits: 1, .en))"))
        }
        if let v = value("equipment_share"), v < 0.6 {
            equipmentSigns.append(LocalizedText(ru: "оснащённость кабинетов \(pct(v, .ru))", en: "classroom equipment \(pct(v, .en))"))
        }
        if let v = value("internet_mbps"), v < 10 {
            equipmentSigns.append(LocalizedText(ru: "интернет \(NumberFormat.decimal(v, digits: 0, .ru)) Мбит/с", en: "internet \(NumberFormat.decimal(v, digits: 0, .en)) Mbit/s"))
        }
        if ["computers_per_100_students", "equipment_share", "internet_mbps"].contains(where: { value($0) != nil }) {
            out[.lowEquipment] = Suggestion(level: equipmentSigns.count >= 2 ? .high : equipmentSigns.isEmpty ? .low : .medium,
                                            reason: signs(equipmentSigns))
        }

        if let v = value("non_native_share") {
            out[.languageBarriers] = Suggestion(level: v >= 0.15 ? .high : v >= 0.05 ? .medium : .low, reason: LocalizedText(
                ru: "для \(pct(v, .ru)) обучающихся русский язык не родной; порог: от 5% — средний, от 15% — высокий.",
                en: "Russian is not the first language of \(pct(v, .en)) of students; thresholds: 5% medium, 15% high."))
        }
        if let v = value("pd_coverage_share") {
            out[.noPDSystem] = Suggestion(level: v < 0.5 ? .high : v < 0.8 ? .medium : .low, reason: LocalizedText(
                ru: "повышение квалификации за 3 года прошли \(pct(v, .ru)) педагогов; порог: ниже 80% — средний, ниже 50% — высокий.",
                en: "\(pct(v, .en)) of teachers had professional development in 3 years; thresholds: below 80% medium, below 50% high."))
        }
        return out
    }

    static func signs(_ list: [LocalizedText]) -> LocalizedText {
        guard !list.isEmpty else { return LocalizedText(ru: "Признаков дефицита в данных нет.", en: "The data shows no sign of a deficit.") }
        return LocalizedText(ru: "Признаки: " + list.map(\.ru).joined(separator: "; ") + ".",
                             en: "Signs: " + list.map(\.en).joined(separator: "; ") + ".")
    }
}
