import Foundation
import OporaCore
import Yams

/// The «комплексная диагностика школьных процессов» of seed 002 (areas of indicators a school rates
/// «+» or «недост» with evidence) and its SWOT prompts, from catalogue/self_diagnosis.yaml.
public struct SelfDiagnosisCatalogue: Sendable {
    public struct Item: Sendable {
        public var code: String
        public var name: LocalizedText
        public var topic: LocalizedText
    }
    public struct Area: Sendable {
        public var code: String
        public var title: LocalizedText
        public var items: [Item]
    }
    public struct SWOTBlock: Sendable {
        public var code: String
        public var title: LocalizedText
        public var prompt: LocalizedText
    }

    public var title: LocalizedText
    public var areas: [Area]
    public var swot: [SWOTBlock]

    public static let standard: SelfDiagnosisCatalogue = {
        // A constant of this binary, checked by a test.
        try! parse(EmbeddedTemplates.selfDiagnosis)
    }()

    public var itemCodes: Set<String> { Set(areas.flatMap { $0.items.map(\.code) }) }

    static func parse(_ text: String) throws -> SelfDiagnosisCatalogue {
        guard let root = try Yams.load(yaml: text) as? [String: Any] else { throw TemplateError(description: "not a mapping") }
        func pair(_ d: [String: Any], _ key: String) -> LocalizedText {
            LocalizedText(ru: d["\(key)_ru"] as? String ?? "", en: d["\(key)_en"] as? String ?? "")
        }
        let areas = (root["areas"] as? [[String: Any]] ?? []).map { a in
            Area(code: "\(a["code"] ?? "")", title: pair(a, "title"), items: (a["indicators"] as? [[String: Any]] ?? []).map { i in
                Item(code: "\(i["code"] ?? "")", name: pair(i, "name"), topic: pair(i, "topic"))
            })
        }
        let swot = ((root["swot"] as? [String: Any])?["blocks"] as? [[String: Any]] ?? []).map { b in
            SWOTBlock(code: b["code"] as? String ?? "", title: pair(b, "title"), prompt: pair(b, "prompt"))
        }
        guard !areas.isEmpty, swot.count == 4 else { throw TemplateError(description: "the self-diagnosis needs areas and four SWOT blocks") }
        return SelfDiagnosisCatalogue(title: pair(root, "title"), areas: areas, swot: swot)
    }
}
