import Hummingbird
import NIOCore
import OporaCore

/// A rendered HTML page. Until the template layer lands, pages build their markup in Swift and
/// escape every piece of data through `escape`.
struct HTML: ResponseGenerator {
    var body: String

    func response(from request: Request, context: some RequestContext) throws -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body))
        )
    }

    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }

    /// The page frame: no external assets, so it works on machines without internet.
    static func page(title: String, language: Language, content: String) -> HTML {
        HTML(body: """
            <!doctype html>
            <html lang="\(language.rawValue)">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title)) — Opora</title>
            <style>
            body{font-family:system-ui,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
            header{background:#1f4e79;color:#fff;padding:.8rem 1.5rem;display:flex;justify-content:space-between;align-items:center}
            header a{color:#fff}
            main{padding:1rem 1.5rem;max-width:1200px}
            table{border-collapse:collapse;background:#fff;width:100%}
            th,td{border-bottom:1px solid #d9dee4;padding:.35rem .6rem;text-align:left}
            td.num{text-align:right;font-variant-numeric:tabular-nums}
            h2{margin-top:1.5rem}
            </style></head>
            <body><header><strong>Опора · Opora</strong>
            <nav><a href="?lang=ru" lang="ru">Русский</a> · <a href="?lang=en" lang="en">English</a></nav></header>
            <main>\(content)</main></body></html>
            """)
    }
}

extension Request {
    /// `?lang=en` switches to English; Russian otherwise.
    var language: Language {
        uri.queryParameters.get("lang").flatMap(Language.init(rawValue:)) ?? .ru
    }
}
