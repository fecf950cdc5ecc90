import Foundation
import Hummingbird
import Logging

/// `X-Content-Type-Options: nosniff` and `Referrer-Policy: same-origin` on every response: pages,
/// JSON, downloads, and errors (those thrown past every other middleware are turned into their
/// response here, so they get the headers too). The outermost middleware.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    static let nosniff = HeaderName("X-Content-Type-Options")!
    static let referrerPolicy = HeaderName("Referrer-Policy")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        } catch {
            context.logger.error("unhandled error: \(String(reflecting: error))")
            response = try WebError(.internalServerError, "internal", ru: "Внутренняя ошибка сервера.", en: "Internal server error.")
                .response(from: request, context: context)
        }
        response.headers[Self.nosniff] = "nosniff"
        response.headers[Self.referrerPolicy] = "same-origin"
        return response
    }
}

/// The methods each route path answers, filled in once every route is registered; a request whose
/// path exists but not for its method gets 405 with `Allow`, not 404.
final class RouteMethods: @unchecked Sendable {
    private let lock = NSLock()
    private var routes: [(path: RouterPath, method: HTTPRequest.Method)] = []

    func set(_ routes: [(path: RouterPath, method: HTTPRequest.Method)]) {
        lock.lock(); defer { lock.unlock() }
        self.routes = routes
    }

    /// The methods routes with this path answer, sorted; empty when no route has the path.
    func allowed(_ path: String) -> [String] {
        lock.lock(); let routes = self.routes; lock.unlock()
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = Set<String>()
        for route in routes where Self.matches(route.path, parts) { methods.insert(route.method.rawValue) }
        if methods.contains("GET") { methods.insert("HEAD") }
        return methods.sorted()
    }

    static func matches(_ route: RouterPath, _ parts: [Substring]) -> Bool {
        let elements = route.components
        for (i, element) in elements.enumerated() {
            if element == .recursiveWildcard { return true }
            guard i < parts.count, element ~= parts[i] else { return false }
        }
        return elements.count == parts.count
    }
}

/// Inside the error middlewares: the router's own 404 (no route for this method and path) becomes
/// a 405 when the path has routes for other methods.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    let routes: RouteMethods

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.allowed(request.uri.path)
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            var refusal = WebError(.methodNotAllowed, "method_not_allowed", ru: "Метод \(request.method.rawValue) здесь не поддерживается.",
                                   en: "Method \(request.method.rawValue) is not allowed here.")
            refusal.allow = allowed.joined(separator: ", ")
            throw refusal
        }
    }
}
