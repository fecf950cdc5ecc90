import Hummingbird
import OporaStore

/// What a request wants to do. Territory is checked separately, first (outside → 404); this says
/// whether the role may do it at all within its territory (no → 403).
public enum Permission: String, CaseIterable, Sendable {
    /// Schools, results, identification runs and flags, the registry: every role, at its territory.
    case read
    /// Include a school in the registry, change its status.
    case writeRegistry = "write_registry"
    /// Upload data files (`/data`): a municipal coordinator only about its own municipality's schools.
    case uploadData = "upload_data"
    /// A school's self-diagnosis, risk profile, programmes, measures and indicator values.
    case writeSchoolPlan = "write_school_plan"
    /// Comment on a measure (curators review; coordinators and the school answer).
    case commentPlan = "comment_plan"
    /// Municipal roadmaps, events, partner pairs and mentors.
    case writeMunicipalPlan = "write_municipal_plan"
    /// Run identification.
    case runIdentification = "run_identification"
    /// Accounts and API tokens of others.
    case manageUsers = "manage_users"
    /// The audit log.
    case readAudit = "read_audit"
    /// One's own password.
    case changeOwnPassword = "change_own_password"
}

public enum Policy {
    public static func allows(_ role: Role, _ permission: Permission) -> Bool {
        switch permission {
        case .read, .changeOwnPassword: true
        case .writeRegistry, .uploadData: [.admin, .region, .municipality].contains(role)
        case .runIdentification: [.admin, .region].contains(role)
        case .writeSchoolPlan: [.admin, .region, .municipality, .school].contains(role)
        case .commentPlan: [.admin, .region, .municipality, .curator, .school].contains(role)
        case .writeMunicipalPlan: [.admin, .region, .municipality].contains(role)
        case .manageUsers, .readAudit: role == .admin
        }
    }
}

extension CurrentUser {
    /// Throws 403 unless the role allows `permission`.
    public func require(_ permission: Permission) throws {
        guard Policy.allows(user.role, permission) else { throw WebError.forbidden }
    }
}

extension OporaRequestContext {
    /// A posted form of a signed-in user whose role may do `permission` (else 403): the prologue of
    /// every form route that is not about one school (those use `SchoolForm`).
    func permittedForm(_ request: Request, _ permission: Permission, limit: Int = 64 * 1024) async throws -> (CurrentUser, FormData) {
        let user = try requireIdentity()
        try user.require(permission)
        var request = request
        return (user, FormData(try await request.collectBody(within: limit)))
    }
}
