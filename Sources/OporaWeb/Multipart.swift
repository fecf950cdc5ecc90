import Foundation
import MultipartKit
import NIOCore

/// A `multipart/form-data` body (an upload form), parsed with MultipartKit.
struct MultipartForm {
    struct Part {
        var name: String
        /// Set for a file field; `""` when the browser sent the field with no file chosen.
        var filename: String?
        var body: ByteBuffer
    }

    var parts: [Part] = []

    /// The boundary of a `multipart/form-data` content type, `nil` for any other type.
    static func boundary(_ contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if kv.count == 2, kv[0].lowercased() == "boundary" {
                let value = kv[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    init(_ body: ByteBuffer, boundary: String) throws {
        let parser = MultipartParser(boundary: boundary)
        var headers: [(String, String)] = []
        var current = ByteBuffer()
        var parts: [Part] = []
        parser.onHeader = { headers.append(($0, $1)) }
        parser.onBody = { current.writeBuffer(&$0) }
        parser.onPartComplete = {
            let disposition = headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
            let parameters = Self.parameters(disposition)
            parts.append(Part(name: parameters["name"] ?? "", filename: parameters["filename"], body: current))
            headers = []
            current = ByteBuffer()
        }
        try parser.execute(body)
        self.parts = parts
    }

    func value(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.map { String(buffer: $0.body) }
    }

    /// `form-data; name="files"; filename="итоги.csv"` → name, filename (quoted, or RFC 5987 `filename*=`).
    static func parameters(_ header: String) -> [String: String] {
        var out: [String: String] = [:]
        var rest = Substring(header)
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = rest[rest.index(after: equals)...]
            if value.first == "\"" {
                value = value.dropFirst()
                var text = ""
                var escaped = false
                var end = value.endIndex
                for i in value.indices {
                    let c = value[i]
                    if escaped { text.append(c); escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { end = i; break } else { text.append(c) }
                }
                out[key] = text
                rest = end < value.endIndex ? value[value.index(after: end)...] : ""
            } else {
                let end = value.firstIndex(of: ";") ?? value.endIndex
                let text = value[..<end].trimmingCharacters(in: .whitespaces)
                if key == "filename*", let quote = text.range(of: "''") {
                    out["filename"] = text[quote.upperBound...].removingPercentEncoding
                } else {
                    out[key] = text
                }
                rest = value[end...]
            }
        }
        return out
    }
}
