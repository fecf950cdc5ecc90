import ArgumentParser
import Foundation
import OporaCore
import OporaDemo
import OporaServices
import OporaStore
import OporaWeb

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run Opora with a demo region: create the database if needed, fill it when empty, serve the web app.",
        discussion: """
            On an empty database this generates a demo region (see `opora generate`), imports it through \
            the same checks as `opora import`, and then serves the web app. A database that already has \
            schools is served as it is.
            """)

    @OptionGroup var database: DatabaseOptions
    @OptionGroup var server: ServerOptions

    @Option(help: "Schools in the demo region, when it has to be generated.")
    var schools = 120

    @Option(help: "Random seed of the demo region.")
    var seed: UInt64 = 1

    @Option(help: "Password of every demo account (default: a generated one per account, printed once).")
    var demoPassword: String?

    func run() async throws {
        let logger = CLILogging.logger("opora", level: .info)
        let db = try await database.open(logger: logger)
        if try await db.counts().schools == 0 {
            let started = Date()
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("opora-demo-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: directory) }
            let spec = RegionSpec(schools: schools, municipalities: max(1, min(6, schools / 15)), years: 3, seed: seed)
            _ = try RegionGenerator(spec: spec).write(to: directory)
            // truth.csv says which schools were made problematic: it is for evaluation, not for the database.
            let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".csv") && $0 != "truth.csv" }.sorted()
                .map { directory.appendingPathComponent($0).path }
            let summary = try await ImportCommand.importFiles(files, into: db)
            say(summary)
            say(String(format: "Демо-регион готов за %.1f с. / Demo region ready in %.1f s.", Date().timeIntervalSince(started), Date().timeIntervalSince(started)))
            // The cycle at its stages: identified, programme written, half-way, exit proposed.
            let stages = try await Self.stageTheCycle(db)
            try await Self.createAccounts(in: db, password: demoPassword, stages: stages)
        }
        try await ServeCommand.serve(db, server, logger: logger)
    }

    static func stageTheCycle(_ db: OporaDatabase) async throws -> DemoCycle.Stages? {
        guard let municipality = try await db.municipalities().first else { return nil }
        let stages = try await DemoCycle.populate(db, municipality: municipality.name, today: Day(Date()))
        if let stages {
            say("Этапы цикла / Cycle stages: выявлена / identified \(stages.identified), программа / programme \(stages.programmeWritten), "
                + "на полпути / half-way \(stages.halfWay), предложен выход / exit proposed \(stages.exitProposed)")
        }
        return stages
    }

    /// One account per role, named after it, in the demo region: the municipality account at the
    /// first municipality, the school account at the school half-way through its roadmap, the
    /// curator with the four staged schools, the viewer at the municipality. Passwords are printed once.
    static func createAccounts(in db: OporaDatabase, password: String?, stages: DemoCycle.Stages? = nil) async throws {
        if let password, let problem = Passwords.problem(password, login: "admin") { throw UserError(problem.en) }
        guard let municipality = try await db.municipalities().first else { return }
        let schools = try await db.schools(municipality: municipality.name).map(\.id)
        guard let first = schools.first else { return }
        let school = stages?.halfWay ?? first
        let curated = stages?.all ?? Array(schools.prefix(3))
        let accounts: [(Role, String?)] = [
            (.admin, nil), (.region, municipality.region), (.municipality, municipality.name),
            (.curator, curated.joined(separator: ",")), (.school, school), (.viewer, municipality.name),
        ]
        say("Учётные записи демо / Demo accounts (\(municipality.name), \(school)):")
        for (role, territory) in accounts {
            let secret = password ?? AccountsUseCase.generatePassword()
            // The cost of every other account: a cheaper demo hash would make a failed sign-in as
            // a demo login measurably faster, telling which accounts are the demo's.
            let hash = try await Passwords.hash(secret, cost: Passwords.defaultCost)
            let record = try await AccountsUseCase.makeUser(login: role.rawValue, role: role, territory: territory, passwordHash: hash, database: db)
            _ = try await db.createUser(record, actor: .commandLine)
            say("  \(role.rawValue.padding(toLength: 13, withPad: " ", startingAt: 0)) \(secret)")
        }
    }
}
