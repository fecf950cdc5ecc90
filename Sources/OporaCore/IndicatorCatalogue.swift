/// What a school indicator describes: the school's social context, its staff, or its material base.
public enum IndicatorCategory: String, CaseIterable, Sendable, Codable {
    case social, staff, material, other
}

public enum IndicatorUnit: String, Sendable, Codable {
    /// A share in [0, 1] (not a percentage).
    case share
    case count
    case ratio
    /// 1 = yes, 0 = no.
    case flag
    case km
    case mbps
}

/// Whether a larger value of the indicator means a better-off school.
public enum Direction: String, Sendable, Codable {
    case higherIsBetter = "higher_is_better"
    case lowerIsBetter = "lower_is_better"
}

public struct IndicatorDefinition: Hashable, Sendable, Codable {
    public var code: String
    public var category: IndicatorCategory
    public var unit: IndicatorUnit
    public var direction: Direction
    public var nameRU: String
    public var nameEN: String

    public init(_ code: String, _ category: IndicatorCategory, _ unit: IndicatorUnit, _ direction: Direction,
                ru nameRU: String, en nameEN: String) {
        self.code = code
        self.category = category
        self.unit = unit
        self.direction = direction
        self.nameRU = nameRU
        self.nameEN = nameEN
    }

    /// The accepted range of values, used by the importer to catch percentages written as shares.
    public var validRange: ClosedRange<Double> {
        switch unit {
        case .share, .flag: 0...1
        case .count, .ratio, .km, .mbps: 0...Double.greatestFiniteMagnitude
        }
    }
}

/// The catalogue of standard indicator codes. Unknown codes are kept as they come (category `other`).
public enum IndicatorCatalogue {
    public static let standard: [IndicatorDefinition] = [
        // Social context: the components of the school social well-being index (ИСБ).
        .init("parents_higher_education_share", .social, .share, .higherIsBetter,
              ru: "Доля семей, где оба родителя с высшим образованием", en: "Share of families with both parents holding a degree"),
        .init("single_parent_share", .social, .share, .lowerIsBetter,
              ru: "Доля неполных семей", en: "Share of single-parent families"),
        .init("unemployed_parents_share", .social, .share, .lowerIsBetter,
              ru: "Доля семей с безработными родителями", en: "Share of families with unemployed parents"),
        .init("low_income_share", .social, .share, .lowerIsBetter,
              ru: "Доля малообеспеченных семей", en: "Share of low-income families"),
        .init("register_share", .social, .share, .lowerIsBetter,
              ru: "Доля обучающихся, состоящих на учёте", en: "Share of students on a register"),
        .init("disability_share", .social, .share, .lowerIsBetter,
              ru: "Доля обучающихся с ОВЗ", en: "Share of students with disabilities"),
        .init("non_native_share", .social, .share, .lowerIsBetter,
              ru: "Доля обучающихся, для которых русский язык не родной (в т.ч. мигранты)",
              en: "Share of non-native speakers (incl. migrants)"),
        // Staff.
        .init("teachers", .staff, .count, .higherIsBetter,
              ru: "Число педагогических работников", en: "Number of teachers"),
        .init("teacher_vacancies", .staff, .count, .lowerIsBetter,
              ru: "Число вакансий педагогов", en: "Teacher vacancies"),
        .init("teachers_without_qualification_share", .staff, .share, .lowerIsBetter,
              ru: "Доля педагогов без профильного образования по предмету", en: "Share of teachers without subject qualification"),
        .init("teachers_retirement_age_share", .staff, .share, .lowerIsBetter,
              ru: "Доля педагогов пенсионного возраста", en: "Share of teachers over retirement age"),
        .init("pupils_per_teacher", .staff, .ratio, .lowerIsBetter,
              ru: "Число обучающихся на одного педагога", en: "Pupils per teacher"),
        .init("pd_coverage_share", .staff, .share, .higherIsBetter,
              ru: "Доля педагогов, прошедших повышение квалификации за 3 года", en: "Share of teachers with a PD course in 3 years"),
        .init("has_psychologist", .staff, .flag, .higherIsBetter,
              ru: "Есть педагог-психолог", en: "Has a school psychologist"),
        .init("has_speech_therapist", .staff, .flag, .higherIsBetter,
              ru: "Есть учитель-логопед", en: "Has a speech therapist"),
        .init("has_social_pedagogue", .staff, .flag, .higherIsBetter,
              ru: "Есть социальный педагог", en: "Has a social pedagogue"),
        // Material base.
        .init("computers_per_100_students", .material, .ratio, .higherIsBetter,
              ru: "Компьютеров на 100 обучающихся", en: "Computers per 100 students"),
        .init("internet_mbps", .material, .mbps, .higherIsBetter,
              ru: "Скорость интернета, Мбит/с", en: "Internet speed, Mbit/s"),
        .init("equipment_share", .material, .share, .higherIsBetter,
              ru: "Оснащённость кабинетов по ФГОС", en: "Share of classrooms equipped to the standard"),
    ]

    private static let byCode: [String: IndicatorDefinition] =
        Dictionary(uniqueKeysWithValues: standard.map { ($0.code, $0) })

    /// The definition of a standard code, or `nil` for a code the catalogue does not know.
    public static func definition(of code: String) -> IndicatorDefinition? { byCode[code] }

    public static func category(of code: String) -> IndicatorCategory { byCode[code]?.category ?? .other }
}

extension IndicatorCategory {
    public var name: LocalizedText {
        switch self {
        case .social: LocalizedText(ru: "социальный контекст", en: "social context")
        case .staff: LocalizedText(ru: "кадры", en: "staff")
        case .material: LocalizedText(ru: "материальная база", en: "material base")
        case .other: LocalizedText(ru: "прочее", en: "other")
        }
    }
}
