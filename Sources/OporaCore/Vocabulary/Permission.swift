/// What a request wants to do. Each route declares the permission it needs (`RoutePolicy`), checked
/// before anything is looked up: a role that may never do it gets 403 whatever the address, so the
/// answer reveals nothing. Then the territory is checked (outside → 404).
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
    /// Record a support visit to a school: a curator to the schools it curates, coordinators to any.
    case recordVisit = "record_visit"
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
        case .recordVisit: [.admin, .region, .municipality, .curator].contains(role)
        case .manageUsers, .readAudit: role == .admin
        }
    }
}
