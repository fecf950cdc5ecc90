import Foundation
import OporaCore
import Testing
@testable import OporaStore

@Suite("Registry of supported schools on every backend")
struct RegistryTests {
    @Test(arguments: Backend.available)
    func includesChangesStatusAndKeepsTheWholeHistory(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let actor = Actor(userID: nil, login: "mo")
            let town = db.scoped(.municipality("город Заречный"))
            let entry = RegistryEntry(schoolID: "0101", category: .lowResults, reason: "Низкие результаты ВПР 2025", startDate: "2025-09-01",
                                      coordinator: "Иванова И. И.")
            let stored = try await town.include(entry, note: "по итогам идентификации", actor: actor)
            #expect(stored.status == .included && stored.updatedBy == "mo" && !stored.updatedAt.isEmpty)

            await #expect(throws: RegistryError(.alreadyIncluded, "school 0101 is already in the registry", ru: "школа 0101 уже в реестре")) {
                _ = try await town.include(entry, actor: actor)
            }
            // Outside the territory: the same answer as for a school that does not exist.
            await #expect(throws: RegistryError.self) {
                _ = try await town.include(RegistryEntry(schoolID: "0201", category: .lowResults, reason: "r", startDate: "2025-09-01",
                                                         coordinator: "c"), actor: actor)
            }
            #expect(try await db.scoped(.everything).registryEntry(schoolID: "0201") == nil)
            await #expect(throws: RegistryError.self) {
                _ = try await town.include(RegistryEntry(schoolID: "0102", category: .lowResults, reason: "r", startDate: "1 сентября",
                                                         coordinator: "c"), actor: actor)
            }

            _ = try await town.changeStatus(schoolID: "0101", to: .inProgramme, actor: actor)
            _ = try await town.changeStatus(schoolID: "0101", to: .exitProposed, coordinator: "Петров П. П.", note: "результаты выросли", actor: actor)
            await #expect(throws: RegistryError.self) {
                _ = try await town.changeStatus(schoolID: "0101", to: .exitProposed, actor: actor)
            }
            await #expect(throws: RegistryError.self) {
                _ = try await town.changeStatus(schoolID: "0102", to: .exited, actor: actor)
            }
            let exited = try await town.changeStatus(schoolID: "0101", to: .exited, actor: actor)
            #expect(exited.coordinator == "Петров П. П.")
            // Included again after exiting.
            _ = try await town.include(entry, actor: actor)

            let history = try #require(try await town.registryHistory(schoolID: "0101"))
            #expect(history.map(\.status) == [.included, .inProgramme, .exitProposed, .exited, .included])
            #expect(history[0].note == "по итогам идентификации" && history[2].note == "результаты выросли")
            #expect(try await db.scoped(.schools(["0201"])).registryHistory(schoolID: "0101") == nil)

            #expect(try await town.registry().map(\.schoolID) == ["0101"])
            #expect(try await db.scoped(.schools(["0201"])).registry().isEmpty)
            #expect(try await db.scoped(.schools(["0101"])).registryEntry(schoolID: "0101")?.status == .included)

            let log = try await db.auditLog()
            #expect(log.map(\.action) == ["registry.include", "registry.status", "registry.status", "registry.status", "registry.include"])
            #expect(log[1].beforeJSON?.contains("\"exit_proposed\"") == true && log[1].afterJSON?.contains("\"exited\"") == true)
        }
    }
}
