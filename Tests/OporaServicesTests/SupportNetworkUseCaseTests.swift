import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

/// Issue 18: a curator records its own visits; everything else in the support network is the
/// coordinators'.
@Suite("Support network use case")
struct SupportNetworkUseCaseTests {
    static let day = Day(year: 2026, month: 10, day: 5)
    static func event(_ kind: SupportEvent.Kind, _ school: String?) -> SupportEvent {
        SupportEvent(municipality: "М", schoolID: school, kind: kind, day: day, topic: "Анализ ВПР")
    }

    @Test func aCuratorRecordsVisitsToItsSchoolsOnly() async throws {
        let db = try await temporaryDatabase(schools: [("0101", "М"), ("0102", "М")])
        do {
            let network = SupportNetworkUseCase(database: db)
            let curator = Acting(role: .curator, scope: .schools(["0101"]), actor: Actor(userID: nil, login: "curator"))
            let coordinator = Acting(role: .municipality, scope: .municipality("М"), actor: Actor(userID: nil, login: "mo"))
            let day = Self.day
            #expect(try await network.recordEvent(Self.event(.visit, "0101"), as: curator).createdBy == "curator")
            #expect(await refusal { _ = try await network.recordEvent(Self.event(.visit, "0102"), as: curator) }?.kind == .notFound)
            #expect(await refusal { _ = try await network.recordEvent(Self.event(.seminar, "0101"), as: curator) }?.kind == .forbidden)
            #expect(await refusal { _ = try await network.recordEvent(Self.event(.visit, nil), as: curator) }?.kind == .forbidden)
            _ = try await network.recordEvent(Self.event(.seminar, nil), as: coordinator)

            let mentor = Mentor(schoolID: "0101", name: "Иванова А. А.", role: "наставник", staffSchool: "0102", since: day)
            #expect(await refusal { _ = try await network.addMentor(mentor, as: curator) }?.kind == .forbidden)
            #expect(try await network.addMentor(mentor, as: coordinator).name == "Иванова А. А.")
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
