import Foundation
import Hummingbird
import OporaCore
import OporaStore

/// Sign-in, sign-out and password change.
enum AccountPages {
    /// The sign-in form has no session yet: its CSRF token is one the server issued (`LoginCSRF`:
    /// signed, with an expiry), given both in the form and in this cookie, and both must match.
    static let loginCSRFCookie = "opora_login_csrf"

    static func register(on router: Router<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/login") { request, context -> Response in
            if context.identity != nil { return .redirect(to: safeNext(request.query.get("next"))) }
            return loginPage(request: request, context: context, env: env, login: "", error: nil, status: .ok)
        }

        router.post("/login") { request, context -> Response in
            var request = request
            let form = FormData(try await request.collectBody(within: 64 * 1024))
            let language = context.language
            // A cookie and field that merely match are not enough (anyone can make a matching pair):
            // the token must be one this server signed, and not expired.
            guard let cookie = request.cookies[loginCSRFCookie]?.value, !cookie.isEmpty, constantTimeEqual(form["csrf"], cookie),
                  env.loginCSRF.isValid(cookie, now: env.now) else {
                throw WebError.csrf
            }
            let login = form["login"].trimmingCharacters(in: .whitespaces)
            let key = LoginRateLimiter.key(login: login, address: request.clientAddress(context: context, trustForwardedFor: env.configuration.trustForwardedFor))
            if await env.limiter.isBlocked(key, now: env.now) {
                let minutes = Int(env.configuration.loginFailureWindow.timeInterval / 60)
                return loginPage(request: request, context: context, env: env, login: login, next: form.values["next"], error: language.pick(
                    ru: "Слишком много неудачных попыток входа. Попробуйте снова через \(minutes) \(RussianPlural("минуту", "минуты", "минут").form(for: minutes)).",
                    en: "Too many failed sign-ins. Try again in \(minutes) minutes."), status: .tooManyRequests)
            }
            let user = try await env.database.user(login: login)
            let verified: Bool
            if let user {
                verified = try await Passwords.verify(form["password"], hash: user.passwordHash)
            } else {
                _ = try await Passwords.verifyDecoy(form["password"], cost: env.configuration.bcryptCost)
                verified = false
            }
            guard let user, verified, !user.disabled else {
                await env.limiter.recordFailure(key, now: env.now)
                return loginPage(request: request, context: context, env: env, login: login, next: form.values["next"], error: language.pick(
                    ru: "Неверный логин или пароль.", en: "Wrong login or password."), status: .unauthorized)
            }
            await env.limiter.clear(key)
            // A hash made at a lower cost (an older demo account, an earlier setting) is replaced
            // now that the password is known: every account then takes as long to check.
            if let cost = Passwords.cost(of: user.passwordHash), cost < env.configuration.bcryptCost {
                let stronger = try await Passwords.hash(form["password"], cost: env.configuration.bcryptCost)
                try await env.database.rehashPassword(userID: user.id, old: user.passwordHash, new: stronger)
            }
            // A new session id on every sign-in (no fixation); the old session, if any, ends.
            if let old = request.cookies[sessionCookieName]?.value { try await env.database.deleteSession(tokenHash: TokenHash.hex(old)) }
            // Sessions that expired unused would otherwise stay in the table: sign-ins are rare and
            // cheap enough to sweep them here, without a background task.
            try await env.database.deleteExpiredSessions(now: env.now)
            context.sessions.createSession(WebSession(userID: user.id, csrf: Secret.make()), expiresIn: env.configuration.sessionLifetime)
            var response = Response.redirect(to: safeNext(form.values["next"]))
            response.headers[values: .setCookie].append(expiredCookie(loginCSRFCookie, env).description)
            return response
        }

        router.post("/logout") { request, context -> Response in
            // Only with a session: the CSRF middleware has already checked its token.
            if context.identity?.csrfToken != nil { context.sessions.clearSession() }
            return .redirect(to: "/login")
        }
    }

    static func registerSignedIn(on router: RouterGroup<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/account/password") { request, context -> HTML in
            let user = try context.requireIdentity()
            return passwordPage(context: context, user: user, error: nil, done: false, status: .ok)
        }

        router.post("/account/password") { request, context -> HTML in
            let user = try context.requireIdentity()
            var request = request
            let form = FormData(try await request.collectBody(within: 64 * 1024))
            let language = context.language
            guard try await Passwords.verify(form["current"], hash: user.user.passwordHash) else {
                return passwordPage(context: context, user: user, error: language.pick(ru: "Текущий пароль неверен.", en: "The current password is wrong."),
                                    done: false, status: .badRequest)
            }
            guard form["new"] == form["repeat"] else {
                return passwordPage(context: context, user: user, error: language.pick(ru: "Новые пароли не совпадают.", en: "The new passwords differ."),
                                    done: false, status: .badRequest)
            }
            if let problem = Passwords.problem(form["new"], login: user.user.login) {
                return passwordPage(context: context, user: user, error: language.pick(problem), done: false, status: .badRequest)
            }
            let hash = try await Passwords.hash(form["new"], cost: env.configuration.bcryptCost)
            let current = (request.cookies[sessionCookieName]?.value).map { TokenHash.hex(String($0)) }
            try await env.database.setPassword(userID: user.user.id, passwordHash: hash, keepingSession: current, actor: user.actor)
            return passwordPage(context: context, user: user, error: nil, done: true, status: .ok)
        }
    }

    static func loginPage(request: Request, context: OporaRequestContext, env: WebEnvironment, login: String, next: String? = nil,
                          error: String?, status: HTTPResponse.Status) -> Response {
        let next = next ?? request.query.get("next")
        // The cookie's token again while it is valid for a while yet (several tabs sign in alike).
        let token = (request.cookies[loginCSRFCookie]?.value).flatMap { env.loginCSRF.isValid($0, now: env.now + 600) ? $0 : nil }
            ?? env.loginCSRF.issue(now: env.now)
        let page = SignInPage(csrf: token, login: login, next: safeNext(next), error: error)
        let html = Views.render(page, title: context.language.pick(ru: "Вход", en: "Sign in"), language: context.language, user: nil)
        var response = html.makeResponse(status: status)
        let cookie = Cookie(name: loginCSRFCookie, value: token, maxAge: Int(LoginCSRF.lifetime), path: "/login", secure: env.configuration.secureCookies,
                            httpOnly: true, sameSite: .lax)
        response.headers[values: .setCookie].append(cookie.description)
        return response
    }

    static func passwordPage(context: OporaRequestContext, user: CurrentUser, error: String?, done: Bool, status: HTTPResponse.Status) -> HTML {
        return Views.render(PasswordPage(done: done, error: error), title: context.language.pick(ru: "Смена пароля", en: "Change password"),
                            language: context.language, user: user, status: status)
    }

    static func expiredCookie(_ name: String, _ env: WebEnvironment) -> Cookie {
        Cookie(name: name, value: "", maxAge: 0, path: "/login", secure: env.configuration.secureCookies, httpOnly: true, sameSite: .lax)
    }

    /// Only a local path: `//evil.example` or `https://…` would make the sign-in page an open redirect.
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), !next.contains("\r"), !next.contains("\n") else { return "/" }
        return next
    }
}


/// The sign-in form's CSRF tokens: `expiry.nonce.signature`, the signature an HMAC-SHA256 of
/// `expiry.nonce` with a key made when the server starts (a restart makes open sign-in forms stale:
/// reloading the page gives a new token). Nothing is stored per token.
struct LoginCSRF: Sendable {
    static let lifetime: TimeInterval = 3600
    let key: [UInt8]

    init(key: [UInt8] = TokenSignature.makeKey()) { self.key = key }

    func issue(now: Date) -> String {
        let body = "\(Int(now.timeIntervalSince1970 + Self.lifetime)).\(Secret.make(bytes: 16))"
        return body + "." + TokenSignature.sign(body, key: key)
    }

    func isValid(_ token: String, now: Date) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let expiry = Int(parts[0]), !parts[1].isEmpty else { return false }
        let body = parts[0] + "." + parts[1]
        guard constantTimeEqual(String(parts[2]), TokenSignature.sign(String(body), key: key)) else { return false }
        return TimeInterval(expiry) > now.timeIntervalSince1970
    }
}

/// The sign-in form; its own form token, as no session exists yet.
struct SignInPage: PageModel {
    static let view = View.login
    var csrf: String
    var login: String
    /// Where to go after signing in: a local path only.
    var next: String
    var error: String?
}

struct PasswordPage: PageModel {
    static let view = View.password
    var done: Bool
    var error: String?
}
