import Foundation
import OporaCore

struct MunicipalityPlan {
    var name: String
    var centre: String
    var isCity: Bool
}

/// Where a school sits: decides its size, its social context and its name.
enum Place {
    case city, town, village
}

struct SchoolPlan {
    var index: Int
    var id = ""
    var name = ""
    var municipality: Int
    var place: Place
    var kind: SchoolKind
    /// Основная школа (grades 1–9, no ЕГЭ).
    var basicOnly = false
    var number: Int
    var villageIndex = 0
    var students: Int
    var distanceKm: Double
    var key: UInt64

    // Designed categories.
    var designedLow = false
    var socialRisk = false
    var staffDeficit = false
    var materialDeficit = false
    var nonObjective: NonObjectiveMechanism?

    var settlement: Settlement { place == .village ? .rural : .urban }

    var hasVPR: Bool { kind != .evening }
    var hasEGE: Bool { !basicOnly }
    /// Grades taught, used to split the students into cohorts.
    var gradeCount: Int { kind == .evening ? 3 : basicOnly ? 9 : 11 }
}

/// The region's structure: municipalities and schools with their designed categories. Small
/// (a few hundred bytes per school); the results themselves are streamed, never held.
struct RegionPlan {
    let spec: RegionSpec
    var municipalities: [MunicipalityPlan] = []
    var schools: [SchoolPlan] = []

    init(spec: RegionSpec) {
        self.spec = spec
        let seed = derive(spec.seed, stableHash("opora-demo-v1"))
        let m = spec.municipalities
        let isCity = (0..<m).map { m > 1 && $0 % 6 == 0 }

        // Cities hold about 2.5 times as many schools as a district; every municipality has one.
        let weights = isCity.map { $0 ? 2.5 : 1.0 }
        let counts = Self.apportion(spec.schools, weights: weights)

        var cityIndex = 0, districtIndex = 0
        for i in 0..<m {
            if isCity[i] {
                let n = Names.cityName(cityIndex)
                municipalities.append(.init(name: "город \(n)", centre: n, isCity: true))
                cityIndex += 1
            } else {
                let d = Names.district(districtIndex)
                municipalities.append(.init(name: d.name, centre: d.centre, isCity: false))
                districtIndex += 1
            }
        }

        var firstDistrictSeen = false
        for mi in 0..<m {
            let n = counts[mi]
            var rng = Xoshiro(key: derive(seed, 1, UInt64(mi)))
            let city = municipalities[mi].isCity
            let townCount = city ? n : max(1, Int((Double(n) * 0.25).rounded()))
            var villageOrder = Array(0..<Names.villages.count)
            rng.shuffle(&villageOrder)
            var rural = 0
            for j in 0..<n {
                let key = derive(seed, 2, UInt64(schools.count))
                var s = SchoolPlan(index: schools.count, municipality: mi, place: .city, kind: .general,
                                   number: j + 1, students: 0, distanceKm: 0, key: key)
                if city {
                    s.place = .city
                    if j == 0 || j % 12 == 5 {
                        s.kind = .lyceum
                    } else if j == 1 || j % 12 == 9 {
                        s.kind = .gymnasium
                    } else if j == n - 1 && n >= 4 {
                        s.kind = .evening
                    }
                    s.distanceKm = rng.uniform(0.5, 14)
                } else if j < townCount {
                    s.place = .town
                    if j == 0 && townCount >= 3 { s.kind = .gymnasium }
                    s.distanceKm = rng.uniform(0.2, 4)
                } else {
                    s.place = .village
                    s.villageIndex = villageOrder[rural % villageOrder.count] + Names.villages.count * (rural / villageOrder.count)
                    s.number = rural / villageOrder.count + 1
                    rural += 1
                    s.distanceKm = 4 + 90 * pow(rng.uniform(), 1.6)
                    if !firstDistrictSeen && j == n - 1 && rural >= 2 {
                        s.kind = .boarding
                        firstDistrictSeen = true
                    }
                }
                schools.append(s)
            }
        }

        Self.ensureKinds(&schools)

        // Sizes and the ООШ decision, from each school's own stream.
        for i in schools.indices {
            var rng = Xoshiro(key: derive(schools[i].key, 1))
            let s = schools[i]
            func logUniform(_ a: Double, _ b: Double) -> Int { Int(exp(rng.uniform(log(a), log(b))).rounded()) }
            switch (s.kind, s.place) {
            case (.lyceum, _): schools[i].students = logUniform(650, 1200)
            case (.gymnasium, _): schools[i].students = logUniform(600, 1100)
            case (.evening, _): schools[i].students = logUniform(80, 240)
            case (.boarding, _): schools[i].students = logUniform(90, 220)
            case (_, .city): schools[i].students = logUniform(600, 1500)
            case (_, .town): schools[i].students = logUniform(300, 900)
            case (_, .village):
                if rng.chance(0.4) {
                    schools[i].basicOnly = true
                    schools[i].students = logUniform(20, 90)
                } else {
                    schools[i].students = logUniform(60, 260)
                }
            }
            schools[i].name = Self.name(of: schools[i], in: municipalities[s.municipality], rng: &rng)
        }

        // School codes: municipality code + school number within it, both zero-padded.
        let mWidth = max(2, String(m).count)
        let sWidth = max(2, String(counts.max() ?? 1).count)
        var numberInMunicipality = [Int](repeating: 0, count: m)
        for i in schools.indices {
            let mi = schools[i].municipality
            numberInMunicipality[mi] += 1
            schools[i].id = Self.pad(mi + 1, mWidth) + Self.pad(numberInMunicipality[mi], sWidth)
        }

        designate(seed: seed)
    }

    /// Plants the designed categories on shuffled subsets of eligible schools.
    private mutating func designate(seed: UInt64) {
        var rng = Xoshiro(key: derive(seed, 3))
        let n = schools.count
        func pick(_ share: Double, minimum: Int, where eligible: (SchoolPlan) -> Bool) -> [Int] {
            var candidates = schools.indices.filter { eligible(schools[$0]) }
            rng.shuffle(&candidates)
            // Tiny regions get no forced minimum, so one school does not collect every category.
            let count = min(candidates.count, max(n >= 10 ? minimum : 0, Int((Double(n) * share).rounded())))
            return Array(candidates.prefix(count))
        }
        let selective: (SchoolPlan) -> Bool = { $0.kind == .lyceum || $0.kind == .gymnasium }

        for i in pick(0.07, minimum: 2, where: { !selective($0) }) { schools[i].designedLow = true }
        for i in pick(0.10, minimum: 2, where: { !selective($0) }) { schools[i].socialRisk = true }
        for (r, i) in pick(0.08, minimum: 3, where: { _ in true }).enumerated() {
            switch r % 3 {
            case 0: schools[i].staffDeficit = true
            case 1: schools[i].materialDeficit = true
            default:
                schools[i].staffDeficit = true
                schools[i].materialDeficit = true
            }
        }
        // Non-objective ВПР: ordinary schools only — lyceums and gymnasiums are genuinely good.
        for (r, i) in pick(0.08, minimum: 3, where: { !selective($0) && $0.hasVPR }).enumerated() {
            schools[i].nonObjective = NonObjectiveMechanism.allCases[r % 3]
        }
    }

    /// Largest-remainder apportionment with at least one school per municipality.
    static func apportion(_ total: Int, weights: [Double]) -> [Int] {
        let m = weights.count
        let rest = total - m
        let sum = weights.reduce(0, +)
        let quotas = weights.map { Double(rest) * $0 / sum }
        var counts = quotas.map { Int($0) }
        var left = rest - counts.reduce(0, +)
        let order = (0..<m).sorted { (quotas[$0] - Double(counts[$0]), -$0) > (quotas[$1] - Double(counts[$1]), -$1) }
        var k = 0
        while left > 0 {
            counts[order[k % m]] += 1
            left -= 1
            k += 1
        }
        return counts.map { $0 + 1 }
    }

    /// Every region gets at least one lyceum, one evening school and one boarding school
    /// (when it has enough schools), whatever its shape.
    static func ensureKinds(_ schools: inout [SchoolPlan]) {
        guard schools.count >= 6 else { return }
        func convert(_ kind: SchoolKind, prefer: (SchoolPlan) -> Bool, fromEnd: Bool) {
            guard !schools.contains(where: { $0.kind == kind }) else { return }
            let indices = fromEnd ? Array(schools.indices.reversed()) : Array(schools.indices)
            if let i = indices.first(where: { schools[$0].kind == .general && prefer(schools[$0]) })
                ?? indices.first(where: { schools[$0].kind == .general }) {
                schools[i].kind = kind
            }
        }
        convert(.lyceum, prefer: { $0.place != .village }, fromEnd: false)
        convert(.evening, prefer: { $0.place != .village }, fromEnd: true)
        convert(.boarding, prefer: { $0.place == .village }, fromEnd: true)
    }

    static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func name(of s: SchoolPlan, in m: MunicipalityPlan, rng: inout Xoshiro) -> String {
        let town = "г. \(m.centre)"
        switch s.kind {
        case .lyceum: return "МБОУ «Лицей № \(s.number) \(town)»"
        case .gymnasium: return "МАОУ «Гимназия № \(s.number) \(town)»"
        case .evening: return "МБОУ «Вечерняя (сменная) школа \(town)»"
        case .boarding:
            let place = s.place == .village ? Names.village(s.villageIndex) : town
            return "ГОБОУ «Школа-интернат \(place)»"
        default: break
        }
        if s.place == .village {
            let village = Names.village(s.villageIndex)
            let number = s.number > 1 ? "№ \(s.number) " : ""
            if s.basicOnly { return "МКОУ «ООШ \(number)\(village)»" }
            if rng.chance(0.1) { return "МБОУ «СОШ \(number)\(Names.honours[rng.int(0...Names.honours.count - 1)]) \(village)»" }
            return "МБОУ «СОШ \(number)\(village)»"
        }
        // One school per city is a «центр образования» whose name holds a comma (RFC 4180 quoting).
        if s.place == .city && s.number == 4 {
            return "МАОУ «Центр образования, развития и творчества № \(s.number) \(town)»"
        }
        let roll = rng.uniform()
        if roll < 0.07 { return "МАОУ «СОШ № \(s.number) с углублённым изучением отдельных предметов \(town)»" }
        if roll < 0.12 { return "МБОУ «СОШ № \(s.number) \(Names.honours[rng.int(0...Names.honours.count - 1)]) \(town)»" }
        return "МБОУ «СОШ № \(s.number) \(town)»"
    }
}
