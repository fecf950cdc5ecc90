/// The ten risk factors of the FIOKO «500+» risk profile. A school's profile gives each a level;
/// the school then picks its priority risks, and each priority risk gets an anti-risk programme.
public enum RiskFactor: String, CaseIterable, Sendable, Codable, Hashable {
    case lowEquipment = "low_equipment"
    case staffShortage = "staff_shortage"
    case teacherCompetence = "teacher_competence"
    case lowAdaptivity = "low_adaptivity"
    case noPDSystem = "no_pd_system"
    case languageBarriers = "language_barriers"
    case schoolEnvironment = "school_environment"
    case studentsAtRisk = "students_at_risk"
    case lowParentInvolvement = "low_parent_involvement"
    case lowMotivation = "low_motivation"

    public var name: LocalizedText {
        switch self {
        case .lowEquipment: LocalizedText(ru: "Низкое оснащение школы", en: "Low school equipment")
        case .staffShortage: LocalizedText(ru: "Дефицит педагогических кадров", en: "Shortage of teachers")
        case .teacherCompetence: LocalizedText(ru: "Недостаточная предметная и методическая компетентность педагогов",
                                               en: "Insufficient subject and methodological competence of teachers")
        case .lowAdaptivity: LocalizedText(ru: "Низкая адаптивность обучения", en: "Low adaptivity of teaching")
        case .noPDSystem: LocalizedText(ru: "Отсутствие внутришкольной системы повышения квалификации",
                                        en: "No in-school professional development system")
        case .languageBarriers: LocalizedText(ru: "Высокая доля обучающихся с рисками учебной неуспешности из-за языковых и культурных барьеров",
                                              en: "Language and cultural barriers")
        case .schoolEnvironment: LocalizedText(ru: "Пониженный уровень качества школьной образовательной и воспитательной среды",
                                               en: "A weak educational and upbringing environment")
        case .studentsAtRisk: LocalizedText(ru: "Высокая доля обучающихся с рисками учебной неуспешности",
                                            en: "A high share of students at risk of failure")
        case .lowParentInvolvement: LocalizedText(ru: "Низкий уровень вовлечённости родителей", en: "Low parent involvement")
        case .lowMotivation: LocalizedText(ru: "Низкая учебная мотивация обучающихся", en: "Low motivation of students")
        }
    }
}

public enum RiskLevel: String, CaseIterable, Sendable, Codable, Hashable, Comparable {
    case low, medium, high

    public var rank: Int {
        switch self {
        case .low: 0
        case .medium: 1
        case .high: 2
        }
    }

    public static func < (a: RiskLevel, b: RiskLevel) -> Bool { a.rank < b.rank }

    public var name: LocalizedText {
        switch self {
        case .low: LocalizedText(ru: "низкий", en: "low")
        case .medium: LocalizedText(ru: "средний", en: "medium")
        case .high: LocalizedText(ru: "высокий", en: "high")
        }
    }
}
