import Foundation
import OporaDemo
import Testing

@Suite struct DeterminismTests {
    static let small = RegionSpec(schools: 30, municipalities: 3, years: 2, lastYear: 2024, seed: 7)

    func generate(_ spec: RegionSpec, _ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("opora-demo-det-\(ProcessInfo.processInfo.processIdentifier)-\(name)")
        try RegionGenerator(spec: spec).write(to: url)
        return url
    }

    func bytes(_ dir: URL, _ file: String) throws -> Data { try Data(contentsOf: dir.appendingPathComponent(file)) }

    @Test func sameSpecGivesIdenticalBytes() throws {
        let a = try generate(Self.small, "a")
        let b = try generate(Self.small, "b")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        for file in RegionGenerator.files {
            #expect(try bytes(a, file) == bytes(b, file), "\(file) differs between two runs")
            #expect(try bytes(a, file).count > 50, "\(file) is nearly empty")
        }
    }

    @Test func workerCountDoesNotChangeTheBytes() throws {
        let spec = RegionSpec(schools: 70, municipalities: 4, years: 2, lastYear: 2024, seed: 3)
        let a = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-det-\(ProcessInfo.processInfo.processIdentifier)-w1")
        let b = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-det-\(ProcessInfo.processInfo.processIdentifier)-w3")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        try RegionGenerator(spec: spec, workers: 1).write(to: a)
        try RegionGenerator(spec: spec, workers: 3).write(to: b)
        for file in RegionGenerator.files {
            #expect(try bytes(a, file) == bytes(b, file), "\(file) depends on the number of workers")
        }
    }

    @Test func anotherSeedGivesOtherData() throws {
        var other = Self.small
        other.seed = 8
        let a = try generate(Self.small, "c")
        let b = try generate(other, "d")
        defer {
            try? FileManager.default.removeItem(at: a)
            try? FileManager.default.removeItem(at: b)
        }
        #expect(try bytes(a, RegionGenerator.resultsFile) != bytes(b, RegionGenerator.resultsFile))
        #expect(try bytes(a, RegionGenerator.contextFile) != bytes(b, RegionGenerator.contextFile))
        // The tests themselves do not depend on the seed.
        #expect(try bytes(a, RegionGenerator.tasksFile) == bytes(b, RegionGenerator.tasksFile))
    }

    @Test func progressReachesOneAndSummaryCountsRows() throws {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("opora-demo-det-\(ProcessInfo.processInfo.processIdentifier)-p")
        defer { try? FileManager.default.removeItem(at: url) }
        nonisolated(unsafe) var seen: [Double] = []
        let summary = try RegionGenerator(spec: Self.small).write(to: url) { seen.append($0) }
        #expect(seen.last == 1)
        #expect(seen == seen.sorted())
        for (file, count) in [(RegionGenerator.schoolsFile, summary.schools), (RegionGenerator.resultsFile, summary.resultRows),
                              (RegionGenerator.contextFile, summary.contextRows), (RegionGenerator.truthFile, summary.truthRows)] {
            let lines = try String(contentsOf: url.appendingPathComponent(file), encoding: .utf8)
                .split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count - 2 == count, "\(file)")  // header + trailing empty piece
        }
        #expect(summary.schools == 30)
    }

    @Test func truthCanBeKeptApartFromTheImportableFiles() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-det-\(ProcessInfo.processInfo.processIdentifier)-t")
        defer { try? FileManager.default.removeItem(at: base) }
        let data = base.appendingPathComponent("data"), truth = base.appendingPathComponent("truth")
        try RegionGenerator(spec: Self.small).write(to: data, truthDirectory: truth)
        let names = try FileManager.default.contentsOfDirectory(atPath: data.path).sorted()
        #expect(names == RegionGenerator.files.filter { $0 != RegionGenerator.truthFile }.sorted())
        #expect(FileManager.default.fileExists(atPath: truth.appendingPathComponent(RegionGenerator.truthFile).path))
    }

    @Test func invalidSpecIsRejected() {
        #expect(throws: DemoError.self) {
            try RegionGenerator(spec: RegionSpec(schools: 2, municipalities: 3))
                .write(to: FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-never"))
        }
        #expect(throws: DemoError.self) {
            try RegionGenerator(spec: RegionSpec(years: 3, lastYear: 2001))
                .write(to: FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-never"))
        }
    }
}
