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
        var fields = [result.procedure.description, result.schoolID, result.participant, result.score.map { "\($0)" } ?? "",
                      result.mark.map(String.init) ?? "", result.journalMark.map(String.init) ?? ""]
        for task in result.taskScores { fields.append("\(task.task)=\(task.score)") }
        add(kind: "result", fields)
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
        var h = (UInt64(0xcbf2_9ce4_8422_2325), UInt64(0x84222325cbf29ce4), UInt64(0x9e37_79b9_7f4a_7c15), UInt64(0xc2b2_ae3d_27d4_eb4f))
        func feed(_ byte: UInt8) {
            h.0 = (h.0 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            h.1 = (h.1 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            h.2 = (h.2 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            h.3 = (h.3 ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        for byte in kind.utf8 { feed(byte) }
        for field in fields {
            feed(0x1F)
            for byte in field.utf8 { feed(byte) }
        }
        lanes = (lanes.0 &+ Self.mix(h.0), lanes.1 &+ Self.mix(h.1), lanes.2 &+ Self.mix(h.2), lanes.3 &+ Self.mix(h.3))
        records += 1
    }

    /// A final avalanche (splitmix64), so that summing does not cancel FNV's weak low bits.
    private static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    public static func == (a: DataDigest, b: DataDigest) -> Bool { a.hex == b.hex && a.records == b.records }
    public func hash(into hasher: inout Hasher) { hasher.combine(hex) }
}
