import Foundation
import Hummingbird
import HummingbirdTesting
import OporaStore
import Testing
@testable import OporaWeb

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test func describesEveryAPIRouteAndNothingElse() async throws {
        try await WebFixture.with { f in
            let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPI.document.utf8)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var described: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys { described.insert("\(method.uppercased()) /api/v1\(path)") }
            }
            var routed: Set<String> = []
            for route in f.router.routes where route.path.description.hasPrefix("/api/v1") {
                // The router writes captures as `:id`, OpenAPI as `{id}`.
                let path = route.path.description.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
                routed.insert("\(route.method) \(path)")
            }
            #expect(!routed.isEmpty)
            #expect(routed == described, "routed but not described: \(routed.subtracting(described)); described but not routed: \(described.subtracting(routed))")

            // Every $ref points at a schema that exists.
            let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let refs = OpenAPI.document.matches(of: /"#\/components\/schemas\/([A-Za-z]+)"/).map { String($0.1) }
            #expect(!refs.isEmpty)
            for ref in refs { #expect(schemas[ref] != nil, "missing schema \(ref)") }

            try await f.test { client in
                let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get, headers: [.authorization: "Bearer \(f.tokens["viewer"]!)"])
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json; charset=utf-8")
                #expect(String(buffer: response.body) == OpenAPI.document)
                let unknown = try await client.execute(uri: "/api/v1/nothing-here", method: .get, headers: [.authorization: "Bearer \(f.tokens["viewer"]!)"])
                #expect(unknown.status == .notFound)
                #expect(String(buffer: unknown.body).contains(#""message_ru":"Не найдено.""#))
            }
        }
    }
}
