import Foundation
import OporaCore
import SQLKit

/// One risk factor of a school's profile: what the data suggests, what the school confirmed, and
/// whether it is a priority risk (with the school's reason).
public struct RiskAssessment: Sendable, Equatable, Codable {
    public var factor: RiskFactor
    public var suggestedLevel: RiskLevel?
    /// Why the data suggests that level, in both languages ("ru / en").
    public var suggestion: String
    /// `nil` until the school confirms or corrects the level.
    public var level: RiskLevel?
    /// Questionnaire answers (question code → answer).
    public var answers: [String: String]
    public var priority: Bool
    public var priorityReason: String
    public var updatedAt: String
    public var updatedBy: String

    public init(factor: RiskFactor, suggestedLevel: RiskLevel? = nil, suggestion: String = "", level: RiskLevel? = nil,
                answers: [String: String] = [:], priority: Bool = false, priorityReason: String = "", updatedAt: String = "", updatedBy: String = "") {
        self.factor = factor
        self.suggestedLevel = suggestedLevel
        self.suggestion = suggestion
        self.level = level
        self.answers = answers
        self.priority = priority
        self.priorityReason = priorityReason
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// The level that counts: the school's, else the data's.
    public var effectiveLevel: RiskLevel? { level ?? suggestedLevel }
}

/// One item of the «комплексная диагностика школьных процессов»: `+` or «недост» (insufficient), with evidence.
public struct DiagnosisRating: Sendable, Equatable, Codable {
    public enum Rating: String, Sendable, Codable, CaseIterable {
        case sufficient = "+"
        case insufficient
    }
    public var item: String
    public var rating: Rating
    public var evidence: String
    public var updatedAt: String
    public var updatedBy: String

    public init(item: String, rating: Rating, evidence: String, updatedAt: String = "", updatedBy: String = "") {
        self.item = item
        self.rating = rating
        self.evidence = evidence
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }
}

public enum SWOTQuadrant: String, CaseIterable, Sendable, Codable {
    case strengths, weaknesses, opportunities, threats
}

extension ScopedStore {
    /// The school's risk profile (factors without a row are absent); `nil` outside the scope.
    public func riskProfile(schoolID: String) async throws -> [RiskAssessment]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("risk_profiles").where("school_id", .equal, schoolID).all().compactMap { row in
                guard let factor = RiskFactor(rawValue: try row.decode(column: "factor", as: String.self)) else { return nil }
                let answers = (try? JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "answers_json", as: String.self).utf8))) ?? [:]
                return RiskAssessment(
                    factor: factor, suggestedLevel: try row.decode(column: "suggested_level", as: String?.self).flatMap(RiskLevel.init(rawValue:)),
                    suggestion: try row.decode(column: "suggestion", as: String.self),
                    level: try row.decode(column: "level", as: String?.self).flatMap(RiskLevel.init(rawValue:)), answers: answers,
                    priority: try row.decode(column: "priority", as: Int.self) != 0,
                    priorityReason: try row.decode(column: "priority_reason", as: String.self),
                    updatedAt: try row.decode(column: "updated_at", as: String.self), updatedBy: try row.decode(column: "updated_by", as: String.self))
            }.sorted { RiskFactor.allCases.firstIndex(of: $0.factor)! < RiskFactor.allCases.firstIndex(of: $1.factor)! }
        }
    }

    /// Writes the given factors of a school's profile (others are kept), with one audit entry.
    public func saveRiskProfile(schoolID: String, _ assessments: [RiskAssessment], actor: Actor) async throws {
        guard let before = try await riskProfile(schoolID: schoolID) else { throw ProgrammeError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
        for a in assessments where a.priority && a.priorityReason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw ProgrammeError(.invalid, "a priority risk needs the reason it was chosen (\(a.factor.rawValue))", ru: "для приоритетного риска нужно указать, почему он выбран (\(a.factor.rawValue))")
        }
        try await database.writeTransaction { conn in
            let now = Timestamp.now()
            for a in assessments {
                try await conn.sql.delete(from: "risk_profiles").where("school_id", .equal, schoolID).where("factor", .equal, a.factor.rawValue).run()
                let answers = String(decoding: try JSONEncoder().encode(a.answers), as: UTF8.self)
                try await conn.sql.insert(into: "risk_profiles")
                    .columns("school_id", "factor", "suggested_level", "suggestion", "level", "answers_json", "priority", "priority_reason",
                             "updated_at", "updated_by")
                    .values(SQLBind(schoolID), SQLBind(a.factor.rawValue), SQLBind(a.suggestedLevel?.rawValue), SQLBind(a.suggestion),
                            SQLBind(a.level?.rawValue), SQLBind(answers), SQLBind(a.priority ? 1 : 0), SQLBind(a.priorityReason),
                            SQLBind(now), SQLBind(actor.login))
                    .run()
            }
            func view(_ list: [RiskAssessment]) -> [String: String] {
                Dictionary(uniqueKeysWithValues: list.map { ($0.factor.rawValue, "\($0.level?.rawValue ?? "-")\($0.priority ? " priority" : "")") })
            }
            let written = Set(assessments.map(\.factor))
            try await OporaDatabase.audit(conn, actor: actor, action: "risk_profile.save", entity: "school", entityID: schoolID,
                                          before: view(before.filter { written.contains($0.factor) }), after: view(assessments))
        }
    }

    /// Writes the questionnaire answers of the given factors, keeping each factor's level and
    /// priority as they are (a row is created for a factor answered before it is assessed).
    public func saveRiskAnswers(schoolID: String, _ answers: [RiskFactor: [String: String]], actor: Actor) async throws {
        guard let before = try await riskProfile(schoolID: schoolID) else { throw ProgrammeError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
        let existing = Dictionary(uniqueKeysWithValues: before.map { ($0.factor, $0) })
        try await database.writeTransaction { conn in
            let now = Timestamp.now()
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for (factor, given) in answers.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                let json = String(decoding: try encoder.encode(given), as: UTF8.self)
                if existing[factor] != nil {
                    try await conn.sql.update("risk_profiles").set("answers_json", to: SQLBind(json)).set("updated_at", to: SQLBind(now))
                        .set("updated_by", to: SQLBind(actor.login))
                        .where("school_id", .equal, schoolID).where("factor", .equal, factor.rawValue).run()
                } else {
                    try await conn.sql.insert(into: "risk_profiles").columns("school_id", "factor", "answers_json", "updated_at", "updated_by")
                        .values(SQLBind(schoolID), SQLBind(factor.rawValue), SQLBind(json), SQLBind(now), SQLBind(actor.login)).run()
                }
            }
            func view(_ pairs: [(RiskFactor, [String: String])]) -> [String: String] {
                Dictionary(uniqueKeysWithValues: pairs.map { f, a in (f.rawValue, a.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")) })
            }
            try await OporaDatabase.audit(conn, actor: actor, action: "risk_profile.answers", entity: "school", entityID: schoolID,
                                          before: view(answers.keys.compactMap { f in existing[f].map { (f, $0.answers) } }),
                                          after: view(answers.map { ($0.key, $0.value) }))
        }
    }

    public func selfDiagnosis(schoolID: String) async throws -> [DiagnosisRating]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("self_diagnosis").where("school_id", .equal, schoolID).orderBy("item").all().compactMap { row in
                guard let rating = DiagnosisRating.Rating(rawValue: try row.decode(column: "rating", as: String.self)) else { return nil }
                return DiagnosisRating(item: try row.decode(column: "item", as: String.self), rating: rating,
                                       evidence: try row.decode(column: "evidence", as: String.self),
                                       updatedAt: try row.decode(column: "updated_at", as: String.self),
                                       updatedBy: try row.decode(column: "updated_by", as: String.self))
            }
        }
    }

    public func saveSelfDiagnosis(schoolID: String, _ ratings: [DiagnosisRating], actor: Actor) async throws {
        guard try await school(id: schoolID) != nil else { throw ProgrammeError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
        try await database.writeTransaction { conn in
            let now = Timestamp.now()
            for r in ratings {
                try await conn.sql.delete(from: "self_diagnosis").where("school_id", .equal, schoolID).where("item", .equal, r.item).run()
                try await conn.sql.insert(into: "self_diagnosis").columns("school_id", "item", "rating", "evidence", "updated_at", "updated_by")
                    .values(SQLBind(schoolID), SQLBind(r.item), SQLBind(r.rating.rawValue), SQLBind(r.evidence), SQLBind(now), SQLBind(actor.login)).run()
            }
            try await OporaDatabase.audit(conn, actor: actor, action: "self_diagnosis.save", entity: "school", entityID: schoolID, before: nil,
                                          after: Dictionary(uniqueKeysWithValues: ratings.map { ($0.item, $0.rating.rawValue) }))
        }
    }

    public func swot(schoolID: String) async throws -> [SWOTQuadrant: String]? {
        guard try await school(id: schoolID) != nil else { return nil }
        return try await database.withConnection { conn in
            var out: [SWOTQuadrant: String] = [:]
            for row in try await conn.sql.select().column("*").from("swot").where("school_id", .equal, schoolID).all() {
                if let q = SWOTQuadrant(rawValue: try row.decode(column: "quadrant", as: String.self)) {
                    out[q] = try row.decode(column: "body", as: String.self)
                }
            }
            return out
        }
    }

    public func saveSWOT(schoolID: String, _ quadrants: [SWOTQuadrant: String], actor: Actor) async throws {
        guard let before = try await swot(schoolID: schoolID) else { throw ProgrammeError(.notFound, "no school \(schoolID)", ru: "нет школы \(schoolID)") }
        try await database.writeTransaction { conn in
            let now = Timestamp.now()
            for (q, body) in quadrants {
                try await conn.sql.delete(from: "swot").where("school_id", .equal, schoolID).where("quadrant", .equal, q.rawValue).run()
                try await conn.sql.insert(into: "swot").columns("school_id", "quadrant", "body", "updated_at", "updated_by")
                    .values(SQLBind(schoolID), SQLBind(q.rawValue), SQLBind(body), SQLBind(now), SQLBind(actor.login)).run()
            }
            try await OporaDatabase.audit(conn, actor: actor, action: "swot.save", entity: "school", entityID: schoolID,
                                          before: Dictionary(uniqueKeysWithValues: before.map { ($0.key.rawValue, $0.value) }),
                                          after: Dictionary(uniqueKeysWithValues: quadrants.map { ($0.key.rawValue, $0.value) }))
        }
    }
}
