import Foundation
import OporaServices

/// How the web application runs. Defaults suit a server on the local network without https; behind
/// an https proxy set `secureCookies` (and `trustForwardedFor` when the proxy sets X-Forwarded-For).
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// Adds `Secure` to cookies: browsers then send them over https only. Default: `OPORA_SECURE_COOKIES=1` in the environment.
    public var secureCookies: Bool
    /// How long a session lasts after sign-in.
    public var sessionLifetime: Duration
    /// Failed sign-ins allowed per login and address within `loginFailureWindow`.
    public var loginFailureLimit: Int
    public var loginFailureWindow: Duration
    /// Take the client address from the first X-Forwarded-For entry (only behind a trusted proxy).
    public var trustForwardedFor: Bool
    /// bcrypt cost for new password hashes (4 in tests, 12 in production).
    public var bcryptCost: UInt8
    /// The clock, replaceable in tests (session expiry, rate limiting).
    public var now: @Sendable () -> Date
    /// Where uploaded files wait for their confirmation (private folders, deleted after an hour).
    public var uploadsDirectory = FileManager.default.temporaryDirectory.appendingPathComponent("opora-uploads", isDirectory: true)
    /// Load the results for the pages as the server starts, so the first visitor does not wait for it
    /// (`opora serve` and `opora demo`; tests leave it off to control when the database is read).
    public var preloadsAnalysis = false
    /// After an import, how long a page waits for the new analysis before it is served from the
    /// previous one (`opora serve` and `opora demo`: 100 ms); `nil` always waits, as tests expect.
    public var analysisStaleWait: Duration? = nil
    /// Uploaded files are read only by `opora import-worker` child processes with these limits
    /// (`opora serve`/`opora demo` flags and `OPORA_WORKER_*` variables; tests set the executable).
    public var importWorker = ImportWorkerSettings.fromEnvironment()

    public init(host: String = "127.0.0.1", port: Int = 8080, secureCookies: Bool = ProcessInfo.processInfo.environment["OPORA_SECURE_COOKIES"] == "1", sessionLifetime: Duration = .seconds(12 * 3600),
                loginFailureLimit: Int = 5, loginFailureWindow: Duration = .seconds(15 * 60), trustForwardedFor: Bool = false,
                bcryptCost: UInt8 = Passwords.defaultCost, now: @escaping @Sendable () -> Date = { Date() }) {
        self.host = host
        self.port = port
        self.secureCookies = secureCookies
        self.sessionLifetime = sessionLifetime
        self.loginFailureLimit = loginFailureLimit
        self.loginFailureWindow = loginFailureWindow
        self.trustForwardedFor = trustForwardedFor
        self.bcryptCost = bcryptCost
        self.now = now
    }
}

extension Duration {
    var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
