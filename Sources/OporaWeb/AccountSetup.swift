import Foundation
import OporaCore
import OporaStore

/// Creating accounts, shared by the admin page, the API and `opora user add`: the territory given as
/// text is checked against the data (a typo would otherwise make an account that sees nothing).
public enum AccountSetup {
    /// `territory` is a region or municipality name or a school code; for a curator, school codes
    /// separated by commas. A viewer's kind of territory is inferred: school, then municipality, then region.
    /// `staffSchool`: for a curator, the school they work at (never one they may curate).
    public static func makeUser(login: String, role: Role, territory: String?, staffSchool: String? = nil, passwordHash: String,
                                database: OporaDatabase) async throws -> UserRecord {
        // The login's form first: a malformed request is refused before the data is asked about the territory.
        guard UserRecord.isValidLogin(login) else {
            throw AccountError.malformedLogin
        }
        let text = territory?.trimmingCharacters(in: .whitespaces) ?? ""
        var user = UserRecord(login: login, passwordHash: passwordHash, role: role)
        let municipalities = try await database.municipalities()
        func isSchool(_ id: String) async throws -> Bool { try await database.school(id: id) != nil }
        let regions = Set(municipalities.map(\.region))
        func isRegion(_ name: String) -> Bool { regions.contains(name) || (regions.isEmpty && !name.isEmpty) }
        func isMunicipality(_ name: String) -> Bool { municipalities.contains { $0.name == name } }
        if role != .curator, !(staffSchool ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw AccountError(.invalid, "only a curator's place of work is recorded (conflict-of-interest check)", ru: "место работы указывается только для куратора (проверка конфликта интересов)")
        }
        switch role {
        case .admin:
            guard text.isEmpty else { throw AccountError(.invalid, "an admin has no territory", ru: "у администратора нет территории") }
        case .curator:
            let ids = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            for id in ids where !(try await isSchool(id)) { throw AccountError(.unknownTerritory, "no school \(id)", ru: "нет школы \(id)") }
            user.curatedSchools = ids
            if let staff = staffSchool?.trimmingCharacters(in: .whitespaces), !staff.isEmpty {
                guard try await isSchool(staff) else { throw AccountError(.unknownTerritory, "no school \(staff)", ru: "нет школы \(staff)") }
                user.staffSchool = staff
            }
        case .region:
            if text.isEmpty, regions.count == 1 {
                user.territoryKind = .region
                user.territory = regions.first
            } else {
                guard isRegion(text) else { throw AccountError(.unknownTerritory, "no region \(text.isEmpty ? "given" : text)", ru: "нет региона \(text.isEmpty ? "(не указан)" : text)") }
                user.territoryKind = .region
                user.territory = text
            }
        case .municipality:
            guard isMunicipality(text) else { throw AccountError(.unknownTerritory, "no municipality \(text.isEmpty ? "given" : text)", ru: "нет муниципалитета \(text.isEmpty ? "(не указан)" : text)") }
            user.territoryKind = .municipality
            user.territory = text
        case .school:
            guard try await isSchool(text) else { throw AccountError(.unknownTerritory, "no school \(text.isEmpty ? "given" : text)", ru: "нет школы \(text.isEmpty ? "(не указана)" : text)") }
            user.territoryKind = .school
            user.territory = text
        case .viewer:
            if try await isSchool(text) {
                user.territoryKind = .school
            } else if isMunicipality(text) {
                user.territoryKind = .municipality
            } else if isRegion(text) {
                user.territoryKind = .region
            } else {
                throw AccountError(.unknownTerritory, "no school, municipality or region \(text.isEmpty ? "given" : text)", ru: "нет школы, муниципалитета или региона \(text.isEmpty ? "(не указаны)" : text)")
            }
            user.territory = text
        }
        return user
    }

    /// A readable generated password: 16 characters without look-alikes.
    public static func generatePassword() -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var generator = SystemRandomNumberGenerator()
        return String((0..<16).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
