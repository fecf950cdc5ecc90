/// Everything one import brings, validated and ready to store: the unit the store writes at once.
public struct Dataset: Sendable {
    public var schools: [School]
    public var indicators: [IndicatorValue]
    public var tasks: [TaskInfo]
    public var results: [StudentResult]
    public var aggregates: [SchoolAggregate]

    public init(
        schools: [School] = [], indicators: [IndicatorValue] = [], tasks: [TaskInfo] = [],
        results: [StudentResult] = [], aggregates: [SchoolAggregate] = []
    ) {
        self.schools = schools
        self.indicators = indicators
        self.tasks = tasks
        self.results = results
        self.aggregates = aggregates
    }

    public var isEmpty: Bool {
        schools.isEmpty && indicators.isEmpty && tasks.isEmpty && results.isEmpty && aggregates.isEmpty
    }
}

/// The unit a re-import replaces: one school's results in one procedure.
public struct ResultSlice: Hashable, Sendable, Codable {
    public var procedure: Procedure
    public var schoolID: String
    public init(procedure: Procedure, schoolID: String) {
        self.procedure = procedure
        self.schoolID = schoolID
    }
}
