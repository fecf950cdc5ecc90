import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import OporaWeb

/// One element of a parsed chart: its name, attributes and own text.
struct SVGNode {
    var name: String
    var attributes: [String: String]
    var text: String

    var classes: [String] { (attributes["class"] ?? "").split(separator: " ").map(String.init) }
}

final class SVGCollector: NSObject, XMLParserDelegate {
    var nodes: [SVGNode] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        nodes.append(SVGNode(name: name, attributes: attributes, text: ""))
        open.append(nodes.count - 1)
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = open.last { nodes[i].text += string }
    }
}

struct ParsedSVG {
    var nodes: [SVGNode]

    var root: SVGNode { nodes[0] }
    func all(_ name: String) -> [SVGNode] { nodes.filter { $0.name == name } }
    func withClass(_ c: String, _ name: String? = nil) -> [SVGNode] { nodes.filter { $0.classes.contains(c) && (name == nil || $0.name == name) } }
    /// Visible texts (`<text>` elements).
    var texts: [String] { all("text").map(\.text) }
    var description: String { all("desc").first?.text ?? "" }
}

/// Parses `svg` with XMLParser; fails the test when it is not well-formed XML.
func parseSVG(_ svg: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedSVG {
    let collector = SVGCollector()
    let parser = XMLParser(data: Data(svg.utf8))
    parser.delegate = collector
    let ok = parser.parse()
    try #require(ok, "not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")\n\(svg.prefix(400))", sourceLocation: sourceLocation)
    try #require(collector.nodes.first?.name == "svg", sourceLocation: sourceLocation)
    return ParsedSVG(nodes: collector.nodes)
}

/// Russian-style formatting as the app would pass it in: U+202F between thousands, decimal comma,
/// U+2212 minus. Deliberately not via Locale, to show the charts use whatever they are given.
enum RU {
    static func number(_ v: Double, digits: Int = 1) -> String {
        let p = pow(10, Double(digits))
        let scaled = Int((abs(v) * p).rounded())
        let whole = String(scaled / Int(p))
        var grouped = ""
        for (i, ch) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(ch)
        }
        if digits > 0 {
            let frac = String(scaled % Int(p))
            grouped += "," + String(repeating: "0", count: digits - frac.count) + frac
        }
        return (v < 0 && scaled != 0 ? "\u{2212}" : "") + grouped
    }

    static func percent(_ v: Double) -> String { number(v * 100, digits: 0) + "\u{202F}%" }
    static func integer(_ v: Double) -> String { number(v, digits: 0) }
}

/// A label that would break the page if inserted unescaped (with control characters XML forbids).
let maliciousLabel = "<script>alert(\"x\")</script> & 'q'\u{0}\u{1B}"
let maliciousEscaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;"
let maliciousParsed = "<script>alert(\"x\")</script> & 'q'"

func contrastOnWhite(_ hex: String) -> Double? {
    guard let l = ChartSVG.luminance(hex) else { return nil }
    return 1.05 / (l + 0.05)
}

/// What every chart must satisfy: accessible name and description, unique prefixed ids, resolvable
/// references, point-decimal coordinates, fonts ≥ 11, text colours ≥ 4.5:1 on white.
func checkCommon(_ svg: String, id: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> ParsedSVG {
    let parsed = try parseSVG(svg, sourceLocation: sourceLocation)
    let root = parsed.root
    let safe = ChartSVG.safeID(id)
    #expect(root.attributes["role"] == "img", sourceLocation: sourceLocation)
    #expect(root.attributes["width"] == "100%", sourceLocation: sourceLocation)
    #expect(root.attributes["font-family"] == "system-ui, sans-serif", sourceLocation: sourceLocation)
    #expect(root.attributes["viewBox"]?.hasPrefix("0 0 ") == true, sourceLocation: sourceLocation)
    #expect(root.attributes["aria-labelledby"] == "\(safe)-title \(safe)-desc", sourceLocation: sourceLocation)
    let ids = parsed.nodes.compactMap { $0.attributes["id"] }
    #expect(Set(ids).count == ids.count, "duplicate ids \(ids)", sourceLocation: sourceLocation)
    #expect(ids.allSatisfy { $0.hasPrefix(safe + "-") }, "\(ids)", sourceLocation: sourceLocation)
    #expect(ids.contains("\(safe)-title") && ids.contains("\(safe)-desc"), sourceLocation: sourceLocation)
    #expect(!parsed.description.isEmpty, sourceLocation: sourceLocation)
    #expect(parsed.nodes.filter { $0.name == "title" && $0.attributes["id"] != nil }.count == 1, sourceLocation: sourceLocation)

    let geometry: Set<String> = ["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "d", "viewBox",
                                 "transform", "stroke-width", "font-size", "stroke-dasharray", "fill-opacity", "stroke-opacity"]
    for node in parsed.nodes {
        for (name, value) in node.attributes where geometry.contains(name) && !(node.name == "svg" && name == "width") {
            #expect(!value.contains(","), "\(node.name) \(name)=\"\(value)\"", sourceLocation: sourceLocation)
            #expect(value.range(of: #"^[-0-9. MLHVZrotate()]*$"#, options: .regularExpression) != nil,
                    "\(node.name) \(name)=\"\(value)\"", sourceLocation: sourceLocation)
        }
        for (name, value) in node.attributes {
            if let range = value.range(of: #"(?<=url\(#)[^)]*"#, options: .regularExpression) {
                #expect(ids.contains(String(value[range])), "dangling \(name)=\(value)", sourceLocation: sourceLocation)
            }
        }
        if let size = node.attributes["font-size"].flatMap(Double.init) {
            #expect(size >= 11, sourceLocation: sourceLocation)
        }
        if node.name == "text", let fill = node.attributes["fill"] {
            let ratio = try #require(contrastOnWhite(fill), "text fill \(fill)", sourceLocation: sourceLocation)
            #expect(ratio >= 4.5, "text \(node.text) in \(fill): \(ratio)", sourceLocation: sourceLocation)
        }
    }
    let lower = svg.lowercased()
    #expect(!lower.contains("nan") && !lower.contains("inf"), sourceLocation: sourceLocation)
    return parsed
}
