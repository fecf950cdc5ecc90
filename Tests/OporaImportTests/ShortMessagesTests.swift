import Foundation
import OporaCore
import Testing
@testable import OporaImport

/// Issue 23: messages quote a bad value cut short, once per language; a number too large says so.
@Suite("Short import messages")
struct ShortMessagesTests {
    static let repro = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/repro")

    @Test func aHugeBadValueIsQuotedCutShortOncePerLanguage() {
        let huge = String(repeating: "x", count: 1_000_000)
        let r = run([("schools.csv", schoolsCSV.replacingOccurrences(of: "urban,general,800", with: "urban,general,\(huge)"))])
        let problem = try! #require(r.problems.first { $0.column == "students" })
        let cut = "«" + String(repeating: "x", count: Messages.quotedLimit) + "…»"
        #expect(problem.message.ru.contains(cut) && problem.message.en.contains(cut))
        #expect(problem.message.ru.count < 200 && problem.message.en.count < 200)
        #expect(problem.description.count < 600)
    }

    @Test func aPercentageHintQuotesTheValueOnce() {
        let long = String(repeating: "5", count: 100)
        let m = Messages.shareRange(long, looksLikePercent: 0.5)
        #expect(m.ru.components(separatedBy: "«").count == 2 && m.en.components(separatedBy: "«").count == 2)
    }

    @Test func anOverLargeIntegerIsTooLargeNotFractional() {
        let r = runBytes([("schools.csv", Array((try? Data(contentsOf: Self.repro.appendingPathComponent("students_big.csv"))) ?? Data()))])
        let students = r.problems.filter { $0.column == "students" }
        #expect(students.count == 2)
        for p in students {
            #expect(p.message.ru.contains("слишком большое число"), "\(p.message.ru)")
            #expect(p.message.en.contains("the number is too large"), "\(p.message.en)")
            #expect(!p.message.ru.contains("не целое"))
        }
        // Years and decimals likewise.
        let context = """
            year,school_id,indicator,value
            20250000000000,0001,teachers,40
            2025,0002,teachers,1e400

            """
        let c = run([("schools.csv", schoolsCSV), ("context.csv", context)])
        #expect(c.problems.contains { $0.column == "year" && $0.message.ru.contains("слишком большое число") })
        #expect(c.problems.contains { $0.column == "value" && $0.message.en.contains("the number is too large") })
        #expect(run([("schools.csv", schoolsCSV.replacingOccurrences(of: ",800", with: ",800.5"))]).problems
            .contains { $0.message.ru.contains("не целое число") })
    }

    @Test func russianMessagesCarryNoEnglish() {
        #expect(!Messages.cannotRead("The file “x” couldn’t be opened").ru.contains("couldn"))
        #expect(!Messages.duplicateTaskColumn("1", "1").ru.contains("task"))
    }
}
