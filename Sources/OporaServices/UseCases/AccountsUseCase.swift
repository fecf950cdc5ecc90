import Foundation
import OporaCore
import OporaStore

/// Accounts as the admin page, the API, `opora user add` and the demo create them: the permission,
/// the password rule, the territory given as text checked against the data (a typo would otherwise
/// make an account that sees nothing), and the refusal in both languages.
public struct AccountsUseCase: Sendable {
    let database: OporaDatabase

    public init(database: OporaDatabase) {
        self.database = database
    }

    /// What an account is asked with, as typed.
    public struct NewAccount: Sendable {
        public var login, role, password: String
        public var territory, staffSchool: String?
        public init(login: String, role: String, password: String, territory: String? = nil, staffSchool: String? = nil) {
            (self.login, self.role, self.password, self.territory, self.staffSchool) = (login, role, password, territory, staffSchool)
        }
    }

    public static let minimumPasswordLength = 8

    /// Why a new password is refused, if it is.
    public static func passwordProblem(_ password: String, login: String) -> LocalizedText? {
        if password.count < minimumPasswordLength {
            return LocalizedText(ru: "Пароль должен быть не короче \(minimumPasswordLength) символов.",
                                 en: "The password must be at least \(minimumPasswordLength) characters long.")
        }
        if password.lowercased() == login.lowercased() {
            return LocalizedText(ru: "Пароль не должен совпадать с логином.", en: "The password must differ from the login.")
        }
        return nil
    }

    /// Creates an account; `hash` makes the password's bcrypt hash (the web's, at the server's cost).
    public func create(_ new: NewAccount, hash: @Sendable (String) async throws -> String, as who: Acting) async throws -> UserRecord {
        try who.require(.manageUsers)
        let login = new.login.trimmingCharacters(in: .whitespaces)
        guard let role = Role(rawValue: new.role) else {
            throw UseCaseError(.malformed, "invalid", LocalizedText(ru: "Неизвестная роль: \(new.role).", en: "Unknown role: \(new.role)."), field: "role")
        }
        if let problem = Self.passwordProblem(new.password, login: login) {
            throw UseCaseError(.malformed, "weak_password", problem, field: "password")
        }
        do {
            let record = try await Self.makeUser(login: login, role: role, territory: new.territory, staffSchool: new.staffSchool,
                                                 passwordHash: try await hash(new.password), database: database)
            return try await database.createUser(record, actor: who.actor)
        } catch let error as AccountError {
            throw Self.refusal(error)
        }
    }

    /// Every account, for the admin's list.
    public func users(as who: Acting) async throws -> [UserRecord] {
        try who.require(.manageUsers)
        return try await database.users()
    }

    /// The newest entries of the audit log.
    public func auditLog(limit: Int, offset: Int = 0, as who: Acting) async throws -> [AuditEntry] {
        try who.require(.readAudit)
        return try await database.auditLog(limit: limit, offset: offset)
    }

    /// A curator's schools and place of work (school codes as typed, comma-separated), changed
    /// together so the conflict-of-interest check sees both.
    public func changeCurator(login: String, schools: String, staffSchool: String, as who: Acting) async throws -> UserRecord {
        try who.require(.manageUsers)
        guard let curator = try await database.user(login: login), curator.role == .curator else {
            throw UseCaseError(.notFound, "not_found", LocalizedText(ru: "Нет куратора \(login).", en: "No curator \(login)."))
        }
        let ids = schools.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let staff = staffSchool.trimmingCharacters(in: .whitespaces)
        let prefix = LocalizedText(ru: "Изменения не сохранены: ", en: "The changes were not saved: ")
        do {
            for id in ids + (staff.isEmpty ? [] : [staff]) where try await database.school(id: id) == nil {
                throw AccountError(.unknownTerritory, "no school \(id)", ru: "нет школы \(id)")
            }
            try await database.assignSchools(curatorID: curator.id, schools: ids, staffSchool: staff.isEmpty ? nil : staff, actor: who.actor)
        } catch let error as AccountError {
            throw Self.refusal(error, prefix: prefix)
        }
        return curator
    }

    /// An account's refusal as the use case's: a taken login and a territory the data does not have
    /// contradict the data (conflict); the rest is malformed input.
    public static func refusal(_ error: AccountError, prefix: LocalizedText = LocalizedText(ru: "Учётная запись не создана: ", en: "Account not created: ")) -> UseCaseError {
        switch error.code {
        case .loginTaken: UseCaseError(.conflict, "login_taken", LocalizedText(ru: "Такой логин уже есть.", en: "This login is taken."), field: "login")
        case .unknownTerritory: UseCaseError(.conflict, "unknown_territory", LocalizedText(ru: prefix.ru + error.ru, en: prefix.en + error.description), field: "territory")
        case .conflictOfInterest:
            UseCaseError(.malformed, "conflict_of_interest", LocalizedText(ru: prefix.ru + "конфликт интересов — куратор не может курировать школу, в которой работает.",
                                                                             en: prefix.en + "conflict of interest — a curator cannot curate the school they work at."))
        case .invalid, .notFound: UseCaseError(.malformed, "invalid", LocalizedText(ru: prefix.ru + error.ru, en: prefix.en + error.description))
        }
    }

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
