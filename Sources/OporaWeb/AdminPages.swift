import Foundation
import Hummingbird
import OporaCore
import OporaServices
import OporaStore

/// Admin only: accounts and the audit log.
enum AdminPages {
    static func register(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/admin/audit") { _, context -> HTML in
            let user = try context.requireIdentity()
            let language = context.language
            let entries = try await env.database.auditLog(limit: 500)
            let rows: [[String: Any]] = entries.map {
                ["at": $0.at, "actor": $0.actor, "action": $0.action, "entity": $0.entity, "entityID": $0.entityID ?? "",
                 "before": $0.beforeJSON ?? "", "after": $0.afterJSON ?? ""]
            }
            let summary = NumberFormat.count(entries.count, RussianPlural("запись", "записи", "записей"), en: "entry", enPlural: "entries", language)
            return Views.render("audit", ["entries": rows, "summary": summary],
                                title: language.pick(ru: "Журнал изменений", en: "Audit log"), language: language, user: user)
        }

        router.get("/admin/users") { _, context -> HTML in
            let user = try context.requireIdentity()
            return try await usersPage(env, context: context, user: user, error: nil, created: nil, status: .ok)
        }

        router.post("/admin/users") { request, context -> HTML in
            let (user, form) = try await context.postedForm(request)
            let new = AccountsUseCase.NewAccount(login: form["login"], role: form["role"], password: form["password"], territory: form["territory"],
                                                 staffSchool: form["staff_school"])
            let cost = env.configuration.bcryptCost
            do {
                let created = try await env.accounts.create(new, hash: { try await Passwords.hash($0, cost: cost) }, as: user.acting)
                return try await usersPage(env, context: context, user: user, error: nil, created: created.login, status: .ok)
            } catch let refusal as UseCaseError {
                // The form is shown again with the refusal; a taken login or an unknown territory is no conflict for a person.
                _ = try formStatus(refusal)
                return try await usersPage(env, context: context, user: user, error: context.language.pick(refusal.message), created: nil, status: .badRequest)
            }
        }

        // A curator's schools and place of work, changed together so the conflict-of-interest check sees both.
        router.post("/admin/users/:login/curator") { request, context -> HTML in
            let (user, form) = try await context.postedForm(request)
            let language = context.language
            guard let curator = try await env.database.user(login: try context.parameters.require("login")), curator.role == .curator else {
                throw WebError.notFound
            }
            let schools = form["schools"].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            let staff = form["staff_school"].trimmingCharacters(in: .whitespaces)
            do {
                for id in schools + (staff.isEmpty ? [] : [staff]) where try await env.database.school(id: id) == nil {
                    throw AccountError(.invalid, "no school \(id)", ru: "нет школы \(id)")
                }
                try await env.database.assignSchools(curatorID: curator.id, schools: schools, staffSchool: staff.isEmpty ? nil : staff, actor: user.actor)
            } catch let error as AccountError {
                return try await usersPage(env, context: context, user: user, error: accountMessage(error, language, action: .change), created: nil, status: .badRequest)
            }
            return try await usersPage(env, context: context, user: user, error: nil, created: nil, changed: curator.login, status: .ok)
        }
    }

    enum AccountAction { case create, change }

    static func accountMessage(_ error: AccountError, _ language: Language, action: AccountAction = .create) -> String {
        let prefix = action == .create ? language.pick(ru: "Учётная запись не создана: ", en: "The account was not created: ")
                                       : language.pick(ru: "Изменения не сохранены: ", en: "The changes were not saved: ")
        switch error.code {
        case .loginTaken: return language.pick(ru: "Такой логин уже есть.", en: "This login is taken.")
        case .conflictOfInterest:
            return prefix + language.pick(ru: "конфликт интересов — куратор не может курировать школу, в которой работает.",
                                          en: "conflict of interest — a curator cannot curate the school they work at.")
        case .invalid, .notFound, .unknownTerritory: return prefix + language.pick(error.message)
        }
    }

    static func usersPage(_ env: WebEnvironment, context: OporaRequestContext, user: CurrentUser, error: String?, created: String?,
                          changed: String? = nil, status: HTTPResponse.Status) async throws -> HTML {
        let language = context.language
        let users = try await env.database.users()
        let rows: [[String: Any]] = users.map { u in
            ["login": u.login, "role": language.pick(u.role.name),
             "territory": u.role == .curator ? u.curatedSchools.joined(separator: ", ") : (u.territory ?? "—"),
             "state": u.disabled ? language.pick(ru: "отключена", en: "disabled") : language.pick(ru: "активна", en: "active"),
             "created": u.createdAt, "isCurator": u.role == .curator, "schools": u.curatedSchools.joined(separator: ", "),
             "staffSchool": u.staffSchool ?? ""]
        }
        var data: [String: Any] = [
            "users": rows,
            "summary": NumberFormat.count(users.count, RussianPlural("учётная запись", "учётные записи", "учётных записей"), en: "account", language),
            "roles": Role.allCases.map { ["value": $0.rawValue, "name": language.pick($0.name)] },
        ]
        if let error { data["error"] = error }
        if let created { data["created"] = created }
        if let changed { data["changed"] = changed }
        return Views.render("users", data, title: language.pick(ru: "Пользователи", en: "Users"), language: language, user: user, status: status)
    }
}
