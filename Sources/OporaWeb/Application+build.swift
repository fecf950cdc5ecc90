import Hummingbird
import Logging
import OporaStore

public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// The web application over an open database. Split from `buildRouter` so tests can drive the
/// router without a socket.
public func buildApplication(
    database: OporaDatabase, configuration: WebConfiguration, logger: Logger,
    onServerRunning: @escaping @Sendable () async -> Void = {}
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(database: database),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Opora"),
        onServerRunning: { _ in await onServerRunning() },
        logger: logger
    )
}

public func buildRouter(database: OporaDatabase) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: LogRequestsMiddleware(.debug))
    router.get("/health") { _, _ in "ok" }
    HomePage.register(on: router, database: database)
    return router
}
