import Foundation
import OporaCore
import OporaStats

/// Runs a rule set over the data of one analysis year.
public enum Identification {
    /// Stored with every run: the same rules and data give the same list only under the same engine.
    /// 2: `journal_mismatch` tests the boundary of the journal mark, `combined_signs` uses Brown's method.
    /// 3: `combined_signs` adds the years before the analysis year, `score_heaping` tests the boundary itself.
    /// 4: the counts of `journal_mismatch` and `score_heaping` are read with their skewness (`SkewedNormalScore`).
    /// 5: `score_heaping` also tests the «повысили» exactly at the boundary of their ВПР mark.
    /// 6: `journal_mismatch` also flags by its cell-by-cell Bayes factor over the years (`CellFactorEvidence`).
    /// 7: so does `score_heaping`, with the Bayes factor of scores pushed onto the boundaries (`BoundaryPushBayesFactor`).
    public static let engineVersion = "opora-identification/7"

    /// Identifies schools: every enabled criterion of `rules`, for the analysis `year`.
    /// Deterministic: the same data and rules give byte-identical JSON.
    public static func run(data: AnalysisData, rules: RuleSet, year: Int, created: String? = nil,
                           dataDigest: String? = nil) -> IdentificationResult {
        let ctx = IdentificationContext(data: data, rules: rules, year: year)
        var out = runCriteria(jobs(rules, ctx))
        if let c = rules.criterion("combined_signs") {
            NonObjective.combined(c, ctx, earlier: earlierSignTests(c, rules, data: data, year: year), &out)
        }

        let criterionOrder = Dictionary(uniqueKeysWithValues: RuleSchema.criterionIDs.enumerated().map { ($1, $0) })
        let categoryOrder = rules.categories.map(\.id)
        let outcome = out
        // Schools are independent: built on all cores in consecutive ranges, joined in order.
        let schools = Chunked.map(data.schools.count) { range -> [SchoolIdentification] in
            var list: [SchoolIdentification] = []
            list.reserveCapacity(range.count)
            for s in data.schools[range] {
                let flags = (outcome.flags[s.id] ?? []).sorted {
                    (criterionOrder[$0.criterion] ?? 99, $0.year, $0.procedures.joined(separator: ",")) <
                        (criterionOrder[$1.criterion] ?? 99, $1.year, $1.procedures.joined(separator: ","))
                }
                let nodata = (outcome.notEnough[s.id] ?? []).sorted { (criterionOrder[$0.criterion] ?? 99) < (criterionOrder[$1.criterion] ?? 99) }
                let cats = categoryOrder.filter { c in flags.contains { $0.category == c } }
                list.append(SchoolIdentification(schoolID: s.id, name: s.name, municipality: s.municipality, categories: cats,
                                                 conditions: ctx.conditions(s), flags: flags, notEnoughData: nodata, valueAdded: nil))
            }
            return list
        }
        var counts: [String: Int] = [:]
        for s in schools { for c in s.categories { counts[c, default: 0] += 1 } }
        let run = IdentificationRunInfo(
            rules: rules.name, rulesVersion: rules.version, rulesDigest: rules.digest, year: year, created: created,
            dataDigest: dataDigest, schools: schools.count, schoolsFlagged: schools.filter { !$0.categories.isEmpty }.count,
            categoryCounts: counts, criteria: rules.categories.flatMap { $0.criteria.filter(\.enabled).map(\.id) },
            engine: engineVersion)
        // The outcome's hundreds of thousands of small lists are freed on another thread: on this
        // one it took ~0.15 s at national scale, with the other core idle.
        Release.inBackground((consume out, consume outcome))
        return IdentificationResult(run: run, schools: schools)
    }

    /// The criteria that read only the data, in their fixed order. `combined_signs` reads their
    /// sign tests and runs after them.
    private static let independentCriteria: [(id: String, run: @Sendable (RuleCriterion, IdentificationContext, inout Outcome) -> Void)] =
        IdentificationCriterion.all.compactMap { c in c.run.map { (c.id, $0) } }

    /// The criteria by their CPU time at national scale, longest first; the others follow in order.
    private static let heavyFirst = ["journal_mismatch", "score_heaping", "not_confirmed_by_exam", "task_pattern",
                                     "official_fail_share", "vanishing_jump"]

    /// One criterion to run in one analysis year.
    private typealias Job = (criterion: RuleCriterion, run: @Sendable (RuleCriterion, IdentificationContext, inout Outcome) -> Void,
                             context: IdentificationContext)

    /// The enabled independent criteria of `rules` (or only those in `only`), in their fixed order.
    private static func jobs(_ rules: RuleSet, _ ctx: IdentificationContext, only: Set<String>? = nil) -> [Job] {
        independentCriteria.compactMap { step in
            guard only?.contains(step.id) ?? true, let c = rules.criterion(step.id) else { return nil }
            return (c, step.run, ctx)
        }
    }

    /// The sign tests of `combined_signs`' families in the years of its window before the analysis
    /// year (year → criterion → school → test), computed as in an analysis of that year. A practice
    /// that persists shows in each year's students; what counts is still the analysis year's evidence
    /// (`NonObjective.combined`).
    private static func earlierSignTests(_ c: RuleCriterion, _ rules: RuleSet, data: AnalysisData,
                                         year: Int) -> [Int: [String: [String: SignTest]]] {
        let years = data.years.filter { $0 < year && $0 > year - c.int("years") }
        guard !years.isEmpty else { return [:] }
        let signs = Set(RuleSchema.signFamilies.joined())
        let all = years.flatMap { y in jobs(rules, IdentificationContext(data: data, rules: rules, year: y), only: signs) }
        var earlier: [Int: [String: [String: SignTest]]] = [:]
        for (job, outcome) in zip(all, runEach(all, signTestsOnly: true)) {
            earlier[job.context.year, default: [:]].merge(outcome.signTests) { _, new in new }
        }
        return earlier
    }

    /// Runs the jobs on all cores, each into its own `Outcome`, and merges the outcomes in the fixed
    /// order: every school's lists come out exactly as if the criteria had run one after another
    /// (at 40,000 schools they take seconds each).
    private static func runCriteria(_ jobs: [Job]) -> Outcome {
        var outcomes = runEach(jobs)
        // The first outcome moved out whole: merging it into an empty one rebuilt its tables.
        var out = Outcome()
        if !outcomes.isEmpty { swap(&out, &outcomes[0]) }
        for o in outcomes.dropFirst() { out.merge(o) }
        return out
    }

    private static func runEach(_ jobs: [Job], signTestsOnly: Bool = false) -> [Outcome] {
        let outcomes = UnsafeMutableBufferPointer<Outcome>.allocate(capacity: jobs.count)
        outcomes.initialize(repeating: Outcome(signTestsOnly: signTestsOnly))
        defer { outcomes.deinitialize().deallocate() }
        let work = CriteriaWork(outcomes: outcomes, jobs: jobs)
        // The heaviest criteria start first (longest first balances the cores best); the outcomes
        // are merged in the fixed order whatever the order they ran in.
        let schedule = jobs.indices.sorted { (heavyFirst.firstIndex(of: jobs[$0].criterion.id) ?? heavyFirst.count, $0) <
            (heavyFirst.firstIndex(of: jobs[$1].criterion.id) ?? heavyFirst.count, $1) }
        DispatchQueue.concurrentPerform(iterations: schedule.count) { work.run(schedule[$0]) }
        return Array(outcomes)
    }

    /// Each worker writes only its own outcome; the contexts' caches are locked.
    private struct CriteriaWork: @unchecked Sendable {
        let outcomes: UnsafeMutableBufferPointer<Outcome>
        let jobs: [Job]

        func run(_ k: Int) { jobs[k].run(jobs[k].criterion, jobs[k].context, &outcomes[k]) }
    }

    /// The latest year with results, the default analysis year.
    public static func defaultYear(_ data: AnalysisData, rules: RuleSet) -> Int? {
        rules.year ?? data.procedures.map(\.year).max()
    }
}

/// Flags and "not enough data" collected per school.
struct Outcome {
    var flags: [String: [IdentificationFlag]] = [:]
    var notEnough: [String: [NotEnoughData]] = [:]
    /// Every school's calibrated test of each non-objective sign (criterion → school → test), flagged
    /// or not, for `combined_signs`.
    var signTests: [String: [String: SignTest]] = [:]
    /// Only the sign tests are wanted (the earlier years of `combined_signs`): flags and "not enough
    /// data" are neither kept nor worded.
    var signTestsOnly = false

    mutating func flag(_ school: String, _ f: IdentificationFlag) {
        guard !signTestsOnly else { return }
        flags[school, default: []].append(f)
    }

    /// Appends another outcome's lists after this one's (merging in criterion order keeps each
    /// school's lists as a sequential run would build them).
    mutating func merge(_ o: Outcome) {
        for (school, list) in o.flags { flags[school, default: []] += list }
        for (school, list) in o.notEnough { notEnough[school, default: []] += list }
        for (criterion, tests) in o.signTests {
            // A criterion's first table is taken whole (merging into an empty one re-inserted every school).
            if signTests[criterion] == nil { signTests[criterion] = tests } else { signTests[criterion]!.merge(tests) { _, new in new } }
        }
    }

    mutating func notEnough(_ school: String, _ criterion: String, _ category: String, _ year: Int, n: Int?,
                            ru: String, en: String) {
        guard !signTestsOnly else { return }
        notEnough[school, default: []].append(NotEnoughData(criterion: criterion, category: category, year: year, n: n,
                                                            reasonRU: ru, reasonEN: en))
    }
}

/// One school's test of one non-objective sign, calibrated against all schools.
struct SignTest {
    var p: Double
    var q: Double
    var effect: Double
    var minEffect: Double
    var procedures: [String]
    var n: Int
    var flagged: Bool
    /// The flag's strength when flagged (either of `journal_mismatch`'s two ways).
    var strength: SignStrength? = nil
}

/// Shared, cached views of the data for the criteria.
final class IdentificationContext {
    let data: AnalysisData
    let rules: RuleSet
    let year: Int
    /// Criteria run concurrently: the caches are behind a lock (a value may be computed twice,
    /// the same both times).
    private let lock = NSLock()
    private var regionCache: [Procedure: CellSummary] = [:]
    private var boundaryCache: [Procedure: [Int]?] = [:]

    /// The social criterion's thresholds for `conditions` (asked for every school: looked up once).
    private let smallStudents: Int
    private let remoteKm: Double

    init(data: AnalysisData, rules: RuleSet, year: Int) {
        self.data = data
        self.rules = rules
        self.year = year
        let c = rules.criterion("wellbeing_index") ?? RuleSet.default.criterion("wellbeing_index")!
        smallStudents = c.int("small_students")
        remoteKm = c.number("remote_km")
    }

    func procedures(year: Int, assessments: [String]) -> [Procedure] {
        data.procedures.filter { $0.year == year && assessments.contains($0.assessment.rawValue) }
    }

    func region(_ p: Procedure) -> CellSummary? {
        if let c = lock.withLock({ regionCache[p] }) { return c }
        let c = data.regionCell(p)
        lock.withLock { regionCache[p] = c }
        return c
    }

    func boundaries(_ p: Procedure) -> [Int]? {
        if let b = lock.withLock({ boundaryCache[p] }) { return b }
        let b = data.markBoundaries(p)
        lock.withLock { boundaryCache[p] = b }
        return b
    }

    /// Rural / small / remote, as the social criterion's parameters define them.
    func conditions(_ s: School) -> [String] {
        var out: [String] = []
        if s.settlement == .rural { out.append("rural") }
        if let n = s.students, n < smallStudents { out.append("small") }
        if let d = s.distanceKm, d >= remoteKm { out.append("remote") }
        return out
    }

    /// Cell mean scores standardised across the cells of the procedure with at least `minN`
    /// participants: school id → z.
    func scoreZ(_ p: Procedure, minN: Int) -> [String: Double] {
        // By index: filtering the cells would copy each one (seven arrays), on several threads.
        let cells = data.cells[p] ?? []
        var ids: [String] = [], means: [Double] = []
        for i in cells.indices where cells[i].scored >= minN {
            ids.append(cells[i].schoolID)
            means.append(cells[i].meanScore!)
        }
        guard let z = Descriptive.standardize(means) else { return [:] }
        return Dictionary(uniqueKeysWithValues: zip(ids, z))
    }
}

/// Statistical helpers shared by the signs.
enum SignStats {
    /// Median and a robust SD (1.4826 · MAD) of values, the SD never below `floor`.
    static func robustCentreScale(_ x: [Double], floor: Double = 1) -> (centre: Double, scale: Double) {
        guard !x.isEmpty else { return (0, floor) }
        guard !x.contains(where: \.isNaN) else {
            let s = x.sorted()
            let med = Descriptive.quantileSorted(s, 0.5)!
            let dev = s.map { abs($0 - med) }.sorted()
            let mad = Descriptive.quantileSorted(dev, 0.5)! * 1.4826
            return (med, max(floor, mad))
        }
        // Both medians by selection, not sorting (the same order statistics when no value is NaN):
        // task_pattern takes four per procedure of 40,000 cells, and every sign one of all schools.
        var s = x
        let med = Descriptive.medianSelecting(&s)!
        var dev = s.map { abs($0 - med) }
        let mad = Descriptive.medianSelecting(&dev)! * 1.4826
        return (med, max(floor, mad))
    }

    /// Benjamini–Hochberg q-values for p-values (all present).
    static func q(_ p: [Double]) -> [Double] {
        (try? MultipleTesting.benjaminiHochberg(p.map { min(1, max(0, $0)) })) ?? p
    }

    static func strength(q: Double, effect: Double, minEffect: Double) -> SignStrength {
        if q <= 0.001 && effect >= 2 * minEffect { return .strong }
        if q <= 0.01 { return .moderate }
        return .weak
    }

    static func strengthText(_ s: SignStrength, _ l: Language) -> String {
        switch s {
        case .strong: l == .ru ? "сильный" : "strong"
        case .moderate: l == .ru ? "умеренный" : "moderate"
        case .weak: l == .ru ? "слабый" : "weak"
        }
    }

    static func logit(_ p: Double) -> Double {
        let q = min(max(p, 0.005), 0.995)
        return log(q / (1 - q))
    }
}
