import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaCLI

/// The import command end to end: files on disk → checks → database.
@Suite("opora import")
struct ImportCommandTests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = dir.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    var dbPath: String { dir.appendingPathComponent("opora.sqlite").path }

    /// Everything the database holds, for comparing before and after.
    func content(_ db: OporaDatabase) async throws -> String {
        let parts: [String] = [
            "\(try await db.counts())", "\(try await db.schools())", "\(try await db.results())",
            "\(try await db.aggregates())", "\(try await db.indicatorValues())",
            "\(try await db.taskCatalogue().sorted { $0.key < $1.key })",
        ]
        return parts.joined(separator: "\n")
    }

    let schools = """
        school_id,name,municipality,region,settlement,kind,students
        0101,"МБОУ «СОШ № 1»",город Заречный,Демонстрационная область,urban,general,812
        0201,МКОУ «ООШ с. Покровка»,Лебедянский район,Демонстрационная область,rural,general,45
        """

    @Test func importsThenRefusesABadFileWithoutWritingAnything() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let schoolsPath = try write("schools.csv", schools)
        let good = try write("results.csv", """
            year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark
            2025,vpr,math,5,0101,000123,12,4,5
            2025,vpr,math,5,0201,000124,3,2,3
            """)
        let command = try #require(try Opora.parseAsRoot(["import", "--db", dbPath, schoolsPath, good]) as? ImportCommand)
        try await command.run()

        let db = try await OporaDatabase.open(.sqlite(path: dbPath))
        let before = try await content(db)
        #expect(try await db.counts().results == 2)

        // A new school, a correct row, then three bad rows: nothing of it may land.
        let newSchool = try write("more_schools.csv", """
            school_id,name,municipality,region,settlement,kind,students
            0301,Новая школа,Новый район,Демонстрационная область,rural,general,30
            """)
        let bad = try write("bad.csv", """
            year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark
            2025,vpr,math,5,0301,000200,10,3,4
            2025,vpr,math,5,0101,000201,12,7,5
            2025,vpr,math,5,9999,000202,12,4,5
            2025,vpr,math,5,0101,000203,abc,4,5
            """)
        let error = await #expect(throws: UserError.self) {
            try await ImportCommand.importFiles([newSchool, bad], into: db, showProgress: false)
        }
        let message = try #require(error?.description)
        #expect(message.contains("bad.csv:3:mark:"))
        #expect(message.contains("bad.csv:4:school_id:"))
        #expect(message.contains("bad.csv:5:score:"))
        #expect(message.contains("ничего не записано"))
        #expect(message.contains("nothing was written"))
        #expect(try await content(db) == before)
        await db.close()
    }

    @Test func importingTheSameFileTwiceKeepsOneCopy() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let schoolsPath = try write("schools.csv", schools)
        let results = try write("results.csv", """
            Год;Процедура;Предмет;Класс;Код ОО;Код участника;Первичный балл;Отметка;Отметка по журналу
            2025;ВПР;Математика;5;0101;000123;12,5;4;5
            2025;ВПР;Математика;5;0101;000124;3;2;3
            """)
        let db = try await OporaDatabase.open(.sqlite(path: dbPath))
        _ = try await ImportCommand.importFiles([schoolsPath, results], into: db, showProgress: false)
        let again = try await ImportCommand.importFiles([results], into: db, showProgress: false)
        #expect(again.contains("Заменены прежние результаты: 1"))
        let stored = try await db.results()
        #expect(stored.count == 2)
        #expect(stored.first?.procedure == Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5))
        #expect(stored.first?.score == 12.5)
        await db.close()
    }

    @Test func dryRunWritesNothing() async throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let schoolsPath = try write("schools.csv", schools)
        let db = try await OporaDatabase.open(.sqlite(path: dbPath))
        let summary = try await ImportCommand.importFiles([schoolsPath], into: db, dryRun: true, showProgress: false)
        #expect(summary.contains("ничего не записано"))
        #expect(try await db.counts().schools == 0)
        await db.close()
    }
}
