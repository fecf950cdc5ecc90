import ArgumentParser
import Foundation
import OporaCore
import OporaDemo

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a realistic generated region as interchange files, with a truth file.",
        discussion: """
            Writes schools.csv, context.csv, tasks.csv, results.csv and results_school.csv, and the answer \
            key truth.csv (which schools were made low-achieving, socially disadvantaged, under-resourced, or \
            given non-objective ВПР results, and how) in the folder's truth/ subfolder, so that \
            `opora import OUT` reads the data and not the key. The same --seed gives the same files. It \
            streams, so --schools 40000 (national scale) runs in bounded memory.
            """)

    @Option(help: "Folder to write into (created if missing).")
    var out: String

    @Option(help: "Folder for truth.csv (default: OUT/truth).")
    var truth: String?

    @Option(help: "Number of schools.")
    var schools = 200

    @Option(help: "Number of municipalities.")
    var municipalities = 8

    @Option(help: "Number of years of results, ending with --last-year.")
    var years = 3

    @Option(help: "The latest school year of results.")
    var lastYear = 2025

    @Option(help: "Random seed: the same seed gives the same region.")
    var seed: UInt64 = 1

    func validate() throws {
        guard schools >= 1 else { throw ValidationError("--schools must be at least 1") }
        guard municipalities >= 1, municipalities <= schools else { throw ValidationError("--municipalities must be between 1 and --schools") }
        guard years >= 1, years <= 10 else { throw ValidationError("--years must be between 1 and 10") }
    }

    func run() async throws {
        let spec = RegionSpec(schools: schools, municipalities: municipalities, years: years, lastYear: lastYear, seed: seed)
        let directory = URL(fileURLWithPath: out)
        let bar = ProgressBar()
        let truthDirectory = truth.map { URL(fileURLWithPath: $0) } ?? directory.appendingPathComponent("truth")
        let summary = try RegionGenerator(spec: spec).write(to: directory, truthDirectory: truthDirectory) { bar.update(label: "generate", fraction: $0) }
        bar.finish()
        let truth = summary.truthByCategory.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        say("""
            Записано в \(out): \(NumberFormat.count(summary.schools, .school, en: "school")), \
            \(NumberFormat.count(summary.resultRows, .result, en: "result")), \(NumberFormat.decimal(Double(summary.bytes) / 1_048_576)) МБ.
            Written to \(out): \(summary.schools) schools, \(summary.resultRows) results, \(summary.contextRows) context values, \
            \(summary.aggregateRows) school aggregates; \(truthDirectory.path)/truth.csv: \(truth).
            Files: \(summary.files.joined(separator: ", ")).
            """)
    }
}
