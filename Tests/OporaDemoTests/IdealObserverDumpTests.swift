import Foundation
import Testing
@testable import OporaDemo

/// Writes what the generator hides for bench/ideal_observer.sh: the ВПР tests' task difficulties
/// and boundaries, and per school its true ability in each year and its planted mechanism, next to
/// the region's files. Runs only with OPORA_IDEAL_OBSERVER_DIR set (seeds in OPORA_IDEAL_OBSERVER_SEEDS).
@Suite("Ideal observer dump (OPORA_IDEAL_OBSERVER_DIR)")
struct IdealObserverDumpTests {
    @Test func dump() throws {
        let env = ProcessInfo.processInfo.environment
        guard let dir = env["OPORA_IDEAL_OBSERVER_DIR"] else { return }
        let root = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let catalogue: [[String: Any]] = DemoCatalogue.vpr.map { p in
            ["key": p.key, "max": p.tasks.map(\.maxScore), "level": p.tasks.map { "\($0.level)" },
             "difficulty": p.difficulties, "boundaries": p.markBoundaries ?? []]
        }
        try JSONSerialization.data(withJSONObject: catalogue).write(to: root.appendingPathComponent("catalogue.json"))
        let seeds = (env["OPORA_IDEAL_OBSERVER_SEEDS"] ?? "1").split(separator: ",").compactMap { UInt64($0) }
        for seed in seeds {
            // The same region as the identification bench's (GeneratedRegion.make(schools: 300, seed:)).
            let spec = RegionSpec(schools: 300, municipalities: 6, years: 3, lastYear: 2025, seed: seed)
            let plan = RegionPlan(spec: spec)
            let codes = ParticipantCodes(spec: spec)
            let years = (spec.lastYear - spec.years + 1)...spec.lastYear
            let schools: [[String: Any]] = plan.schools.map { school in
                let sim = SchoolSimulator(spec: spec, school: school, municipality: plan.municipalities[school.municipality], codes: codes)
                let ability = years.map { sim.yearAbility($0) }
                return ["id": school.id, "ability": ability, "mech": school.nonObjective?.rawValue ?? ""]
            }
            let out = root.appendingPathComponent("s\(seed)")
            try RegionGenerator(spec: spec).write(to: out, truthDirectory: out.appendingPathComponent("truth"))
            try JSONSerialization.data(withJSONObject: schools).write(to: out.appendingPathComponent("hidden.json"))
        }
    }
}
