import Foundation
import OporaAnalysis
import OporaCore
import Testing

@Suite("Rule sets")
struct RuleSetTests {
    static let defaultFile = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("rules/default.yaml")

    @Test("rules/default.yaml is the built-in default set")
    func defaultFileMatches() throws {
        let parsed = try RuleSet.load(path: Self.defaultFile.path)
        #expect(parsed == RuleSet.default)
        #expect(parsed.digest == RuleSet.default.digest)
    }

    @Test("the default set has the stable criterion ids in their categories")
    func ids() {
        let ids = RuleSet.default.categories.map { "\($0.id): \($0.criteria.map(\.id).joined(separator: ","))" }
        #expect(ids == ["low_results: official_fail_share,stably_low", "social_risk: wellbeing_index",
                        "resource_deficit: staff_deficit,material_deficit",
                        "non_objective: journal_mismatch,not_confirmed_by_exam,task_pattern,score_heaping,vanishing_jump,combined_signs"])
    }

    @Test("JSON is read like YAML; omitted parameters keep their defaults")
    func json() throws {
        let r = try RuleSet.parse(#"{"name": "x", "version": "2", "categories": {"low_results": {"official_fail_share": {"threshold": 0.25}}}}"#)
        #expect(r.criterion("official_fail_share")?.number("threshold") == 0.25)
        #expect(r.criterion("official_fail_share")?.int("min_procedures") == 2)
        #expect(r.digest != RuleSet.default.digest)
    }

    @Test("a disabled criterion is not run")
    func disabled() throws {
        let r = try RuleSet.parse("name: x\nversion: '1'\ncategories:\n  non_objective:\n    task_pattern:\n      enabled: false\n")
        #expect(r.criterion("task_pattern") == nil)
        #expect(r.criterion("score_heaping") != nil)
    }

    func problems(_ text: String) -> [String] {
        do {
            _ = try RuleSet.parse(text)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("errors name the key path, in Russian and English")
    func errors() {
        let p = problems("""
        name: x
        version: "1"
        colour: red
        categories:
          low_results:
            official_fail_share:
              threshold: 30
              min_procedures: two
            stably_lo:
              bottom_share: 0.1
          non_objective:
            score_heaping:
              fdr_q: 0.05
              speed: 3
          social_risk:
            wellbeing_index:
              weights: {income: 1}
        """)
        #expect(p.count == 6)
        #expect(p.contains { $0.hasPrefix("colour") && $0.contains("неизвестный ключ") && $0.contains("unknown key") })
        #expect(p.contains { $0.hasPrefix("categories.low_results.official_fail_share.threshold (строка 7 / line 7)")
            && $0.contains("вне допустимого диапазона") && $0.contains("0.30, not 30") })
        #expect(p.contains { $0.hasPrefix("categories.low_results.official_fail_share.min_procedures") && $0.contains("expected a number") })
        #expect(p.contains { $0.hasPrefix("categories.low_results.stably_lo") && $0.contains("unknown criterion") })
        #expect(p.contains { $0.hasPrefix("categories.non_objective.score_heaping.speed") && $0.contains("unknown parameter") })
        #expect(p.contains { $0.hasPrefix("categories.social_risk.wellbeing_index.weights.income") })
    }

    @Test("missing name and version, a criterion under the wrong category, a bad sign")
    func moreErrors() {
        let p = problems("""
        categories:
          social_risk:
            staff_deficit: {}
          resource_deficit:
            material_deficit:
              signs:
                - {indicator: computers, op: below, threshold: 5}
        """)
        #expect(p.contains { $0.hasPrefix("name") })
        #expect(p.contains { $0.hasPrefix("version") })
        #expect(p.contains { $0.contains("belongs to another category") })
        #expect(p.contains { $0.hasPrefix("categories.resource_deficit.material_deficit.signs[0].indicator") })
        #expect(!problems("not: [valid").isEmpty)
    }
}

@Suite("Exit rule")
struct ExitRuleTests {
    @Test func theExitSectionIsReadAndCheckedAndPartOfTheDigest() throws {
        let r = try RuleSet.parse("name: x\nversion: \"1\"\nexit:\n  clean_years: 3\n  targets_met: false\n")
        #expect(r.exit == ExitRule(cleanYears: 3, targetsMet: false))
        #expect(r.canonicalJSON().contains("\"clean_years\" : 3"))
        #expect(RuleSet.default.exit == ExitRule(cleanYears: 2, targetsMet: true))
        do {
            _ = try RuleSet.parse("name: x\nversion: \"1\"\nexit:\n  clean_years: 9\n  later: yes\n")
            Issue.record("accepted a bad exit section")
        } catch {
            #expect(error.problems.map(\.path).sorted() == ["exit.clean_years", "exit.later"])
        }
    }
}

@Suite("Value-added in the rule set")
struct ValueAddedRuleTests {
    static let text = """
        name: va
        version: "1"
        value_added:
          outcome: vpr:math:5
          prior: vpr:math:4
          context: [low_income_share, non_native_share]
          model: multilevel
        """

    @Test func theSectionIsReadPinnedToTheAnalysisYearAndPartOfTheDigest() throws {
        let r = try RuleSet.parse(Self.text)
        let va = try #require(r.valueAdded)
        let spec = va.specification(year: 2025)
        #expect(spec.outcome == Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5))
        #expect(spec.prior == Procedure(year: 2024, assessment: .vpr, subject: "math", grade: 4))
        #expect(spec.context == ["low_income_share", "non_native_share"] && spec.kind == .multilevel)
        // Written back and read again: the same rules, the same digest; without the section, the digest is the default's.
        let again = try RuleSet.parse(r.canonicalJSON())
        #expect(again == r && again.digest == r.digest)
        var without = r
        without.valueAdded = nil
        #expect(without.digest != r.digest)
        #expect(!RuleSet.default.canonicalJSON().contains("value_added"))
        // Same grade, another subject: the same year.
        let same = try RuleSet.parse("name: x\nversion: \"1\"\nvalue_added: {outcome: 'oge:math:9', prior: 'vpr:russian:9', model: ols}\n")
        #expect(same.valueAdded?.specification(year: 2025).prior?.year == 2025 && same.valueAdded?.kind == .ols)
    }

    @Test func mistakesAreNamedByKeyPath() {
        func paths(_ text: String) -> [String] {
            do { _ = try RuleSet.parse(text); return [] } catch { return error.problems.map(\.path).sorted() }
        }
        #expect(paths("name: x\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math', model: bayes, extra: 1}\n")
                == ["value_added.extra", "value_added.model", "value_added.outcome"])
        #expect(paths("name: x\nversion: \"1\"\nvalue_added: {prior: 'vpr:math:4'}\n") == ["value_added.outcome"])
        #expect(paths("name: x\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math:5', prior: 'oge:math:9'}\n") == ["value_added.prior"])
        #expect(paths("name: x\nversion: \"1\"\nvalue_added: {outcome: 'vpr:math:5', context: low_income_share}\n") == ["value_added.context"])
    }
}
