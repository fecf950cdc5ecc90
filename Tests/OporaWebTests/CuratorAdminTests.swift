import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// The admin records where a curator works, so the conflict-of-interest check (a curator never
/// curates their own school) works for accounts made in the browser, not only from the command line.
@Suite("Admin: a curator's schools and place of work")
struct CuratorAdminTests {
    @Test func theAdminSetsACuratorsPlaceOfWorkAndTheConflictIsRefused() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let admin = Browser(client)
                try await admin.signIn("admin")
                let csrf = try await admin.csrf()
                // Created working at 0102 and curating 0101: allowed; curating the school they work at: refused.
                let ok = try await admin.request("/admin/users", .post, form: [
                    "csrf": csrf, "login": "cur2", "role": "curator", "territory": "0101", "staff_school": "0102", "password": "long enough 1"])
                #expect(ok.status == .ok)
                #expect(try await f.db.user(login: "cur2")?.staffSchool == "0102")
                let conflict = try await admin.request("/admin/users", .post, form: [
                    "csrf": csrf, "login": "cur3", "role": "curator", "territory": "0101, 0102", "staff_school": "0102", "password": "long enough 1"])
                #expect(conflict.status == .badRequest && String(buffer: conflict.body).contains("конфликт интересов"))
                #expect(try await f.db.user(login: "cur3") == nil)
                let notCurator = try await admin.request("/admin/users", .post, form: [
                    "csrf": csrf, "login": "v2", "role": "viewer", "territory": WebSample.town, "staff_school": "0102", "password": "long enough 1"])
                #expect(notCurator.status == .badRequest)

                // Changed later: the schools and the place of work are checked together.
                let page = String(buffer: try await admin.request("/admin/users").body)
                #expect(page.contains(#"action="/admin/users/cur2/curator""#) && page.contains("работает в школе 0102"))
                let clash = try await admin.request("/admin/users/cur2/curator", .post, form: ["csrf": csrf, "schools": "0101, 0102", "staff_school": "0102"])
                #expect(clash.status == .badRequest && String(buffer: clash.body).contains("конфликт интересов"))
                #expect(try await f.db.user(login: "cur2")?.curatedSchools == ["0101"], "nothing half-written")
                let moved = try await admin.request("/admin/users/cur2/curator", .post, form: ["csrf": csrf, "schools": "0101, 0102", "staff_school": "0201"])
                #expect(moved.status == .ok && String(buffer: moved.body).contains("Сохранено: cur2"))
                let after = try #require(try await f.db.user(login: "cur2"))
                #expect(after.curatedSchools == ["0101", "0102"] && after.staffSchool == "0201")
                #expect(try await admin.request("/admin/users/cur2/curator", .post, form: ["csrf": csrf, "schools": "0101", "staff_school": "9999"]).status == .badRequest)
                #expect(try await admin.request("/admin/users/school/curator", .post, form: ["csrf": csrf, "schools": "0101"]).status == .notFound)

                // Only the admin.
                let coordinator = Browser(client)
                try await coordinator.signIn("municipality")
                #expect(try await coordinator.request("/admin/users/cur2/curator", .post,
                                                      form: ["csrf": try await coordinator.csrf(), "schools": "0201"]).status == .forbidden)
                #expect(try await f.db.auditLog().contains { $0.action == "user.assign" && ($0.afterJSON ?? "").contains("0201") })
            }
        }
    }
}
