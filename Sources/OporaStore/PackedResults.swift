import OporaCore

/// Student results packed for a bulk write: about 40 bytes a row in a few flat arrays, instead of a
/// `StudentResult` with its strings and task array (several hundred bytes). A regional results file
/// of millions of rows is validated into this and then written in one transaction.
///
/// Procedures and schools are indices into tables the caller passes to `store(_:packed:)`.
public struct PackedResults: Sendable {
    var procedureIndex: [Int32] = []
    var schoolIndex: [Int32] = []
    var participantBytes: [UInt8] = []
    var participantEnds: [Int] = []
    /// NaN means missing.
    var scores: [Double] = []
    /// 0 means missing.
    var marks: [Int8] = []
    var journalMarks: [Int8] = []
    /// Task scores already in the stored text form ("1=2;2.1=0"), empty when there are none.
    var taskBytes: [UInt8] = []
    var taskEnds: [Int] = []

    public init() {}

    public var count: Int { procedureIndex.count }

    /// Appends one row. `writeTasks` appends the row's task scores in the stored text form
    /// (see `appendTaskScore`) to the buffer it is given.
    public mutating func append(procedure: Int, school: Int, participant: UnsafeBufferPointer<UInt8>,
                                score: Double?, mark: Int?, journalMark: Int?,
                                writeTasks: (inout [UInt8]) -> Void) {
        procedureIndex.append(Int32(procedure))
        schoolIndex.append(Int32(school))
        participantBytes.append(contentsOf: participant)
        participantEnds.append(participantBytes.count)
        scores.append(score ?? .nan)
        marks.append(Int8(mark ?? 0))
        journalMarks.append(Int8(journalMark ?? 0))
        writeTasks(&taskBytes)
        taskEnds.append(taskBytes.count)
    }

    /// Appends `code=score` (with a `;` before all but the first) in the stored text form.
    public static func appendTaskScore(code: String, score: Double, first: Bool, to buffer: inout [UInt8]) {
        if !first { buffer.append(UInt8(ascii: ";")) }
        buffer.append(contentsOf: code.utf8)
        buffer.append(UInt8(ascii: "="))
        buffer.append(contentsOf: TaskScoreCodec.format(score).utf8)
    }

    func range(_ ends: [Int], _ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }
}

/// The tables the indices of `PackedResults` point into.
public struct PackedResultTables: Sendable {
    public var procedures: [Procedure]
    public var schools: [String]
    public init(procedures: [Procedure], schools: [String]) {
        self.procedures = procedures
        self.schools = schools
    }
}
