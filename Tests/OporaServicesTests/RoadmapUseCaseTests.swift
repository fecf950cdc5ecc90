import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

/// Issue 18: who may write a programme follows from its owner, the same for the pages and the API
/// (the API used to ask only for a school plan's permission, whatever the programme).
@Suite("Roadmap use case")
struct RoadmapUseCaseTests {
    @Test func theOwnerDecidesWhoWritesAndTheRefusalsAreTheUseCases() async throws {
        let db = try await temporaryDatabase(schools: [("0101", "М")])
        do {
            let roadmap = RoadmapUseCase(database: db)
            let coordinator = Acting(role: .municipality, scope: .municipality("М"), actor: Actor(userID: nil, login: "mo"))
            let school = Acting(role: .school, scope: .schools(["0101"]), actor: Actor(userID: nil, login: "school"))
            let curator = Acting(role: .curator, scope: .schools(["0101"]), actor: Actor(userID: nil, login: "curator"))
            let draft = Measure(section: .methodological, title: "Диагностика", deadline: .date(Day(year: 2026, month: 3, day: 1)), responsible: "завуч")

            // A school's first measure starts its roadmap; the school and its coordinator write it.
            let first = try await roadmap.addMeasure(draft, toSchool: "0101", programme: nil, as: school)
            // «Выполнено» needs evidence: a text, or a file (attached with it, or before).
            let bare = await refusal { _ = try await roadmap.updateMeasure(id: first.id, MeasureChange(status: .done, evidence: "  "), as: coordinator) }
            #expect(bare?.code == "evidence_required" && bare?.field == "evidence" && bare?.message.ru.contains("приложите файл") == true)
            let order = RoadmapUseCase.NewFile(name: "приказ.pdf", contentType: "application/pdf", content: Data("%PDF".utf8))
            let withFile = try await roadmap.updateMeasure(id: first.id, MeasureChange(status: .done), attaching: order, as: coordinator)
            #expect(withFile.status(on: Day(year: 2026, month: 1, day: 1)) == .done)
            #expect(try await db.scoped(.everything).files(measureID: first.id)?.map(\.fileName) == ["приказ.pdf"])
            // With a file already there, «выполнено» again needs nothing more.
            #expect(try await roadmap.updateMeasure(id: first.id, MeasureChange(status: .done), as: coordinator).status(on: Day(year: 2026, month: 1, day: 1)) == .done)
            let tooLarge = RoadmapUseCase.NewFile(name: "big.pdf", contentType: "application/pdf", content: Data(count: measureFileLimit + 1))
            #expect(await refusal { _ = try await roadmap.updateMeasure(id: first.id, MeasureChange(evidence: "x"), attaching: tooLarge, as: coordinator) }?.field == "file")
            #expect(await refusal { _ = try await roadmap.updateMeasure(id: first.id, MeasureChange(status: .done), as: curator) }?.kind == .forbidden)
            #expect(try await roadmap.comment(measureID: first.id, body: "проверено", as: curator).body == "проверено")

            // The municipality's roadmap: its coordinator writes it, the school does not (whatever it can see).
            let municipal = try await db.scoped(coordinator.scope).create(
                ProgrammeDraft(programme: Programme(owner: .municipality("М"), kind: .roadmap, title: "Дорожная карта района")), actor: coordinator.actor)
            let measure = try await roadmap.addMeasure(draft, toProgramme: municipal, as: coordinator)
            let refused = await refusal { _ = try await roadmap.updateMeasure(id: measure.id, MeasureChange(evidence: "x"), as: school) }
            #expect(refused?.kind == .forbidden || refused?.kind == .notFound)
            #expect(await refusal { _ = try await roadmap.addMeasure(draft, toProgramme: municipal, as: school) } != nil)

            // Creating programmes: the owner decides too, and only within the territory.
            let ofTheDistrict = ProgrammeDraft(programme: Programme(owner: .municipality("М"), kind: .roadmap, title: "Ещё одна"))
            #expect(await refusal { _ = try await roadmap.createProgramme(ofTheDistrict, as: school) }?.kind == .notFound)
            #expect(await refusal { _ = try await roadmap.createProgramme(ofTheDistrict, as: Acting(role: .school, scope: .municipality("М"), actor: school.actor)) }?.kind == .forbidden)
            let elsewhere = ProgrammeDraft(programme: Programme(owner: .municipality("Н"), kind: .roadmap, title: "Чужая"))
            #expect(await refusal { _ = try await roadmap.createProgramme(elsewhere, as: coordinator) }?.kind == .notFound)
            #expect(try await roadmap.createProgramme(ofTheDistrict, as: coordinator) > municipal)

            // The store's rules come back as the use case's refusals, in both languages.
            var untitled = draft
            untitled.title = " "
            let empty = await refusal { _ = try await roadmap.addMeasure(untitled, toProgramme: municipal, as: coordinator) }
            #expect(empty?.kind == .malformed && empty?.message.ru.hasPrefix("Не сохранено: ") == true)
            #expect(await refusal { _ = try await roadmap.updateMeasure(id: 999_999, MeasureChange(), as: coordinator) }?.kind == .notFound)
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
