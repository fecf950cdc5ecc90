import ArgumentParser
import Foundation
import OporaAnalysis
import OporaCore
import OporaImport
import OporaStore

struct ValueAddedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "value-added",
        abstract: "Context-adjusted results: did each school do better or worse than expected for its context?",
        discussion: """
            Reads either the interchange files of a folder (--data DIR, no database needed) or the \
            database (--db). Students of the outcome procedure are linked to the prior procedure by \
            participant code; students without a prior score are dropped and counted. Context \
            indicators are taken for the outcome's year, else the latest earlier year; schools \
            without them are left out and reported. --model multilevel (default) fits a random-intercept \
            model by REML and reports empirical-Bayes school effects with 95% intervals; --model ols \
            reports school-level residuals of the school mean on context (schools need at least \
            --min-students students and, with a prior, --min-coverage of them linked). The band is \
            below/above only when the interval excludes zero.
            """)

    @Option(help: ArgumentHelp("Folder with interchange files (schools, context, results); truth.csv is skipped.", valueName: "dir"))
    var data: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("Outcome procedure, e.g. vpr:math:5:2025.", valueName: "assessment:subject:grade:year"))
    var outcome: String

    @Option(help: ArgumentHelp("Prior procedure, students linked by participant code, e.g. vpr:math:4:2024.",
                               valueName: "assessment:subject:grade:year"))
    var prior: String?

    @Option(help: ArgumentHelp("School context indicator codes, comma-separated.", valueName: "code,code"))
    var context: String?

    @Option(help: "ols or multilevel.")
    var model: String = "multilevel"

    @Option(help: "json, csv or table.")
    var format: String = "json"

    @Option(help: "ols: minimum students per school.")
    var minStudents = 15

    @Option(help: "Minimum share of the outcome's participants linked to a prior score (with --prior).")
    var minCoverage = 0.75

    func run() async throws {
        guard let kind = ValueAddedModelKind(rawValue: model.lowercased()) else {
            throw UserError("--model: «\(model)» — нужно ols или multilevel / expected ols or multilevel")
        }
        guard let outputFormat = ValueAddedFormat(rawValue: format.lowercased()) else {
            throw UserError("--format: «\(format)» — нужно json, csv или table / expected json, csv or table")
        }
        let outcomeProcedure = try Self.parseProcedure(outcome, option: "--outcome")
        let priorProcedure = try prior.map { try Self.parseProcedure($0, option: "--prior") }
        let codes = (context ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            .filter { !$0.isEmpty }
        guard (0...1).contains(minCoverage), minStudents >= 1 else {
            throw UserError("--min-students ≥ 1, --min-coverage от 0 до 1 / --min-students ≥ 1, --min-coverage within 0–1")
        }
        let spec = ValueAddedSpecification(
            outcome: outcomeProcedure, prior: priorProcedure, context: codes, kind: kind,
            rules: ValueAddedRules(minimumStudents: minStudents, minimumCoverage: minCoverage))

        let results: [StudentResult]
        let indicators: [IndicatorValue]
        switch (data, database.db) {
        case (.some, .some):
            throw UserError("Укажите либо --data, либо --db, но не оба. / Give either --data or --db, not both.")
        case (nil, nil) where ProcessInfo.processInfo.environment["OPORA_DB"] == nil:
            throw UserError("Укажите источник данных: --data ПАПКА или --db БАЗА. / Give the data: --data DIR or --db DATABASE.")
        case (let dir?, nil):
            (results, indicators) = try Self.readFolder(dir)
        default:
            let db = try await database.open(logger: CLILogging.logger("opora"))
            do {
                var all = try await db.results(procedure: outcomeProcedure)
                if let p = priorProcedure { all += try await db.results(procedure: p) }
                results = all
                indicators = codes.isEmpty ? [] : try await db.indicatorValues()
            } catch {
                await db.close()
                throw error
            }
            await db.close()
        }

        let report: ValueAddedReport
        do {
            report = try ValueAddedModel.fit(spec, results: results, indicators: indicators)
        } catch {
            throw UserError(error.description)
        }
        FileHandle.standardOutput.write(Data(report.rendered(outputFormat).utf8))
    }

    /// "vpr:math:5:2025" → Procedure.
    static func parseProcedure(_ text: String, option: String) throws -> Procedure {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 4, !parts[0].isEmpty, !parts[1].isEmpty,
              let grade = Int(parts[2]), (1...11).contains(grade),
              let year = Int(parts[3]), (2000...2100).contains(year) else {
            throw UserError("\(option): «\(text)» — нужно ПРОЦЕДУРА:ПРЕДМЕТ:КЛАСС:ГОД, например vpr:math:5:2025 / "
                + "expected ASSESSMENT:SUBJECT:GRADE:YEAR, e.g. vpr:math:5:2025")
        }
        return Procedure(year: year, assessment: Assessment(parts[0].lowercased()), subject: parts[1].lowercased(), grade: grade)
    }

    /// Validates the folder's interchange files (as `opora identify --data` reads them).
    static func readFolder(_ dir: String) throws -> ([StudentResult], [IndicatorValue]) {
        let paths = try AnalysisLoading.dataFiles(in: dir)
        do {
            let batch = try Importer.validate(paths: paths)
            return (batch.results, batch.indicators)
        } catch {
            throw UserError(listing: error, verdict: "Файлы не прошли проверку. / The files did not pass the checks.")
        }
    }
}
