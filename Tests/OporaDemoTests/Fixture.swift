import Foundation
import OporaDemo

/// The default demo region, generated once per test process into a temporary directory.
enum Fixture {
    static let spec = RegionSpec()

    static let generated: (directory: URL, summary: GenerationSummary) = {
        let url = directoryPath()
        let summary = try! RegionGenerator(spec: spec).write(to: url)
        atexit { try? FileManager.default.removeItem(at: Fixture.directoryPath()) }
        return (url, summary)
    }()

    static var directory: URL { generated.directory }
    static var summary: GenerationSummary { generated.summary }

    static func directoryPath() -> URL {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("opora-demo-fixture-\(ProcessInfo.processInfo.processIdentifier)")
    }

    static func url(_ file: String) -> URL { directory.appendingPathComponent(file) }

    static let results: ResultsTable = try! ResultsTable.load(url(RegionGenerator.resultsFile))
    static let schools: [[String: String]] = try! CSV.records(url(RegionGenerator.schoolsFile))
    static let context: [[String: String]] = try! CSV.records(url(RegionGenerator.contextFile))
    static let tasks: [[String: String]] = try! CSV.records(url(RegionGenerator.tasksFile))
    static let aggregates: [[String: String]] = try! CSV.records(url(RegionGenerator.aggregatesFile))
    static let truth: [[String: String]] = try! CSV.records(url(RegionGenerator.truthFile))
}
