import Foundation
import OporaCore
import SQLKit

/// Every programme of the scope with its measures, indicators and readings, read with a handful of
/// queries instead of several per programme: the attention list, the dashboard and the municipal
/// plans page look at all of them at once.
public struct PlanOverview: Sendable {
    public var programmes: [Programme]
    /// By programme id, in roadmap order.
    public var measures: [Int: [Measure]]
    /// By programme id.
    public var indicators: [Int: [MonitoringIndicator]]
    /// By indicator id, oldest period first.
    public var readings: [Int: [IndicatorReading]]
}

extension ScopedStore {
    public func planOverview() async throws -> PlanOverview {
        let programmes = try await allProgrammes()
        let ids = programmes.map(\.id)
        let (measures, indicators, readings) = try await database.withConnection { conn in
            var measures: [Measure] = [], indicators: [MonitoringIndicator] = [], readings: [IndicatorReading] = []
            for chunk in ids.chunked(500) {
                let group = Array(chunk)
                measures += try await conn.sql.select().column("*").from("measures").where("programme_id", .in, group)
                    .orderBy("programme_id").orderBy("position").orderBy("id").all().map(OporaDatabase.decodeMeasure)
                indicators += try await conn.sql.select().column("*").from("monitoring_indicators").where("programme_id", .in, group)
                    .orderBy("id").all().map(OporaDatabase.decodeIndicator)
            }
            for chunk in indicators.map(\.id).chunked(500) {
                readings += try await conn.sql.select().column("*").from("monitoring_values").where("indicator_id", .in, Array(chunk))
                    .orderBy("indicator_id").orderBy("period").all().map(OporaDatabase.decodeReading)
            }
            return (measures, indicators, readings)
        }
        return PlanOverview(programmes: programmes, measures: Dictionary(grouping: measures, by: \.programmeID),
                            indicators: Dictionary(grouping: indicators, by: \.programmeID),
                            readings: Dictionary(grouping: readings, by: \.indicatorID))
    }
}
