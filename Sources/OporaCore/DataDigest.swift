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
        var record = Record(resultOf: result.procedure.description, schoolID: result.schoolID)
        record.participant(result.participant)
        record.values(score: result.score, mark: result.mark, journalMark: result.journalMark)
        for task in result.taskScores { record.task(task.task, score: task.score) }
        add(record)
    }

    /// One student result's hash, built field by field (the streaming path: no `StudentResult` per
    /// row, and the procedure-and-school prefix can be built once per cell and copied).
    public struct Record: Sendable {
        fileprivate var hash: RecordHash

        public init(resultOf procedure: String, schoolID: String) {
            hash = RecordHash(kind: "result")
            hash.field(procedure.utf8)
            hash.field(schoolID.utf8)
        }

        public mutating func participant(_ bytes: UnsafeBufferPointer<UInt8>) { hash.field(bytes) }
        public mutating func participant(_ code: String) { hash.field(code.utf8) }

        public mutating func values(score: Double?, mark: Int?, journalMark: Int?) {
            hash.number(score)
            hash.number(mark.map(Double.init))
            hash.number(journalMark.map(Double.init))
        }

        public mutating func task(_ code: String, score: Double) {
            task(codeWord: DataDigest.word(for: code), score: score)
        }

        /// The same with the code's word precomputed (`DataDigest.word(for:)`), for hot loops.
        public mutating func task(codeWord: UInt64, score: Double) {
            hash.word(codeWord)
            hash.number(score)
        }
    }

    public mutating func add(_ record: Record) { absorb(record.hash) }

    /// A 64-bit word standing for a short code (a task code) in a record's hash.
    public static func word(for code: String) -> UInt64 {
        var h = RecordHash(kind: "code")
        h.field(code.utf8)
        return mix(h.a) ^ (mix(h.b) << 1)
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
    fileprivate struct RecordHash: Sendable {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325
        var b: UInt64 = 0x8422_2325_cbf2_9ce4

        init(kind: String) { field(kind.utf8) }

        @inline(__always) mutating func byte(_ x: UInt8) {
            a = (a ^ UInt64(x)) &* 0x0000_0100_0000_01b3
            b = (b ^ UInt64(x)) &* 0x0000_0100_0000_01b3
        }

        mutating func field(_ bytes: UnsafeBufferPointer<UInt8>) {
            byte(0x1F)
            for x in bytes { byte(x) }
        }

        mutating func field(_ text: String.UTF8View) {
            byte(0x1F)
            for x in text { byte(x) }
        }

        /// A whole 64-bit word in one step (the record's final mix spreads it).
        @inline(__always) mutating func word(_ w: UInt64) {
            a = (a ^ w) &* 0x0000_0100_0000_01b3
            b = (b ^ (w &* 0x9e37_79b9_7f4a_7c15)) &* 0x0000_0100_0000_01b3
        }

        /// A number by its bits, so no text formatting is needed; missing is its own marker.
        @inline(__always) mutating func number(_ value: Double?) {
            guard let value else { return word(0x7ff8_dead_beef_0001) }  // a NaN pattern no score has
            word((value == 0 ? 0 : value).bitPattern)  // −0 and 0 are the same score
        }
    }

    public static func == (a: DataDigest, b: DataDigest) -> Bool { a.hex == b.hex && a.records == b.records }
    public func hash(into hasher: inout Hasher) { hasher.combine(hex) }
}
