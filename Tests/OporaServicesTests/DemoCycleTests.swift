import Foundation
import OporaCore
import OporaDemo
import OporaImport
import OporaStore
import Testing
@testable import OporaServices

@Suite("Demo cycle")
struct DemoCycleTests {
    @Test func theDemoShowsEveryStageOfTheCycle() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cycle-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        _ = try RegionGenerator(spec: RegionSpec(schools: 40, municipalities: 2, years: 3, seed: 3)).write(to: folder)
        let files = Importer.dataFiles(inFolder: folder.path).filter { !$0.hasSuffix("truth.csv") }
        let db = try await OporaDatabase.open(.sqlite(path: folder.appendingPathComponent("db.sqlite").path))
        do {
            guard case .success(let checked) = try await ImportService.check(paths: files, database: db) else {
                Issue.record("the generated region did not pass the checks")
                await db.close()
                return
            }
            _ = try await ImportService.store(checked, into: db)
            let municipality = try #require(try await db.municipalities().first?.name)
            let today = Day("2026-11-25")!
            let stages = try #require(try await DemoCycle.populate(db, municipality: municipality, today: today))
            let store = db.scoped(.municipality(municipality))
            let status = Dictionary(uniqueKeysWithValues: try await store.registry().map { ($0.schoolID, $0.status) })
            #expect(status[stages.identified] == .included && status[stages.programmeWritten] == .inProgramme
                    && status[stages.halfWay] == .inProgramme && status[stages.exitProposed] == .exitProposed)
            #expect(try await store.programmes(of: .school(stages.identified))?.isEmpty == true)
            for id in [stages.programmeWritten, stages.halfWay, stages.exitProposed] {
                let programmes = try #require(try await store.programmes(of: .school(id)))
                #expect(programmes.count == 1 && programmes[0].kind == .antiRisk, "\(id)")
                #expect(try await store.riskProfile(schoolID: id)?.contains { $0.priority } == true)
            }
            func progress(_ id: String) async throws -> RoadmapShares {
                let p = try #require(try await store.programmes(of: .school(id))?.first)
                return RoadmapShares(try await store.measures(programmeID: p.id) ?? [], today: today)
            }
            let written = try await progress(stages.programmeWritten), half = try await progress(stages.halfWay), exit = try await progress(stages.exitProposed)
            #expect(written.done == 0 && written.late == 0)
            #expect(half.done > 0 && half.done < half.total && half.late >= 1)
            #expect(exit.done == exit.total)
            #expect(try await store.allProgrammes().contains { $0.owner == .municipality(municipality) })
            #expect(try await store.events(schoolID: stages.halfWay)?.contains { $0.kind == .visit } == true)
            #expect(try await db.identificationRuns().count == 1)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    struct RoadmapShares {
        var total = 0, done = 0, late = 0
        init(_ measures: [Measure], today: Day) {
            total = measures.count
            done = measures.filter { $0.status(on: today) == .done }.count
            late = measures.filter { $0.status(on: today) == .late }.count
        }
    }
}
