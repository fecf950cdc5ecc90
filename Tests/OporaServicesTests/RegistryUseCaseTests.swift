import Foundation
import OporaCore
import OporaStore
import Testing
@testable import OporaServices

/// Issue 18: the registry's decisions — permission, territory, rules, transitions — live in one use
/// case that the pages, the API and the CLI share.
@Suite("Registry use case")
struct RegistryUseCaseTests {
    @Test func decidesPermissionTerritoryRulesAndTransitions() async throws {
        let db = try await temporaryDatabase(schools: [("0101", "М"), ("0201", "Н")])
        do {
            let registry = RegistryUseCase(database: db)
            let coordinator = Acting(role: .municipality, scope: .municipality("М"), actor: Actor(userID: nil, login: "mo"))
            let viewer = Acting(role: .viewer, scope: .municipality("М"), actor: Actor(userID: nil, login: "viewer"))
            let asked = RegistryUseCase.Inclusion(schoolID: "0101", category: "low_results", reason: " ВПР 2025 ", startDate: "2025-09-01",
                                                  coordinator: "Петров П. П.")

            #expect(await refusal { _ = try await registry.include(asked, as: viewer) }?.kind == .forbidden)
            var outside = asked
            outside.schoolID = "0201"
            #expect(await refusal { _ = try await registry.include(outside, as: coordinator) }?.kind == .notFound)
            var unknown = asked
            unknown.category = "worst"
            #expect(await refusal { _ = try await registry.include(unknown, as: coordinator) } == UseCaseError(
                .malformed, "invalid", LocalizedText(ru: "Выберите категорию.", en: "Choose a category."), field: "category"))
            var noReason = asked
            noReason.reason = "   "
            #expect(await refusal { _ = try await registry.include(noReason, as: coordinator) }?.field == "reason")
            var badDate = asked
            badDate.startDate = "2025-02-30"
            #expect(await refusal { _ = try await registry.include(badDate, as: coordinator) }?.field == "start_date")

            let stored = try await registry.include(asked, as: coordinator)
            #expect(stored.reason == "ВПР 2025" && stored.status == .included && stored.updatedBy == "mo")
            #expect(await refusal { _ = try await registry.include(asked, as: coordinator) }?.code == "already_included")

            let exitProposed = RegistryUseCase.StatusChange(status: "exit_proposed")
            let conflict = await refusal { _ = try await registry.changeStatus(schoolID: "0101", exitProposed, as: coordinator) }
            #expect(conflict?.kind == .conflict && conflict?.message.ru == "Из статуса «включена» нельзя перейти в «предложен выход».")
            #expect(await refusal { _ = try await registry.changeStatus(schoolID: "0101", .init(status: "included"), as: coordinator) }?.code == "unchanged")
            #expect(await refusal { _ = try await registry.changeStatus(schoolID: "0101", .init(status: "maybe"), as: coordinator) }?.kind == .malformed)
            let moved = try await registry.changeStatus(schoolID: "0101", .init(status: "in_programme", note: "программа утверждена"), as: coordinator)
            #expect(moved.status == .inProgramme)
            let (entry, history) = try await registry.entry(schoolID: "0101", as: viewer)
            #expect(entry.status == .inProgramme && history.map(\.status) == [.included, .inProgramme])
            #expect(await refusal { _ = try await registry.entry(schoolID: "0201", as: viewer) }?.kind == .notFound)
            #expect(try await db.auditLog().filter { $0.actor == "mo" }.map(\.action) .sorted() == ["registry.include", "registry.status"])
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }
}
