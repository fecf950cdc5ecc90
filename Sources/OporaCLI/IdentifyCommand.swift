import ArgumentParser
import Foundation
import OporaAnalysis
import OporaCore
import OporaServices
import OporaStore

extension IdentificationFormat: ExpressibleByArgument {}
extension Language: ExpressibleByArgument {}

struct IdentifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "identify",
        abstract: "Identify schools by a rule set: low results, social risk, resource deficits, signs of non-objective results.",
        discussion: """
            Reads either a folder of interchange files (--data, no database needed) or the database \
            (--db / OPORA_DB); both give the same result for the same data. Every flag carries its \
            evidence: criterion, year, procedures, value, threshold, n and a sentence in Russian and \
            English. With --db the run is stored with its rule set, year and a digest of the input \
            data, so a published list can be reproduced exactly (see docs/identification.md).
            """)

    @Option(help: ArgumentHelp("A folder of interchange files to read directly, instead of the database.", valueName: "dir"))
    var data: String?

    @OptionGroup var database: DatabaseOptions

    @Option(help: ArgumentHelp("A rule set file (YAML or JSON); the documented default set otherwise (rules/default.yaml).", valueName: "file"))
    var rules: String?

    @Option(help: "The analysis year (default: the rule set's, else the latest year with results).")
    var year: Int?

    @Option(help: "Output: json, csv or table.")
    var format: IdentificationFormat = .json

    @Option(help: "Language of the table: ru or en.")
    var language: Language = .ru

    @Flag(help: "With --db: do not store the run.")
    var noSave = false

    @Option(help: ArgumentHelp("Also give each school's value-added (multilevel model) in this procedure, e.g. vpr:math:5:2025.",
                               valueName: "procedure"))
    var valueAdded: String?

    @Option(help: ArgumentHelp("With --value-added: the prior procedure, students linked by participant code.", valueName: "procedure"))
    var prior: String?

    @Option(help: ArgumentHelp("With --value-added: school context indicator codes, comma-separated.", valueName: "codes"))
    var context: String?

    func validate() throws {
        if data != nil, database.db != nil {
            throw ValidationError("give either --data or --db, not both / укажите либо --data, либо --db")
        }
    }

    func run() async throws {
        let ruleSet = try loadRules()
        let valueAddedSpec = try valueAddedSpecification()
        let keep = Set([valueAddedSpec?.outcome, valueAddedSpec?.prior].compactMap { $0 })
        // The rule set's value-added, unless --value-added asks for another one for this run.
        let ruleValueAdded = valueAddedSpec == nil ? ruleSet.valueAdded : nil
        let logger = CLILogging.logger("opora")
        let clock = ContinuousClock()
        var phase = clock.now
        func lap(_ what: String) {
            logger.debug("\(what): \(clock.now - phase)")
            phase = clock.now
        }
        let loaded: LoadedAnalysis
        var db: OporaDatabase?
        // Only the JSON output shows the data digest (a run from the database stores it); CSV and
        // the table do not, and hashing every record was ~7 % of a national run's CPU time.
        let digesting = data == nil || format == .json
        if let data {
            loaded = try AnalysisLoading.fromFiles(try AnalysisLoading.dataFiles(in: data), showProgress: true, keeping: keep,
                                                   keepingKinds: ruleValueAdded?.kinds ?? [], digesting: digesting)
        } else {
            let opened = try await database.open(logger: logger)
            db = opened
            do {
                loaded = try await StoredAnalysis.fromDatabase(opened, keeping: keep)
            } catch {
                await opened.close()
                throw error
            }
        }
        lap("loaded \(loaded.data.resultCount) results")
        let result: IdentificationResult
        if let db, valueAddedSpec == nil {
            // The database with the rule set's own value-added: the same use case as the web's «run identification».
            defer { Task { await db.close() } }
            let identification = IdentificationUseCase(database: db)
            do {
                if noSave {
                    result = try await identification.identify(rules: ruleSet, year: year, data: loaded.data, digest: loaded.digest, as: .commandLine)
                } else {
                    let (id, stored) = try await identification.run(rules: ruleSet, year: year, data: loaded.data, digest: loaded.digest, as: .commandLine)
                    result = stored
                    FileHandle.standardError.write(Data("Запуск сохранён: №\(id) / Run stored: #\(id)\n".utf8))
                }
            } catch let refusal as UseCaseError {
                throw UserError("\(refusal.message.ru) / \(refusal.message.en)")
            }
            lap("identified")
        } else {
            result = try await identifyHere(loaded, ruleSet: ruleSet, valueAddedSpec: valueAddedSpec, ruleValueAdded: ruleValueAdded, db: db, digesting: digesting)
            lap("identified")
            if let db {
                defer { Task { await db.close() } }
                if !noSave {
                    let id = try await IdentificationService.save(result, rules: ruleSet, digest: loaded.digest, into: db, createdBy: Actor.commandLine.login)
                    FileHandle.standardError.write(Data("Запуск сохранён: №\(id) / Run stored: #\(id)\n".utf8))
                }
            }
        }
        say(result.render(format, language: language))
        lap("rendered")
        // The process ends now: freeing a national-scale run's summaries object by object took
        // about a second, so they are left to the operating system.
        ProcessEnd.leave(loaded)
        ProcessEnd.leave(result)
    }

    /// Files, or the database with a value-added model asked on the command line: computed here.
    func identifyHere(_ loaded: LoadedAnalysis, ruleSet: RuleSet, valueAddedSpec: ValueAddedSpecification?, ruleValueAdded: ValueAddedRule?,
                      db: OporaDatabase?, digesting: Bool) async throws -> IdentificationResult {
        guard let analysisYear = year ?? Identification.defaultYear(loaded.data, rules: ruleSet) else {
            await db?.close()
            throw UserError("нет результатов для анализа / there are no results to analyse")
        }
        var result = Identification.run(data: loaded.data, rules: ruleSet, year: analysisYear,
                                        dataDigest: digesting ? loaded.digest.hex : nil)
        if let spec = valueAddedSpec ?? ruleValueAdded?.specification(year: analysisYear) {
            do {
                // Files keep the students of the model's procedures; so does the database for a model asked here.
                let results = loaded.kept.filter { $0.procedure == spec.outcome || $0.procedure == spec.prior }
                try IdentificationService.attachValueAdded(spec, results: results, indicators: loaded.data.indicators, to: &result)
            } catch {
                await db?.close()
                throw UserError("\(error)")
            }
        }
        return result
    }

    func valueAddedSpecification() throws -> ValueAddedSpecification? {
        guard let valueAdded else {
            if prior != nil || context != nil { throw UserError("--prior и --context — только вместе с --value-added / --prior and --context go with --value-added") }
            return nil
        }
        return ValueAddedSpecification(
            outcome: try ValueAddedCommand.parseProcedure(valueAdded, option: "--value-added"),
            prior: try prior.map { try ValueAddedCommand.parseProcedure($0, option: "--prior") },
            context: (context ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
            kind: .multilevel)
    }

    func loadRules() throws -> RuleSet {
        guard let rules else { return RuleSet.default }
        do {
            return try RuleSet.load(path: rules)
        } catch let error as RuleSetError {
            throw UserError("\(rules):\n\(error.description)")
        } catch {
            throw UserError("\(rules): \(error)")
        }
    }
}

/// Values deliberately never freed because the process is about to exit.
enum ProcessEnd {
    private final class Box<T> {
        let value: T
        init(_ value: T) { self.value = value }
    }

    static func leave<T>(_ value: T) { _ = Unmanaged.passRetained(Box(value)) }
}
