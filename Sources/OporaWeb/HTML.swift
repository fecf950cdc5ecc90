import Hummingbird
import Mustache
import NIOCore
import OporaCore
import OporaStore

/// A rendered HTML page.
struct HTML: ResponseGenerator {
    var body: String
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        makeResponse(status: status)
    }

    func makeResponse(status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store",
                      HeaderName("X-Frame-Options")!: "DENY", HeaderName("X-Content-Type-Options")!: "nosniff",
                      HeaderName("Content-Security-Policy")!: "default-src 'self'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }
}

/// Renders a page template into the layout.
enum Views {
    static let library: MustacheLibrary = {
        var templates: [String: MustacheTemplate] = [:]
        for (name, text) in Templates.all {
            // The templates are constants of this binary: a syntax error is a programming error.
            templates[name] = try! MustacheTemplate(string: text)
        }
        return MustacheLibrary(templates: templates)
    }()

    static func render(_ template: String, _ data: [String: Any], title: String, language: Language, user: CurrentUser?,
                       request: Request? = nil, status: HTTPResponse.Status = .ok) -> HTML {
        var page = withoutEmptyStrings(data)
        page["ru"] = language == .ru
        page["csrf"] = data["csrf"] ?? user?.csrfToken ?? ""
        let content = library.render(page, withTemplate: template) ?? ""
        let switchBase = LanguageMiddleware.switchBase
        var layout: [String: Any] = ["lang": language.rawValue, "ru": language == .ru, "title": title, "content": content,
                                     "switchRU": switchBase + "lang=ru", "switchEN": switchBase + "lang=en"]
        if let user {
            layout["user"] = true
            layout["login"] = user.user.login
            layout["roleName"] = language.pick(user.user.role.name)
            layout["isAdmin"] = user.user.role == .admin
            layout["mayUpload"] = Policy.allows(user.user.role, .uploadData)
            layout["csrf"] = user.csrfToken ?? ""
        }
        return HTML(body: library.render(layout, withTemplate: "layout") ?? "", status: status)
    }

    /// A piece of a page rendered on its own (to be cached and inserted with `{{{…}}}`).
    static func fragment(_ template: String, _ data: [String: Any]) -> String {
        library.render(withoutEmptyStrings(data), withTemplate: template) ?? ""
    }

    /// Mustache treats "" as present, so `{{#error}}…{{/error}}` would draw an empty alert box and
    /// `{{#x}} checked{{/x}}` would check a radio for an empty value. Empty strings are dropped before
    /// rendering: a missing key renders as "" anyway, and sections then mean "has a value".
    static func withoutEmptyStrings(_ data: [String: Any]) -> [String: Any] {
        var out: [String: Any] = [:]
        out.reserveCapacity(data.count)
        for (key, value) in data {
            switch value {
            case let s as String: if !s.isEmpty { out[key] = s }
            case let d as [String: Any]: out[key] = withoutEmptyStrings(d)
            case let list as [[String: Any]]: out[key] = list.map(withoutEmptyStrings)
            default: out[key] = value
            }
        }
        return out
    }

}

/// `?lang=en` switches the language and remembers it in a cookie; Russian otherwise.
struct LanguageMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    static let cookie = "opora_lang"
    let secureCookies: Bool

    /// Where the header's language links point, ending in `?` or `&`: the same page with its query
    /// (filters, chosen procedure) for a GET; the start page after a form was posted, whose address
    /// answers only POST.
    @TaskLocal static var switchBase = "?"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let asked = request.uri.queryParameters.get("lang").flatMap(Language.init(rawValue:))
        context.language = asked ?? request.cookies[Self.cookie].flatMap { Language(rawValue: $0.value) } ?? .ru
        var base = "/?"
        if request.method == .get {
            let kept = request.uri.queryParameters.filter { $0.key != "lang" }
                .map { "\(Self.encode(String($0.key)))=\(Self.encode(String($0.value)))" }
            base = request.uri.path + "?" + kept.map { $0 + "&" }.joined()
        }
        var response = try await Self.$switchBase.withValue(base) { try await next(request, context) }
        if let asked {
            let cookie = Cookie(name: Self.cookie, value: asked.rawValue, maxAge: 365 * 24 * 3600, path: "/", secure: secureCookies,
                                httpOnly: true, sameSite: .lax)
            response.headers[values: .setCookie].append(cookie.description)
        }
        return response
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-_.~:/"))) ?? s
    }
}
