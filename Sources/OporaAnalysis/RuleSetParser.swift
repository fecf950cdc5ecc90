import Foundation
import OporaCore
import Yams

/// One problem in a rule set file: where (key path and line) and what, in both languages.
public struct RuleSetProblem: Sendable, Hashable, CustomStringConvertible {
    /// Dotted key path, e.g. `categories.low_results.official_fail_share.threshold`.
    public var path: String
    public var line: Int?
    public var message: LocalizedText

    public var description: String {
        let at = line.map { " (строка \($0) / line \($0))" } ?? ""
        return "\(path)\(at): \(message.ru) / \(message.en)"
    }
}

/// A rule set that cannot be used, with every problem found.
public struct RuleSetError: Error, Sendable, CustomStringConvertible {
    public var problems: [RuleSetProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}

extension RuleSet {
    /// Reads a rule set from YAML or JSON text (JSON is read as YAML). Criteria and parameters a
    /// file leaves out take their defaults; unknown keys, wrong types and out-of-range values are
    /// errors naming the key path. Categories and criteria come back in the schema's order.
    public static func parse(_ text: String) throws(RuleSetError) -> RuleSet {
        var problems: [RuleSetProblem] = []
        func problem(_ path: String, _ node: Node?, ru: String, en: String) {
            problems.append(RuleSetProblem(path: path, line: node?.mark?.line, message: LocalizedText(ru: ru, en: en)))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            throw RuleSetError(problems: [RuleSetProblem(path: "", line: nil, message: LocalizedText(
                ru: "Файл не читается как YAML/JSON: \(error)", en: "The file is not valid YAML/JSON: \(error)"))])
        }
        guard case .mapping(let top)? = root else {
            throw RuleSetError(problems: [RuleSetProblem(path: "", line: root?.mark?.line, message: LocalizedText(
                ru: "Ожидался словарь с ключами name, version, categories", en: "Expected a mapping with keys name, version, categories"))])
        }
        var rules = RuleSet.default
        rules.description = ""
        var sawName = false, sawVersion = false
        let topKeys = ["name", "version", "description", "year", "reliable_n", "confidence", "categories", "exit", "value_added"]
        for (k, v) in top {
            guard let key = k.string else { continue }
            switch key {
            case "name":
                if let s = v.scalarString { rules.name = s; sawName = true } else { problem(key, v, ru: "ожидалась строка", en: "expected a string") }
            case "version":
                if let s = v.scalarString { rules.version = s; sawVersion = true } else { problem(key, v, ru: "ожидалась строка", en: "expected a string") }
            case "description":
                if let s = v.scalarString { rules.description = s } else { problem(key, v, ru: "ожидалась строка", en: "expected a string") }
            case "year":
                if v.null != nil { rules.year = nil } else if let y = v.int, (2000...2100).contains(y) { rules.year = y } else {
                    problem(key, v, ru: "ожидался год 2000–2100 или null", en: "expected a year 2000–2100 or null")
                }
            case "reliable_n":
                if let n = v.int, (1...100_000).contains(n) { rules.reliableN = n } else {
                    problem(key, v, ru: "ожидалось целое число 1–100000", en: "expected an integer 1–100000")
                }
            case "confidence":
                if let c = v.number, c > 0.5, c < 1 { rules.confidence = c } else {
                    problem(key, v, ru: "ожидалось число в интервале (0,5; 1)", en: "expected a number in (0.5, 1)")
                }
            case "exit":
                guard case .mapping(let entries) = v else {
                    problem(key, v, ru: "ожидался словарь clean_years, targets_met", en: "expected a mapping of clean_years, targets_met"); continue
                }
                for (ek, ev) in entries {
                    switch ek.string ?? "" {
                    case "clean_years":
                        if let n = ev.int, (1...5).contains(n) { rules.exit.cleanYears = n } else {
                            problem("exit.clean_years", ev, ru: "ожидалось целое число 1–5", en: "expected an integer 1–5")
                        }
                    case "targets_met":
                        if let b = ev.bool { rules.exit.targetsMet = b } else {
                            problem("exit.targets_met", ev, ru: "ожидалось true или false", en: "expected true or false")
                        }
                    default:
                        problem("exit.\(ek.string ?? "")", ek, ru: "неизвестный ключ; известны clean_years, targets_met",
                                en: "unknown key; known: clean_years, targets_met")
                    }
                }
            case "value_added":
                if v.null != nil { rules.valueAdded = nil; continue }
                guard case .mapping(let entries) = v else {
                    problem(key, v, ru: "ожидался словарь outcome, prior, context, model", en: "expected a mapping of outcome, prior, context, model"); continue
                }
                var outcome: ValueAddedRule.ProcedureKind?, prior: ValueAddedRule.ProcedureKind?
                var context: [String] = [], kind = ValueAddedModelKind.multilevel
                let procedureHint = (ru: "ожидалась процедура вида оценка:предмет:класс, например vpr:math:5",
                                     en: "expected a procedure as assessment:subject:grade, e.g. vpr:math:5")
                for (ek, ev) in entries {
                    let path = "value_added.\(ek.string ?? "")"
                    switch ek.string ?? "" {
                    case "outcome":
                        outcome = ev.scalarString.flatMap(ValueAddedRule.ProcedureKind.init)
                        if outcome == nil { problem(path, ev, ru: procedureHint.ru, en: procedureHint.en) }
                    case "prior":
                        if ev.null != nil { break }
                        prior = ev.scalarString.flatMap(ValueAddedRule.ProcedureKind.init)
                        if prior == nil { problem(path, ev, ru: procedureHint.ru, en: procedureHint.en) }
                    case "context":
                        guard case .sequence(let items) = ev, items.allSatisfy({ $0.scalarString != nil }) else {
                            problem(path, ev, ru: "ожидался список кодов показателей", en: "expected a list of indicator codes"); continue
                        }
                        context = items.compactMap(\.scalarString)
                    case "model":
                        if let k = ev.scalarString.flatMap(ValueAddedModelKind.init(rawValue:)) { kind = k } else {
                            problem(path, ev, ru: "ожидалось ols или multilevel", en: "expected ols or multilevel")
                        }
                    default:
                        problem(path, ek, ru: "неизвестный ключ; известны outcome, prior, context, model", en: "unknown key; known: outcome, prior, context, model")
                    }
                }
                if let outcome {
                    if let prior, prior.grade > outcome.grade {
                        problem("value_added.prior", entries["prior"], ru: "предшествующая процедура не может быть в старшем классе, чем итоговая",
                                en: "the prior cannot be in a higher grade than the outcome")
                    }
                    rules.valueAdded = ValueAddedRule(outcome: outcome, prior: prior, context: context, kind: kind)
                } else if entries["outcome"] == nil {
                    problem("value_added.outcome", v, ru: "не указана итоговая процедура (outcome)", en: "the outcome procedure is missing")
                }
            case "categories":
                guard case .mapping(let cats) = v else {
                    problem(key, v, ru: "ожидался словарь категорий", en: "expected a mapping of categories"); continue
                }
                for (ck, cv) in cats {
                    let cid = ck.string ?? ""
                    let cpath = "categories.\(cid)"
                    guard let ci = rules.categories.firstIndex(where: { $0.id == cid }) else {
                        problem(cpath, ck, ru: "неизвестная категория «\(cid)»; известны: \(RuleSchema.categories.map(\.id).joined(separator: ", "))",
                                en: "unknown category \"\(cid)\"; known: \(RuleSchema.categories.map(\.id).joined(separator: ", "))")
                        continue
                    }
                    guard case .mapping(let crits) = cv else {
                        if cv.null == nil { problem(cpath, cv, ru: "ожидался словарь критериев", en: "expected a mapping of criteria") }
                        continue
                    }
                    for (kk, kv) in crits {
                        let kid = kk.string ?? ""
                        let kpath = "\(cpath).\(kid)"
                        guard let ki = rules.categories[ci].criteria.firstIndex(where: { $0.id == kid }),
                              let schema = RuleSchema.schemaCriterion(kid) else {
                            let known = RuleSchema.categories[ci].criteria.map(\.id).joined(separator: ", ")
                            let elsewhere = RuleSchema.schemaCriterion(kid) != nil
                            problem(kpath, kk, ru: elsewhere ? "критерий «\(kid)» относится к другой категории" : "неизвестный критерий «\(kid)»; в этой категории: \(known)",
                                    en: elsewhere ? "criterion \"\(kid)\" belongs to another category" : "unknown criterion \"\(kid)\"; in this category: \(known)")
                            continue
                        }
                        guard case .mapping(let params) = kv else {
                            if kv.null == nil { problem(kpath, kv, ru: "ожидался словарь параметров", en: "expected a mapping of parameters") }
                            continue
                        }
                        for (pk, pv) in params {
                            let pkey = pk.string ?? ""
                            let ppath = "\(kpath).\(pkey)"
                            if pkey == "enabled" {
                                if let b = pv.bool { rules.categories[ci].criteria[ki].enabled = b } else {
                                    problem(ppath, pv, ru: "ожидалось true или false", en: "expected true or false")
                                }
                                continue
                            }
                            guard let p = schema.parameters.first(where: { $0.key == pkey }) else {
                                let known = (["enabled"] + schema.parameters.map(\.key)).joined(separator: ", ")
                                problem(ppath, pk, ru: "неизвестный параметр «\(pkey)»; известны: \(known)",
                                        en: "unknown parameter \"\(pkey)\"; known: \(known)")
                                continue
                            }
                            switch Self.value(pv, for: p) {
                            case .success(let value): rules.categories[ci].criteria[ki].parameters[pkey] = value
                            case .failure(let m): problems.append(RuleSetProblem(path: ppath + m.suffix, line: pv.mark?.line, message: m.text))
                            }
                        }
                    }
                }
            default:
                problem(key, k, ru: "неизвестный ключ «\(key)»; известны: \(topKeys.joined(separator: ", "))",
                        en: "unknown key \"\(key)\"; known: \(topKeys.joined(separator: ", "))")
            }
        }
        if !sawName { problem("name", nil, ru: "нет обязательного ключа name", en: "the required key name is missing") }
        if !sawVersion { problem("version", nil, ru: "нет обязательного ключа version", en: "the required key version is missing") }
        // Cross-parameter checks.
        if let s = rules.categories.flatMap(\.criteria).first(where: { $0.id == "stably_low" }), s.int("min_years") > s.int("years") {
            problem("categories.low_results.stably_low.min_years", nil, ru: "min_years больше years", en: "min_years exceeds years")
        }
        guard problems.isEmpty else { throw RuleSetError(problems: problems) }
        return rules
    }

    /// Reads a rule set file (YAML or JSON).
    public static func load(path: String) throws -> RuleSet {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return try parse(text)
    }

    struct ValueProblem: Error {
        var suffix: String
        var text: LocalizedText
    }

    static func value(_ node: Node, for p: RuleSchema.Parameter) -> Result<RuleValue, ValueProblem> {
        func fail(_ ru: String, _ en: String, _ suffix: String = "") -> Result<RuleValue, ValueProblem> {
            .failure(ValueProblem(suffix: suffix, text: LocalizedText(ru: ru, en: en)))
        }
        func rangeText(_ r: ClosedRange<Double>, _ lang: Language) -> String {
            "\(NumberFormat.decimal(r.lowerBound, digits: r.lowerBound.rounded() == r.lowerBound ? 0 : 3, lang))–"
                + "\(NumberFormat.decimal(r.upperBound, digits: r.upperBound.rounded() == r.upperBound ? 0 : 3, lang))"
        }
        switch p.kind {
        case .number, .share, .integer:
            guard let v = node.number else {
                return fail("ожидалось число, а не «\(node.scalarString ?? "…")»", "expected a number, not \"\(node.scalarString ?? "…")\"")
            }
            if p.kind == .integer, v.rounded() != v { return fail("ожидалось целое число", "expected an integer") }
            if let r = p.range, !r.contains(v) {
                let hint = p.kind == .share && v > 1 && v <= 100 ? " (доля пишется как 0,30, а не 30)" : ""
                let hintEN = p.kind == .share && v > 1 && v <= 100 ? " (a share is written 0.30, not 30)" : ""
                return fail("значение \(NumberFormat.decimal(v, digits: 3, .ru)) вне допустимого диапазона \(rangeText(r, .ru))\(hint)",
                            "value \(NumberFormat.decimal(v, digits: 3, .en)) is outside the range \(rangeText(r, .en))\(hintEN)")
            }
            return .success(.number(v))
        case .bool:
            guard let b = node.bool, case .scalar = node else { return fail("ожидалось true или false", "expected true or false") }
            return .success(.bool(b))
        case .string:
            guard let s = node.scalarString else { return fail("ожидалась строка", "expected a string") }
            if let allowed = p.allowed, !allowed.contains(s) {
                return fail("недопустимое значение «\(s)»; допустимы: \(allowed.joined(separator: ", "))",
                            "invalid value \"\(s)\"; allowed: \(allowed.joined(separator: ", "))")
            }
            return .success(.string(s))
        case .strings:
            guard case .sequence(let seq) = node else { return fail("ожидался список строк", "expected a list of strings") }
            var out: [String] = []
            for (i, item) in seq.enumerated() {
                guard let s = item.scalarString else { return fail("ожидалась строка", "expected a string", "[\(i)]") }
                if let allowed = p.allowed, !allowed.contains(s) {
                    return fail("недопустимое значение «\(s)»; допустимы: \(allowed.joined(separator: ", "))",
                                "invalid value \"\(s)\"; allowed: \(allowed.joined(separator: ", "))", "[\(i)]")
                }
                out.append(s)
            }
            return .success(.strings(out))
        case .weights:
            guard case .mapping(let m) = node else { return fail("ожидался словарь «показатель: вес»", "expected a mapping \"indicator: weight\"") }
            var out: [String: Double] = [:]
            for (k, v) in m {
                let key = k.string ?? ""
                if let allowed = p.allowed, !allowed.contains(key) {
                    return fail("неизвестный компонент «\(key)»; известны: \(allowed.joined(separator: ", "))",
                                "unknown component \"\(key)\"; known: \(allowed.joined(separator: ", "))", ".\(key)")
                }
                guard let w = v.number, w >= 0, w <= 100 else {
                    return fail("вес должен быть числом 0–100", "a weight must be a number 0–100", ".\(key)")
                }
                out[key] = w
            }
            if out.values.reduce(0, +) <= 0 { return fail("сумма весов должна быть больше нуля", "the weights must sum to more than zero") }
            return .success(.weights(out))
        case .signs:
            guard case .sequence(let seq) = node else {
                return fail("ожидался список признаков {indicator, op, threshold}", "expected a list of signs {indicator, op, threshold}")
            }
            var out: [DeficitSign] = []
            for (i, item) in seq.enumerated() {
                guard case .mapping(let m) = item else {
                    return fail("ожидался словарь {indicator, op, threshold}", "expected a mapping {indicator, op, threshold}", "[\(i)]")
                }
                for (k, _) in m where !["indicator", "op", "threshold"].contains(k.string ?? "") {
                    return fail("неизвестный ключ «\(k.string ?? "")»; известны: indicator, op, threshold",
                                "unknown key \"\(k.string ?? "")\"; known: indicator, op, threshold", "[\(i)].\(k.string ?? "")")
                }
                guard let ind = m["indicator"]?.scalarString else { return fail("нет indicator", "indicator is missing", "[\(i)].indicator") }
                guard IndicatorCatalogue.definition(of: ind) != nil || RuleSchema.derivedIndicators.contains(ind) else {
                    return fail("неизвестный показатель «\(ind)»", "unknown indicator \"\(ind)\"", "[\(i)].indicator")
                }
                let op = m["op"]?.scalarString ?? ""
                guard op == "at_least" || op == "at_most" else {
                    return fail("op должен быть at_least или at_most", "op must be at_least or at_most", "[\(i)].op")
                }
                guard let t = m["threshold"]?.number else { return fail("threshold должен быть числом", "threshold must be a number", "[\(i)].threshold") }
                out.append(DeficitSign(ind, op, t))
            }
            return .success(.signs(out))
        }
    }
}

extension Node {
    /// A plain scalar's text (not a mapping or list).
    var scalarString: String? {
        guard case .scalar(let s) = self else { return nil }
        return s.string
    }

    /// A number written as an integer or a decimal (not a boolean or a string).
    var number: Double? {
        guard case .scalar(let s) = self else { return nil }
        if s.style == .singleQuoted || s.style == .doubleQuoted { return nil }
        if let i = int { return Double(i) }
        if let f = float, f.isFinite { return f }
        return nil
    }
}
