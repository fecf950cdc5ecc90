import Foundation
import OporaCore

/// Output files of one generation run, shared by all schools.
final class Sinks {
    let schools: ByteWriter
    let context: ByteWriter
    let results: ByteWriter
    let aggregates: ByteWriter
    let truth: ByteWriter

    init(schools: ByteWriter, context: ByteWriter, results: ByteWriter, aggregates: ByteWriter, truth: ByteWriter) {
        self.schools = schools
        self.context = context
        self.results = results
        self.aggregates = aggregates
        self.truth = truth
    }

    var all: [ByteWriter] { [schools, context, results, aggregates, truth] }
}

/// Participant codes: a bijection of (school, cohort, student number) onto `width`-digit numbers,
/// so codes are unique in the whole region and a student keeps the code from year to year.
struct ParticipantCodes {
    let width: Int
    let modulus: Int
    let offset: Int
    let minCohort: Int
    let span: Int
    static let perCohort = 256
    /// Odd and not a multiple of 5, hence invertible modulo 10^width.
    static let multiplier = 7_368_787

    init(spec: RegionSpec) {
        minCohort = spec.firstYear - 11
        span = spec.years + 7
        let capacity = spec.schools * span * Self.perCohort
        var w = 6
        var m = 1_000_000
        while m < capacity {
            w += 1
            m *= 10
        }
        width = w
        modulus = m
        offset = Int(derive(spec.seed, 99) % UInt64(m))
    }

    @inline(__always)
    func code(school: Int, cohort: Int, student: Int) -> Int {
        let linear = (school * span + (cohort - minCohort)) * Self.perCohort + student
        // linear < 10^12 and multiplier < 10^7: the product fits in 64 bits.
        return (linear % modulus * Self.multiplier + offset) % modulus
    }
}

/// Generates and writes everything about one school: its row, its context, its students'
/// results, its aggregates and its truth rows. Everything comes from streams keyed by the
/// school's key, so a school's output does not depend on any other school.
struct SchoolSimulator {
    let spec: RegionSpec
    let school: SchoolPlan
    let municipality: MunicipalityPlan
    let codes: ParticipantCodes

    /// Latent social well-being (higher = better-off families).
    let social: Double
    /// Latent resources (staff and material; higher = better).
    let resource: Double
    /// Latent school ability on the task logit scale.
    let ability: Double

    init(spec: RegionSpec, school: SchoolPlan, municipality: MunicipalityPlan, codes: ParticipantCodes) {
        self.spec = spec
        self.school = school
        self.municipality = municipality
        self.codes = codes
        let key = school.key
        let placeEffect: Double = switch school.place {
        case .city: 0.25
        case .town: -0.1
        case .village: -0.3
        }
        let kindSocial: Double = switch school.kind {
        case .lyceum: 0.7
        case .gymnasium: 0.6
        case .evening: -0.9
        case .boarding: -1.0
        default: 0
        }
        social = 0.65 * gaussian(key: derive(key, 4)) + placeEffect + kindSocial + (school.socialRisk ? -2.0 : 0)
        resource = 0.3 * social + 0.8 * gaussian(key: derive(key, 5))
            - (school.staffDeficit || school.materialDeficit ? 1.0 : 0)
        let kindAbility: Double = switch school.kind {
        case .lyceum: 0.7
        case .gymnasium: 0.5
        case .evening: -0.6
        case .boarding: -0.5
        default: 0
        }
        ability = Model.abilityShift + 0.4 * social + 0.12 * resource + kindAbility
            + 0.3 * gaussian(key: derive(key, 6))
            + (school.designedLow ? Model.designedLowShift : 0)
            + (school.staffDeficit ? -0.15 : 0) + (school.materialDeficit ? -0.1 : 0)
    }

    // MARK: - Context

    /// The year's indicator values, aligned with `IndicatorCatalogue.standard`; `nil` = missing.
    func context(year: Int) -> [Double?] {
        var rng = Xoshiro(key: derive(school.key, 10, UInt64(year)))
        let key = school.key
        let s = social, r = resource
        let village = school.place == .village, city = school.place == .city
        let students = Double(school.students)
        func persistent(_ i: Int) -> Double { gaussian(key: derive(key, 11, UInt64(i))) }
        func share(_ i: Int, _ base: Double, _ slope: Double, _ latent: Double, spread: Double = 0.35) -> Double {
            logistic(logit(base) + slope * latent + spread * persistent(i) + 0.08 * rng.gaussian())
        }
        func flag(_ i: Int, _ p: Double) -> Double {
            var has = unitDouble(derive(key, 12, UInt64(i))) < p
            if rng.chance(0.04) { has.toggle() }
            return has ? 1 : 0
        }
        let pptBase: Double = switch (school.kind, school.place) {
        case (.boarding, _): 6
        case (.evening, _): 12
        case (_, .city): 15.5
        case (_, .town): 12.5
        case (_, .village): school.basicOnly ? 5.5 : 8
        }
        var teachers = max(5.0, (students / pptBase * exp(0.1 * persistent(40))).rounded() + Double(rng.int(-1...1)))
        if school.staffDeficit { teachers = max(4, (teachers * 0.85).rounded()) }
        let staff = school.staffDeficit, material = school.materialDeficit

        var values: [Double?] = []
        values.reserveCapacity(IndicatorCatalogue.standard.count)
        for (i, def) in IndicatorCatalogue.standard.enumerated() {
            let v: Double?
            switch def.code {
            case "parents_higher_education_share":
                v = share(i, city ? 0.30 : village ? 0.10 : 0.18, 0.6, s)
            case "single_parent_share":
                v = share(i, 0.20, -0.35, s)
            case "unemployed_parents_share":
                v = share(i, city ? 0.04 : village ? 0.12 : 0.07, -0.6, s)
            case "low_income_share":
                v = share(i, city ? 0.10 : village ? 0.24 : 0.16, -0.7, s)
            case "register_share":
                v = share(i, school.kind == .evening ? 0.08 : 0.02, -0.6, s)
            case "disability_share":
                v = share(i, school.kind == .boarding ? 0.30 : 0.045, -0.3, s)
            case "non_native_share":
                v = share(i, 0.03, -0.5, s, spread: 0.8)
            case "teachers":
                v = teachers
            case "teacher_vacancies":
                let base = Double(rng.poisson(teachers * 0.025 * exp(-0.6 * r)))
                v = staff ? base + Double(rng.int(2...4)) + (teachers / 15).rounded(.down) : base
            case "teachers_without_qualification_share":
                v = staff ? rng.uniform(0.25, 0.4) : share(i, village ? 0.12 : 0.05, -0.4, r)
            case "teachers_retirement_age_share":
                v = staff ? rng.uniform(0.36, 0.5) : share(i, village ? 0.26 : city ? 0.17 : 0.22, -0.2, r)
            case "pupils_per_teacher":
                v = students / teachers
            case "pd_coverage_share":
                v = staff ? rng.uniform(0.35, 0.6) : share(i, 0.85, 0.4, r)
            case "has_psychologist":
                v = staff ? 0 : flag(i, logistic(1.3 + r + (village ? -1.6 : 0.8)))
            case "has_speech_therapist":
                v = staff ? 0 : flag(i, logistic(0.3 + r + (village ? -1.8 : 0.6)))
            case "has_social_pedagogue":
                v = staff ? 0 : flag(i, logistic(0.8 + 0.8 * r + (village ? -1.2 : 0.6)))
            case "computers_per_100_students":
                v = material ? rng.uniform(2, 5) : (city ? 11 : village ? 18 : 13) * exp(0.3 * r + 0.2 * persistent(i))
            case "internet_mbps":
                v = (material ? rng.uniform(2, 8) : (city ? 100 : village ? 20 : 50) * exp(0.5 * r + 0.3 * persistent(i))).rounded()
            case "equipment_share":
                v = material ? rng.uniform(0.22, 0.42) : share(i, 0.72, 0.5, r)
            default:
                v = nil
            }
            // A few values are simply not reported (absent rows, never zeros) — except where the
            // school's designed category lives, so the planted evidence stays visible.
            let protected = switch def.category {
            case .social: school.socialRisk
            case .staff: staff
            case .material: material
            case .other: false
            }
            if rng.chance(Model.missingShare) && !protected {
                values.append(nil)
            } else {
                values.append(v)
            }
        }
        return values
    }

    static func decimals(for unit: IndicatorUnit) -> Int {
        switch unit {
        case .share: 3
        case .count, .flag, .mbps: 0
        case .ratio, .km: 1
        }
    }

    // MARK: - Writing

    func write(to sinks: Sinks, summary: inout GenerationSummary) throws {
        let years = Array(spec.yearRange)

        // schools.csv
        try sinks.schools.row([
            school.id, school.name, municipality.name, spec.regionName, school.settlement.rawValue,
            school.kind.rawValue, String(school.students), formatDecimal(school.distanceKm, 1),
        ])

        // context.csv
        var contexts: [[Double?]] = []
        for year in years {
            let values = context(year: year)
            contexts.append(values)
            let w = sinks.context
            for (i, def) in IndicatorCatalogue.standard.enumerated() {
                guard let v = values[i] else { continue }
                try w.reserve(256)
                w.int(year); w.comma()
                try w.field(school.id); w.comma()
                try w.field(def.code); w.comma()
                w.decimal(v, decimals: Self.decimals(for: def.unit))
                w.endRow()
            }
        }

        // results.csv and results_school.csv
        let outcome = try writeResults(years: years, to: sinks.results)
        try writeAggregates(years: years, to: sinks.aggregates)

        // truth.csv
        for row in truthRows(years: years, contexts: contexts, outcome: outcome) {
            try sinks.truth.row(row)
            summary.truthByCategory[row[1], default: 0] += 1
        }
    }

    /// What the results pass reports back: per year and mark procedure, participants and «2»s,
    /// and the work of the non-objective mechanism.
    struct Outcome {
        var participants: [[Int]]
        var twos: [[Int]]
        /// (year index, procedure index, participants, changed) where the mechanism was active.
        var manipulated: [(year: Int, procedure: Int, participants: Int, changed: Int)] = []
    }

    /// The years and ВПР procedures where the school's non-objective mechanism is at work:
    /// always in the last year, in earlier years at random; a random subset of its ВПР each year.
    func nonObjectiveSchedule(yearCount: Int) -> Set<Int> {
        guard school.nonObjective != nil else { return [] }
        var rng = Xoshiro(key: derive(school.key, 13))
        let vprCount = DemoCatalogue.vpr.count
        var active = Set<Int>()
        for y in 0..<yearCount where y == yearCount - 1 || rng.chance(0.5) {
            var chosen = (0..<vprCount).filter { _ in rng.chance(0.6) }
            if chosen.isEmpty { chosen = [rng.int(0...vprCount - 1)] }
            for p in chosen { active.insert(y * 64 + p) }
        }
        return active
    }

    /// The school's ability in a year: its latent ability plus the year's wobble.
    func yearAbility(_ year: Int) -> Double {
        ability + Model.yearSD * gaussian(key: derive(school.key, 7, UInt64(year)))
    }

    /// Size of a school's cohort (students who started grade 1 in the same year).
    func cohortSize(_ cohort: Int) -> Int {
        let base = Double(school.students) / Double(school.gradeCount)
        let n = base * exp(0.18 * gaussian(key: derive(school.key, 14, UInt64(bitPattern: Int64(cohort)))))
        return clamp(Int(n.rounded()), 0, ParticipantCodes.perCohort)
    }

    /// How many of the cohort reach a grade (half leave after grade 9 for colleges).
    func reaching(_ n: Int, grade: Int) -> Int {
        guard grade >= 10 else { return n }
        return Int((Double(n) * (school.kind == .evening ? 0.8 : 0.55)).rounded())
    }

    private func writeResults(years: [Int], to w: ByteWriter) throws -> Outcome {
        let markProcedures = DemoCatalogue.vpr.count + DemoCatalogue.oge.count
        var outcome = Outcome(
            participants: Array(repeating: Array(repeating: 0, count: markProcedures), count: years.count),
            twos: Array(repeating: Array(repeating: 0, count: markProcedures), count: years.count))
        let schedule = nonObjectiveSchedule(yearCount: years.count)
        let studentBase = derive(school.key, 30)
        let columns = DemoCatalogue.taskColumns.count
        var scores = [Int](repeating: 0, count: 32)

        for (yi, year) in years.enumerated() {
            let yearAbility = yearAbility(year)
            for (pi, proc) in DemoCatalogue.studentProcedures.enumerated() {
                if proc.assessment == .vpr && !school.hasVPR { continue }
                if proc.assessment == .ege && !school.hasEGE { continue }
                let cohort = year - proc.grade
                let n = reaching(cohortSize(cohort), grade: proc.grade)
                guard n > 0 else { continue }
                let prefix = Array("\(year),\(proc.assessment.rawValue),\(proc.subject),\(proc.grade),\(school.id),".utf8)
                let subject: UInt64 = proc.subject == "russian" ? 1 : 2
                var rng = Xoshiro(key: derive(school.key, 20, UInt64(year), UInt64(pi)))
                let mechanism = schedule.contains(yi * 64 + pi) ? school.nonObjective : nil
                let help = mechanism == .hardTaskHelp ? Model.hardTaskHelp : 0
                let columnTask = DemoCatalogue.columnTaskIndex[pi]
                let tasks = proc.tasks
                let difficulty = proc.difficulties
                var participants = 0, changed = 0, twos = 0

                for k in 0..<n {
                    let studentKey = derive(studentBase, UInt64(bitPattern: Int64(cohort)), UInt64(k))
                    let theta = yearAbility + Model.studentAbility(key: studentKey, subject: subject, year: year)
                    if proc.assessment == .ege {
                        let p = proc.subject == "math" ? logistic(0.2 + 1.2 * (theta - yearAbility)) : 0.98
                        guard rng.chance(p) else { continue }
                        let x = DemoCatalogue.egeIntercept(proc.subject) + DemoCatalogue.egeSlope * theta + 0.15 * rng.gaussian()
                        let score = clamp(Int((100 * logistic(x)).rounded()), 0, 100)
                        try w.reserve(1024)
                        w.bytes(prefix)
                        w.padded(codes.code(school: school.index, cohort: cohort, student: k), width: codes.width)
                        w.comma(); w.int(score); w.comma(); w.comma()
                        for _ in 0..<columns { w.comma() }
                        w.endRow()
                        participants += 1
                        continue
                    }
                    guard rng.chance(proc.assessment == .vpr ? 0.92 : 0.985) else { continue }
                    participants += 1
                    var score = 0
                    for t in 0..<tasks.count {
                        let boost = tasks[t].level == .basic ? 0 : help
                        let s = rng.binomial(tasks[t].maxScore, logistic(theta + boost - difficulty[t]))
                        scores[t] = s
                        score += s
                    }
                    let honest = proc.mark(forScore: score)!
                    var journal: Int? = nil
                    var mark = honest
                    if proc.assessment == .vpr {
                        let u = rng.uniform()
                        let delta = u < 0.07 ? -1 : u < 0.75 ? 0 : u < 0.97 ? 1 : 2
                        let j = clamp(honest + delta, 2, 5)
                        journal = j
                        if let mechanism {
                            let target: Int?
                            switch mechanism {
                            case .journalRaise:
                                target = j > honest && rng.chance(0.85)
                                    ? min(proc.markBoundaries![j - 3] + rng.int(0...1), proc.maxScore) : nil
                            case .boundaryPush:
                                target = proc.markBoundaries!.first { b in score < b && score >= b - 2 }
                                    .flatMap { rng.chance(0.8) ? $0 : nil }
                            case .hardTaskHelp:
                                target = nil
                            }
                            if let target, target > score {
                                Self.addPoints(target - score, to: &scores, tasks: tasks, rng: &rng)
                                score = target
                                changed += 1
                            }
                            mark = proc.mark(forScore: score)!
                        }
                        if mechanism == .hardTaskHelp { changed += 1 }
                    }
                    if mark == 2 { twos += 1 }

                    try w.reserve(1024)
                    w.bytes(prefix)
                    w.padded(codes.code(school: school.index, cohort: cohort, student: k), width: codes.width)
                    w.comma(); w.int(score); w.comma(); w.int(mark); w.comma()
                    if let journal { w.int(journal) }
                    for c in 0..<columns {
                        w.comma()
                        let t = columnTask[c]
                        if t >= 0 { w.int(scores[t]) }
                    }
                    w.endRow()
                }
                if proc.assessment.hasMarks {
                    outcome.participants[yi][pi] = participants
                    outcome.twos[yi][pi] = twos
                }
                if mechanism != nil && participants > 0 {
                    outcome.manipulated.append((yi, pi, participants, changed))
                }
            }
        }
        return outcome
    }

    /// Adds `points` to random tasks that still have room (the score is below the task maximum).
    static func addPoints(_ points: Int, to scores: inout [Int], tasks: [DemoTask], rng: inout Xoshiro) {
        var left = points
        var t = rng.int(0...tasks.count - 1)
        var guardCount = 0
        while left > 0 && guardCount < tasks.count * 20 {
            if scores[t] < tasks[t].maxScore && rng.chance(0.5) {
                scores[t] += 1
                left -= 1
            }
            t = (t + 1) % tasks.count
            guardCount += 1
        }
    }

    private func writeAggregates(years: [Int], to w: ByteWriter) throws {
        guard school.hasVPR else { return }
        let proc = DemoCatalogue.regional
        let studentBase = derive(school.key, 30)
        for year in years {
            let yearAbility = yearAbility(year)
            let cohort = year - proc.grade
            let n = cohortSize(cohort)
            var rng = Xoshiro(key: derive(school.key, 21, UInt64(year)))
            var counts = [0, 0, 0, 0]
            var total = 0
            for k in 0..<n {
                guard rng.chance(0.9) else { continue }
                let studentKey = derive(studentBase, UInt64(bitPattern: Int64(cohort)), UInt64(k))
                let theta = yearAbility + Model.studentAbility(key: studentKey, subject: 2, year: year)
                var score = 0
                for (t, task) in proc.tasks.enumerated() {
                    score += rng.binomial(task.maxScore, logistic(theta - proc.difficulties[t]))
                }
                counts[proc.mark(forScore: score)! - 2] += 1
                total += score
            }
            let participants = counts.reduce(0, +)
            guard participants > 0 else { continue }
            let units = Self.apportionUnits(counts, total: 10_000)
            try w.reserve(512)
            w.bytes(Array("\(year),regional,math,7,\(school.id),".utf8))
            w.int(participants); w.comma()
            w.decimal(Double(total) / Double(participants), decimals: 2)
            for u in units {
                w.comma()
                w.decimal(Double(u) / 10_000, decimals: 4)
            }
            w.endRow()
        }
    }

    /// Splits `total` units in proportion to `counts` by largest remainders, so the written shares
    /// (units / total) sum to exactly 1.
    static func apportionUnits(_ counts: [Int], total: Int) -> [Int] {
        let n = counts.reduce(0, +)
        var units = counts.map { $0 * total / n }
        var left = total - units.reduce(0, +)
        let order = counts.indices.sorted { (counts[$0] * total % n, -$0) > (counts[$1] * total % n, -$1) }
        var k = 0
        while left > 0 {
            units[order[k % order.count]] += 1
            left -= 1
            k += 1
        }
        return units
    }

    // MARK: - Truth

    /// Truth rows: `school_id,category,mechanism,year,procedure,detail`.
    ///
    /// `low_results` is not designed but computed, EXACTLY, by Rosobrnadzor's risk rule on the
    /// written marks (after any non-objective changes): in year Y the school is flagged when at
    /// least 30% of the participants of a procedure got «2» (compared in integers: 10·twos ≥
    /// 3·participants) in two or more procedures in Y, or in the same procedure in Y and Y−1.
    /// Procedure = assessment × subject × grade, with marks: ВПР and ОГЭ (ЕГЭ has no marks; the
    /// aggregate-only regional test is not counted). The official rule has no minimum group size,
    /// so none is applied here: a procedure with 3 participants and one «2» counts. A procedure
    /// without participants does not count. The first generated year has no Y−1.
    /// The other categories are designed: the rows say which schools were planted.
    func truthRows(years: [Int], contexts: [[Double?]], outcome: Outcome) -> [[String]] {
        var rows: [[String]] = []
        let procs = DemoCatalogue.vpr + DemoCatalogue.oge
        func flagged(_ yi: Int, _ pi: Int) -> Bool {
            let n = outcome.participants[yi][pi]
            return n > 0 && 10 * outcome.twos[yi][pi] >= 3 * n
        }
        for (yi, year) in years.enumerated() {
            let now = procs.indices.filter { flagged(yi, $0) }
            let repeated = yi > 0 ? now.filter { flagged(yi - 1, $0) } : []
            guard now.count >= 2 || !repeated.isEmpty else { continue }
            let mechanism = now.count >= 2 && !repeated.isEmpty ? "two_procedures+two_years"
                : now.count >= 2 ? "two_procedures" : "two_years"
            var parts = now.map { "\(procs[$0].key)=\(outcome.twos[yi][$0])/\(outcome.participants[yi][$0])" }
            if !repeated.isEmpty {
                parts.append("repeated:" + repeated.map { procs[$0].key }.joined(separator: "+"))
            }
            parts.append(school.designedLow ? "designed" : "not_designed")
            rows.append([school.id, TruthCategory.lowResults.rawValue, mechanism, String(year), "", parts.joined(separator: ";")])
        }
        func value(_ yi: Int, _ code: String) -> String {
            guard let i = IndicatorCatalogue.standard.firstIndex(where: { $0.code == code }),
                  let v = contexts[yi][i] else { return "\(code)=NA" }
            return "\(code)=\(formatDecimal(v, 3))"
        }
        if school.socialRisk {
            for (yi, year) in years.enumerated() {
                rows.append([school.id, TruthCategory.socialRisk.rawValue, "poor_context", String(year), "",
                             [value(yi, "low_income_share"), value(yi, "parents_higher_education_share"),
                              value(yi, "unemployed_parents_share")].joined(separator: ";")])
            }
        }
        for (flag, mechanism, codes) in [
            (school.staffDeficit, ResourceDeficitMechanism.staffShortage,
             ["teacher_vacancies", "has_psychologist", "teachers_without_qualification_share"]),
            (school.materialDeficit, ResourceDeficitMechanism.materialShortage,
             ["computers_per_100_students", "internet_mbps", "equipment_share"]),
        ] where flag {
            for (yi, year) in years.enumerated() {
                rows.append([school.id, TruthCategory.resourceDeficit.rawValue, mechanism.rawValue, String(year), "",
                             codes.map { value(yi, $0) }.joined(separator: ";")])
            }
        }
        if let mechanism = school.nonObjective {
            // Only where the mechanism changed something: a cell it left untouched (e.g. no student
            // whose journal mark was above the honest mark) holds honest results.
            for m in outcome.manipulated where m.changed > 0 {
                let proc = DemoCatalogue.studentProcedures[m.procedure]
                rows.append([school.id, TruthCategory.nonObjective.rawValue, mechanism.rawValue, String(years[m.year]),
                             proc.key, "changed=\(m.changed);participants=\(m.participants)"])
            }
        }
        return rows
    }
}

/// The model's constants, in one place.
enum Model {
    /// Moves every school's ability so the realised region-wide share of «2» in ВПР lands near 9%.
    static let abilityShift = 0.0
    /// Designed low-results schools are this much weaker (logit scale).
    static let designedLowShift = -1.0
    /// Year-to-year wobble of a school's ability.
    static let yearSD = 0.12
    /// Extra ability on advanced and high tasks under `hard_task_help`.
    static let hardTaskHelp = 2.2
    /// Share of context values not reported.
    static let missingShare = 0.02

    /// A student's deviation from the school: general ability (kept over the years), a subject
    /// component and a yearly wobble; SD ≈ 0.97.
    @inline(__always)
    static func studentAbility(key: UInt64, subject: UInt64, year: Int) -> Double {
        0.85 * gaussian(key: key)
            + 0.4 * gaussian(key: derive(key, subject))
            + 0.25 * gaussian(key: derive(key, subject, UInt64(year)))
    }
}

func formatDecimal(_ value: Double, _ decimals: Int) -> String {
    var scale = 1
    for _ in 0..<decimals { scale *= 10 }
    var n = Int((value * Double(scale)).rounded())
    let negative = n < 0
    if negative { n = -n }
    var text = String(n / scale)
    var frac = n % scale
    if frac > 0 {
        var width = decimals
        while frac % 10 == 0 {
            frac /= 10
            width -= 1
        }
        let digits = String(frac)
        text += "." + String(repeating: "0", count: width - digits.count) + digits
    }
    return negative ? "-" + text : text
}
