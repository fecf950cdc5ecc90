import Foundation
import OporaCore
import Testing
@testable import OporaStore

@Suite("Programmes, roadmaps, risk profiles and support on every backend")
struct ProgrammeStoreTests {
    static let actor = Actor(userID: nil, login: "school0101")

    static func draft(owner: ProgrammeOwner = .school("0101")) -> ProgrammeDraft {
        ProgrammeDraft(
            programme: Programme(owner: owner, kind: .antiRisk, title: "Снижение доли обучающихся с рисками неуспешности",
                                 riskFactor: .studentsAtRisk, templateID: "anti-risk-students_at_risk", goals: ["Снизить долю «2»"],
                                 start: Day("2026-01-01"), end: Day("2026-12-31")),
            indicators: [MonitoringIndicator(name: "Доля «2» ВПР математика 5", unit: .share, direction: .lowerIsBetter, baseline: 0.3,
                                             target: 0.15, period: .annual, computed: "vpr_fail_share")],
            measures: [
                (Measure(section: .methodological, title: "Диагностика предметных дефицитов", deadline: .date(Day("2026-02-28")!),
                         responsible: "заместитель директора по УВР", expectedResult: "карта дефицитов"), 0),
                (Measure(section: .monitoring, title: "Мониторинг успеваемости", deadline: .recurring(.quarterly),
                         responsible: "руководитель ОО"), nil),
            ])
    }

    @Test(arguments: Backend.available)
    func programmesWithMeasuresCommentsFilesAndIndicatorsStayInTheirTerritory(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let school = db.scoped(.schools(["0101"]))
            let other = db.scoped(.schools(["0201"]))
            let id = try await school.create(Self.draft(), actor: Self.actor)
            let programme = try #require(try await school.programme(id: id))
            #expect(programme.riskFactor == .studentsAtRisk && programme.goals == ["Снизить долю «2»"] && programme.end == Day("2026-12-31"))
            #expect(try await other.programme(id: id) == nil)
            #expect(try await other.programmes(of: .school("0101")) == nil)
            await #expect(throws: ProgrammeError.self) { _ = try await other.create(Self.draft(), actor: Self.actor) }

            let measures = try #require(try await school.measures(programmeID: id))
            let indicators = try #require(try await school.indicators(programmeID: id))
            #expect(measures.map(\.title) == ["Диагностика предметных дефицитов", "Мониторинг успеваемости"])
            #expect(measures[0].indicatorID == indicators[0].id && measures[1].indicatorID == nil)
            #expect(measures[1].deadline == .recurring(.quarterly))
            #expect(measures[0].status(on: Day("2026-03-01")!) == .late)

            let done = try await school.updateMeasure(id: measures[0].id, MeasureChange(status: .done, evidence: "Карта дефицитов утверждена"), actor: Self.actor)
            #expect(done.status(on: Day("2026-03-01")!) == .done)
            await #expect(throws: ProgrammeError.self) {
                _ = try await school.updateMeasure(id: measures[1].id, MeasureChange(status: .late), actor: Self.actor)
            }
            await #expect(throws: ProgrammeError.self) {
                _ = try await other.updateMeasure(id: measures[1].id, MeasureChange(status: .done), actor: Self.actor)
            }
            let comment = try await db.scoped(.schools(["0101", "0102"])).addComment(measureID: measures[0].id, body: "Хорошо, приложите протокол",
                                                                                   role: "curator", actor: Actor(userID: nil, login: "curator"))
            #expect(try await school.comments(measureID: measures[0].id) == [comment])
            #expect(try await other.comments(measureID: measures[0].id) == nil)

            let content = Data("протокол педсовета".utf8)
            let file = try await school.attach(measureID: measures[0].id, fileName: "../../etc/протокол.pdf", contentType: "application/pdf",
                                               content: content, actor: Self.actor)
            #expect(file.fileName == "протокол.pdf" && file.size == content.count && file.sha256.count == 64)
            #expect(try await school.file(id: file.id)?.content == content)
            #expect(try await other.file(id: file.id) == nil)
            await #expect(throws: ProgrammeError.self) {
                _ = try await school.attach(measureID: measures[0].id, fileName: "big.bin", contentType: "application/octet-stream",
                                            content: Data(count: measureFileLimit + 1), actor: Self.actor)
            }

            let added = try await school.addMeasure(Measure(section: .staff, title: "Курсы ПК", deadline: .date(Day("2026-06-30")!),
                                                            responsible: "руководитель ОО", indicatorID: indicators[0].id), to: id, actor: Self.actor)
            #expect(try await school.measures(programmeID: id)?.last == added)
            await #expect(throws: ProgrammeError.self) {
                _ = try await school.addMeasure(Measure(section: .staff, title: "x", deadline: .recurring(.annual), responsible: ""), to: id, actor: Self.actor)
            }

            _ = try await school.record(indicatorID: indicators[0].id, period: "2026", value: 0.22, actor: Self.actor)
            _ = try await school.record(indicatorID: indicators[0].id, period: "2026", value: 0.2, actor: Self.actor)
            await #expect(throws: ProgrammeError.self) { _ = try await school.record(indicatorID: indicators[0].id, period: "2026-Q1", value: 0.2, actor: Self.actor) }
            await #expect(throws: ProgrammeError.self) { _ = try await school.record(indicatorID: indicators[0].id, period: "2027", value: 1.5, actor: Self.actor) }
            let readings = try #require(try await school.readings(programmeID: id))
            #expect(readings[indicators[0].id]?.map(\.value) == [0.2])
            #expect(indicators[0].light(latest: 0.2) == .amber)

            // The municipality sees its schools' programmes and keeps its own roadmap; a school does not see the municipal one.
            let town = db.scoped(.municipality("город Заречный"))
            let roadmap = try await town.create(ProgrammeDraft(programme: Programme(owner: .municipality("город Заречный"), kind: .roadmap,
                                                                                   title: "Дорожная карта ШНОР")), actor: Actor(userID: nil, login: "mo"))
            #expect(try await town.allProgrammes().map(\.id) == [id, roadmap])
            #expect(try await school.programme(id: roadmap) == nil)
            #expect(try await db.scoped(.municipality("Лебедянский район")).programme(id: roadmap) == nil)
            #expect(try await db.scoped(.region("Демонстрационная область")).programme(id: roadmap) != nil)
            // All of it at once, as the attention list and the dashboard read it: the same as one programme at a time.
            let overview = try await town.planOverview()
            #expect(overview.programmes.map(\.id) == [id, roadmap])
            #expect(overview.measures[id] == (try await town.measures(programmeID: id)) && overview.measures[roadmap] == nil)
            #expect(overview.indicators[id]?.map(\.id) == indicators.map(\.id) && overview.readings[indicators[0].id]?.map(\.value) == [0.2])
            let versionBefore = try await db.auditVersion()
            #expect(try await school.planOverview().programmes.map(\.id) == [id])
            #expect(try await db.scoped(.municipality("Лебедянский район")).planOverview().programmes.isEmpty)
            _ = try await school.record(indicatorID: indicators[0].id, period: "2027", value: 0.1, actor: Self.actor)
            #expect(try await db.auditVersion() > versionBefore, "a plan write moves the audit version the dashboard's cache keys on")

            let actions = try await db.auditLog().map(\.action)
            #expect(actions.contains("programme.create") && actions.contains("measure.update") && actions.contains("measure.attach")
                    && actions.contains("indicator.value") && actions.contains("measure.comment"))
        }
    }

    @Test(arguments: Backend.available)
    func riskProfileSelfDiagnosisSWOTAndTheSupportNetwork(_ backend: Backend) async throws {
        try await withFreshDatabase(backend) { db in
            try await db.store(Sample.dataset, source: "test")
            let school = db.scoped(.schools(["0101"]))
            try await school.saveRiskProfile(schoolID: "0101", [
                RiskAssessment(factor: .studentsAtRisk, suggestedLevel: .high, suggestion: "доля «2» 31% / 31% got «2»", level: .high,
                               answers: ["q1": "2"], priority: true, priorityReason: "треть пятиклассников получили «2»"),
                RiskAssessment(factor: .lowEquipment, suggestedLevel: .low, level: .medium),
            ], actor: Self.actor)
            await #expect(throws: ProgrammeError.self) {
                try await school.saveRiskProfile(schoolID: "0101", [RiskAssessment(factor: .lowMotivation, level: .high, priority: true)], actor: Self.actor)
            }
            let profile = try #require(try await school.riskProfile(schoolID: "0101"))
            #expect(profile.map(\.factor) == [.lowEquipment, .studentsAtRisk])
            #expect(profile[1].priority && profile[1].answers == ["q1": "2"] && profile[0].effectiveLevel == .medium)
            #expect(try await db.scoped(.schools(["0201"])).riskProfile(schoolID: "0101") == nil)
            // Questionnaire answers: written without touching levels and priorities; a factor answered first gets a row.
            try await school.saveRiskAnswers(schoolID: "0101", [.studentsAtRisk: ["q1": "1", "q2": "0"], .lowMotivation: ["q1": "2"]], actor: Self.actor)
            let answered = try #require(try await school.riskProfile(schoolID: "0101"))
            #expect(answered.map(\.factor) == [.lowEquipment, .studentsAtRisk, .lowMotivation])
            #expect(answered[1].answers == ["q1": "1", "q2": "0"] && answered[1].priority && answered[1].level == .high)
            #expect(answered[2].answers == ["q1": "2"] && answered[2].level == nil)
            await #expect(throws: ProgrammeError.self) {
                try await db.scoped(.schools(["0201"])).saveRiskAnswers(schoolID: "0101", [.lowMotivation: ["q1": "0"]], actor: Self.actor)
            }

            try await school.saveSelfDiagnosis(schoolID: "0101", [DiagnosisRating(item: "1.1", rating: .insufficient, evidence: "нет ИОМ")], actor: Self.actor)
            #expect(try await school.selfDiagnosis(schoolID: "0101")?.first?.rating == .insufficient)
            try await school.saveSWOT(schoolID: "0101", [.strengths: "опытные педагоги", .threats: "отток учеников"], actor: Self.actor)
            #expect(try await school.swot(schoolID: "0101")?[.threats] == "отток учеников")

            let town = db.scoped(.municipality("город Заречный"))
            let visit = try await town.addEvent(SupportEvent(municipality: "", schoolID: "0101", kind: .visit, day: Day("2026-02-10")!,
                                                             topic: "Посещение уроков математики", outcome: "рекомендации"), actor: Self.actor)
            #expect(visit.municipality == "город Заречный")
            _ = try await town.addEvent(SupportEvent(municipality: "город Заречный", schoolID: nil, kind: .seminar, day: Day("2026-03-01")!,
                                                     topic: "Семинар для ШНОР"), actor: Self.actor)
            #expect(try await school.events(schoolID: "0101")?.map(\.kind) == [.seminar, .visit])
            await #expect(throws: ProgrammeError.self) {
                _ = try await town.addEvent(SupportEvent(municipality: "Лебедянский район", schoolID: nil, kind: .seminar, day: Day("2026-03-01")!,
                                                         topic: "чужой"), actor: Self.actor)
            }

            try await town.addPartnerPair(PartnerPair(supportedSchool: "0101", partnerSchool: "0102", since: Day("2026-01-15")!), actor: Self.actor)
            await #expect(throws: ProgrammeError.self) {
                try await town.addPartnerPair(PartnerPair(supportedSchool: "0101", partnerSchool: "0101", since: Day("2026-01-15")!), actor: Self.actor)
            }
            #expect(try await town.partnerPairs().map(\.partnerSchool) == ["0102"])

            _ = try await town.addMentor(Mentor(schoolID: "0101", name: "Смирнова А. В.", role: "наставник", staffSchool: "0102", since: Day("2026-01-15")!),
                                         actor: Self.actor)
            await #expect(throws: ProgrammeError.self) {
                _ = try await town.addMentor(Mentor(schoolID: "0101", name: "Кузнецова", role: "наставник", staffSchool: "0101", since: Day("2026-01-15")!),
                                             actor: Self.actor)
            }
            #expect(try await school.mentors(schoolID: "0101")?.map(\.name) == ["Смирнова А. В."])

            // A curator who works at a school cannot curate it.
            let hash = "$2b$04$abcdefghijklmnopqrstuuJ3C4VdBOkIGNpPzdGGXd3sSVD8D0J.m"
            await #expect(throws: AccountError.self) {
                _ = try await db.createUser(UserRecord(login: "cur", passwordHash: hash, role: .curator, curatedSchools: ["0101"], staffSchool: "0101"),
                                            actor: .commandLine)
            }
            let curator = try await db.createUser(UserRecord(login: "cur", passwordHash: hash, role: .curator, curatedSchools: ["0102"], staffSchool: "0101"),
                                                  actor: .commandLine)
            #expect(try await db.user(login: "cur")?.staffSchool == "0101")
            await #expect(throws: AccountError.self) { try await db.assignSchools(curatorID: curator.id, schools: ["0101"], actor: .commandLine) }
        }
    }
}
