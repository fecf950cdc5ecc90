import Hummingbird
import OporaCore
import OporaStore

/// Who may call each route, declared once, here. `RoutePolicyMiddleware` enforces it for every
/// signed-in route before the handler runs; a route missing from the table is refused (and a test
/// fails for it), so a new page cannot forget its permission. The handler then checks the territory
/// (outside → 404) and, for `.oneOf`, which of the permissions the thing addressed needs.
enum RouteAccess: Sendable, Equatable {
    /// No account needed (sign-in, health).
    case anyone
    /// Any account: reads, always scoped to the account's territory.
    case signedIn
    /// Roles with this permission.
    case requires(Permission)
    /// Roles with at least one of these; the handler decides which applies (a school's programme
    /// needs `writeSchoolPlan`, a municipality's `writeMunicipalPlan`).
    case oneOf([Permission])

    func allows(_ role: Role) -> Bool {
        switch self {
        case .anyone, .signedIn: true
        case .requires(let permission): Policy.allows(role, permission)
        case .oneOf(let permissions): permissions.contains { Policy.allows(role, $0) }
        }
    }
}

enum RoutePolicy {
    /// "METHOD /path" as the router writes its routes (captures as `{id}`) → who may call it.
    static let table: [String: RouteAccess] = [
        // Signing in, and the load balancer's probe.
        "GET /health": .anyone,
        "GET /login": .anyone,
        "POST /login": .anyone,
        "POST /logout": .anyone,
        "GET /account/password": .requires(.changeOwnPassword),
        "POST /account/password": .requires(.changeOwnPassword),

        // Reading: the dashboard, schools, runs, the registry, plans, files.
        "GET /": .signedIn,
        "GET /attention": .signedIn,
        "GET /schools/{id}": .signedIn,
        "GET /schools/{id}/plan": .signedIn,
        "GET /schools/{id}/diagnosis": .signedIn,
        "GET /schools/{id}/questionnaire": .signedIn,
        "GET /identification": .signedIn,
        "GET /identification/compare": .signedIn,
        "GET /identification/runs/{id}": .signedIn,
        "GET /identification/runs/{id}/csv": .signedIn,
        "GET /identification/runs/{id}/xlsx": .signedIn,
        "GET /registry": .signedIn,
        "GET /registry/{school_id}": .signedIn,
        "GET /programmes/{id}": .signedIn,
        "GET /programmes/{id}/roadmap.xlsx": .signedIn,
        "GET /municipal-plans": .signedIn,
        "GET /files/{id}": .signedIn,

        // Identification and data.
        "POST /identification/run": .requires(.runIdentification),
        "GET /data": .requires(.uploadData),
        "POST /data/upload": .requires(.uploadData),
        "POST /data/uploads/{id}/confirm": .requires(.uploadData),

        // The registry.
        "GET /registry/new": .requires(.writeRegistry),
        "POST /registry/new": .requires(.writeRegistry),
        "POST /registry/{school_id}/status": .requires(.writeRegistry),
        "POST /registry/exit-review": .requires(.writeRegistry),

        // A school's plan: self-diagnosis, risk profile, programmes.
        "POST /schools/{id}/diagnosis": .requires(.writeSchoolPlan),
        "POST /schools/{id}/questionnaire": .requires(.writeSchoolPlan),
        "POST /schools/{id}/risk-profile": .requires(.writeSchoolPlan),
        "POST /schools/{id}/programmes": .requires(.writeSchoolPlan),

        // Programmes of a school or a municipality: the owner decides which permission applies.
        "POST /programmes/{id}/measures": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "POST /programmes/{id}/indicators": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "POST /measures/{id}/update": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "POST /measures/{id}/files": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "POST /indicators/{id}/values": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "POST /measures/{id}/comments": .requires(.commentPlan),

        // The municipality's support network; a curator records visits to its own schools.
        "POST /municipal-plans/programmes": .requires(.writeMunicipalPlan),
        "POST /municipal-plans/pairs": .requires(.writeMunicipalPlan),
        "POST /municipal-plans/mentors": .requires(.writeMunicipalPlan),
        "POST /municipal-plans/events": .oneOf([.writeMunicipalPlan, .recordVisit]),

        // Administration.
        "GET /admin/users": .requires(.manageUsers),
        "POST /admin/users": .requires(.manageUsers),
        "POST /admin/users/{login}/curator": .requires(.manageUsers),
        "GET /admin/audit": .requires(.readAudit),

        // The API: the same permissions as the pages that do the same.
        "GET /api/v1/me": .signedIn,
        "GET /api/v1/openapi.json": .signedIn,
        "GET /api/v1/schools": .signedIn,
        "GET /api/v1/schools/{id}": .signedIn,
        "GET /api/v1/schools/{id}/indicators": .signedIn,
        "GET /api/v1/schools/{id}/risk-profile": .signedIn,
        "GET /api/v1/schools/{id}/roadmap": .signedIn,
        "GET /api/v1/identification/runs": .signedIn,
        "GET /api/v1/identification/runs/{id}": .signedIn,
        "GET /api/v1/identification/runs/{id}/schools/{school_id}": .signedIn,
        "GET /api/v1/registry": .signedIn,
        "GET /api/v1/registry/{school_id}": .signedIn,
        "POST /api/v1/registry": .requires(.writeRegistry),
        "PATCH /api/v1/registry/{school_id}": .requires(.writeRegistry),
        "POST /api/v1/schools/{id}/roadmap/measures": .requires(.writeSchoolPlan),
        "PATCH /api/v1/measures/{id}": .oneOf([.writeSchoolPlan, .writeMunicipalPlan]),
        "GET /api/v1/users": .requires(.manageUsers),
        "POST /api/v1/users": .requires(.manageUsers),
        "GET /api/v1/audit": .requires(.readAudit),
    ]

    static func key(_ method: HTTPRequest.Method, _ path: String) -> String { "\(method) \(path)" }

    static func access(_ method: HTTPRequest.Method, _ path: String) -> RouteAccess? { table[key(method, path)] }

    /// Routes a router has that the table does not declare, and declarations no route has: both
    /// empty for Opora's router (a test), so the table and the routes cannot drift apart.
    static func drift(_ routes: [Router<OporaRequestContext>.RouteDescription]) -> (undeclared: [String], unrouted: [String]) {
        let routed = Set(routes.map { key($0.method, $0.path.description) })
        return (routed.subtracting(table.keys).sorted(), Set(table.keys).subtracting(routed).sorted())
    }
}

/// Every signed-in route: an account (else 401, or the sign-in page), then the route's declared
/// access for the account's role (else 403). Runs after routing, so the matched route is known.
struct RoutePolicyMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let user = context.identity else { throw WebError.unauthorized }
        guard let access = RoutePolicy.access(request.method, context.endpointPath ?? "") else {
            // Refused rather than allowed: a route without a declaration is a bug the test reports.
            context.logger.error("route without a declared permission: \(request.method) \(context.endpointPath ?? request.uri.path)")
            throw WebError.forbidden
        }
        guard access.allows(user.user.role) else { throw WebError.forbidden }
        return try await next(request, context)
    }
}
