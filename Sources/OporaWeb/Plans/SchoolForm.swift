import Hummingbird
import OporaStore

/// A form posted about one school's plan: the school must be in the territory (else 404), the role
/// must write school plans (else 403), then the form is read. One place for the order of checks.
struct SchoolForm {
    var user: CurrentUser
    var schoolID: String
    var store: ScopedStore
    var form: FormData

    var parts: (CurrentUser, String, ScopedStore, FormData) { (user, schoolID, store, form) }

    static func read(_ request: Request, _ context: OporaRequestContext, _ env: WebEnvironment, limit: Int = 64 * 1024) async throws -> SchoolForm {
        let user = try context.requireIdentity()
        let id = try context.parameters.require("id")
        let store = env.database.scoped(user.scope)
        guard try await store.school(id: id) != nil else { throw WebError.notFound }
        var request = request
        return SchoolForm(user: user, schoolID: id, store: store, form: FormData(try await request.collectBody(within: limit)))
    }
}
