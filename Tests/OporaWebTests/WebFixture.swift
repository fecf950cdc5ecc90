import Foundation
import OporaTestSupport
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaServices
import OporaStore
import Testing
@testable import OporaWeb

/// A clock tests can move forward (session expiry, rate-limit windows).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.lock(); defer { lock.unlock() }; return current }
    func advance(_ seconds: TimeInterval) { lock.lock(); current += seconds; lock.unlock() }
}

/// Two regions: the demo region with two municipalities, and a neighbouring one.
enum WebSample {
    static let region = "Демонстрационная область"
    static let town = "город Заречный"
    static let district = "Лебедянский район"
    static let password = "correct horse 1"

    static let schools = [
        School(id: "0101", name: "МБОУ «СОШ № 1» <b>", municipality: town, region: region, settlement: .urban, kind: .general, students: 1234),
        School(id: "0102", name: "МБОУ «Лицей № 2»", municipality: town, region: region, settlement: .urban, kind: .lyceum, students: 640),
        School(id: "0103", name: "МБОУ «СОШ № 3»", municipality: town, region: region, settlement: .urban, kind: .general, students: 500),
        School(id: "0201", name: "МКОУ «ООШ с. Покровка»", municipality: district, region: region, settlement: .rural, kind: .general, students: 45),
        School(id: "0901", name: "МБОУ «СОШ соседей»", municipality: "город Соседний", region: "Соседняя область", settlement: .urban,
               kind: .general, students: 300),
    ]

    /// A stored run in the shape `Identification.run` writes: 0101, 0201 and 0901 flagged for low results.
    static var runJSON: String {
        let names = Dictionary(uniqueKeysWithValues: schools.map { ($0.id, $0) })
        let entries = ["0101", "0102", "0103", "0201", "0901"].map { id -> String in
            let flagged = ["0101", "0201", "0901"].contains(id)
            let flag = """
                {"criterion":"official_fail_share","category":"low_results","year":2025,"procedures":["vpr:math:5:2025","vpr:russian:5:2025"],
                 "value":0.4,"threshold":0.3,"n":30,"text_ru":"«2» получили 40% в школе \(id)","text_en":"40% got a «2» in school \(id)",
                 "strength":null,"effect":null,"p_value":null,"q_value":null}
                """
            return """
                {"school_id":"\(id)","name":\(jsonString(names[id]!.name)),"municipality":\(jsonString(names[id]!.municipality)),
                 "categories":\(flagged ? "[\"low_results\"]" : "[]"),"conditions":[],"flags":[\(flagged ? flag : "")],
                 "not_enough_data":[],"value_added":null}
                """
        }
        return """
            {"run":{"rules":"opora-default","rules_version":"1","rules_digest":"d","year":2025,"created":null,"data_digest":"x",
             "schools":5,"schools_flagged":3,"category_counts":{"low_results":3},"criteria":["official_fail_share"],"engine":"test"},
             "schools":[\(entries.joined(separator: ","))]}
            """
    }

    static func jsonString(_ s: String) -> String {
        String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
    }

    /// One account per role: login = role name. Curator: 0101 and 0102; school: 0101; viewer: the town.
    static func accounts() -> [(login: String, role: Role, territory: String?)] {
        [("admin", .admin, nil), ("region", .region, region), ("municipality", .municipality, town),
         ("curator", .curator, "0101,0102"), ("school", .school, "0101"), ("viewer", .viewer, town)]
    }
}

/// A fresh SQLite database with the sample schools, one account per role (bcrypt cost 4), a bearer
/// token per account, a registry entry for 0101, 0201 and 0901, and one identification run.
struct WebFixture: @unchecked Sendable {
    let db: OporaDatabase
    let clock: TestClock
    let router: Router<OporaRequestContext>
    /// Bearer tokens by login.
    let tokens: [String: String]
    let runID: Int

    static func with(loginFailureLimit: Int = 5, sessionLifetime: Duration = .seconds(3600),
                     importWorker: ImportWorkerSettings = BuiltOpora.workerSettings,
                     _ body: (WebFixture) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("opora-web-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let db = try await OporaDatabase.open(.sqlite(path: path))
        do {
            try await db.store(Dataset(schools: WebSample.schools), source: "test")
            let hash = try await Passwords.hash(WebSample.password, cost: 4)
            var tokens: [String: String] = [:]
            for account in WebSample.accounts() {
                let user = try await db.createUser(
                    try await AccountsUseCase.makeUser(login: account.login, role: account.role, territory: account.territory, passwordHash: hash, database: db),
                    actor: .commandLine)
                let token = Secret.make()
                _ = try await db.createAPIToken(tokenHash: TokenHash.hex(token), userID: user.id, label: "test", actor: .commandLine)
                tokens[account.login] = token
            }
            let everything = db.scoped(.everything)
            for id in ["0101", "0201", "0901"] {
                _ = try await everything.include(RegistryEntry(schoolID: id, category: .lowResults, reason: "Низкие результаты", startDate: "2025-09-01",
                                                               coordinator: "Иванова И. И."), actor: .commandLine)
            }
            let runID = try await db.saveIdentificationRun(
                IdentificationRunRecord(year: 2025, rulesName: "opora-default", rulesDigest: "d", rulesText: "t", dataDigest: "x", dataRecords: 1,
                                        schools: 5, flaggedSchools: 3),
                resultJSON: WebSample.runJSON,
                flags: ["0101", "0201", "0901"].map {
                    StoredFlag(schoolID: $0, category: "low_results", criterion: "official_fail_share", year: 2025, strength: nil, value: 0.4,
                               threshold: 0.3, n: 30, textRU: "«2» получили 40%", textEN: "40% got a «2»")
                })
            let clock = TestClock()
            var configuration = WebConfiguration(sessionLifetime: sessionLifetime, loginFailureLimit: loginFailureLimit, trustForwardedFor: true,
                                                 bcryptCost: 4, now: { clock.now })
            // Each fixture its own upload folder: fixtures run in parallel with clocks of their own.
            let uploads = FileManager.default.temporaryDirectory.appendingPathComponent("opora-web-uploads-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: uploads) }
            configuration.uploadsDirectory = uploads
            configuration.importWorker = importWorker
            try await body(WebFixture(db: db, clock: clock, router: buildRouter(database: db, configuration: configuration), tokens: tokens, runID: runID))
        } catch {
            await db.close()
            throw error
        }
        await db.close()
    }

    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: router).test(.router, body)
    }

    /// Over a real socket: other requests can be made while one is being answered.
    func testLive(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: router).test(.live, body)
    }
}

/// A browser in miniature: keeps cookies between requests.
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    var address = "10.0.0.1"

    init(_ client: any TestClientProtocol) { self.client = client }

    @discardableResult
    func request(_ uri: String, _ method: HTTPRequest.Method = .get, form: [String: String]? = nil, json: String? = nil,
                 headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        headers[HeaderName("X-Forwarded-For")!] = address
        if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: form.map { "\(encode($0.key))=\(encode($0.value))" }.joined(separator: "&"))
        } else if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: json)
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for line in response.headers[values: .setCookie] {
            let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(pair[0]), value = pair.count > 1 ? String(pair[1]) : ""
            let expired = line.contains("Max-Age=0") || value.isEmpty || Self.expiresAt(line).map { $0 <= Date() } == true
            if expired { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }

    /// Signs in through the form; returns the response of the POST.
    @discardableResult
    func signIn(_ login: String, password: String = WebSample.password, next: String = "/") async throws -> TestResponse {
        let page = String(buffer: try await request("/login").body)
        return try await request("/login", .post, form: ["login": login, "password": password, "csrf": Self.csrf(in: page), "next": next])
    }

    /// The CSRF token of the current session, from a page's hidden field.
    func csrf() async throws -> String {
        Self.csrf(in: String(buffer: try await request("/account/password").body))
    }

    static func expiresAt(_ setCookie: String) -> Date? {
        guard let part = setCookie.split(separator: ";").first(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix("Expires=") }) else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: String(part.trimmingCharacters(in: .whitespaces).dropFirst("Expires=".count)))
    }

    static func csrf(in html: String) -> String {
        guard let range = html.range(of: "name=\"csrf\" value=\"") else { return "" }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    private func encode(_ s: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? s
    }
}

extension BuiltOpora {
    /// Tight limits, so that a hanging or swelling file is stopped within seconds (the live test
    /// client gives up after 20 s).
    static var workerSettings: ImportWorkerSettings {
        ImportWorkerSettings(executable: path, memoryLimit: 1 << 30, cpuSeconds: 6, wallSeconds: 10, concurrency: 2)
    }
}
