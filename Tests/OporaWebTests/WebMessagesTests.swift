import Foundation
import Hummingbird
import HummingbirdTesting
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// Issue 23, messages: no decoder's English reaches users, a 413 states the limit that applied,
/// text fields have lengths, Russian messages carry no English.
@Suite("Web messages")
struct WebMessagesTests {
    static func error(_ body: ByteBuffer) -> [String: String] {
        ((try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any])?["error"] as? [String: String] ?? [:]
    }

    @Test func undecodableJSONGetsAShortBilingual400NamingTheField() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                func post(_ json: String) async throws -> TestResponse {
                    try await client.execute(uri: "/api/v1/schools/0101/roadmap/measures", method: .post,
                                             headers: [.authorization: "Bearer \(f.tokens["school"]!)", .contentType: "application/json"],
                                             body: ByteBuffer(string: json))
                }
                let notJSON = try await post("{not json")
                #expect(notJSON.status == .badRequest)
                let e1 = Self.error(notJSON.body)
                #expect(e1["code"] == "invalid_json" && e1["message_ru"]?.contains("JSON") == true)
                #expect(!String(buffer: notJSON.body).contains("given data") && !String(buffer: notJSON.body).contains("Coding key"))

                let missing = try await post(#"{"section":"staff","deadline":"2026-02-28","responsible":"директор"}"#)
                #expect(missing.status == .badRequest)
                #expect(Self.error(missing.body)["field"] == "title")
                #expect(Self.error(missing.body)["message_ru"] == "Нет обязательного поля «title».")

                let wrongType = try await post(#"{"section":"staff","title":5,"deadline":"2026-02-28","responsible":"директор"}"#)
                #expect(wrongType.status == .badRequest && Self.error(wrongType.body)["field"] == "title")
                #expect(!(Self.error(wrongType.body)["message_ru"] ?? "").contains("Type mismatch"))

                let long = String(repeating: "я", count: FieldLimit.short + 1)
                let tooLong = try await post(#"{"section":"staff","title":"\#(long)","deadline":"2026-02-28","responsible":"директор"}"#)
                #expect(tooLong.status == .badRequest)
                #expect(Self.error(tooLong.body)["field"] == "title" && Self.error(tooLong.body)["message_ru"]?.contains("500") == true)
                let blank = try await post(#"{"section":"staff","title":"   ","deadline":"2026-02-28","responsible":"директор"}"#)
                #expect(blank.status == .badRequest && Self.error(blank.body)["field"] == "title")
                // A NUL would be refused by PostgreSQL and cut the text in SQLite: refused here, naming the field.
                let control = try await post(#"{"section":"staff","title":"План","deadline":"2026-02-28","responsible":"\u0000директор"}"#)
                #expect(control.status == .badRequest && Self.error(control.body)["field"] == "responsible")
                #expect(Self.error(control.body)["message_ru"] == "Поле «responsible» содержит управляющий символ.")
                let lines = try await post(#"{"section":"staff","title":"План","deadline":"2026-02-28","responsible":"директор","expected_result":"раз\n\tдва"}"#)
                #expect(lines.status == .created)
            }
        }
    }

    @Test func a413StatesTheLimitThatApplied() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let json = try await client.execute(
                    uri: "/api/v1/schools/0101/roadmap/measures", method: .post,
                    headers: [.authorization: "Bearer \(f.tokens["school"]!)", .contentType: "application/json"],
                    body: ByteBuffer(string: "{\"title\":\"" + String(repeating: "x", count: BodyLimit.json + 10) + "\"}"))
                #expect(json.status == .contentTooLarge)
                #expect(Self.error(json.body)["message_ru"]?.contains("256 КБ") == true)
                #expect(Self.error(json.body)["message_en"]?.contains("256 KB") == true)

                // The sign-in form: 64 KB.
                let login = try await client.execute(uri: "/login", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                     body: ByteBuffer(string: "login=" + String(repeating: "x", count: 70 * 1024)))
                #expect(login.status == .contentTooLarge)
                #expect(String(buffer: login.body).contains("64 КБ"))
                #expect(!String(buffer: login.body).contains("64 МБ"))
            }
        }
    }

    @Test func storeRefusalsSpeakRussianInRussian() {
        let errors: [LocalizedText] = [
            ProgrammeError(.invalid, "a measure needs a title", ru: "у мероприятия нет названия").message,
            RegistryError(.invalid, "nothing changes", ru: "ничего не меняется").message,
        ]
        for e in errors { #expect(e.ru.range(of: "[A-Za-z]", options: .regularExpression) == nil) }
    }

    @Test func aPatchWithAnEmptyTitleIsRefusedInRussian() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let headers: HTTPFields = [.authorization: "Bearer \(f.tokens["school"]!)", .contentType: "application/json"]
                let created = try await client.execute(uri: "/api/v1/schools/0101/roadmap/measures", method: .post, headers: headers,
                    body: ByteBuffer(string: #"{"section":"staff","title":"Приказ","deadline":"2026-02-28","responsible":"директор"}"#))
                #expect(created.status == .created)
                let id = try #require(((try JSONSerialization.jsonObject(with: Data(buffer: created.body))) as? [String: Any])?["id"] as? Int)
                let evidence = String(repeating: "д", count: FieldLimit.long + 1)
                let patched = try await client.execute(uri: "/api/v1/measures/\(id)", method: .patch, headers: headers,
                                                       body: ByteBuffer(string: #"{"evidence":"\#(evidence)"}"#))
                #expect(patched.status == .badRequest && Self.error(patched.body)["field"] == "evidence")
                #expect(Self.error(patched.body)["message_ru"]?.range(of: "[A-Za-z]{3,}", options: .regularExpression) == nil
                        || Self.error(patched.body)["message_ru"]?.contains("«evidence»") == true)
            }
        }
    }
}
