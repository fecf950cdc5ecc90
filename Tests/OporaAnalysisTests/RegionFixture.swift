import Foundation
import OporaAnalysis
import OporaCore
import OporaDemo
import OporaImport

/// A generated demo region read back through the importer, with its truth file.
struct GeneratedRegion: Sendable {
    let spec: RegionSpec
    let data: AnalysisData
    /// truth.csv rows as dictionaries.
    let truth: [[String: String]]

    static func make(schools: Int, seed: UInt64, years: Int = 3, municipalities: Int = 6) throws -> GeneratedRegion {
        let spec = RegionSpec(schools: schools, municipalities: municipalities, years: years, lastYear: 2025, seed: seed)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("opora-ident-\(schools)-\(seed)-\(years)-\(UUID().uuidString)")
        let truthDir = dir.appendingPathComponent("truth")
        defer { try? FileManager.default.removeItem(at: dir) }
        try RegionGenerator(spec: spec).write(to: dir.appendingPathComponent("data"), truthDirectory: truthDir)
        let batch = try Importer.validate(paths: [dir.appendingPathComponent("data").path])
        var b = AnalysisDataBuilder(schools: batch.schools, indicators: batch.indicators, tasks: batch.tasks, aggregates: batch.aggregates)
        for r in batch.results { b.add(r) }
        let text = try String(contentsOf: truthDir.appendingPathComponent(RegionGenerator.truthFile), encoding: .utf8)
        var lines = text.split(separator: "\n").map(String.init)
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let truth = lines.map { line -> [String: String] in
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return Dictionary(uniqueKeysWithValues: zip(header, f))
        }
        return GeneratedRegion(spec: spec, data: b.build(), truth: truth)
    }

    /// Planted non-objective schools of a year with their mechanism.
    func truthMechanisms(year: Int) -> [String: String] {
        var m: [String: String] = [:]
        for r in truth where r["category"] == "non_objective" && r["year"] == String(year) { m[r["school_id"]!] = r["mechanism"]! }
        return m
    }

    /// Per planted non-objective school: how many results its mechanism changed in `year` (the
    /// `changed=` of its truth rows' detail, summed over procedures).
    func truthChanged(year: Int) -> [String: Int] {
        var m: [String: Int] = [:]
        for r in truth where r["category"] == "non_objective" && r["year"] == String(year) {
            let changed = (r["detail"] ?? "").split(separator: ";").first { $0.hasPrefix("changed=") }.flatMap { Int($0.dropFirst(8)) } ?? 0
            m[r["school_id"]!, default: 0] += changed
        }
        return m
    }

    func truthSchools(_ category: String, year: Int) -> Set<String> {
        Set(truth.filter { $0["category"] == category && $0["year"] == String(year) }.map { $0["school_id"]! })
    }
}

struct PrecisionRecall: CustomStringConvertible {
    var tp: Int, fp: Int, fn: Int
    init(flagged: Set<String>, truth: Set<String>) {
        tp = flagged.intersection(truth).count
        fp = flagged.subtracting(truth).count
        fn = truth.subtracting(flagged).count
    }
    var precision: Double { tp + fp == 0 ? 1 : Double(tp) / Double(tp + fp) }
    var recall: Double { tp + fn == 0 ? 1 : Double(tp) / Double(tp + fn) }
    var description: String { String(format: "precision %.3f recall %.3f (tp %d fp %d fn %d)", precision, recall, tp, fp, fn) }
}
