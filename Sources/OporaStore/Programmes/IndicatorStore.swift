import Foundation
import OporaCore
import SQLKit

/// One value of a monitoring indicator for a period (`2026`, `2026-H1`, `2026-Q3`, `once`).
public struct IndicatorReading: Sendable, Equatable, Codable {
    public var indicatorID: Int
    public var period: String
    public var value: Double
    public var enteredAt: String
    public var enteredBy: String

    public init(indicatorID: Int, period: String, value: Double, enteredAt: String, enteredBy: String) {
        self.indicatorID = indicatorID
        self.period = period
        self.value = value
        self.enteredAt = enteredAt
        self.enteredBy = enteredBy
    }
}

extension MonitoringIndicator.Period {
    /// Whether `text` names a period of this kind: `2026`, `2026-H1`, `2026-Q3`, `once`.
    public func accepts(_ text: String) -> Bool {
        switch self {
        case .annual: text.wholeMatch(of: /20\d\d/) != nil
        case .halfYear: text.wholeMatch(of: /20\d\d-H[12]/) != nil
        case .quarterly: text.wholeMatch(of: /20\d\d-Q[1-4]/) != nil
        case .once: text == "once"
        }
    }

    /// The period a day falls in (what a value entered today is for, by default).
    public func label(of day: Day) -> String {
        switch self {
        case .annual: "\(day.year)"
        case .halfYear: "\(day.year)-H\(day.month <= 6 ? 1 : 2)"
        case .quarterly: "\(day.year)-Q\((day.month - 1) / 3 + 1)"
        case .once: "once"
        }
    }
}

extension ScopedStore {
    public func indicators(programmeID: Int) async throws -> [MonitoringIndicator]? {
        guard try await programme(id: programmeID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("monitoring_indicators").where("programme_id", .equal, programmeID).orderBy("id").all()
                .map(OporaDatabase.decodeIndicator)
        }
    }

    /// Readings of a programme's indicators, by indicator, oldest period first.
    public func readings(programmeID: Int) async throws -> [Int: [IndicatorReading]]? {
        guard try await programme(id: programmeID) != nil else { return nil }
        let rows = try await database.withConnection { conn in
            try await conn.sql.raw("""
                SELECT v.* FROM monitoring_values v JOIN monitoring_indicators i ON i.id = v.indicator_id
                WHERE i.programme_id = \(bind: programmeID) ORDER BY v.indicator_id, v.period
                """).all().map(OporaDatabase.decodeReading)
        }
        return Dictionary(grouping: rows, by: \.indicatorID)
    }

    public func addIndicator(_ indicator: MonitoringIndicator, to programmeID: Int, actor: Actor) async throws -> MonitoringIndicator {
        guard try await programme(id: programmeID) != nil else { throw ProgrammeError(.notFound, "no programme \(programmeID)", ru: "нет программы \(programmeID)") }
        guard !indicator.name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ProgrammeError(.invalid, "an indicator needs a name", ru: "у показателя нет названия") }
        return try await database.writeTransaction { conn in
            var stored = indicator
            stored.id = try await OporaDatabase.insertIndicator(conn, indicator, programmeID: programmeID)
            stored.programmeID = programmeID
            try await OporaDatabase.audit(conn, actor: actor, action: "indicator.create", entity: "indicator", entityID: String(stored.id),
                                          before: nil, after: ["name": indicator.name, "target": indicator.target.map { String($0) } ?? ""])
            return stored
        }
    }

    /// An indicator with its programme; `nil` when the programme is outside the scope.
    public func indicator(id: Int) async throws -> (indicator: MonitoringIndicator, programme: Programme)? {
        let found = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("monitoring_indicators").where("id", .equal, id).first().map(OporaDatabase.decodeIndicator)
        }
        guard let found, let programme = try await programme(id: found.programmeID) else { return nil }
        return (found, programme)
    }

    /// Enters (or corrects) the value of a period, with who and when.
    public func record(indicatorID: Int, period: String, value: Double, actor: Actor) async throws -> IndicatorReading {
        guard let indicator = try await indicator(id: indicatorID)?.indicator else { throw ProgrammeError(.notFound, "no indicator \(indicatorID)", ru: "нет показателя \(indicatorID)") }
        guard indicator.period.accepts(period) else { throw ProgrammeError(.invalid, "«\(period)» is not a period of this indicator", ru: "«\(period)» — не период этого показателя") }
        guard value.isFinite else { throw ProgrammeError(.invalid, "not a number", ru: "не число") }
        if indicator.unit == .share, !(0...1).contains(value) { throw ProgrammeError(.invalid, "a share is between 0 and 1", ru: "доля — число от 0 до 1") }
        return try await database.writeTransaction { conn in
            let before = try await conn.sql.select().column("*").from("monitoring_values").where("indicator_id", .equal, indicatorID)
                .where("period", .equal, period).first().map(OporaDatabase.decodeReading)
            if before != nil {
                try await conn.sql.delete(from: "monitoring_values").where("indicator_id", .equal, indicatorID).where("period", .equal, period).run()
            }
            let reading = IndicatorReading(indicatorID: indicatorID, period: period, value: value, enteredAt: Timestamp.now(), enteredBy: actor.login)
            try await conn.sql.insert(into: "monitoring_values").columns("indicator_id", "period", "value", "entered_at", "entered_by")
                .values(SQLBind(indicatorID), SQLBind(period), SQLBind(value), SQLBind(reading.enteredAt), SQLBind(actor.login)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "indicator.value", entity: "indicator", entityID: String(indicatorID),
                                          before: before.map { ["period": $0.period, "value": String($0.value)] },
                                          after: ["period": period, "value": String(value)])
            return reading
        }
    }
}

extension OporaDatabase {
    static func insertIndicator(_ conn: Connection, _ i: MonitoringIndicator, programmeID: Int) async throws -> Int {
        let id = try await nextID(conn, table: "monitoring_indicators")
        try await conn.sql.insert(into: "monitoring_indicators")
            .columns("id", "programme_id", "name", "unit", "direction", "baseline", "target", "period", "computed")
            .values(SQLBind(id), SQLBind(programmeID), SQLBind(i.name), SQLBind(i.unit.rawValue), SQLBind(i.direction.rawValue),
                    SQLBind(i.baseline), SQLBind(i.target), SQLBind(i.period.rawValue), SQLBind(i.computed))
            .run()
        return id
    }

    static func decodeIndicator(_ row: any SQLRow) throws -> MonitoringIndicator {
        MonitoringIndicator(
            id: try row.decode(column: "id", as: Int.self), programmeID: try row.decode(column: "programme_id", as: Int.self),
            name: try row.decode(column: "name", as: String.self),
            unit: MonitoringIndicator.Unit(rawValue: try row.decode(column: "unit", as: String.self)) ?? .count,
            direction: Direction(rawValue: try row.decode(column: "direction", as: String.self)) ?? .higherIsBetter,
            baseline: try row.decode(column: "baseline", as: Double?.self), target: try row.decode(column: "target", as: Double?.self),
            period: MonitoringIndicator.Period(rawValue: try row.decode(column: "period", as: String.self)) ?? .annual,
            computed: try row.decode(column: "computed", as: String?.self))
    }

    static func decodeReading(_ row: any SQLRow) throws -> IndicatorReading {
        IndicatorReading(indicatorID: try row.decode(column: "indicator_id", as: Int.self), period: try row.decode(column: "period", as: String.self),
                         value: try row.decode(column: "value", as: Double.self), enteredAt: try row.decode(column: "entered_at", as: String.self),
                         enteredBy: try row.decode(column: "entered_by", as: String.self))
    }
}
