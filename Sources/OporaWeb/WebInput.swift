import Foundation
import Hummingbird
import NIOCore
import OporaCore

/// Request bodies: read within a stated limit (a refusal names the limit that applied), JSON
/// decoded with short bilingual refusals (never a decoder's English description), and text fields
/// within their lengths.
enum BodyLimit {
    /// JSON requests of the API: a measure or a registry entry with its longest texts fits many times.
    static let json = 256 * 1024
    /// Forms of the pages.
    static let form = 64 * 1024

    /// "64 КБ" / "64 KB", "10 МБ" / "10 MB".
    static func text(_ bytes: Int, _ language: Language) -> String {
        if bytes >= 1024 * 1024, bytes % (1024 * 1024) == 0 || bytes >= 10 * 1024 * 1024 {
            return "\(bytes / (1024 * 1024)) " + language.pick(ru: "МБ", en: "MB")
        }
        return "\(max(1, bytes / 1024)) " + language.pick(ru: "КБ", en: "KB")
    }
}

/// Lengths of the API's text fields, in characters: refused beyond (400, naming the field). The
/// OpenAPI document states the same numbers.
enum FieldLimit {
    /// Codes and logins.
    static let code = 64
    /// Titles, names, people, categories.
    static let short = 500
    /// Free text: reasons, notes, evidence, expected results.
    static let long = 5000
    /// Passwords (bcrypt reads 72 bytes; a longer one is still refused beyond this).
    static let password = 1000
}

extension WebError {
    /// 413 with the limit that applied to this request.
    static func tooLarge(limit: Int, uploads: Bool = false) -> WebError {
        let ru = BodyLimit.text(limit, .ru), en = BodyLimit.text(limit, .en)
        return WebError(.contentTooLarge, "too_large",
                        ru: "Слишком большой запрос: здесь можно отправить не больше \(ru)." + (uploads ? " Загрузите файлы по частям." : ""),
                        en: "The request is too large: at most \(en) can be sent here." + (uploads ? " Upload the files in parts." : ""))
    }

    /// 400 for a body that is not the JSON expected, naming the field when there is one.
    static func invalidJSON(_ error: DecodingError) -> WebError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        var field: String?
        var refusal: WebError
        switch error {
        case .keyNotFound(let key, let context):
            field = path(context.codingPath + [key])
            refusal = .badRequest("invalid_json", ru: "Нет обязательного поля «\(field!)».", en: "The required field «\(field!)» is missing.")
        case .valueNotFound(_, let context), .typeMismatch(_, let context):
            field = path(context.codingPath)
            refusal = .badRequest("invalid_json", ru: "Поле «\(field!)»: значение не того типа.", en: "Field «\(field!)»: a value of the wrong type.")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            field = path(context.codingPath)
            refusal = .badRequest("invalid_json", ru: "Поле «\(field!)»: неверное значение.", en: "Field «\(field!)»: an invalid value.")
        default:
            refusal = .badRequest("invalid_json", ru: "Тело запроса — не JSON-объект нужного вида.", en: "The request body is not the JSON object expected.")
        }
        refusal.field = field
        return refusal
    }

    /// 400 for a text field that is too long or empty.
    static func fieldLength(_ field: String, max: Int) -> WebError {
        var e = WebError.badRequest("too_long", ru: "Поле «\(field)» длиннее \(max) символов.", en: "Field «\(field)» is longer than \(max) characters.")
        e.field = field
        return e
    }

    static func controlCharacter(_ field: String) -> WebError {
        var e = WebError.badRequest("control_character", ru: "Поле «\(field)» содержит управляющий символ.", en: "Field «\(field)» holds a control character.")
        e.field = field
        return e
    }

    static func fieldEmpty(_ field: String) -> WebError {
        var e = WebError.badRequest("empty", ru: "Поле «\(field)» не заполнено.", en: "Field «\(field)» is empty.")
        e.field = field
        return e
    }
}

/// C0 controls other than tab and line breaks, and DEL: no person types them, PostgreSQL refuses a
/// NUL in text (and SQLite cuts the text there), and bcrypt would end a password at one.
enum ControlCharacters {
    static func refused(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r") || scalar.value == 0x7F
    }
    /// The same set as a regular-expression class, for the OpenAPI document.
    static let allowedClass = "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"
}

/// An API input with text fields of bounded length.
protocol LengthChecked {
    /// Each text field: its name in the JSON, its value, its longest length, and whether it must not be blank.
    var textFields: [(name: String, value: String?, max: Int, nonBlank: Bool)] { get }
}

extension LengthChecked {
    func checkLengths() throws {
        for f in textFields {
            guard let v = f.value else { continue }
            // `count` would walk a huge text to the end: the UTF-8 length bounds it first.
            if v.utf8.count > f.max, v.count > f.max { throw WebError.fieldLength(f.name, max: f.max) }
            if v.unicodeScalars.contains(where: ControlCharacters.refused) { throw WebError.controlCharacter(f.name) }
            if f.nonBlank, v.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { throw WebError.fieldEmpty(f.name) }
        }
    }
}

extension Request {
    /// The body, up to `limit` bytes; beyond, a 413 that states `limit`.
    mutating func collectBody(within limit: Int, uploads: Bool = false) async throws -> ByteBuffer {
        do {
            return try await collectBody(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw WebError.tooLarge(limit: limit, uploads: uploads)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw WebError.tooLarge(limit: limit, uploads: uploads)
        }
    }

    /// A JSON body decoded as `T` (within `BodyLimit.json`), its text fields checked.
    func decodeJSON<T: Decodable>(as type: T.Type, context: OporaRequestContext) async throws -> T {
        var request = self
        let body = try await request.collectBody(within: BodyLimit.json)
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch let error as DecodingError {
            context.logger.debug("undecodable request: \(error)")
            throw WebError.invalidJSON(error)
        }
        try (value as? any LengthChecked)?.checkLengths()
        return value
    }
}
