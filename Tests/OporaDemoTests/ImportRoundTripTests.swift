import Foundation
import OporaCore
import OporaDemo
import OporaImport
import Testing

/// The generated region is what `opora demo` imports: it must pass the importer's checks as a whole.
@Suite("Generated region through the importer")
struct ImportRoundTripTests {
    @Test func aGeneratedRegionImportsWithoutProblems() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-import-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let truthDir = dir.appendingPathComponent("truth")
        let summary = try RegionGenerator(spec: RegionSpec(schools: 24, municipalities: 3, years: 2, seed: 5))
            .write(to: dir.appendingPathComponent("data"), truthDirectory: truthDir)

        let batch: ImportBatch
        do {
            batch = try Importer.validate(paths: [dir.appendingPathComponent("data").path])
        } catch {
            Issue.record("the generated region has problems:\n\(error.problems.prefix(10).map(\.description).joined(separator: "\n"))")
            return
        }
        #expect(batch.schools.count == summary.schools)
        #expect(batch.results.count == summary.resultRows)
        #expect(batch.indicators.count == summary.contextRows)
        #expect(batch.aggregates.count == summary.aggregateRows)
        #expect(batch.tasks.count == summary.taskRows)
        #expect(Set(batch.files.map(\.kind)) == Set(ImportFileKind.allCases))
        // ЕГЭ rows come without marks; ВПР rows carry task scores.
        #expect(batch.results.filter { $0.procedure.assessment == .ege }.allSatisfy { $0.mark == nil })
        #expect(batch.results.contains { $0.procedure.assessment == .vpr && !$0.taskScores.isEmpty })
    }
}
