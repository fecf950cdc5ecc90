import Foundation

/// Every address a page links, posts or redirects to, built in one place: codes are percent-encoded
/// here (a school code is the region's text, not ours), and a test matches each case against the
/// routes `RoutePolicy` declares, so a link cannot point at a page that does not exist.
enum SiteURL: Sendable, Equatable {
    case home, attention, identification, compare, runIdentification, registry, municipalPlans, data, upload
    case signIn, signOut, password, users, audit
    case school(String), schoolPlan(String), diagnosis(String), questionnaire(String), riskProfile(String), schoolProgrammes(String)
    case run(Int), runCSV(Int), runXLSX(Int)
    case registryEntry(String), registryNew(school: String?), registryStatus(String), registryWithStatus(String), exitReview
    case programme(Int), roadmapXLSX(Int), programmeMeasures(Int), programmeIndicators(Int)
    case measureUpdate(Int), measureFiles(Int), measureComments(Int), indicatorValues(Int)
    case municipalProgrammes, pairs, mentors, events
    case file(Int), confirmUpload(String), curator(login: String)

    var path: String {
        switch self {
        case .home: "/"
        case .attention: "/attention"
        case .identification: "/identification"
        case .compare: "/identification/compare"
        case .runIdentification: "/identification/run"
        case .registry: "/registry"
        case .municipalPlans: "/municipal-plans"
        case .data: "/data"
        case .upload: "/data/upload"
        case .signIn: "/login"
        case .signOut: "/logout"
        case .password: "/account/password"
        case .users: "/admin/users"
        case .audit: "/admin/audit"
        case .school(let id): "/schools/\(Self.segment(id))"
        case .schoolPlan(let id): "/schools/\(Self.segment(id))/plan"
        case .diagnosis(let id): "/schools/\(Self.segment(id))/diagnosis"
        case .questionnaire(let id): "/schools/\(Self.segment(id))/questionnaire"
        case .riskProfile(let id): "/schools/\(Self.segment(id))/risk-profile"
        case .schoolProgrammes(let id): "/schools/\(Self.segment(id))/programmes"
        case .run(let id): "/identification/runs/\(id)"
        case .runCSV(let id): "/identification/runs/\(id)/csv"
        case .runXLSX(let id): "/identification/runs/\(id)/xlsx"
        case .registryEntry(let id): "/registry/\(Self.segment(id))"
        case .registryNew(let school): "/registry/new" + (school.map { "?school=\(Self.query($0))" } ?? "")
        case .registryStatus(let id): "/registry/\(Self.segment(id))/status"
        case .registryWithStatus(let status): "/registry?status=\(Self.query(status))"
        case .exitReview: "/registry/exit-review"
        case .programme(let id): "/programmes/\(id)"
        case .roadmapXLSX(let id): "/programmes/\(id)/roadmap.xlsx"
        case .programmeMeasures(let id): "/programmes/\(id)/measures"
        case .programmeIndicators(let id): "/programmes/\(id)/indicators"
        case .measureUpdate(let id): "/measures/\(id)/update"
        case .measureFiles(let id): "/measures/\(id)/files"
        case .measureComments(let id): "/measures/\(id)/comments"
        case .indicatorValues(let id): "/indicators/\(id)/values"
        case .municipalProgrammes: "/municipal-plans/programmes"
        case .pairs: "/municipal-plans/pairs"
        case .mentors: "/municipal-plans/mentors"
        case .events: "/municipal-plans/events"
        case .file(let id): "/files/\(id)"
        case .confirmUpload(let id): "/data/uploads/\(Self.segment(id))/confirm"
        case .curator(let login): "/admin/users/\(Self.segment(login))/curator"
        }
    }

    /// The address with a place on the page (`#risks`).
    func at(_ fragment: String) -> String { path + "#" + fragment }

    /// The address with a query string already encoded (a filter's `queryString`); none when empty.
    func with(query: String) -> String { query.isEmpty ? path : path + (path.contains("?") ? "&" : "?") + query }

    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._~"))) ?? text
    }

    static func query(_ text: String) -> String { segment(text) }
}
