import Foundation

/// What demo region to generate. The same spec always gives the same bytes.
public struct RegionSpec: Hashable, Sendable, Codable {
    public var schools: Int
    public var municipalities: Int
    /// Number of consecutive school years ending with `lastYear`.
    public var years: Int
    public var lastYear: Int
    public var seed: UInt64
    public var regionName: String

    public init(schools: Int = 120, municipalities: Int = 6, years: Int = 3, lastYear: Int = 2025,
                seed: UInt64 = 1, regionName: String = "Демонстрационная область") {
        self.schools = schools
        self.municipalities = municipalities
        self.years = years
        self.lastYear = lastYear
        self.seed = seed
        self.regionName = regionName
    }

    public var firstYear: Int { lastYear - years + 1 }
    public var yearRange: ClosedRange<Int> { firstYear...lastYear }

    func validate() throws {
        guard schools >= 1 else { throw DemoError.invalidSpec("schools must be at least 1") }
        guard municipalities >= 1, municipalities <= schools else {
            throw DemoError.invalidSpec("municipalities must be between 1 and the number of schools")
        }
        guard years >= 1, years <= 20 else { throw DemoError.invalidSpec("years must be between 1 and 20") }
        guard firstYear >= 2000, lastYear <= 2100 else {
            throw DemoError.invalidSpec("the years must lie within 2000–2100 (the interchange formats' range)")
        }
        guard schools <= 2_000_000 else { throw DemoError.invalidSpec("at most 2,000,000 schools") }
    }
}

public enum DemoError: Error, CustomStringConvertible {
    case invalidSpec(String)
    case cannotWrite(String)

    public var description: String {
        switch self {
        case .invalidSpec(let why): "invalid demo region spec: \(why)"
        case .cannotWrite(let path): "cannot write \(path)"
        }
    }
}

/// What `RegionGenerator.write` produced: row counts per file (header rows excluded).
public struct GenerationSummary: Hashable, Sendable, Codable {
    public var schools = 0
    public var municipalities = 0
    public var contextRows = 0
    public var taskRows = 0
    public var resultRows = 0
    public var aggregateRows = 0
    public var truthRows = 0
    /// Truth rows per category (`low_results`, `social_risk`, `resource_deficit`, `non_objective`).
    public var truthByCategory: [String: Int] = [:]
    /// Bytes written over all files.
    public var bytes = 0
    /// The file names written into the directory.
    public var files: [String] = []

    public var totalRows: Int { schools + contextRows + taskRows + resultRows + aggregateRows + truthRows }
}

/// Identification categories the generator plants, as written in `truth.csv`.
public enum TruthCategory: String, CaseIterable, Sendable {
    case lowResults = "low_results"
    case socialRisk = "social_risk"
    case resourceDeficit = "resource_deficit"
    case nonObjective = "non_objective"
}

/// How a school's ВПР results are made non-objective.
public enum NonObjectiveMechanism: String, CaseIterable, Sendable {
    /// ВПР marks raised to the journal (term) mark by adding points.
    case journalRaise = "journal_raise"
    /// Help on the hard (advanced and high level) tasks.
    case hardTaskHelp = "hard_task_help"
    /// Scores 1–2 points below a mark boundary pushed onto it.
    case boundaryPush = "boundary_push"
}

/// How a school's resources are made deficient.
public enum ResourceDeficitMechanism: String, CaseIterable, Sendable {
    case staffShortage = "staff_shortage"
    case materialShortage = "material_shortage"
}
