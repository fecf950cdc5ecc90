import Foundation
import Hummingbird
import HummingbirdAuth
import HummingbirdBcrypt
import NIOPosix
import OporaCore
import OporaServices
import OporaStore

/// Passwords: bcrypt through HummingbirdBcrypt, on the thread pool (a hash takes ~0.2 s at cost 12).
///
/// One cost for every account (`defaultCost`, or the server's `WebConfiguration.bcryptCost`) and for
/// the decoy an unknown login is checked against: with hashes of different costs, how long a failed
/// sign-in takes would tell which logins exist (or which are demo accounts). A hash found at a
/// lower cost is replaced on the next successful sign-in.
public enum Passwords {
    public static let minimumLength = AccountsUseCase.minimumPasswordLength
    /// The cost of every password hash Opora makes: `opora user add`, the demo's accounts, the web.
    public static let defaultCost: UInt8 = 12

    public static func hash(_ password: String, cost: UInt8 = defaultCost) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public static func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// The cost of a bcrypt hash (`$2b$12$…` → 12); nil when it is not one.
    public static func cost(of hash: String) -> UInt8? {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts[0].isEmpty, parts[1].hasPrefix("2") else { return nil }
        return UInt8(parts[2])
    }

    /// Decoy hashes by cost, made once each: verified when the login is unknown, so an unknown
    /// login takes as long as a wrong password at the server's cost.
    private static let decoys = DecoyHashes()

    static func verifyDecoy(_ password: String, cost: UInt8 = defaultCost) async throws -> Bool {
        let decoy = try await decoys.hash(cost: cost)
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: decoy) }
    }

    static func decoyHash(cost: UInt8) async throws -> String { try await decoys.hash(cost: cost) }

    /// Why a new password is refused, if it is (the accounts use case's rule).
    public static func problem(_ password: String, login: String) -> LocalizedText? {
        AccountsUseCase.passwordProblem(password, login: login)
    }
}

actor DecoyHashes {
    private var hashes: [UInt8: String] = [:]

    func hash(cost: UInt8) async throws -> String {
        if let h = hashes[cost] { return h }
        let h = try await Passwords.hash("decoy password \(Secret.make())", cost: cost)
        hashes[cost] = hashes[cost] ?? h
        return hashes[cost]!
    }
}

/// The account behind a session or token, unless it is missing or disabled.
func currentUser(_ database: OporaDatabase, userID: Int, method: CurrentUser.Method) async throws -> CurrentUser? {
    guard let user = try await database.user(id: userID), !user.disabled else { return nil }
    return CurrentUser(user: user, scope: Scope(user: user), method: method)
}

/// `Authorization: Bearer <token>` for scripts. A present but unknown token is refused at once
/// (401) rather than treated as anonymous.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = OporaRequestContext
    let database: OporaDatabase
    let now: @Sendable () -> Date

    func authenticate(request: Request, context: Context) async throws -> CurrentUser? {
        guard let bearer = request.headers.bearer else { return nil }
        guard let userID = try await database.useAPIToken(tokenHash: TokenHash.hex(bearer.token), now: now()),
              let user = try await currentUser(database, userID: userID, method: .bearer) else {
            throw WebError(.unauthorized, "invalid_token", ru: "Токен не действителен.", en: "The token is not valid.")
        }
        return user
    }
}

/// Every POST, PUT, PATCH and DELETE made with a session cookie must carry the session's CSRF token,
/// in the `X-CSRF-Token` header or a `csrf` form field. Bearer requests carry no cookies and need none.
/// (HummingbirdAuth has no CSRF protection; this is Opora's own.)
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = OporaRequestContext
    static let header = HeaderName("X-CSRF-Token")!

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard Self.changesState(request.method), let expected = context.identity?.csrfToken else {
            return try await next(request, context)
        }
        var request = request
        var presented = request.headers[Self.header]
        if presented == nil, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            let body = try await request.collectBody(within: 1 << 20)
            presented = FormData(body).values["csrf"]
        } else if presented == nil, let boundary = MultipartForm.boundary(request.headers[.contentType]) {
            // Uploads: the token is a field of the form, like any other form's.
            let body = try await request.collectBody(within: context.maxUploadSize, uploads: true)
            presented = (try? MultipartForm(body, boundary: boundary))?.value("csrf")
        }
        guard let presented, constantTimeEqual(presented, expected) else { throw WebError.csrf }
        return try await next(request, context)
    }

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        [.post, .put, .patch, .delete].contains(method)
    }
}

/// Pages and the API behind it need a signed-in account.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in 0..<x.count { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// Failed sign-ins per login and client address, in memory: after `limit` failures within `window`
/// that pair is refused until the oldest failure ages out. A success clears the pair.
actor LoginRateLimiter {
    let limit: Int
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(limit: Int, window: Duration) {
        self.limit = limit
        self.window = window.timeInterval
    }

    static func key(login: String, address: String) -> String { login.lowercased() + "\u{1F}" + address }

    func isBlocked(_ key: String, now: Date) -> Bool {
        prune(key, now: now)
        return (failures[key]?.count ?? 0) >= limit
    }

    func recordFailure(_ key: String, now: Date) {
        prune(key, now: now)
        failures[key, default: []].append(now)
        // Keep memory bounded when someone sprays logins.
        if failures.count > 100_000 { failures = failures.filter { !$0.value.isEmpty && now.timeIntervalSince($0.value.last!) < window } }
    }

    func clear(_ key: String) { failures[key] = nil }

    private func prune(_ key: String, now: Date) {
        guard let list = failures[key] else { return }
        let kept = list.filter { now.timeIntervalSince($0) < window }
        failures[key] = kept.isEmpty ? nil : kept
    }
}

/// `application/x-www-form-urlencoded` fields (the last value of a repeated name wins).
struct FormData {
    var values: [String: String] = [:]

    init(_ buffer: ByteBuffer) {
        self.init(String(buffer: buffer))
    }

    /// Fields already split (a multipart form's text parts), cleaned as a urlencoded form's are.
    init(values: [String: String]) {
        self.values = values.mapValues(Self.clean)
    }

    /// A browser's form never sends control characters (but tab and line breaks): dropped, as the API refuses them.
    static func clean(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: ControlCharacters.refused) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !ControlCharacters.refused($0) }))
    }

    init(_ text: String) {
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String {
                Self.clean(String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "")
            }
            guard let name = parts.first else { continue }
            values[decode(name)] = parts.count > 1 ? decode(parts[1]) : ""
        }
    }

    subscript(_ name: String) -> String { values[name] ?? "" }

    /// The field, or nil when the form does not have it.
    func get(_ name: String) -> String? { values[name] }
}

extension Request {
    /// The query string read as a browser's GET form writes it (`application/x-www-form-urlencoded`:
    /// `+` is a space, then percent-decoding). Hummingbird's `uri.queryParameters` leaves `+` as a
    /// plus, so «Каменский район» came back as «Каменский+район» and matched nothing (issue 16).
    /// Every page reads its query through this one place.
    var query: FormData { FormData(uri.query ?? "") }
}

extension Request {
    /// The client's address for rate limiting: the peer, or the first X-Forwarded-For entry when the
    /// proxy in front is trusted.
    func clientAddress(context: OporaRequestContext, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let forwarded = headers[HeaderName("X-Forwarded-For")!]?.split(separator: ",").first {
            return forwarded.trimmingCharacters(in: .whitespaces)
        }
        return context.remoteAddress?.ipAddress ?? "unknown"
    }
}
