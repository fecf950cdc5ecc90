import Foundation
import Hummingbird
import HummingbirdAuth
import NIOCore
import OporaCore
import OporaStore

/// What a signed-in request carries: the account, the territory it may see, and how it signed in.
public struct CurrentUser: Sendable {
    public enum Method: Sendable, Equatable {
        /// A browser session; state-changing requests must carry this CSRF token.
        case session(csrf: String)
        /// `Authorization: Bearer …` (scripts): no cookies, so no CSRF check.
        case bearer
    }
    public var user: UserRecord
    public var scope: Scope
    public var method: Method

    public var actor: Actor { Actor(userID: user.id, login: user.login) }
    public var csrfToken: String? {
        if case .session(let csrf) = method { return csrf }
        return nil
    }
}

/// The session as kept by HummingbirdAuth's `SessionMiddleware`: the account and its CSRF token.
/// `SessionTableDriver` stores it in the `sessions` table.
public struct WebSession: Codable, Sendable, Equatable {
    public var userID: Int
    public var csrf: String
}

/// Opora's request context: HummingbirdAuth's identity and sessions, plus the page language.
public struct OporaRequestContext: AuthRequestContext, SessionRequestContext, RemoteAddressRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var identity: CurrentUser?
    public let sessions: SessionContext<WebSession>
    public var language: Language = .ru
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.sessions = .init()
        self.remoteAddress = source.channel.remoteAddress
    }

    /// Uploads (later: data files) may be large; forms and JSON are small.
    public var maxUploadSize: Int { Self.maxUploadSize }
    static let maxUploadSize = 64 * 1024 * 1024
}

/// `HTTPField.Name` (HTTPTypes is not re-exported by Hummingbird as a whole).
typealias HeaderName = HTTPFields.Element.Name
