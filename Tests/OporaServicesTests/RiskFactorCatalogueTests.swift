import Foundation
import OporaCore
import Testing
@testable import OporaServices

@Suite("Risk-factor catalogue: questionnaire and data hints")
struct RiskFactorCatalogueTests {
    let catalogue = RiskFactorCatalogue.standard

    @Test func theEmbeddedCatalogueHasTheTenFactorsWithQuestionsAndLevels() {
        #expect(catalogue.factors.map(\.factor) == RiskFactor.allCases)
        for f in catalogue.factors {
            #expect((3...5).contains(f.questions.count), "\(f.factor)")
            #expect(Set(f.levels.keys) == Set(RiskLevel.allCases) && !f.description.ru.isEmpty && !f.description.en.isEmpty)
        }
        // The data cannot see motivation or parents; everything else has a hint.
        #expect(catalogue.factors.filter { $0.hint == nil }.map(\.factor) == [.lowParentInvolvement, .lowMotivation])
    }

    /// A hint over a code the data never has would silently never fire: every code must be a
    /// catalogue indicator or a figure Opora derives (catalogue/check.py keeps the same list).
    @Test func everyHintCodeIsAFigureOporaHas() {
        let known = Set(IndicatorCatalogue.standard.map(\.code)).union(RiskSuggestions.derivedCodes.keys)
        for f in catalogue.factors {
            #expect(f.hint.map { $0.codes.subtracting(known) } ?? [] == [], "\(f.factor)")
        }
    }

    @Test func answersGiveALevelOnlyWhenComplete() {
        // low_equipment: q1, q2, q4 on 0–2, q3 yes/no → maximum 8.
        #expect(catalogue.levelFromAnswers(.lowEquipment, answers: ["q1": "2", "q2": "2"]) == nil)
        #expect(catalogue.levelFromAnswers(.lowEquipment, answers: ["q1": "2", "q2": "2", "q3": "2", "q4": "0"])
                == .init(level: .low, points: 6, maximum: 8))  // 75% ≥ 70%
        #expect(catalogue.levelFromAnswers(.lowEquipment, answers: ["q1": "1", "q2": "1", "q3": "0", "q4": "2"])?.level == .medium)  // 4/8
        #expect(catalogue.levelFromAnswers(.lowEquipment, answers: ["q1": "1", "q2": "0", "q3": "0", "q4": "1"])?.level == .high)  // 2/8
        // A yes/no question has no «partly».
        #expect(catalogue.levelFromAnswers(.lowEquipment, answers: ["q1": "2", "q2": "2", "q3": "1", "q4": "2"]) == nil)
    }

    @Test func conditionsAreReadAndUnknownIsNotFalse() throws {
        let c = try RiskHint.Condition(parsing: "teacher_vacancies / teachers >= 0.1 and has_psychologist == 0")
        #expect(c.parts == [.init(code: "teacher_vacancies", divisor: "teachers", op: .greaterOrEqual, threshold: 0.1),
                            .init(code: "has_psychologist", divisor: nil, op: .equal, threshold: 0)])
        #expect(c.holds(["teacher_vacancies": 2, "teachers": 20, "has_psychologist": 0].get) == true)
        #expect(c.holds(["teacher_vacancies": 1, "teachers": 20].get) == false)  // 5%: false whatever the psychologist
        #expect(c.holds(["teacher_vacancies": 2, "teachers": 20].get) == nil)
        #expect(c.holds(["teacher_vacancies": 2, "teachers": 0, "has_psychologist": 0].get) == nil)  // no division by zero
        for bad in ["computers < ", "a <> 1", "a / < 1", "a < x", ""] {
            #expect(throws: TemplateError.self) { try RiskHint.Condition(parsing: bad) }
        }
        let hint = RiskHint(high: [try .init(parsing: "a < 5")], medium: [try .init(parsing: "a < 10"), try .init(parsing: "b >= 1")], justification: .init(ru: "", en: ""))
        #expect(hint.evaluate(["a": 4].get)?.level == .high)
        #expect(hint.evaluate(["a": 7].get)?.level == .medium)
        #expect(hint.evaluate(["a": 12].get)?.level == .low)
        #expect(hint.evaluate(["b": 2].get)?.level == .medium)
        #expect(hint.evaluate([:].get) == nil, "no figure, no hint")
        // Low shows the medium threshold a director checks against.
        #expect(hint.evaluate(["a": 12].get)?.evidence.map(\.threshold) == [10])
    }
}

extension Dictionary where Key == String, Value == Double {
    var get: (String) -> Double? { { self[$0] } }
}
