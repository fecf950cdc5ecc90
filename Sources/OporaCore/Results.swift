/// One task's score of one participant (task code as in ФИС ОКО: "1", "2.1", "3(2)").
public struct TaskScore: Hashable, Sendable, Codable {
    public var task: String
    public var score: Double
    public init(task: String, score: Double) {
        self.task = task
        self.score = score
    }
}

/// One participant's result in one procedure. The participant is a code, never a name.
public struct StudentResult: Hashable, Sendable, Codable {
    public var procedure: Procedure
    public var schoolID: String
    public var participant: String
    /// Primary score (первичный балл), or the test score for ЕГЭ. `nil` when missing.
    public var score: Double?
    /// Mark 2–5 (отметка); ЕГЭ has none.
    public var mark: Int?
    /// The teacher's term mark (отметка по журналу).
    public var journalMark: Int?
    /// Task scores in the order of the file's task columns; a missing task is absent, never zero.
    public var taskScores: [TaskScore]

    public init(
        procedure: Procedure, schoolID: String, participant: String,
        score: Double?, mark: Int?, journalMark: Int?, taskScores: [TaskScore] = []
    ) {
        self.procedure = procedure
        self.schoolID = schoolID
        self.participant = participant
        self.score = score
        self.mark = mark
        self.journalMark = journalMark
        self.taskScores = taskScores
    }
}

/// A school's result in a procedure when only aggregates exist.
public struct SchoolAggregate: Hashable, Sendable, Codable {
    public var procedure: Procedure
    public var schoolID: String
    public var participants: Int
    public var meanScore: Double?
    /// Shares of marks 2, 3, 4, 5 in [0, 1]; `nil` when the file does not give them.
    public var share2: Double?
    public var share3: Double?
    public var share4: Double?
    public var share5: Double?

    public init(
        procedure: Procedure, schoolID: String, participants: Int, meanScore: Double?,
        share2: Double?, share3: Double?, share4: Double?, share5: Double?
    ) {
        self.procedure = procedure
        self.schoolID = schoolID
        self.participants = participants
        self.meanScore = meanScore
        self.share2 = share2
        self.share3 = share3
        self.share4 = share4
        self.share5 = share5
    }
}

/// One value of a school indicator in long form (year, school, indicator code, value).
public struct IndicatorValue: Hashable, Sendable, Codable {
    public var year: Int
    public var schoolID: String
    public var indicator: String
    public var value: Double

    public init(year: Int, schoolID: String, indicator: String, value: Double) {
        self.year = year
        self.schoolID = schoolID
        self.indicator = indicator
        self.value = value
    }
}
