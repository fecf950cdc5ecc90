import Foundation
import OporaCore
import SQLKit

/// An account as stored. The password hash is bcrypt, made by the caller; the store never sees a password.
public struct UserRecord: Sendable, Equatable, Codable {
    /// A login: Latin or Cyrillic letters, digits and `. _ - @`, as a regular expression for the API's schema
    /// and as the check below (the two say the same).
    public static let loginPattern = "^[A-Za-z0-9А-Яа-яЁё._@-]+$"
    public static let loginMaximum = 64
    public static func isValidLogin(_ login: String) -> Bool {
        !login.isEmpty && login.count <= loginMaximum && login.unicodeScalars.allSatisfy { s in
            switch s {
            case "A"..."Z", "a"..."z", "0"..."9", "А"..."я", "Ё", "ё", ".", "_", "@", "-": true
            default: false
            }
        }
    }

    public var id: Int
    public var login: String
    public var passwordHash: String
    public var role: Role
    public var territoryKind: TerritoryKind?
    /// The region or municipality name, or the school id.
    public var territory: String?
    public var disabled: Bool
    public var createdAt: String
    public var passwordChangedAt: String
    /// The schools of a curator (empty for other roles).
    public var curatedSchools: [String]
    /// The school the person works at, if any: a curator may not curate it (conflict of interest).
    public var staffSchool: String?

    public init(id: Int = 0, login: String, passwordHash: String, role: Role, territoryKind: TerritoryKind? = nil,
                territory: String? = nil, disabled: Bool = false, createdAt: String = "", passwordChangedAt: String = "",
                curatedSchools: [String] = [], staffSchool: String? = nil) {
        self.staffSchool = staffSchool
        self.id = id
        self.login = login
        self.passwordHash = passwordHash
        self.role = role
        self.territoryKind = territoryKind
        self.territory = territory
        self.disabled = disabled
        self.createdAt = createdAt
        self.passwordChangedAt = passwordChangedAt
        self.curatedSchools = curatedSchools
    }

    /// The account without its password hash: what the audit log and the API show.
    public var publicView: [String: String] {
        var view = ["login": login, "role": role.rawValue, "disabled": disabled ? "true" : "false"]
        if let territoryKind { view["territory_kind"] = territoryKind.rawValue }
        if let territory { view["territory"] = territory }
        if !curatedSchools.isEmpty { view["schools"] = curatedSchools.joined(separator: ",") }
        if let staffSchool { view["staff_school"] = staffSchool }
        return view
    }
}

/// Who made a change, for the audit log: an account, or the command line (`user_id` NULL).
public struct Actor: Sendable, Equatable {
    public var userID: Int?
    public var login: String
    public init(userID: Int?, login: String) {
        self.userID = userID
        self.login = login
    }
    public static let commandLine = Actor(userID: nil, login: "cli")
}

/// A role and territory that do not fit together, a login taken, and other refused account changes.
public struct AccountError: Error, Equatable, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case loginTaken = "login_taken", invalid, notFound = "not_found", conflictOfInterest = "conflict_of_interest"
        /// The territory named is not in the data (a typo would make an account that sees nothing).
        case unknownTerritory = "unknown_territory"
    }
    public var code: Code
    /// In English (logs, the command line).
    public var description: String
    /// In Russian: pages and API messages never mix English into Russian.
    public var ru: String
    public init(_ code: Code, _ description: String, ru: String) {
        self.code = code
        self.description = description
        self.ru = ru
    }

    /// What a page or the API says: Russian and English.
    public var message: LocalizedText { LocalizedText(ru: ru, en: description) }

    public static let malformedLogin = AccountError(.invalid, "a login is 1–64 Latin or Cyrillic letters, digits and . _ - @", ru: "логин — от 1 до 64 латинских или русских букв, цифр и знаков . _ - @")

    public static func == (a: Self, b: Self) -> Bool { a.code == b.code && a.description == b.description }
}

extension OporaDatabase {
    /// Creates an account (and a curator's assignments) and logs it; returns the stored record.
    public func createUser(_ user: UserRecord, actor: Actor) async throws -> UserRecord {
        try Self.validate(user)
        return try await writeTransaction { conn in
            if try await Self.userRow(conn, login: user.login) != nil {
                throw AccountError(.loginTaken, "login \(user.login) is taken", ru: "логин \(user.login) уже занят")
            }
            let id = try await Self.nextID(conn, table: "users")
            let now = Timestamp.now()
            try await conn.sql.insert(into: "users")
                .columns("id", "login", "password_hash", "role", "territory_kind", "territory", "disabled", "created_at", "password_changed_at",
                         "staff_school")
                .values(SQLBind(id), SQLBind(user.login), SQLBind(user.passwordHash), SQLBind(user.role.rawValue),
                        SQLBind(user.territoryKind?.rawValue), SQLBind(user.territory), SQLBind(user.disabled ? 1 : 0),
                        SQLBind(now), SQLBind(now), SQLBind(user.staffSchool))
                .run()
            for school in Set(user.curatedSchools).sorted() {
                try await conn.sql.insert(into: "curator_assignments").columns("user_id", "school_id")
                    .values(SQLBind(id), SQLBind(school)).run()
            }
            var stored = user
            stored.id = id
            stored.createdAt = now
            stored.passwordChangedAt = now
            stored.curatedSchools = Set(user.curatedSchools).sorted()
            try await Self.audit(conn, actor: actor, action: "user.create", entity: "user", entityID: user.login,
                                 before: nil, after: stored.publicView)
            return stored
        }
    }

    public func user(login: String) async throws -> UserRecord? {
        try await withConnection { conn in try await Self.userRow(conn, login: login) }
    }

    public func user(id: Int) async throws -> UserRecord? {
        try await withConnection { conn in
            guard let row = try await conn.sql.select().column("*").from("users").where("id", .equal, id).first() else { return nil }
            return try await Self.decodeUser(row, conn)
        }
    }

    /// All accounts, by login.
    public func users() async throws -> [UserRecord] {
        try await withConnection { conn in
            var out: [UserRecord] = []
            for row in try await conn.sql.select().column("*").from("users").orderBy("login").all() {
                out.append(try await Self.decodeUser(row, conn))
            }
            return out
        }
    }

    /// Replaces the password hash, ends every session of the account but `keepingSession`, and logs it
    /// (without the hash).
    public func setPassword(userID: Int, passwordHash: String, keepingSession: String? = nil, actor: Actor) async throws {
        try await writeTransaction { conn in
            guard let row = try await conn.sql.select().column("login").from("users").where("id", .equal, userID).first() else {
                throw AccountError(.notFound, "no account \(userID)", ru: "нет учётной записи \(userID)")
            }
            let login = try row.decode(column: "login", as: String.self)
            try await conn.sql.update("users").set("password_hash", to: SQLBind(passwordHash))
                .set("password_changed_at", to: SQLBind(Timestamp.now())).where("id", .equal, userID).run()
            let delete = conn.sql.delete(from: "sessions").where("user_id", .equal, userID)
            if let keepingSession { delete.where("token_hash", .notEqual, keepingSession) }
            try await delete.run()
            try await Self.audit(conn, actor: actor, action: "user.password", entity: "user", entityID: login, before: nil, after: nil)
        }
    }

    /// Replaces a password hash by a stronger one of the same password (after a sign-in verified it,
    /// when it was made at a lower bcrypt cost): sessions stay, nothing is audited as a change of
    /// password. Only if the hash is still `old` (a password changed meanwhile wins).
    public func rehashPassword(userID: Int, old: String, new: String) async throws {
        try await writeTransaction { conn in
            try await conn.sql.update("users").set("password_hash", to: SQLBind(new))
                .where("id", .equal, userID).where("password_hash", .equal, old).run()
        }
    }

    /// Disables or enables an account; a disabled account's sessions and tokens stop working at once.
    public func setDisabled(userID: Int, _ disabled: Bool, actor: Actor) async throws {
        try await writeTransaction { conn in
            guard let row = try await conn.sql.select().column("*").from("users").where("id", .equal, userID).first() else {
                throw AccountError(.notFound, "no account \(userID)", ru: "нет учётной записи \(userID)")
            }
            let before = try await Self.decodeUser(row, conn)
            try await conn.sql.update("users").set("disabled", to: SQLBind(disabled ? 1 : 0)).where("id", .equal, userID).run()
            if disabled { try await conn.sql.delete(from: "sessions").where("user_id", .equal, userID).run() }
            var after = before
            after.disabled = disabled
            try await Self.audit(conn, actor: actor, action: disabled ? "user.disable" : "user.enable", entity: "user",
                                 entityID: before.login, before: before.publicView, after: after.publicView)
        }
    }

    /// Replaces a curator's schools, keeping their place of work.
    public func assignSchools(curatorID: Int, schools: [String], actor: Actor) async throws {
        try await assignSchools(curatorID: curatorID, schools: schools, keepStaffSchool: true, staffSchool: nil, actor: actor)
    }

    /// Replaces a curator's schools and the school they work at (`nil`: none), checked together
    /// for a conflict of interest.
    public func assignSchools(curatorID: Int, schools: [String], staffSchool: String?, actor: Actor) async throws {
        try await assignSchools(curatorID: curatorID, schools: schools, keepStaffSchool: false, staffSchool: staffSchool, actor: actor)
    }

    private func assignSchools(curatorID: Int, schools: [String], keepStaffSchool: Bool, staffSchool: String?, actor: Actor) async throws {
        try await writeTransaction { conn in
            guard let row = try await conn.sql.select().column("*").from("users").where("id", .equal, curatorID).first() else {
                throw AccountError(.notFound, "no account \(curatorID)", ru: "нет учётной записи \(curatorID)")
            }
            let before = try await Self.decodeUser(row, conn)
            guard before.role == .curator else { throw AccountError(.invalid, "\(before.login) is not a curator", ru: "\(before.login) — не куратор") }
            let staff = keepStaffSchool ? before.staffSchool : staffSchool
            try Self.checkConflictOfInterest(curatedSchools: schools, staffSchool: staff, login: before.login)
            if !keepStaffSchool {
                try await conn.sql.update("users").set("staff_school", to: SQLBind(staff)).where("id", .equal, curatorID).run()
            }
            try await conn.sql.delete(from: "curator_assignments").where("user_id", .equal, curatorID).run()
            for school in Set(schools).sorted() {
                try await conn.sql.insert(into: "curator_assignments").columns("user_id", "school_id")
                    .values(SQLBind(curatorID), SQLBind(school)).run()
            }
            var after = before
            after.curatedSchools = Set(schools).sorted()
            after.staffSchool = staff
            try await Self.audit(conn, actor: actor, action: "user.assign", entity: "user", entityID: before.login,
                                 before: before.publicView, after: after.publicView)
        }
    }

    /// A role needs the territory it works at: checked before anything is written.
    static func validate(_ user: UserRecord) throws {
        let login = user.login
        guard UserRecord.isValidLogin(login) else {
            throw AccountError.malformedLogin
        }
        guard user.passwordHash.hasPrefix("$2") else { throw AccountError(.invalid, "the password hash is not bcrypt", ru: "хеш пароля не в формате bcrypt") }
        let hasTerritory = user.territoryKind != nil && !(user.territory ?? "").isEmpty
        switch user.role {
        case .admin:
            guard user.territoryKind == nil else { throw AccountError(.invalid, "an admin has no territory", ru: "у администратора нет территории") }
        case .curator:
            guard user.territoryKind == nil else { throw AccountError(.invalid, "a curator's territory is the schools assigned", ru: "территория куратора — назначенные ему школы") }
        case .region, .municipality, .school:
            guard hasTerritory, user.territoryKind?.rawValue == user.role.rawValue else {
                throw AccountError(.invalid, "role \(user.role.rawValue) needs a \(user.role.rawValue) as its territory", ru: "для роли \(user.role.rawValue) нужна территория этого уровня")
            }
        case .viewer:
            guard hasTerritory else { throw AccountError(.invalid, "a viewer needs a territory", ru: "наблюдателю нужна территория") }
        }
        if user.role != .curator, !user.curatedSchools.isEmpty {
            throw AccountError(.invalid, "only curators have assigned schools", ru: "назначенные школы бывают только у куратора")
        }
        try checkConflictOfInterest(curatedSchools: user.curatedSchools, staffSchool: user.staffSchool, login: login)
    }

    /// A curator does not curate the school they work at.
    static func checkConflictOfInterest(curatedSchools: [String], staffSchool: String?, login: String) throws {
        if let staffSchool, curatedSchools.contains(staffSchool) {
            throw AccountError(.conflictOfInterest, "\(login) works at school \(staffSchool) and cannot curate it (conflict of interest)", ru: "\(login) работает в школе \(staffSchool) и не может её курировать (конфликт интересов)")
        }
    }

    static func userRow(_ conn: Connection, login: String) async throws -> UserRecord? {
        guard let row = try await conn.sql.select().column("*").from("users").where("login", .equal, login).first() else { return nil }
        return try await decodeUser(row, conn)
    }

    static func decodeUser(_ row: any SQLRow, _ conn: Connection) async throws -> UserRecord {
        let id = try row.decode(column: "id", as: Int.self)
        let role = try row.decode(column: "role", as: String.self)
        var user = UserRecord(
            id: id,
            login: try row.decode(column: "login", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            role: Role(rawValue: role) ?? .viewer,
            territoryKind: try row.decode(column: "territory_kind", as: String?.self).flatMap(TerritoryKind.init(rawValue:)),
            territory: try row.decode(column: "territory", as: String?.self),
            disabled: try row.decode(column: "disabled", as: Int.self) != 0,
            createdAt: try row.decode(column: "created_at", as: String.self),
            passwordChangedAt: try row.decode(column: "password_changed_at", as: String.self),
            staffSchool: try row.decode(column: "staff_school", as: String?.self))
        if user.role == .curator {
            user.curatedSchools = try await conn.sql.select().column("school_id").from("curator_assignments")
                .where("user_id", .equal, id).orderBy("school_id").all()
                .map { try $0.decode(column: "school_id", as: String.self) }
        }
        return user
    }

    /// A transaction for account, registry and audit writes. On PostgreSQL an advisory lock serialises
    /// them, so `MAX(id) + 1` cannot hand the same id to two writers.
    func writeTransaction<T: Sendable>(_ body: @Sendable (Connection) async throws -> T) async throws -> T {
        try await transaction { conn in
            if conn.isPostgres { try await conn.sql.raw("SELECT pg_advisory_xact_lock(7261003)").run() }
            return try await body(conn)
        }
    }

    static func nextID(_ conn: Connection, table: String) async throws -> Int {
        try await conn.sql.raw("SELECT COALESCE(MAX(id), 0) + 1 AS next FROM \(unsafeRaw: table)")
            .first()?.decode(column: "next", as: Int.self) ?? 1
    }
}
