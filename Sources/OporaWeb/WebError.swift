import Foundation
import Hummingbird
import NIOCore
import OporaCore

/// An error answered to the user: JSON `{"error": {"code", "message_ru", "message_en"}}` under
/// `/api/`, an HTML page elsewhere (a redirect to the sign-in page when not signed in).
public struct WebError: Error, HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: LocalizedText
    /// The `Allow` header of a 405.
    public var allow: String?
    /// The request field a 400 is about, when there is one (`"field"` in the JSON answer).
    public var field: String?

    public init(_ status: HTTPResponse.Status, _ code: String, ru: String, en: String) {
        self.status = status
        self.code = code
        self.message = LocalizedText(ru: ru, en: en)
    }

    /// Outside the caller's territory, or not there at all: the same answer, so nothing leaks.
    public static let notFound = WebError(.notFound, "not_found", ru: "Не найдено.", en: "Not found.")
    public static let forbidden = WebError(.forbidden, "forbidden", ru: "Недостаточно прав для этого действия.",
                                           en: "Your role does not allow this.")
    public static let unauthorized = WebError(.unauthorized, "unauthorized", ru: "Войдите в систему.", en: "Please sign in.")
    public static let csrf = WebError(.forbidden, "csrf", ru: "Форма устарела или отправлена с другого сайта. Обновите страницу и повторите.",
                                      en: "The form is stale or came from another site. Reload the page and try again.")

    public static func badRequest(_ code: String = "bad_request", ru: String, en: String) -> WebError {
        WebError(.badRequest, code, ru: ru, en: en)
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        if request.uri.path.hasPrefix("/api/") {
            var error = ["code": code, "message_ru": message.ru, "message_en": message.en]
            if let field { error["field"] = field }
            let body = ["error": error]
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var headers: HTTPFields = [.contentType: "application/json; charset=utf-8", .cacheControl: "no-store"]
            if status == .unauthorized { headers[.wwwAuthenticate] = "Bearer" }
            if let allow { headers[.allow] = allow }
            return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
        }
        if status == .unauthorized {
            let next = request.method == .get ? request.uri.description : "/"
            return Response(status: .seeOther, headers: [.location: "/login?next=" + Self.percentEncode(next), .cacheControl: "no-store"])
        }
        let context = context as? OporaRequestContext
        let language = context?.language ?? .ru
        let page = ErrorPage(status: status, message: language.pick(message), role: context?.identity?.user.role,
                             back: ErrorPage.back(request.headers[.referer], current: request.uri.path), language)
        let html = Views.render(page, title: page.heading, language: language, user: context?.identity)
        var response = html.makeResponse(status: status)
        if let allow { response.headers[.allow] = allow }
        return response
    }

    static func percentEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~/")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"
    }
}

/// Turns the router's own errors (unknown route, wrong method, unreadable body) into `WebError`s, so
/// the API always answers JSON and pages always answer HTML.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    /// Render the error here (an inner instance, whose context knows the account and the language, so
    /// the error page has the navigation and speaks the user's language) rather than leave it to the server.
    var rendersPages = false

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard rendersPages else { return try await convert(request, context, next) }
        do {
            return try await convert(request, context, next)
        } catch let error as WebError {
            return try error.response(from: request, context: context)
        }
    }

    private func convert(_ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as WebError {
            throw error
        } catch let error as HTTPError {
            switch error.status {
            case .notFound: throw WebError.notFound
            case .methodNotAllowed: throw WebError(.methodNotAllowed, "method_not_allowed", ru: "Метод не поддерживается.", en: "Method not allowed.")
            case .unauthorized: throw WebError.unauthorized
            case .forbidden: throw WebError.forbidden
            case .contentTooLarge: throw Self.tooLarge(context)
            default:
                // The router's own texts are English (and may quote a decoder): not shown.
                context.logger.debug("refused request: \(error)")
                throw WebError(error.status, "bad_request", ru: "Неверный запрос.", en: "Bad request.")
            }
        } catch is NIOTooManyBytesError {
            // What `collectBody(upTo:)` throws past the limit.
            throw Self.tooLarge(context)
        } catch let error as DecodingError {
            context.logger.debug("undecodable request: \(error)")
            throw WebError.invalidJSON(error)
        }
    }

    /// Past a limit no route stated (`collectBody(within:)` states its own): the largest, the
    /// uploads' (`collectBody(upTo: maxUploadSize)`).
    static func tooLarge(_ context: Context) -> WebError {
        WebError.tooLarge(limit: context.maxUploadSize, uploads: true)
    }
}

/// A refusal a person reads: what happened in plain words, why, what their role allows, and the way
/// back to the page they came from.
struct ErrorPage: PageModel {
    static let view = View.error
    var status: Int
    var heading: String
    var message: String
    var roleNote: String?
    var back: String?

    init(status: HTTPResponse.Status, message: String, role: Role?, back: String?, _ language: Language) {
        self.status = Int(status.code)
        heading = switch status {
        case .forbidden: language.pick(ru: "Это действие вам недоступно", en: "This is not available to you")
        case .notFound: language.pick(ru: "Страница не найдена", en: "Page not found")
        case .badRequest, .unprocessableContent, .contentTooLarge: language.pick(ru: "Запрос не принят", en: "The request was not accepted")
        case .conflict: language.pick(ru: "Не сохранено: данные изменились", en: "Not saved: the data has changed")
        case .methodNotAllowed: language.pick(ru: "Так эту страницу открыть нельзя", en: "This page cannot be opened this way")
        case .tooManyRequests: language.pick(ru: "Слишком много попыток", en: "Too many attempts")
        default: language.pick(ru: "Что-то пошло не так", en: "Something went wrong")
        }
        self.message = message
        // Why: what the account's role may do, in its own words.
        if status == .forbidden, let role {
            roleNote = language.pick(ru: "Ваша роль — «\(role.name.ru)».", en: "Your role: \(role.name.en).")
        }
        self.back = back
    }

    /// The page the person came from, when it is one of ours (a local path) and not this one.
    static func back(_ referer: String?, current: String) -> String? {
        guard let referer, let url = URL(string: referer) else { return nil }
        let path = url.path.isEmpty ? "/" : url.path
        guard path.hasPrefix("/"), !path.hasPrefix("//"), path != current else { return nil }
        return path + (url.query.map { "?" + $0 } ?? "")
    }
}
