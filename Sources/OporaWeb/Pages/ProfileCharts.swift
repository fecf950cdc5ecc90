import Foundation
import OporaAnalysis
import OporaCore

/// The school profile's figures as SVG.
enum ProfileCharts {
    static func trend(school: [ProcedureStats], municipality: [ProcedureStats], region: [ProcedureStats], _ language: Language) -> String { "" }
    static func marks(school: ProcedureStats, region: ProcedureStats?, _ language: Language) -> String { "" }
    static func journal(school: ProcedureStats, region: ProcedureStats?, _ language: Language) -> String { "" }
    static func histogram(school: ProcedureStats, boundaries: [Int]?, _ language: Language) -> String { "" }
    static func tasks(school: ProcedureStats, _ language: Language) -> String { "" }
    static func caterpillar(_ schools: [ValueAddedSchoolResult], highlight: String, names: [String: String], _ language: Language) -> String { "" }
}
