import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import OporaCore
import OporaStore
import Testing
@testable import OporaWeb

/// The school's plan in the browser: risk profile, a programme, measures with evidence, files and
/// comments, and who may do what.
@Suite("Plan pages: risk profile, programmes, roadmap")
struct PlanPageTests {
    static func location(_ r: TestResponse) -> String { r.headers[.location] ?? "" }

    @Test func aSchoolWritesItsPlanItsCuratorCommentsAndOthersSeeNothing() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let school = Browser(client)
                try await school.signIn("school")
                let plan = String(buffer: try await school.request("/schools/0101/plan").body)
                #expect(plan.contains("Профиль рисков") && plan.contains("Низкая учебная мотивация обучающихся"))
                let csrf = try await school.csrf()

                let noReason = try await school.request("/schools/0101/risk-profile", .post,
                                                        form: ["csrf": csrf, "level_students_at_risk": "high", "priority_students_at_risk": "on"])
                #expect(noReason.status == .badRequest && String(buffer: noReason.body).contains("укажите, почему"))
                let saved = try await school.request("/schools/0101/risk-profile", .post, form: [
                    "csrf": csrf, "level_students_at_risk": "high", "priority_students_at_risk": "on",
                    "reason_students_at_risk": "треть пятиклассников получили «2»", "level_low_motivation": "medium"])
                #expect(saved.status == .seeOther)
                let profile = try #require(try await f.db.scoped(.everything).riskProfile(schoolID: "0101"))
                #expect(profile.first { $0.factor == .studentsAtRisk }?.priority == true && profile.first { $0.factor == .lowMotivation }?.level == .medium)

                // The self-diagnosis: a rating needs its evidence.
                #expect(String(buffer: try await school.request("/schools/0101/diagnosis").body).contains("Структура учебного плана"))
                let bare = try await school.request("/schools/0101/diagnosis", .post, form: ["csrf": csrf, "rating_1.1": "insufficient"])
                #expect(bare.status == .badRequest && String(buffer: bare.body).contains("1.1"))
                #expect(try await school.request("/schools/0101/diagnosis", .post, form: [
                    "csrf": csrf, "rating_1.1": "insufficient", "evidence_1.1": "нет элективов в 8–9 классах", "rating_2.1": "+", "evidence_2.1": "ВПР 2025",
                    "swot_threats": "отток учеников"]).status == .seeOther)
                #expect(try await f.db.scoped(.everything).swot(schoolID: "0101")?[.threats] == "отток учеников")
                #expect(String(buffer: try await school.request("/schools/0101/plan").body).contains("оценено 2, «недостаточно» — 1"))

                let created = try await school.request("/schools/0101/programmes", .post, form: [
                    "csrf": csrf, "kind": "anti_risk_programme", "risk_factor": "students_at_risk", "title": "Антирисковая программа: неуспешность"])
                #expect(created.status == .seeOther && Self.location(created).hasPrefix("/programmes/"))
                let programme = Self.location(created)
                let added = try await school.request("\(programme)/measures", .post, form: [
                    "csrf": csrf, "section": "methodological", "title": "Диагностика предметных дефицитов", "deadline": "2026-02-28",
                    "responsible": "заместитель директора по УВР", "expected_result": "карта дефицитов"])
                #expect(added.status == .seeOther)
                let badDeadline = try await school.request("\(programme)/measures", .post, form: [
                    "csrf": csrf, "section": "staff", "title": "x", "deadline": "", "responsible": "y"])
                #expect(badDeadline.status == .badRequest)
                let quarterly = try await school.request("\(programme)/measures", .post, form: [
                    "csrf": csrf, "section": "monitoring", "title": "Мониторинг успеваемости", "recurrence": "quarterly", "responsible": "руководитель ОО"])
                #expect(quarterly.status == .seeOther)

                let page = String(buffer: try await school.request(programme).body)
                #expect(page.contains("Диагностика предметных дефицитов") && page.contains("28.02.2026") && page.contains("просрочено"))
                #expect(page.contains("ежеквартально"))
                let measureID = try #require(Self.location(added).split(separator: "-").last.flatMap { Int($0) })

                // The coordinator's list of what needs attention: the late measure, and 0101 never visited by its curator.
                let coordinator = Browser(client)
                try await coordinator.signIn("municipality")
                let attention = String(buffer: try await coordinator.request("/attention").body)
                #expect(attention.contains("просрочено: «Диагностика предметных дефицитов»") && attention.contains("визитов куратора ещё не было"))
                #expect(!String(buffer: try await Browser(client).request("/attention").body).contains("Диагностика"))

                // «Выполнено» with nothing to show for it: the form comes back open, with what was typed and the reason beside the field.
                let refused = try await school.request("/measures/\(measureID)/update", .post,
                                                       form: ["csrf": csrf, "status": "done", "evidence": " ", "responsible": "завуч Петрова"])
                let refusedPage = String(buffer: refused.body)
                #expect(refused.status == .badRequest && refusedPage.contains("<details open>"))
                #expect(refusedPage.contains("id=\"evidence-error-\(measureID)\"") && refusedPage.contains("напишите, что сделано, или приложите файл"))
                #expect(refusedPage.contains("value=\"завуч Петрова\"") && refusedPage.contains("<option value=\"done\" selected>"))
                #expect(try await f.db.scoped(.everything).measure(id: measureID)?.measure.recordedStatus != .done)
                let updated = try await school.request("/measures/\(measureID)/update", .post,
                                                       form: ["csrf": csrf, "status": "done", "evidence": "Карта дефицитов утверждена приказом № 12"])
                #expect(updated.status == .seeOther)
                // A measure is edited to fit the school: what, who, by when (a recurrence here).
                #expect(try await school.request("/measures/\(measureID)/update", .post, form: [
                    "csrf": csrf, "status": "done", "evidence": "Карта дефицитов утверждена приказом № 12",
                    "title": "Диагностика предметных дефицитов (5–7 классы)", "responsible": "руководитель ШМО", "deadline": "", "recurrence": "half_year",
                ]).status == .seeOther)
                let edited = try #require(try await f.db.scoped(.everything).measure(id: measureID)?.measure)
                #expect(edited.title == "Диагностика предметных дефицитов (5–7 классы)" && edited.responsible == "руководитель ШМО"
                        && edited.deadline == .recurring(.halfYear) && edited.recordedStatus == .done)
                // A custom indicator, its target typed as per cent.
                let programmeID = Int(programme.split(separator: "/").last!)!
                #expect(try await school.request("\(programme)/indicators", .post, form: [
                    "csrf": csrf, "name": "Доля «2» по математике, 5 класс", "unit": "share", "direction": "lower_is_better",
                    "baseline": "30", "target": "15%", "period": "annual"]).status == .seeOther)
                let custom = try #require(try await f.db.scoped(.everything).indicators(programmeID: programmeID)?.last)
                #expect(custom.name == "Доля «2» по математике, 5 класс" && custom.baseline == 0.3 && custom.target == 0.15)
                #expect(try await school.request("\(programme)/indicators", .post, form: [
                    "csrf": csrf, "name": " ", "unit": "share", "direction": "lower_is_better", "period": "annual"]).status == .badRequest)
                // One form: status, evidence and a file saved together (before, only the file was).
                let boundary = "----PlanTest"
                func field(_ name: String, _ value: String) -> String {
                    "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
                }
                let multipart = field("csrf", csrf) + field("status", "done") + field("evidence", "Карта дефицитов утверждена приказом № 12")
                    + field("title", "Диагностика предметных дефицитов (5–7 классы)") + field("responsible", "руководитель ШМО")
                    + field("deadline", "") + field("recurrence", "half_year")
                    + "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"приказ.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4 приказ\r\n"
                    + "--\(boundary)--\r\n"
                let attached = try await school.raw("/measures/\(measureID)/update", body: ByteBuffer(string: multipart),
                                                    contentType: "multipart/form-data; boundary=\(boundary)")
                #expect(attached.status == .seeOther)
                #expect(!String(buffer: try await coordinator.request("/attention").body).contains("Диагностика предметных дефицитов"))
                let after = String(buffer: try await school.request(programme).body)
                #expect(after.contains("выполнено") && after.contains("приказом № 12") && after.contains("приказ.pdf"))
                let fileLink = try #require(after.range(of: "href=\"/files/")).upperBound
                let fileID = String(after[fileLink...].prefix { $0 != "\"" })
                let download = try await school.request("/files/\(fileID)")
                #expect(download.status == .ok && String(buffer: download.body) == "%PDF-1.4 приказ")
                #expect(download.headers[.contentDisposition]?.hasPrefix("attachment") == true)

                // The curator comments but does not change the school's measures.
                let curator = Browser(client)
                try await curator.signIn("curator")
                let token = try await curator.csrf()
                #expect(try await curator.request("/measures/\(measureID)/comments", .post, form: ["csrf": token, "body": "Приложите протокол педсовета"]).status == .seeOther)
                #expect(try await curator.request("/measures/\(measureID)/update", .post, form: ["csrf": token, "status": "planned"]).status == .forbidden)
                #expect(String(buffer: try await school.request(programme).body).contains("Приложите протокол педсовета"))

                // Another territory: the same 404 as for nothing.
                let viewer = Browser(client)
                try await viewer.signIn("viewer")
                #expect(try await viewer.request(programme).status == .ok)
                #expect(try await viewer.request("/measures/\(measureID)/update", .post, form: ["csrf": try await viewer.csrf(), "status": "planned"]).status == .forbidden)
                #expect(try await school.request("/schools/0201/plan").status == .notFound)
                let hash = try await Passwords.hash(WebSample.password, cost: 4)
                _ = try await f.db.createUser(UserRecord(login: "school2", passwordHash: hash, role: .school, territoryKind: .school, territory: "0201"), actor: .commandLine)
                let other = Browser(client)
                try await other.signIn("school2")
                #expect(try await other.request(programme).status == .notFound)
                #expect(try await other.request("/files/\(fileID)").status == .notFound)
                #expect(try await other.request("/measures/\(measureID)/update", .post, form: ["csrf": try await other.csrf(), "status": "planned"]).status == .notFound)
            }
        }
    }
}

@Suite("Municipal plans page")
struct MunicipalPlansPageTests {
    @Test func theCoordinatorKeepsTheMunicipalRoadmapEventsPairsAndMentors() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let coordinator = Browser(client)
                try await coordinator.signIn("municipality")
                let csrf = try await coordinator.csrf()
                let page = String(buffer: try await coordinator.request("/municipal-plans").body)
                #expect(page.contains("Школ в программе поддержки") && page.contains(WebSample.town))
                let created = try await coordinator.request("/municipal-plans/programmes", .post,
                                                            form: ["csrf": csrf, "municipality": WebSample.town, "title": "Дорожная карта ШНОР 2026"])
                #expect(created.status == .seeOther)
                #expect(try await coordinator.request("/municipal-plans/programmes", .post,
                                                      form: ["csrf": csrf, "municipality": WebSample.district, "title": "чужая"]).status == .notFound)
                #expect(try await coordinator.request("/municipal-plans/events", .post, form: [
                    "csrf": csrf, "kind": "seminar", "day": "2026-12-01", "school": "", "municipality": WebSample.town,
                    "topic": "Формирующее оценивание", "participants": "учителя математики 0101, 0103"]).status == .seeOther)
                #expect(try await coordinator.request("/municipal-plans/pairs", .post, form: ["csrf": csrf, "supported": "0101", "partner": "0102"]).status == .ok)
                let conflict = try await coordinator.request("/municipal-plans/mentors", .post,
                                                             form: ["csrf": csrf, "school": "0101", "name": "Смирнова А. В.", "staff_school": "0101"])
                #expect(conflict.status == .badRequest && String(buffer: conflict.body).contains("конфликт интересов") && !String(buffer: conflict.body).contains("conflict of interest"))
                #expect(try await coordinator.request("/municipal-plans/mentors", .post,
                                                      form: ["csrf": csrf, "school": "0101", "name": "Смирнова А. В.", "staff_school": "0102"]).status == .seeOther)
                let after = String(buffer: try await coordinator.request("/municipal-plans").body)
                #expect(after.contains("Дорожная карта ШНОР 2026") && after.contains("Формирующее оценивание") && after.contains("МБОУ «Лицей № 2»"))

                let curator = Browser(client)
                try await curator.signIn("curator")
                let token = try await curator.csrf()
                #expect(try await curator.request("/municipal-plans/events", .post, form: [
                    "csrf": token, "kind": "visit", "day": "2027-01-10", "school": "0101", "municipality": "", "topic": "Посещение уроков"]).status == .seeOther)
                #expect(try await curator.request("/municipal-plans/events", .post, form: [
                    "csrf": token, "kind": "seminar", "day": "2027-01-10", "school": "", "municipality": WebSample.town, "topic": "x"]).status == .forbidden)
                #expect(try await curator.request("/municipal-plans/events", .post, form: [
                    "csrf": token, "kind": "visit", "day": "2027-01-10", "school": "0201", "municipality": "", "topic": "x"]).status == .notFound)
                #expect(try await curator.request("/registry/exit-review", .post, form: ["csrf": token]).status == .forbidden)
                // 0101 is in the registry but not in the programme yet: the review lists nobody and changes nothing.
                let review = try await coordinator.request("/registry/exit-review", .post, form: ["csrf": csrf])
                #expect(review.status == .ok && String(buffer: review.body).contains("Школ в программе нет"))
                let plan = String(buffer: try await curator.request("/schools/0101/plan").body)
                #expect(plan.contains("Посещение уроков") && plan.contains("Смирнова А. В.") && plan.contains("Формирующее оценивание"))
                // The curator's visit log is on the school's plan: a visit form, visits only.
                #expect(plan.contains(#"id="log-visit""#) && plan.contains(#"<option value="visit">"#) && !plan.contains(#"<option value="seminar">"#))
                let school = Browser(client)
                try await school.signIn("school")
                #expect(!String(buffer: try await school.request("/schools/0101/plan").body).contains(#"id="log-visit""#))
            }
        }
    }
}

@Suite("Programmes from templates and indicator values")
struct TemplateProgrammePageTests {
    @Test func aSchoolStartsFromATemplateAndEntersIndicatorValues() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let school = Browser(client)
                try await school.signIn("school")
                let csrf = try await school.csrf()
                let plan = String(buffer: try await school.request("/schools/0101/plan").body)
                #expect(plan.contains("anti-risk-staff-shortage") && plan.contains("seed-002-school-roadmap"))
                let created = try await school.request("/schools/0101/programmes", .post, form: ["csrf": csrf, "template": "anti-risk-staff-shortage"])
                #expect(created.status == .seeOther)
                let programme = created.headers[.location] ?? ""
                let page = String(buffer: try await school.request(programme).body)
                #expect(page.contains("Количество вакансий педагогических работников") && page.contains("из каталога образцов"))
                // The template's id is an internal word: never on the page.
                #expect(!page.contains("anti-risk-staff-shortage"))
                let id = try #require(try await f.db.scoped(.everything).programme(id: Int(programme.split(separator: "/").last!)!))
                let vacancies = try #require(try await f.db.scoped(.everything).indicators(programmeID: id.id)?.first { $0.name.contains("вакансий") })
                // The fixture's clock is in January 2027: an annual value is for 2027, typed as the coordinator would.
                #expect(try await school.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": csrf, "period": "2027", "value": "2"]).status == .seeOther)
                #expect(try await school.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": csrf, "period": "весной", "value": "1"]).status == .badRequest)
                let words = try await school.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": csrf, "period": "2027", "value": "два"])
                #expect(words.status == .badRequest && String(buffer: words.body).contains("Количество — целое число"))
                #expect(try await school.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": csrf, "period": "2027", "value": "1,5"]).status == .badRequest)
                // 2 vacancies with target 0 and no baseline: the target is not met, and one value says nothing of progress.
                let after = String(buffer: try await school.request(programme).body)
                #expect(after.contains("цель не достигнута") && !after.contains("есть продвижение"))
                let api = try await client.execute(uri: "/api/v1/schools/0101/indicators", method: .get, headers: [.authorization: "Bearer \(f.tokens["school"]!)"])
                #expect(String(buffer: api.body).contains(#""period":"2027","value":2"#))
                let viewer = Browser(client)
                try await viewer.signIn("viewer")
                #expect(try await viewer.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": try await viewer.csrf(), "period": "2027", "value": "1"]).status == .forbidden)
                let hash = try await Passwords.hash(WebSample.password, cost: 4)
                _ = try await f.db.createUser(UserRecord(login: "school2", passwordHash: hash, role: .school, territoryKind: .school, territory: "0201"), actor: .commandLine)
                let other = Browser(client)
                try await other.signIn("school2")
                #expect(try await other.request("/indicators/\(vacancies.id)/values", .post, form: ["csrf": try await other.csrf(), "period": "2027", "value": "1"]).status == .notFound)
            }
        }
    }

    @Test func theQuestionnaireGivesALevelThePlanOffersAndTheAPIShows() async throws {
        try await WebFixture.with { f in
            try await f.test { client in
                let school = Browser(client)
                try await school.signIn("school")
                let csrf = try await school.csrf()
                let page = String(buffer: try await school.request("/schools/0101/questionnaire").body)
                #expect(page.contains("Проводился ли за последний год опрос учебной мотивации учеников?") && page.contains("Как выглядят уровни"))
                // Motivation: 1 + 1 + 0 + 1 of 8 = 37.5% → high; equipment half answered → no level yet.
                let saved = try await school.request("/schools/0101/questionnaire", .post, form: [
                    "csrf": csrf, "q_low_motivation_q1": "1", "q_low_motivation_q2": "1", "q_low_motivation_q3": "0", "q_low_motivation_q4": "1",
                    "q_low_equipment_q1": "2"])
                #expect(saved.status == .seeOther && (saved.headers[.location] ?? "") == "/schools/0101/questionnaire?saved=1")
                let after = String(buffer: try await school.request((saved.headers[.location] ?? "")).body)
                #expect(after.contains("Ответы сохранены") && after.contains("По ответам: высокий (3 из 8 баллов)"))
                let profile = try #require(try await f.db.scoped(.everything).riskProfile(schoolID: "0101"))
                #expect(profile.first { $0.factor == .lowEquipment }?.answers == ["q1": "2"])
                #expect(profile.first { $0.factor == .lowMotivation }?.level == nil, "answers do not confirm a level by themselves")

                // The plan offers the answers' level until the school confirms one; confirming keeps the answers.
                let plan = String(buffer: try await school.request("/schools/0101/plan").body)
                #expect(plan.contains("высокий (3 из 8)") && plan.contains(#"<option value="high" selected>"#))
                #expect(try await school.request("/schools/0101/risk-profile", .post, form: ["csrf": csrf, "level_low_motivation": "medium"]).status == .seeOther)
                let kept = try #require(try await f.db.scoped(.everything).riskProfile(schoolID: "0101")?.first { $0.factor == .lowMotivation })
                #expect(kept.level == .medium && kept.answers["q3"] == "0")

                let api = try await client.execute(uri: "/api/v1/schools/0101/risk-profile", method: .get, headers: [.authorization: "Bearer \(f.tokens["school"]!)"])
                let body = String(buffer: api.body)
                #expect(body.contains(#""answers_level":"high""#) && body.contains(#""answers_points":3"#) && body.contains(#""q3":0"#))

                // A value off the scale is refused whole, naming the question; nothing is written.
                let bad = try await school.request("/schools/0101/questionnaire", .post, form: ["csrf": csrf, "q_low_equipment_q3": "1", "q_low_motivation_q1": "2"])
                #expect(bad.status == .badRequest && String(buffer: bad.body).contains("low_equipment.q3"))
                #expect(try await f.db.scoped(.everything).riskProfile(schoolID: "0101")?.first { $0.factor == .lowMotivation }?.answers["q1"] == "1")

                // Others: the curator reads but may not answer; another school sees nothing.
                let curator = Browser(client)
                try await curator.signIn("curator")
                #expect(try await curator.request("/schools/0101/questionnaire").status == .ok)
                #expect(try await curator.request("/schools/0101/questionnaire", .post, form: ["csrf": try await curator.csrf(), "q_low_motivation_q1": "2"]).status == .forbidden)
                #expect(try await school.request("/schools/0201/questionnaire").status == .notFound)
                #expect(try await school.request("/schools/0201/questionnaire", .post, form: ["csrf": csrf, "q_low_motivation_q1": "2"]).status == .notFound)
            }
        }
    }
}
