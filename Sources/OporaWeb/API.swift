import Foundation
import Hummingbird
import NIOCore
import OporaCore
import OporaServices
import OporaStore

/// JSON under `/api/v1/`, signed in by session (with the CSRF header for changes) or bearer token.
/// Every handler reaches data through `ScopedStore`: outside the territory is 404.
enum API {
    static func register(on api: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        api.get("openapi.json") { _, _ in JSONBody(raw: OpenAPI.document) }

        api.get("me") { _, context in
            let user = try context.requireIdentity()
            return JSONBody(Me(login: user.user.login, role: user.user.role.rawValue, territoryKind: user.user.territoryKind?.rawValue,
                               territory: user.user.territory, schools: user.user.role == .curator ? user.user.curatedSchools : nil,
                               permissions: Permission.allCases.filter { Policy.allows(user.user.role, $0) }.map(\.rawValue)))
        }

        api.get("schools") { _, context in
            let user = try context.requireIdentity()
            let schools = try await env.database.scoped(user.scope).schools()
            return JSONBody(SchoolList(count: schools.count, schools: schools.map(SchoolJSON.init)))
        }

        api.get("schools/:id") { _, context in
            let user = try context.requireIdentity()
            let id = try context.parameters.require("id")
            let store = env.database.scoped(user.scope)
            guard let school = try await store.school(id: id) else { throw WebError.notFound }
            return JSONBody(SchoolDetail(school: SchoolJSON(school), registry: try await store.registryEntry(schoolID: id).map(RegistryJSON.init)))
        }

        api.get("identification/runs") { _, context in
            let user = try context.requireIdentity()
            let runs = try await env.database.scoped(user.scope).identificationRuns()
            return JSONBody(RunList(runs: runs.map(RunJSON.init)))
        }

        api.get("identification/runs/:id") { _, context in
            let user = try context.requireIdentity()
            guard let id = Int(try context.parameters.require("id")),
                  let (_, json) = try await env.database.scoped(user.scope).identificationRun(id: id) else { throw WebError.notFound }
            return JSONBody(raw: json)
        }

        api.get("identification/runs/:id/schools/:school_id") { _, context in
            let user = try context.requireIdentity()
            let store = env.database.scoped(user.scope)
            guard let id = Int(try context.parameters.require("id")), try await env.database.identificationRun(id: id) != nil,
                  let flags = try await store.flags(runID: id, schoolID: try context.parameters.require("school_id")) else {
                throw WebError.notFound
            }
            return JSONBody(FlagList(flags: flags.map(FlagJSON.init)))
        }

        api.get("registry") { _, context in
            let entries = try await useCase { try await env.registry.entries(as: try context.requireIdentity().acting) }
            return JSONBody(RegistryList(entries: entries.map(RegistryJSON.init)))
        }

        api.get("registry/:school_id") { _, context in
            let id = try context.parameters.require("school_id")
            let (entry, history) = try await useCase { try await env.registry.entry(schoolID: id, as: try context.requireIdentity().acting) }
            return JSONBody(RegistryDetail(entry: RegistryJSON(entry), history: history.map(HistoryJSON.init)))
        }

        api.post("registry") { request, context in
            let input = try await request.decodeJSON(as: IncludeInput.self, context: context)
            let asked = RegistryUseCase.Inclusion(schoolID: input.schoolID, category: input.category, reason: input.reason,
                                                  startDate: input.startDate, coordinator: input.coordinator, note: input.note ?? "")
            let stored = try await useCase { try await env.registry.include(asked, as: try context.requireIdentity().acting) }
            return JSONBody(RegistryJSON(stored), status: .created)
        }

        api.patch("registry/:school_id") { request, context in
            let id = try context.parameters.require("school_id")
            let input = try await request.decodeJSON(as: StatusInput.self, context: context)
            let change = RegistryUseCase.StatusChange(status: input.status, reason: input.reason, coordinator: input.coordinator, note: input.note ?? "")
            let stored = try await useCase { try await env.registry.changeStatus(schoolID: id, change, as: try context.requireIdentity().acting) }
            return JSONBody(RegistryJSON(stored))
        }

        api.get("audit") { request, context in
            let asked = request.query.get("limit")
            guard asked == nil || Int(asked!) != nil else {
                var error = WebError.badRequest("invalid", ru: "Число записей (limit) — целое число.", en: "limit is an integer.")
                error.field = "limit"
                throw error
            }
            let limit = min(1000, max(1, asked.flatMap { Int($0) } ?? 200))
            let user = try context.requireIdentity()
            return JSONBody(AuditList(entries: try await useCase { try await env.accounts.auditLog(limit: limit, as: user.acting) }))
        }

        api.get("users") { _, context in
            let user = try context.requireIdentity()
            return JSONBody(UserList(users: try await useCase { try await env.accounts.users(as: user.acting) }.map(UserJSON.init)))
        }

        api.post("users") { request, context in
            let input = try await request.decodeJSON(as: UserInput.self, context: context)
            let new = AccountsUseCase.NewAccount(login: input.login, role: input.role, password: input.password, territory: input.territory)
            let cost = env.configuration.bcryptCost
            let created = try await useCase {
                try await env.accounts.create(new, hash: { try await Passwords.hash($0, cost: cost) }, as: try context.requireIdentity().acting)
            }
            return JSONBody(UserJSON(created), status: .created)
        }
    }
}

/// A JSON response: snake_case keys, sorted, UTF-8.
struct JSONBody: ResponseGenerator {
    var data: Data
    var status: HTTPResponse.Status = .ok

    init(_ value: some Encodable, status: HTTPResponse.Status = .ok) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        self.data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        self.status = status
    }

    init(raw: String) {
        self.data = Data(raw.utf8)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct Me: Encodable { var login, role: String; var territoryKind, territory: String?; var schools: [String]?; var permissions: [String] }

struct SchoolJSON: Encodable {
    var id, name, municipality, region, settlement, kind: String
    var students: Int?
    var distanceKm: Double?
    init(_ s: School) {
        (id, name, municipality, region, settlement, kind, students, distanceKm) =
            (s.id, s.name, s.municipality, s.region, s.settlement.rawValue, s.kind.rawValue, s.students, s.distanceKm)
    }
}
struct SchoolList: Encodable { var count: Int; var schools: [SchoolJSON] }
struct SchoolDetail: Encodable { var school: SchoolJSON; var registry: RegistryJSON? }

struct RunJSON: Encodable {
    var id: Int
    var createdAt: String
    var createdBy: String?
    var year: Int
    var rulesName, rulesDigest, dataDigest: String
    var schoolsInScope, flaggedSchoolsInScope: Int
    init(_ run: ScopedRun) {
        let r = run.record
        (id, createdAt, createdBy, year, rulesName, rulesDigest, dataDigest) = (r.id, r.createdAt, r.createdBy, r.year, r.rulesName, r.rulesDigest, r.dataDigest)
        (schoolsInScope, flaggedSchoolsInScope) = (run.schoolsInScope, run.flaggedSchoolsInScope)
    }
}
struct RunList: Encodable { var runs: [RunJSON] }

struct FlagJSON: Encodable {
    var schoolId, category, criterion: String
    var year: Int
    var strength: String?
    var value, threshold: Double?
    var n: Int?
    var textRu, textEn: String
    init(_ f: StoredFlag) {
        (schoolId, category, criterion, year, strength, value, threshold, n, textRu, textEn) =
            (f.schoolID, f.category, f.criterion, f.year, f.strength, f.value, f.threshold, f.n, f.textRU, f.textEN)
    }
}
struct FlagList: Encodable { var flags: [FlagJSON] }

struct RegistryJSON: Encodable {
    var schoolId, category, reason, startDate, coordinator, status, updatedAt, updatedBy: String
    init(_ e: RegistryEntry) {
        (schoolId, category, reason, startDate, coordinator, status, updatedAt, updatedBy) =
            (e.schoolID, e.category.rawValue, e.reason, e.startDate, e.coordinator, e.status.rawValue, e.updatedAt, e.updatedBy)
    }
}
struct RegistryList: Encodable { var entries: [RegistryJSON] }
struct HistoryJSON: Encodable {
    var changedAt, changedBy, category, reason, startDate, coordinator, status, note: String
    init(_ c: RegistryChange) {
        (changedAt, changedBy, category, reason, startDate, coordinator, status, note) =
            (c.changedAt, c.changedBy, c.category.rawValue, c.reason, c.startDate, c.coordinator, c.status.rawValue, c.note)
    }
}
struct RegistryDetail: Encodable { var entry: RegistryJSON; var history: [HistoryJSON] }

struct AuditList: Encodable { var entries: [AuditEntry] }

struct UserJSON: Encodable {
    var login, role: String
    var territoryKind, territory: String?
    var schools: [String]
    var disabled: Bool
    var createdAt: String
    init(_ u: UserRecord) {
        (login, role, territoryKind, territory, schools, disabled, createdAt) =
            (u.login, u.role.rawValue, u.territoryKind?.rawValue, u.territory, u.curatedSchools, u.disabled, u.createdAt)
    }
}
struct UserList: Encodable { var users: [UserJSON] }

struct IncludeInput: Decodable {
    var schoolID, category, reason, startDate, coordinator: String
    var note: String?
    enum CodingKeys: String, CodingKey {
        case schoolID = "school_id", category, reason, startDate = "start_date", coordinator, note
    }
}
struct StatusInput: Decodable {
    var status: String
    var reason, coordinator, note: String?
}
struct UserInput: Decodable {
    var login, role, password: String
    var territory: String?
}

extension IncludeInput: LengthChecked {
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] {
        [("school_id", schoolID, FieldLimit.code, true), ("category", category, FieldLimit.code, true), ("reason", reason, FieldLimit.long, true),
         ("start_date", startDate, FieldLimit.code, true), ("coordinator", coordinator, FieldLimit.short, true), ("note", note, FieldLimit.long, false)]
    }
}

extension StatusInput: LengthChecked {
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] {
        [("status", status, FieldLimit.code, true), ("reason", reason, FieldLimit.long, true), ("coordinator", coordinator, FieldLimit.short, true),
         ("note", note, FieldLimit.long, false)]
    }
}

extension UserInput: LengthChecked {
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] {
        [("login", login, FieldLimit.code, true), ("role", role, FieldLimit.code, true), ("password", password, FieldLimit.password, true),
         ("territory", territory, FieldLimit.short, false)]
    }
}
