import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

@Suite("Programme API: risk profile, roadmap, measures, indicators")
struct ProgrammeAPITests {
    @Test func aSchoolKeepsItsRoadmapAndOthersSeeOnlyTheirTerritory() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                func call(_ login: String, _ uri: String, _ method: HTTPRequest.Method = .get, _ json: String? = nil) async throws -> (HTTPResponse.Status, String) {
                    var headers: HTTPFields = [.authorization: "Bearer \(f.tokens[login]!)"]
                    if json != nil { headers[.contentType] = "application/json" }
                    let r = try await client.execute(uri: uri, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) })
                    return (r.status, String(buffer: r.body))
                }
                let (profileStatus, profile) = try await call("school", "/api/v1/schools/0101/risk-profile")
                #expect(profileStatus == .ok)
                let factors = try #require((try JSONSerialization.jsonObject(with: Data(profile.utf8)) as? [String: Any])?["factors"] as? [[String: Any]])
                #expect(factors.count == 10 && factors.contains { $0["factor"] as? String == "students_at_risk" })
                #expect(try await call("school", "/api/v1/schools/0102/risk-profile").0 == .notFound)

                let measure = #"{"section":"methodological","title":"Диагностика дефицитов","deadline":"2026-02-28","responsible":"зам. директора по УВР","expected_result":"карта дефицитов"}"#
                let (created, body) = try await call("school", "/api/v1/schools/0101/roadmap/measures", .post, measure)
                #expect(created == .created)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
                let id = try #require(json["id"] as? Int)
                for key in ["id", "section", "title", "deadline", "responsible", "expected_result", "indicator_id", "status", "evidence"] {
                    #expect(json.keys.contains(key), "measure JSON has \(key)")
                }
                // The fixture's clock is in 2027: the deadline has passed, so the measure is late.
                #expect(json["status"] as? String == "late")
                #expect(try await call("school", "/api/v1/schools/0101/roadmap/measures", .post, measure.replacingOccurrences(of: "2026-02-28", with: "soon")).0 == .badRequest)
                #expect(try await call("school", "/api/v1/schools/0201/roadmap/measures", .post, measure).0 == .notFound)
                // A well-formed reference to an indicator that is not this programme's: a conflict, stated in both languages.
                let (foreign, refusal) = try await call("school", "/api/v1/schools/0101/roadmap/measures", .post,
                                                        measure.replacingOccurrences(of: "}", with: #","indicator_id":999999}"#))
                #expect(foreign == .conflict && refusal.contains("не относится к этой программе") && refusal.contains("not an indicator of this programme"))
                #expect(try await call("viewer", "/api/v1/schools/0101/roadmap/measures", .post, measure).0 == .forbidden)

                #expect(try await call("school", "/api/v1/measures/\(id)", .patch, #"{"status":"late"}"#).0 == .badRequest)
                let (patched, after) = try await call("school", "/api/v1/measures/\(id)", .patch, #"{"status":"done","evidence":"Приказ № 12 от 20.02.2026"}"#)
                #expect(patched == .ok && after.contains(#""status":"done""#) && after.contains("Приказ № 12"))
                #expect(try await call("curator", "/api/v1/measures/\(id)", .patch, #"{"status":"planned"}"#).0 == .forbidden)
                #expect(try await call("municipality", "/api/v1/measures/\(id)", .patch, #"{"evidence":"проверено"}"#).0 == .ok)

                let (roadmapStatus, roadmap) = try await call("curator", "/api/v1/schools/0101/roadmap")
                #expect(roadmapStatus == .ok && roadmap.contains("Диагностика дефицитов") && roadmap.contains("\"kind\":\"roadmap\""))
                #expect(try await call("school", "/api/v1/schools/0201/roadmap").0 == .notFound)
                #expect(try await call("municipality", "/api/v1/measures/\(id)", .get).0 != .ok)

                let (indicatorsStatus, indicators) = try await call("school", "/api/v1/schools/0101/indicators")
                #expect(indicatorsStatus == .ok && indicators.contains(#""indicators":[]"#))
            }
            // The region's neighbour cannot reach the measure.
            let other = f.db.scoped(.schools(["0201"]))
            #expect(try await other.measures(programmeID: 1) == nil)
        }
    }
}
