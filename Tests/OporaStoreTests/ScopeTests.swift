import Foundation
import OporaCore
import Testing
@testable import OporaStore

@Suite("Territory scoping on every backend")
struct ScopeTests {
    static let region = "Демонстрационная область"

    @Test func aScopeFollowsTheAccount() {
        #expect(Scope(user: UserRecord(login: "a", passwordHash: fakeHash, role: .admin)) == .everything)
        #expect(Scope(user: UserRecord(login: "r", passwordHash: fakeHash, role: .region, territoryKind: .region, territory: "R")) == .region("R"))
        #expect(Scope(user: UserRecord(login: "m", passwordHash: fakeHash, role: .municipality, territoryKind: .municipality, territory: "M"))
                == .municipality("M"))
        #expect(Scope(user: UserRecord(login: "s", passwordHash: fakeHash, role: .school, territoryKind: .school, territory: "0101"))
                == .schools(["0101"]))
        #expect(Scope(user: UserRecord(login: "c", passwordHash: fakeHash, role: .curator, curatedSchools: ["1", "2"])) == .schools(["1", "2"]))
        #expect(Scope(user: UserRecord(login: "v", passwordHash: fakeHash, role: .viewer, territoryKind: .municipality, territory: "M"))
                == .municipality("M"))
        // A role that lost its territory sees nothing rather than everything.
        #expect(Scope(user: UserRecord(login: "x", passwordHash: fakeHash, role: .region)) == .schools([]))
    }

    @Test(arguments: Backend.available)
    func everyQueryAnswersOnlyForTheScope(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let town = db.scoped(.municipality("город Заречный"))
            let school = db.scoped(.schools(["0201"]))
            let nobody = db.scoped(.schools([]))
            let otherRegion = db.scoped(.region("Другая область"))

            #expect(try await db.scoped(.everything).schools().count == 3)
            #expect(try await db.scoped(.region(Self.region)).schools().count == 3)
            #expect(try await otherRegion.schools().isEmpty)
            #expect(try await town.schools().map(\.id) == ["0101", "0102"])
            #expect(try await school.schools().map(\.id) == ["0201"])
            #expect(try await nobody.schools().isEmpty)

            #expect(try await town.school(id: "0101")?.id == "0101")
            #expect(try await town.school(id: "0201") == nil)
            #expect(try await town.school(id: "9999") == nil)

            #expect(try await town.results(schoolID: "0101")?.count == 3)
            #expect(try await town.results(schoolID: "0201") == nil)
            #expect(try await school.results(schoolID: "0201")?.count == 1)
            #expect(try await town.aggregates().map(\.schoolID) == ["0102"])
            #expect(try await school.aggregates().isEmpty)
            #expect(try await town.indicatorValues(schoolID: "0201") == nil)
            #expect(try await town.indicatorValues(schoolID: "0101")?.count == 1)
        }
    }

    @Test(arguments: Backend.available)
    func identificationRunsAreFilteredToTheScope(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let json = """
                {"run":{"rules":"opora-default","year":2025,"schools":3,"schools_flagged":2,
                        "category_counts":{"low_results":1,"non_objective":1}},
                 "schools":[{"school_id":"0101","name":"A","categories":["low_results"],"flags":[]},
                            {"school_id":"0201","name":"B","categories":["non_objective"],"flags":[]}]}
                """
            let flags = [
                StoredFlag(schoolID: "0101", category: "low_results", criterion: "official_fail_share", year: 2025, strength: nil,
                           value: 0.4, threshold: 0.3, n: 30, textRU: "р", textEN: "e"),
                StoredFlag(schoolID: "0201", category: "non_objective", criterion: "journal_mismatch", year: 2025, strength: "strong",
                           value: nil, threshold: nil, n: nil, textRU: "р", textEN: "e"),
            ]
            let id = try await db.saveIdentificationRun(
                IdentificationRunRecord(year: 2025, rulesName: "opora-default", rulesDigest: "d", rulesText: "t", dataDigest: "x",
                                        dataRecords: 10, schools: 3, flaggedSchools: 2), resultJSON: json, flags: flags)

            let town = db.scoped(.municipality("город Заречный"))
            let runs = try await town.identificationRuns()
            #expect(runs.count == 1 && runs[0].flaggedSchoolsInScope == 1 && runs[0].schoolsInScope == 2)

            let (_, filtered) = try #require(try await town.identificationRun(id: id))
            let object = try JSONSerialization.jsonObject(with: Data(filtered.utf8)) as! [String: Any]
            let schools = object["schools"] as! [[String: Any]]
            #expect(schools.map { $0["school_id"] as! String } == ["0101"])
            let run = object["run"] as! [String: Any]
            #expect(run["schools_flagged"] as? Int == 1)
            #expect((run["category_counts"] as? [String: Int]) == ["low_results": 1, "non_objective": 0])
            #expect(!filtered.contains("0201"))

            // Region-wide scopes see the run as published.
            let (_, whole) = try #require(try await db.scoped(.region(Self.region)).identificationRun(id: id))
            #expect(whole.contains("0201"))
            #expect(try await db.scoped(.everything).identificationRun(id: id + 1) == nil)

            #expect(try await town.flags(runID: id)?.map(\.schoolID) == ["0101"])
            #expect(try await town.flags(runID: id, schoolID: "0201") == nil)
            #expect(try await town.flags(runID: id, schoolID: "0101")?.count == 1)
        }
    }
}
