import OporaCore

/// The standard columns of the interchange files.
enum Column: String, CaseIterable {
    case schoolID = "school_id", studentID = "student_id", score, mark, journalMark = "journal_mark"
    case year, assessment, subject, grade
    case name, municipality, region, settlement, kind, students, distanceKm = "distance_km"
    case indicator, value
    case task, maxScore = "max_score", level
    case participants, meanScore = "mean_score"
    case share2 = "share_2", share3 = "share_3", share4 = "share_4", share5 = "share_5"
}

enum Vocabulary {
    /// Lowercased, trimmed, ё → е, guillemets and straight quotes removed, runs of spaces collapsed.
    static func normalize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for ch in text.lowercased() {
            switch ch {
            case "ё": if pendingSpace, !out.isEmpty { out.append(" ") }; pendingSpace = false; out.append("е")
            case "«", "»", "\"", "“", "”", "„": continue
            case " ", "\t", "\u{00A0}", "\u{FEFF}": pendingSpace = true
            default:
                if pendingSpace, !out.isEmpty { out.append(" ") }
                pendingSpace = false
                out.append(ch)
            }
        }
        return out
    }

    /// Header aliases (normalized) → standard column.
    static let headerAliases: [String: Column] = {
        var map: [String: Column] = [:]
        for c in Column.allCases { map[c.rawValue] = c }
        let aliases: [(Column, [String])] = [
            (.schoolID, ["код оо", "оо", "код школы", "логин оо", "school", "school_code"]),
            (.studentID, ["код участника", "участник", "participant", "participant_id"]),
            (.score, ["первичный балл", "балл", "тестовый балл"]),
            (.mark, ["отметка", "оценка"]),
            (.journalMark, ["отметка по журналу", "оценка по журналу"]),
            (.grade, ["класс", "параллель"]),
            (.subject, ["предмет"]),
            (.year, ["год"]),
            (.assessment, ["процедура", "оценочная процедура", "вид оценки"]),
            (.name, ["наименование", "название", "наименование оо"]),
            (.municipality, ["муниципалитет", "мо", "район"]),
            (.region, ["регион", "субъект"]),
            (.settlement, ["тип поселения", "местность"]),
            (.kind, ["вид оо", "тип оо"]),
            (.students, ["число обучающихся", "количество обучающихся", "контингент"]),
            (.distanceKm, ["расстояние", "расстояние, км", "удаленность", "удаленность, км"]),
            (.indicator, ["показатель"]),
            (.value, ["значение"]),
            (.task, ["задание", "номер задания"]),
            (.maxScore, ["максимальный балл"]),
            (.level, ["уровень", "уровень сложности"]),
            (.participants, ["участников", "число участников"]),
            (.meanScore, ["средний балл"]),
            (.share2, ["доля 2"]), (.share3, ["доля 3"]), (.share4, ["доля 4"]), (.share5, ["доля 5"]),
        ]
        for (column, names) in aliases { for n in names { map[n] = column } }
        return map
    }()

    static func column(forHeader header: String) -> Column? { headerAliases[normalize(header)] }

    /// The task code of a results column: `task_2.1`, a bare `2.1` / `3(1)`, `Задание 1`, `Зад. 1`, `№1`.
    static func taskCode(forHeader header: String) -> String? {
        let h = normalize(header)
        var rest: Substring
        if h.hasPrefix("task_") {
            rest = h.dropFirst(5)
        } else if h.hasPrefix("task ") {
            rest = h.dropFirst(5)
        } else if h.hasPrefix("задание") {
            rest = h.dropFirst(7)
        } else if h.hasPrefix("зад.") {
            rest = h.dropFirst(4)
        } else {
            rest = Substring(h)
        }
        rest = rest.drop(while: { $0 == " " })
        if rest.hasPrefix("№") { rest = rest.dropFirst().drop(while: { $0 == " " }) }
        let code = String(rest)
        return isTaskCode(code) ? code : nil
    }

    /// `1`, `2.1`, `3(1)`, `10.2.3`, `4(2).1`.
    static func isTaskCode(_ s: String) -> Bool {
        var chars = Array(s.unicodeScalars)[...]
        func digits() -> Bool {
            var n = 0
            while let c = chars.first, ("0"..."9").contains(c) { chars = chars.dropFirst(); n += 1 }
            return n > 0
        }
        guard digits() else { return false }
        while let c = chars.first {
            if c == "." {
                chars = chars.dropFirst()
                guard digits() else { return false }
            } else if c == "(" {
                chars = chars.dropFirst()
                guard digits(), chars.first == ")" else { return false }
                chars = chars.dropFirst()
            } else {
                return false
            }
        }
        return true
    }

    // MARK: Values

    static func assessment(_ text: String) -> Assessment {
        let t = normalize(text)
        switch t {
        case "впр", "vpr": return .vpr
        case "огэ", "oge", "гиа-9": return .oge
        case "егэ", "ege", "гиа-11": return .ege
        case "региональная", "рдр", "региональная диагностическая работа", "regional": return .regional
        case "муниципальная", "мдр", "муниципальная диагностическая работа", "municipal": return .municipal
        default: return Assessment(t)
        }
    }

    static let subjects: [String: String] = [
        "русский язык": "russian", "русский": "russian",
        "математика": "math", "алгебра": "algebra", "геометрия": "geometry",
        "литература": "literature", "литературное чтение": "reading",
        "история": "history", "обществознание": "social_studies",
        "география": "geography", "биология": "biology", "физика": "physics", "химия": "chemistry",
        "информатика": "informatics", "информатика и икт": "informatics",
        "английский язык": "english", "английский": "english",
        "немецкий язык": "german", "французский язык": "french",
        "окружающий мир": "world_around",
        "естествознание": "science",
    ]

    static func subject(_ text: String) -> String {
        let t = normalize(text)
        return subjects[t] ?? t
    }

    /// `5`, `5А`, `5 класс`, `11-Б` → the leading number; `nil` when there is none.
    static func gradeNumber(_ text: String) -> Int? {
        let t = normalize(text)
        var n = 0, digits = 0
        var rest = t.unicodeScalars[...]
        while let c = rest.first, let d = Int(String(c)), ("0"..."9").contains(c) {
            n = n * 10 + d
            digits += 1
            rest = rest.dropFirst()
            if digits > 3 { return nil }
        }
        guard digits > 0 else { return nil }
        if let c = rest.first, c == "." || c == "," { return nil }
        return n
    }

    static func settlement(_ text: String) -> Settlement? {
        switch normalize(text) {
        case "urban", "город", "городская", "городской", "городское", "г": return .urban
        case "rural", "село", "сельская", "сельский", "сельское", "деревня", "с", "сельская местность": return .rural
        default: return nil
        }
    }

    static func schoolKind(_ text: String) -> SchoolKind? {
        let t = normalize(text)
        if let k = SchoolKind(rawValue: t) { return k }
        switch t {
        case "сош", "оош", "нош", "школа", "общеобразовательная", "средняя школа", "основная школа", "начальная школа":
            return .general
        case "лицей": return .lyceum
        case "гимназия": return .gymnasium
        case "вечерняя", "сменная", "в(с)ош", "вош", "сош вечерняя": return .evening
        case "интернат", "школа-интернат": return .boarding
        case "коррекционная", "специальная", "специальная (коррекционная)": return .special
        case "другая", "иная", "прочая": return .other
        default: return nil
        }
    }
}
