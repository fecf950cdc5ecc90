import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// Admin only: accounts and the audit log. The decisions are `AccountsUseCase`'s; here, the pages.
enum AdminPages {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/admin/audit") { _, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
            let entries = try await useCase { try await env.accounts.auditLog(limit: 500, as: user.acting) }
            return Views.render(AuditPage(entries, language), title: language.pick(ru: "Журнал изменений", en: "Audit log"),
                                language: language, user: user)
        }

        router.get("/admin/users") { _, context -> HTML in
            let user = try context.requireIdentity()
            return try await usersPage(env, context: context, user: user, status: .ok)
        }

        router.post("/admin/users") { request, context -> HTML in
            let (user, form) = try await context.postedForm(request)
            let new = AccountsUseCase.NewAccount(login: form["login"], role: form["role"], password: form["password"], territory: form["territory"],
                                                 staffSchool: form["staff_school"])
            let cost = env.configuration.bcryptCost
            do {
                let created = try await env.accounts.create(new, hash: { try await Passwords.hash($0, cost: cost) }, as: user.acting)
                return try await usersPage(env, context: context, user: user, created: created.login, status: .ok)
            } catch let refusal as UseCaseError {
                // The form is shown again with the refusal; a taken login or an unknown territory is no conflict for a person.
                _ = try formStatus(refusal)
                return try await usersPage(env, context: context, user: user, error: context.language.pick(refusal.message), status: .badRequest)
            }
        }

        router.post("/admin/users/:login/curator") { request, context -> HTML in
            let (user, form) = try await context.postedForm(request)
            do {
                let curator = try await env.accounts.changeCurator(login: try context.parameters.require("login"), schools: form["schools"],
                                                                   staffSchool: form["staff_school"], as: user.acting)
                return try await usersPage(env, context: context, user: user, changed: curator.login, status: .ok)
            } catch let refusal as UseCaseError {
                _ = try formStatus(refusal)
                return try await usersPage(env, context: context, user: user, error: context.language.pick(refusal.message), status: .badRequest)
            }
        }
    }

    static func usersPage(_ env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, error: String? = nil, created: String? = nil,
                          changed: String? = nil, status: HTTPResponse.Status) async throws -> HTML {
        let language = context.language
        let users = try await useCase { try await env.accounts.users(as: user.acting) }
        let page = UsersPage(users, language, error: error, created: created, changed: changed)
        return Views.render(page, title: language.pick(ru: "Пользователи", en: "Users"), language: language, user: user, status: status)
    }
}

/// The audit log: who changed what, with the record before and after.
struct AuditPage: PageModel {
    static let view = View.audit
    struct Entry {
        var at, actor, action, entity: String
        var entityID, before, after: String?
    }
    var summary: String
    var entries: [Entry]

    init(_ entries: [AuditEntry], _ language: Language) {
        summary = NumberFormat.count(entries.count, RussianPlural("запись", "записи", "записей"), en: "entry", enPlural: "entries", language)
        self.entries = entries.map {
            Entry(at: $0.at, actor: $0.actor, action: $0.action, entity: $0.entity, entityID: $0.entityID, before: $0.beforeJSON, after: $0.afterJSON)
        }
    }
}

/// Every account, the form for a new one, and a curator's schools.
struct UsersPage: PageModel {
    static let view = View.users
    struct Account {
        var login, role, territory, state, created: String
        var isCurator: Bool
        var schools: String
        var staffSchool: String?
        var curatorURL: String
    }
    struct RoleOption { var value, name: String }
    var error, created, changed: String?
    var summary: String
    var users: [Account]
    var roles: [RoleOption]

    init(_ users: [UserRecord], _ language: Language, error: String?, created: String?, changed: String?) {
        (self.error, self.created, self.changed) = (error, created, changed)
        summary = NumberFormat.count(users.count, RussianPlural("учётная запись", "учётные записи", "учётных записей"), en: "account", language)
        self.users = users.map { u in
            Account(login: u.login, role: language.pick(u.role.name),
                    territory: u.role == .curator ? u.curatedSchools.joined(separator: ", ") : (u.territory ?? "—"),
                    state: u.disabled ? language.pick(ru: "отключена", en: "disabled") : language.pick(ru: "активна", en: "active"),
                    created: u.createdAt, isCurator: u.role == .curator, schools: u.curatedSchools.joined(separator: ", "),
                    staffSchool: u.staffSchool, curatorURL: SiteURL.curator(login: u.login).path)
        }
        roles = Role.allCases.map { RoleOption(value: $0.rawValue, name: language.pick($0.name)) }
    }
}
