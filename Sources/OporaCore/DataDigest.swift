/// An order-independent digest of a dataset, so that a published identification list can be tied to
/// exactly the data it was computed from, whether that data came from files or from the database.
///
/// Each record is hashed on its own (FNV-1a over a canonical text form, under two seeds) and the
/// hashes are summed lane by lane, so the digest does not depend on the order records arrive in.
/// It guards against accidental differences, not against someone forging data on purpose.
public struct DataDigest: Sendable, Hashable {
    private var lanes: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    public private(set) var records: Int = 0

    public init() {}

    public mutating func add(_ school: School) {
        add(kind: "school", [school.id, school.name, school.municipality, school.region, school.settlement.rawValue,
                             school.kind.rawValue, school.students.map(String.init) ?? "", school.distanceKm.map { "\($0)" } ?? ""])
    }

    public mutating func add(_ value: IndicatorValue) {
        add(kind: "indicator", [String(value.year), value.schoolID, value.indicator, "\(value.value)"])
    }

    public mutating func add(_ task: TaskInfo) {
        add(kind: "task", [task.procedure.description, task.task, "\(task.maxScore)", task.level?.rawValue ?? ""])
    }

    public mutating func add(_ aggregate: SchoolAggregate) {
        let shares = [aggregate.share2, aggregate.share3, aggregate.share4, aggregate.share5].map { $0.map { "\($0)" } ?? "" }
        add(kind: "aggregate", [aggregate.procedure.description, aggregate.schoolID, String(aggregate.participants),
                                aggregate.meanScore.map { "\($0)" } ?? ""] + shares)
    }

    public mutating func add(_ result: StudentResult) {
        addResult(procedure: result.procedure.description, schoolID: result.schoolID, participant: result.participant.utf8,
                  score: result.score, mark: result.mark, journalMark: result.journalMark,
                  tasks: result.taskScores.lazy.map { ($0.task, $0.score) })
    }

    /// A student result given as plain values (the streaming path: no `StudentResult` per row).
    /// `procedure` is `Procedure.description`.
    public mutating func addResult(procedure: String, schoolID: String, participant: some Sequence<UInt8>,
                                   score: Double?, mark: Int?, journalMark: Int?,
                                   tasks: some Sequence<(String, Double)>) {
        var h = RecordHash(kind: "result")
        h.field(procedure.utf8)
        h.field(schoolID.utf8)
        h.field(participant)
        h.number(score)
        h.number(mark.map(Double.init))
        h.number(journalMark.map(Double.init))
        for (code, value) in tasks {
            h.field(code.utf8)
            h.number(value)
        }
        absorb(h)
    }

    public mutating func add(_ dataset: Dataset) {
        dataset.schools.forEach { add($0) }
        dataset.indicators.forEach { add($0) }
        dataset.tasks.forEach { add($0) }
        dataset.aggregates.forEach { add($0) }
        dataset.results.forEach { add($0) }
    }

    public mutating func merge(_ other: DataDigest) {
        lanes = (lanes.0 &+ other.lanes.0, lanes.1 &+ other.lanes.1, lanes.2 &+ other.lanes.2, lanes.3 &+ other.lanes.3)
        records += other.records
    }

    /// 64 hex digits.
    public var hex: String {
        [lanes.0, lanes.1, lanes.2, lanes.3].map { lane in
            let text = String(lane, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }

    private mutating func add(kind: String, _ fields: [String]) {
        var h = RecordHash(kind: kind)
        for field in fields { h.field(field.utf8) }
        absorb(h)
    }

    private mutating func absorb(_ h: RecordHash) {
        lanes = (lanes.0 &+ Self.mix(h.a), lanes.1 &+ Self.mix(h.b), lanes.2 &+ Self.mix(h.a ^ 0x5851_f42d_4c95_7f2d),
                 lanes.3 &+ Self.mix(h.b ^ 0x1405_7b7e_f767_814f))
        records += 1
    }

    /// A final avalanche (splitmix64), so that summing does not cancel FNV's weak low bits.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// FNV-1a over one record's fields under two seeds; fields are separated so that "ab","c" ≠ "a","bc".
    private struct RecordHash {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4

        init(kind: String) { field(kind.utf8) }

        @inline(__always) mutating func byte(_ x: UInt8) {
            a = (a ^ UInt64(x)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(x)) &* 0x0000_0100_0000_01b3
        }

        mutating func field(_ bytes: some Sequence<UInt8>) {
            byte(0x1F)
            for x in bytes { byte(x) }
        }

        /// A number by its bits, so no text formatting is needed; missing is its own marker.
        mutating func number(_ value: Double?) {
            byte(0x1E)
            guard let value else { return byte(0x00) }
            var bits = (value == 0 ? 0 : value).bitPattern  // −0 and 0 are the same score
            for _ in 0..<8 {
                byte(UInt8(truncatingIfNeeded: bits))
                bits >>= 8
            }
        }
    }

    public static func == (a: DataDigest, b: DataDigest) -> Bool { a.hex == b.hex && a.records == b.records }
    public func hash(into hasher: inout Hasher) { hasher.combine(hex) }
}
