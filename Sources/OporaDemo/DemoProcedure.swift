import Foundation
import OporaCore

/// One task of a demo procedure.
public struct DemoTask: Hashable, Sendable {
    public let code: String
    public let maxScore: Int
    public let level: TaskLevel
}

/// A procedure of the demo region without its year: assessment × subject × grade, with its tasks
/// and its fixed score → mark mapping. The same tests are used every year.
public struct DemoProcedure: Hashable, Sendable {
    public let assessment: Assessment
    public let subject: String
    public let grade: Int
    /// Tasks in order; empty for ЕГЭ (only the 0–100 test score is generated).
    public let tasks: [DemoTask]
    /// Minimum primary scores for the marks 3, 4 and 5 (so `[6, 10, 15]` means 0–5 → 2, 6–9 → 3,
    /// 10–14 → 4, 15–max → 5); `nil` for ЕГЭ, which has no marks.
    public let markBoundaries: [Int]?
    /// Task difficulties on the logit scale, after calibration (internal).
    let difficulties: [Double]

    /// The maximum primary score (100 for ЕГЭ).
    public var maxScore: Int { tasks.isEmpty ? 100 : tasks.reduce(0) { $0 + $1.maxScore } }

    public var key: String { "\(assessment.rawValue):\(subject):\(grade)" }

    public func procedure(year: Int) -> Procedure {
        Procedure(year: year, assessment: assessment, subject: subject, grade: grade)
    }

    /// The mark for a primary score, or `nil` for ЕГЭ.
    @inline(__always)
    public func mark(forScore score: Int) -> Int? {
        guard let b = markBoundaries else { return nil }
        return score >= b[2] ? 5 : score >= b[1] ? 4 : score >= b[0] ? 3 : 2
    }

    public func taskInfos(year: Int) -> [TaskInfo] {
        tasks.map { TaskInfo(procedure: procedure(year: year), task: $0.code, maxScore: Double($0.maxScore), level: $0.level) }
    }
}

extension DemoProcedure {
    /// Builds a procedure from a compact task list: "1:1b 2:2a 3.1:1h" = code:max + level letter.
    fileprivate init(_ assessment: Assessment, _ subject: String, _ grade: Int, tasks spec: String,
                     boundaries: [Int]?, targetShare2: Double) {
        let tasks: [DemoTask] = spec.split(separator: " ").map { item in
            let parts = item.split(separator: ":")
            let code = String(parts[0])
            let rest = parts[1]
            let level: TaskLevel = switch rest.last! {
            case "b": .basic
            case "a": .advanced
            default: .high
            }
            return DemoTask(code: code, maxScore: Int(rest.dropLast())!, level: level)
        }
        // Task difficulty: a level base plus a fixed per-task jitter (hash of the task's identity).
        let raw = tasks.map { task -> Double in
            let base: Double = switch task.level {
            case .basic: -1.1
            case .advanced: 0.3
            case .high: 1.3
            }
            let jitter = gaussian(key: stableHash("\(assessment.rawValue):\(subject):\(grade):\(task.code)"))
            return base + 0.3 * jitter
        }
        let offset = boundaries.map {
            Calibration.offset(tasks: tasks.map(\.maxScore), difficulties: raw, failBelow: $0[0], target: targetShare2)
        } ?? 0
        self.init(assessment: assessment, subject: subject, grade: grade, tasks: tasks,
                  markBoundaries: boundaries, difficulties: raw.map { $0 + offset })
    }

    fileprivate init(ege subject: String) {
        self.init(assessment: .ege, subject: subject, grade: 11, tasks: [], markBoundaries: nil, difficulties: [])
    }
}

/// The demo's tests. Task structures and boundaries are modelled on ВПР / ОГЭ of recent years
/// (ВПР maxima 20–50, ОГЭ Russian 33 and maths 31 points), not copied from any particular year.
enum DemoCatalogue {
    /// Share of «2» the average student population would get; designed low-results schools,
    /// non-objective schools and sampling move the realised region-wide share around this target.
    static let vprTarget = 0.085
    static let ogeTarget = 0.06

    static let vpr: [DemoProcedure] = [
        .init(.vpr, "russian", 4, tasks: "1:4b 2:3b 3.1:1b 3.2:3b 4:2b 5:2b 6:2b 7:2b 8:2b 9:2a 10:1a 11:2a 12.1:2b 12.2:1a 13.1:2b 13.2:1a 14:2a 15.1:2a 15.2:2h",
              boundaries: [14, 24, 33], targetShare2: vprTarget),
        .init(.vpr, "math", 4, tasks: "1:1b 2:1b 3:1b 4:1b 5.1:1b 5.2:1b 6.1:1b 6.2:1b 7:1b 8:2a 9.1:1a 9.2:2a 10:2a 11:2h 12:2h",
              boundaries: [6, 10, 15], targetShare2: vprTarget),
        .init(.vpr, "russian", 5, tasks: "1.1:4b 1.2:3b 1.3:2b 2.1:3b 2.2:3b 3:2b 4:2b 5:2b 6:2b 7.1:2a 7.2:1a 8.1:2a 8.2:1a 9:2b 10:1a 11.1:2a 11.2:1a 12:1b 13:2a 14:2a 15.1:2h 15.2:3h",
              boundaries: [18, 29, 39], targetShare2: vprTarget),
        .init(.vpr, "math", 5, tasks: "1:1b 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:1a 10:2a 11:1b 12.1:1b 12.2:1a 13:2a 14:2h 15:2h",
              boundaries: [7, 11, 15], targetShare2: vprTarget),
        .init(.vpr, "russian", 6, tasks: "1.1:4b 1.2:3b 1.3:2b 2:9b 3:2b 4:3b 5:2b 6:2b 7:2a 8:2a 9:2a 10:1a 11:2a 12.1:1a 12.2:2a 13:2a 14:3h 15:3h 16:3h",
              boundaries: [20, 32, 43], targetShare2: vprTarget),
        .init(.vpr, "math", 6, tasks: "1:1b 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:2b 10.1:1a 10.2:1a 11:2a 12:1a 13:2h 14:2h 15:1a",
              boundaries: [6, 10, 14], targetShare2: vprTarget),
        .init(.vpr, "russian", 7, tasks: "1.1:4b 1.2:3b 1.3:2b 2:9b 3:2b 4:3b 5:2b 6:2b 7.1:1a 7.2:2a 8.1:1a 8.2:2a 9:2a 10:2a 11:2a 12.1:1a 12.2:2a 13:3h 14:2h",
              boundaries: [19, 30, 40], targetShare2: vprTarget),
        .init(.vpr, "math", 7, tasks: "1:1b 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:1b 10:1a 11:1a 12:2a 13:1a 14:2a 15:2h 16:2h",
              boundaries: [7, 11, 16], targetShare2: vprTarget),
        .init(.vpr, "russian", 8, tasks: "1.1:4b 1.2:3b 1.3:2b 2:9b 3:2b 4:3b 5:2b 6:2b 7:2a 8:2a 9:2a 10:1a 11:2a 12.1:1a 12.2:2a 13:2a 14:3h 15:3h 16:3h",
              boundaries: [20, 32, 43], targetShare2: vprTarget),
        .init(.vpr, "math", 8, tasks: "1:1b 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:1b 10:1a 11:1a 12:1a 13:2a 15:2a 16:2h 17:2h",
              boundaries: [7, 12, 17], targetShare2: vprTarget),
    ]

    static let oge: [DemoProcedure] = [
        .init(.oge, "russian", 9, tasks: "1:7a 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:9h 10:10b",
              boundaries: [15, 23, 29], targetShare2: ogeTarget),
        .init(.oge, "math", 9, tasks: "1:1b 2:1b 3:1b 4:1b 5:1b 6:1b 7:1b 8:1b 9:1b 10:1b 11:1b 12:1b 13:1b 14:1b 15:1b 16:1b 17:1b 18:1b 19:1b 20:2a 21:2a 22:2h 23:2a 24:2a 25:2h",
              boundaries: [8, 15, 22], targetShare2: ogeTarget),
    ]

    static let ege: [DemoProcedure] = [.init(ege: "russian"), .init(ege: "math")]

    /// The procedure published only as school aggregates (results_school.csv).
    static let regional = DemoProcedure(.regional, "math", 7, tasks: "1:2b 2:2b 3:2b 4:2b 5:2b 6:2a 7:2a 8:2a 9:2h 10:2h",
                                        boundaries: [6, 10, 15], targetShare2: 0.10)

    /// All procedures with student rows, in output order: ВПР, ОГЭ, ЕГЭ.
    static let studentProcedures: [DemoProcedure] = vpr + oge + ege

    /// The union of task codes of all student procedures, in natural order ("1", "1.1", "2", ..., "25").
    static let taskColumns: [String] = {
        var set = Set<String>()
        for p in studentProcedures { for t in p.tasks { set.insert(t.code) } }
        return set.sorted { naturalLess($0, $1) }
    }()

    /// For each student procedure, the task index held by each union column (or -1).
    static let columnTaskIndex: [[Int]] = studentProcedures.map { p in
        taskColumns.map { code in p.tasks.firstIndex { $0.code == code } ?? -1 }
    }

    /// ЕГЭ test score model: 100 · logistic(intercept + slope · θ + noise).
    static func egeIntercept(_ subject: String) -> Double { subject == "russian" ? 0.75 : 0.2 }
    static let egeSlope = 0.75
    /// ЕГЭ minimum test scores (for the record; ЕГЭ rows carry no marks).
    static func egeMinimum(_ subject: String) -> Int { subject == "russian" ? 36 : 27 }
}

/// "3.1" < "3.2" < "10": compare dot-separated numeric components.
func naturalLess(_ a: String, _ b: String) -> Bool {
    let pa = a.split(separator: ".").map { Int($0) ?? 0 }
    let pb = b.split(separator: ".").map { Int($0) ?? 0 }
    return pa.lexicographicallyPrecedes(pb)
}

/// Finds the difficulty offset that gives a target share of «2» for the reference population of
/// students (θ ~ N(0, σ)), by exact score distributions over a θ grid and bisection. No randomness.
enum Calibration {
    static let populationSD = 1.1

    static func shareBelow(_ failBelow: Int, tasks: [Int], difficulties: [Double], offset: Double) -> Double {
        let maxScore = tasks.reduce(0, +)
        var total = 0.0
        var weightSum = 0.0
        var theta = -5.5
        while theta <= 5.5 {
            let w = exp(-0.5 * theta * theta / (populationSD * populationSD))
            var dist = [Double](repeating: 0, count: maxScore + 1)
            dist[0] = 1
            var reach = 0
            for (m, b) in zip(tasks, difficulties) {
                let p = logistic(theta - b - offset)
                var pmf = [Double](repeating: 0, count: m + 1)
                var c = 1.0
                for k in 0...m {
                    pmf[k] = c * pow(p, Double(k)) * pow(1 - p, Double(m - k))
                    c = c * Double(m - k) / Double(k + 1)
                }
                var next = [Double](repeating: 0, count: maxScore + 1)
                for s in 0...reach where dist[s] > 0 {
                    for k in 0...m { next[s + k] += dist[s] * pmf[k] }
                }
                dist = next
                reach += m
            }
            total += w * dist[0..<failBelow].reduce(0, +)
            weightSum += w
            theta += 0.2
        }
        return total / weightSum
    }

    static func offset(tasks: [Int], difficulties: [Double], failBelow: Int, target: Double) -> Double {
        var lo = -4.0, hi = 4.0
        for _ in 0..<30 {
            let mid = (lo + hi) / 2
            if shareBelow(failBelow, tasks: tasks, difficulties: difficulties, offset: mid) < target {
                lo = mid
            } else {
                hi = mid
            }
        }
        return (lo + hi) / 2
    }
}
