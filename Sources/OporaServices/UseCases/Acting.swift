import OporaCore
import OporaStore

/// Who acts in a use case: the role decides *what* (`Policy`), the scope *where* (every read and
/// write goes through a `ScopedStore`), and the actor is what the audit log records. The web builds
/// it from the signed-in account, the CLI from the account it acts for.
public struct Acting: Sendable {
    public var role: Role
    public var scope: Scope
    public var actor: Actor

    public init(role: Role, scope: Scope, actor: Actor) {
        self.role = role
        self.scope = scope
        self.actor = actor
    }

    /// The command line: whoever may run `opora` on the server may open its database, so it acts
    /// as an administrator, recorded as `cli`.
    public static let commandLine = Acting(role: .admin, scope: .everything, actor: .commandLine)

    /// Refuses (forbidden) unless the role allows `permission`.
    public func require(_ permission: Permission) throws(UseCaseError) {
        guard Policy.allows(role, permission) else { throw .forbidden }
    }
}
