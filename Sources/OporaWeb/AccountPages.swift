import Foundation
import Hummingbird
import OporaCore
import OporaStore

/// Sign-in, sign-out and password change.
enum AccountPages {
    /// The sign-in form has no session yet: its CSRF token is a double-submit cookie.
    static let loginCSRFCookie = "opora_login_csrf"

    static func register(on router: Router<OporaRequestContext>, _ env: WebEnvironment) {
        router.get("/login") { request, context -> Response in
            if context.identity != nil { return .redirect(to: safeNext(request.uri.queryParameters.get("next"))) }
            return loginPage(request: request, context: context, env: env, login: "", error: nil, status: .ok)
        }

        router.post("/login") { request, context -> Response in
            var request = request
            let form = FormData(try await request.collectBody(upTo: 64 * 1024))
            let language = context.language
            guard let cookie = request.cookies[loginCSRFCookie]?.value, !cookie.isEmpty, constantTimeEqual(form["csrf"], cookie) else {
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
                _ = try await Passwords.verifyDecoy(form["password"])
                verified = false
            }
            guard let user, verified, !user.disabled else {
                await env.limiter.recordFailure(key, now: env.now)
                return loginPage(request: request, context: context, env: env, login: login, next: form.values["next"], error: language.pick(
                    ru: "Неверный логин или пароль.", en: "Wrong login or password."), status: .unauthorized)
            }
            await env.limiter.clear(key)
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
            let form = FormData(try await request.collectBody(upTo: 64 * 1024))
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
        let next = next ?? request.uri.queryParameters.get("next")
        let token = request.cookies[loginCSRFCookie]?.value ?? Secret.make()
        var data: [String: Any] = ["csrf": token, "login": login, "next": safeNext(next)]
        if let error { data["error"] = error }
        let html = Views.render("login", data, title: context.language.pick(ru: "Вход", en: "Sign in"), language: context.language, user: nil)
        var response = html.makeResponse(status: status)
        let cookie = Cookie(name: loginCSRFCookie, value: token, maxAge: 3600, path: "/login", secure: env.configuration.secureCookies,
                            httpOnly: true, sameSite: .lax)
        response.headers[values: .setCookie].append(cookie.description)
        return response
    }

    static func passwordPage(context: OporaRequestContext, user: CurrentUser, error: String?, done: Bool, status: HTTPResponse.Status) -> HTML {
        var data: [String: Any] = ["done": done]
        if let error { data["error"] = error }
        return Views.render("password", data, title: context.language.pick(ru: "Смена пароля", en: "Change password"),
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

