import Foundation

/// An assessment code: `vpr`, `oge`, `ege`, `regional`, `municipal`, or any other code a region uses.
public struct Assessment: RawRepresentable, Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(_ code: String) { self.rawValue = code }

    public static let vpr = Assessment("vpr")
    public static let oge = Assessment("oge")
    public static let ege = Assessment("ege")
    public static let regional = Assessment("regional")
    public static let municipal = Assessment("municipal")

    /// Whether results of this assessment carry marks 2–5 (ЕГЭ has a test score and no mark).
    public var hasMarks: Bool { self != .ege }

    public var description: String { rawValue }
    public static func < (a: Assessment, b: Assessment) -> Bool { a.rawValue < b.rawValue }
}

/// One assessment procedure: assessment × subject × grade × year (e.g. ВПР, maths, grade 5, 2025).
public struct Procedure: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var year: Int
    public var assessment: Assessment
    public var subject: String
    public var grade: Int

    public init(year: Int, assessment: Assessment, subject: String, grade: Int) {
        self.year = year
        self.assessment = assessment
        self.subject = subject
        self.grade = grade
    }

    public var description: String { "\(assessment.rawValue):\(subject):\(grade):\(year)" }

    public static func < (a: Procedure, b: Procedure) -> Bool {
        (a.year, a.assessment.rawValue, a.subject, a.grade) < (b.year, b.assessment.rawValue, b.subject, b.grade)
    }
}

/// Difficulty level of a task, as ФИС ОКО writes it: Б (basic), П (advanced), В (high).
public enum TaskLevel: String, CaseIterable, Sendable, Codable {
    case basic, advanced, high

    /// Accepts the English codes and the Russian letters / words used in ФИС ОКО exports.
    public init?(parsing text: String) {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "basic", "б", "базовый", "b": self = .basic
        case "advanced", "п", "повышенный", "p": self = .advanced
        case "high", "в", "высокий", "v", "h": self = .high
        default: return nil
        }
    }
}

/// Metadata of one task of a procedure.
public struct TaskInfo: Hashable, Sendable, Codable {
    public var procedure: Procedure
    public var task: String
    public var maxScore: Double
    public var level: TaskLevel?

    public init(procedure: Procedure, task: String, maxScore: Double, level: TaskLevel?) {
        self.procedure = procedure
        self.task = task
        self.maxScore = maxScore
        self.level = level
    }
}

extension TaskLevel {
    public var name: LocalizedText {
        switch self {
        case .basic: LocalizedText(ru: "Б", en: "B")
        case .advanced: LocalizedText(ru: "П", en: "A")
        case .high: LocalizedText(ru: "В", en: "H")
        }
    }
}
