import OporaCore
import Testing

@Suite("Russian plurals and number formats")
struct LanguageTests {
    @Test(arguments: [(1, "школа"), (2, "школы"), (4, "школы"), (5, "школ"), (11, "школ"), (12, "школ"),
                      (14, "школ"), (21, "школа"), (22, "школы"), (25, "школ"), (101, "школа"), (111, "школ"), (0, "школ")])
    func pluralForms(_ count: Int, _ expected: String) {
        #expect(RussianPlural.school.form(for: count) == expected)
    }

    @Test func numbers() {
        #expect(NumberFormat.integer(1234) == "1\u{202F}234")
        #expect(NumberFormat.integer(1234567, .en) == "1,234,567")
        #expect(NumberFormat.integer(999) == "999")
        #expect(NumberFormat.decimal(1234.5) == "1\u{202F}234,5")
        #expect(NumberFormat.decimal(0.05, digits: 2) == "0,05")
        #expect(NumberFormat.decimal(-3.25, digits: 1, .en) == "−3.3")
        #expect(NumberFormat.decimal(.nan) == "—")
        #expect(NumberFormat.decimal(7.0007, digits: 3) == "7,001")
        #expect(NumberFormat.decimal(12.5, digits: 0) == "13")
        #expect(NumberFormat.decimal(-1234.04, digits: 2, .en) == "−1,234.04")
        #expect(NumberFormat.integer(-1234) == "−1\u{202F}234")
        #expect(NumberFormat.integer(-12) == "−12")
        #expect(NumberFormat.count(21, .school, en: "school") == "21 школа")
        #expect(NumberFormat.count(1, .school, en: "school", .en) == "1 school")
        #expect(NumberFormat.count(3, .school, en: "school", .en) == "3 schools")
        #expect(NumberFormat.count(2, .municipality, en: "municipality", enPlural: "municipalities", .en) == "2 municipalities")
    }
}
