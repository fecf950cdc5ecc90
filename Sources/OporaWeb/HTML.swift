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

/// A page's typed model: the values it shows, already worded in the request's language, and the
/// view it is drawn with. Mustache reads the stored properties by name (see `Presented`).
protocol PageModel {
    static var view: View { get }
}

/// An option of a select: its value, what a person reads, and whether it is chosen.
struct Choice {
    var value, name: String
    var selected = false
}

/// What Mustache sees of a model: its stored properties by name (read with Mirror), with nested
/// structs and lists of them presented the same way. An empty string or a nil optional is absent,
/// so a section means "has a value": `{{#error}}…{{/error}}` draws no empty alert box for "".
struct Presented: MustacheParent {
    /// The stored properties by name, presented once when the model is: a page asks for `ru` and its
    /// labels hundreds of times, and a Mirror and a chain of dynamic casts per lookup made the pages
    /// 1.7× slower than the dictionaries they replace (bench/web.sh).
    private let fields: [String: Any]

    init(value: Any) {
        self.init(Mirror(reflecting: value))
    }

    private init(_ mirror: Mirror) {
        var fields: [String: Any] = [:]
        for child in mirror.children {
            if let label = child.label, let shown = Self.present(child.value) { fields[label] = shown }
        }
        self.fields = fields
    }

    func child(named name: String) -> Any? { fields[name] }

    static func present(_ value: Any) -> Any? {
        switch value {
        case let text as String: return text.isEmpty ? nil : text
        case is Bool, is Int, is Double: return value
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional: return mirror.children.first.flatMap { present($0.value) }
        case .collection: return mirror.children.map { present($0.value) ?? "" }
        case .struct, .class, .tuple: return Presented(mirror)
        default: return value
        }
    }
}

/// The top of every render: the model, then what every view may ask for (`ru`, the form token).
private struct ViewContext: MustacheParent {
    let model: Presented
    let ru: Bool
    let csrf: String?

    func child(named name: String) -> Any? {
        switch name {
        case "ru": return ru
        case "csrf": return model.child(named: name) ?? csrf.flatMap { $0.isEmpty ? nil : $0 }
        default: return model.child(named: name)
        }
    }
}

/// The frame every page is drawn in: the header with the sections the account may open, the
/// language switch, and the page's own HTML.
struct LayoutModel: PageModel {
    static let view = View.layout
    struct SignedIn {
        var login: String
        var roleName: String
        var mayManageUsers: Bool
        var mayReadAudit: Bool
        var mayUpload: Bool
    }
    var lang: String
    var title: String
    var content: String
    var switchRU: String
    var switchEN: String
    var user: SignedIn?
}

/// Renders a page model into the layout.
enum Views {
    static func render<Page: PageModel>(_ page: Page, title: String, language: Language, user: CurrentUser?,
                                        status: HTTPResponse.Status = .ok) -> HTML {
        let content = fragment(page, language: language, csrf: user?.csrfToken)
        let switchBase = LanguageMiddleware.switchBase
        let layout = LayoutModel(
            lang: language.rawValue, title: title, content: content, switchRU: switchBase + "lang=ru", switchEN: switchBase + "lang=en",
            user: user.map {
                .init(login: $0.user.login, roleName: language.pick($0.user.role.name), mayManageUsers: Policy.allows($0.user.role, .manageUsers), mayReadAudit: Policy.allows($0.user.role, .readAudit),
                      mayUpload: Policy.allows($0.user.role, .uploadData))
            })
        return HTML(body: fragment(layout, language: language, csrf: user?.csrfToken), status: status)
    }

    /// A model drawn on its own: a page's body, or a piece cached and inserted with `{{{…}}}`.
    static func fragment<Model: PageModel>(_ model: Model, language: Language, csrf: String? = nil) -> String {
        fragment(model, view: Model.view, language: language, csrf: csrf)
    }

    /// A model drawn with another view than its own (one model, two parts of a page).
    static func fragment(_ model: some Any, view: View, language: Language, csrf: String? = nil) -> String {
        View.library.render(ViewContext(model: Presented(value: model), ru: language == .ru, csrf: csrf), withTemplate: view.rawValue) ?? ""
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
        let asked = request.query.get("lang").flatMap(Language.init(rawValue:))
        context.language = asked ?? request.cookies[Self.cookie].flatMap { Language(rawValue: $0.value) } ?? .ru
        var base = "/?"
        if request.method == .get {
            let kept = request.query.values.filter { $0.key != "lang" }.sorted { $0.key < $1.key }
                .map { "\(Self.encode($0.key))=\(Self.encode($0.value))" }
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
