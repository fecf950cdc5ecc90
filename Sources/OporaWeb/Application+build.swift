import Hummingbird
import Foundation
import HummingbirdAuth
import Logging
import OporaServices
import OporaStore

/// What every route needs: the database, the configuration, the in-memory sign-in limiter, and the
/// caches of derived figures (recomputed after an import, shared by all requests).
struct WebEnvironment: Sendable {
    let database: OporaDatabase
    let configuration: WebConfiguration
    let limiter: LoginRateLimiter
    let analysis: AnalysisCache
    let runs: RunCache
    let staging: UploadStaging
    /// Reads uploads in child processes (the server never parses an uploaded file).
    let importWorker: ImportWorker
    /// The use cases the routes adapt.
    var registry: RegistryUseCase { RegistryUseCase(database: database) }
    var roadmap: RoadmapUseCase { RoadmapUseCase(database: database) }
    var accounts: AccountsUseCase { AccountsUseCase(database: database) }
    var identification: IdentificationUseCase { IdentificationUseCase(database: database) }
    var supportNetwork: SupportNetworkUseCase { SupportNetworkUseCase(database: database) }
    var schoolPlan: SchoolPlanUseCase { SchoolPlanUseCase(database: database) }
    var uploads: UploadsUseCase { UploadsUseCase(database: database, staging: staging, worker: importWorker, analysis: analysis) }
    /// Signs and checks the sign-in form's CSRF tokens.
    let loginCSRF = LoginCSRF()
    let fragments = FragmentCache(capacity: 4096)
    let rows = ComputedCache<Dashboard.Table>()
    /// A territory's registry per audit version: every registry change is audited.
    let registries = ComputedCache<[RegistryEntry]>()
    var now: Date { configuration.now() }
}

/// The web application over an open database. Split from `buildRouter` so tests can drive the
/// router without a socket.
public func buildApplication(
    database: OporaDatabase, configuration: WebConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable () async -> Void = {}
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database, configuration: configuration),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Opora"),
        onServerRunning: { _ in await onServerRunning() },
        logger: logger
    )
}

public let sessionCookieName = "opora_session"

/// Middleware order: security headers (on every response) → language → errors → session (HummingbirdAuth `SessionMiddleware` over the
/// sessions table) → session authenticator (HummingbirdAuth `SessionAuthenticator`) → bearer
/// authenticator → CSRF check → errors again (rendered with the account, for the navigation). Public routes: `/health`, `/login`. Everything else needs an account
/// and reaches data only through `ScopedStore`.
public func buildRouter(database: OporaDatabase, configuration: WebConfiguration = WebConfiguration()) -> Router<OporaRequestContext> {
    let env = WebEnvironment(database: database, configuration: configuration,
                             limiter: LoginRateLimiter(limit: configuration.loginFailureLimit, window: configuration.loginFailureWindow),
                             analysis: AnalysisCache(database: database, staleWait: configuration.analysisStaleWait), runs: RunCache(database: database),
                             staging: UploadStaging(root: configuration.uploadsDirectory),
                             importWorker: ImportWorker(settings: configuration.importWorker, log: { [logger = database.logger] in logger.warning("\($0)") }))
    // The decoy hash at the server's cost, made now: otherwise the first unknown login would take
    // twice as long as a wrong password (making the decoy, then checking it).
    let cost = configuration.bcryptCost
    Task { _ = try? await Passwords.decoyHash(cost: cost) }
    if configuration.preloadsAnalysis {
        let analysis = env.analysis
        Task { _ = try? await analysis.current() }
    }
    let router = Router(context: OporaRequestContext.self)
    let routeMethods = RouteMethods()
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.add(middleware: LanguageMiddleware(secureCookies: configuration.secureCookies))
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: SessionMiddleware(
        storage: SessionTableDriver(database: database, now: configuration.now),
        configuration: SessionMiddlewareConfiguration(
            sessionCookieParameters: SessionCookieParameters(name: sessionCookieName, path: "/", secure: configuration.secureCookies, sameSite: .lax),
            keyPrefix: "",
            defaultSessionExpiration: configuration.sessionLifetime)))
    router.add(middleware: SessionAuthenticator(context: OporaRequestContext.self) { (session: WebSession, _) in
        try await currentUser(database, userID: session.userID, method: .session(csrf: session.csrf))
    })
    router.add(middleware: BearerAuthenticator(database: database, now: configuration.now))
    router.add(middleware: CSRFMiddleware())
    router.add(middleware: ErrorMiddleware(rendersPages: true))
    router.add(middleware: MethodNotAllowedMiddleware(routes: routeMethods))

    router.get("/health") { _, _ in "ok" }
    AccountPages.register(on: router, env)

    let signedIn = router.group().add(middleware: RoutePolicyMiddleware())
    HomePage.register(on: signedIn, env)
    SchoolPage.register(on: signedIn, env)
    IdentificationPages.register(on: signedIn, env)
    PlanPage.register(on: signedIn, env)
    DiagnosisPage.register(on: signedIn, env)
    QuestionnairePage.register(on: signedIn, env)
    ExportRoutes.register(on: signedIn, env)
    ExitReviewPage.register(on: signedIn, env)
    ProgrammePage.register(on: signedIn, env)
    AttentionPage.register(on: signedIn, env)
    MunicipalPlansPage.register(on: signedIn, env)
    AccountPages.registerSignedIn(on: signedIn, env)
    AdminPages.register(on: signedIn, env)
    RegistryPages.register(on: signedIn, env)
    UploadPages.register(on: signedIn, env)
    let api = signedIn.group("api/v1")
    API.register(on: api, env)
    ProgrammeAPI.register(on: api, env)
    routeMethods.set(router.routes.map { ($0.path, $0.method) })
    return router
}
