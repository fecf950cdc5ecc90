import Hummingbird
import OporaCore
import OporaStore

extension CurrentUser {
    /// Throws 403 unless the role allows `permission`.
    public func require(_ permission: Permission) throws {
        guard Policy.allows(user.role, permission) else { throw WebError.forbidden }
    }
}

extension OporaRequestContext {
    /// The signed-in user and the posted form: the prologue of a form route that is not about one
    /// school (those use `SchoolForm`). The route's permission was checked by `RoutePolicyMiddleware`.
    func postedForm(_ request: Request, limit: Int = 64 * 1024) async throws -> (CurrentUser, FormData) {
        let user = try requireIdentity()
        var request = request
        return (user, FormData(try await request.collectBody(within: limit)))
    }
}
