import Foundation
import OporaCore

/// Every message the importer can give, in Russian and English. docs/formats.md lists them.
enum Messages {
    static func t(_ ru: String, _ en: String) -> LocalizedText { LocalizedText(ru: ru, en: en) }

    /// A computed number for a message: no trailing zeros, a decimal comma in Russian.
    static func number(_ v: Double, ru: Bool) -> String {
        var s: String
        if v == v.rounded(), abs(v) < 1e15 {
            s = String(Int64(v))
        } else {
            s = String((v * 1000).rounded() / 1000)
        }
        if ru { s = s.replacingOccurrences(of: ".", with: ",") }
        return s
    }

    /// The longest part of a value a message quotes, in characters: enough to find the cell,
    /// never the whole of a runaway field (a 30 MB cell once made 49 MB of messages).
    static let quotedLimit = 60

    /// A value from the file as a message quotes it: in «», cut to `quotedLimit` characters with «…».
    /// Every message quotes values through this, once per language.
    static func quoted(_ value: String) -> String {
        // `prefix` walks at most limit + 1 characters, however long the value.
        let head = value.prefix(quotedLimit + 1)
        return "«" + (head.count > quotedLimit ? String(head.prefix(quotedLimit)) + "…" : String(head)) + "»"
    }

    // MARK: Files

    static let fileNotFound = t("файл или папка не найдены", "file or folder not found")
    static let folderEmpty = t("в папке нет файлов .csv, .txt, .tsv или .xlsx", "the folder has no .csv, .txt, .tsv or .xlsx files")
    static let noFiles = t("не указано ни одного файла", "no files were given")
    /// The system's reason is in English only: the Russian message names it without it.
    static func cannotRead(_ reason: String) -> LocalizedText {
        t("не удаётся прочитать файл (нет доступа или это не обычный файл)", "cannot read the file: \(reason)")
    }
    static let emptyFile = t("файл пуст", "the file is empty")
    static let headerOnly = t("в файле есть заголовок, но нет ни одной строки данных",
                              "the file has a header but no data rows")
    static func xlsxUnreadable(_ reason: LocalizedText) -> LocalizedText {
        t("не удаётся прочитать книгу Excel (.xlsx): \(reason.ru); сохраните первый лист как CSV (UTF-8 или Windows-1251)",
          "cannot read the Excel workbook (.xlsx): \(reason.en); save the first sheet as CSV (UTF-8 or Windows-1251)")
    }
    static let xlsxDamaged = t("файл повреждён или это не ZIP-архив", "the file is damaged or not a ZIP archive")
    static let xlsxNoWorkbook = t("в архиве нет книги Excel (xl/workbook.xml)", "the archive has no Excel workbook (xl/workbook.xml)")
    static func xlsxMissingPart(_ part: String) -> LocalizedText {
        t("в книге нет части \(part)", "the workbook has no part \(part)")
    }
    static func xlsxDamagedPart(_ part: String) -> LocalizedText {
        t("часть \(part) повреждена", "part \(part) is damaged")
    }
    static func xlsxBadSharedString(_ index: String) -> LocalizedText {
        t("ячейка ссылается на несуществующую общую строку \(quoted(index))", "a cell refers to a missing shared string \(quoted(index))")
    }
    static let xlsxZIP64 = t("архив в формате ZIP64 не поддерживается", "ZIP64 archives are not supported")
    static func xlsxTooManyParts(_ limit: Int) -> LocalizedText {
        t("в архиве больше \(NumberFormat.integer(limit)) частей", "the archive has more than \(NumberFormat.integer(limit, .en)) parts")
    }
    static func xlsxUnsupportedPart(_ part: String) -> LocalizedText {
        t("часть \(part) зашифрована или сжата неподдерживаемым способом", "part \(part) is encrypted or compressed in an unsupported way")
    }
    static func xlsxTooLarge(_ limitBytes: Int) -> LocalizedText {
        t("книга распаковывается в слишком большой объём (больше \(NumberFormat.integer(limitBytes >> 20)) МБ)",
          "the workbook unpacks to too much data (over \(NumberFormat.integer(limitBytes >> 20, .en)) MB)")
    }
    static func xlsxCompressedTooStrongly(_ part: String, _ ratio: Int) -> LocalizedText {
        t("часть \(part) сжата слишком сильно (больше чем в \(ratio) раз)", "part \(part) is compressed too strongly (over \(ratio):1)")
    }
    static func xlsxRowBeyondLimit(_ row: String, _ limit: Int) -> LocalizedText {
        t("строка \(groupedDigits(row, .ru)) — больше предела Excel (\(NumberFormat.integer(limit)))",
          "row \(groupedDigits(row, .en)) is beyond Excel's limit (\(NumberFormat.integer(limit, .en)))")
    }
    static func xlsxColumnBeyondLimit(_ column: String, _ limit: Int, _ lastName: String) -> LocalizedText {
        t("столбец \(column) — больше предела Excel (\(lastName), \(NumberFormat.integer(limit)) столбцов)",
          "column \(column) is beyond Excel's limit (\(lastName), \(NumberFormat.integer(limit, .en)) columns)")
    }
    static func xlsxBadRowNumber(_ r: String) -> LocalizedText {
        t("неверный номер строки «\(r)»", "invalid row number «\(r)»")
    }
    static func xlsxBadCellReference(_ r: String) -> LocalizedText {
        t("неверная ссылка на ячейку «\(r)»", "invalid cell reference «\(r)»")
    }
    static func xlsxTooManyCells(_ row: Int, _ limit: Int) -> LocalizedText {
        t("в строке \(NumberFormat.integer(row)) больше \(NumberFormat.integer(limit)) ячеек",
          "row \(NumberFormat.integer(row, .en)) has more than \(NumberFormat.integer(limit, .en)) cells")
    }
    static func xlsxTooManySharedStrings(_ limit: Int) -> LocalizedText {
        t("в книге больше \(NumberFormat.integer(limit)) общих строк текста", "the workbook has more than \(NumberFormat.integer(limit, .en)) shared strings")
    }
    static func xlsxOutputTooLarge(_ limitBytes: Int) -> LocalizedText {
        t("лист слишком большой: больше \(NumberFormat.integer(limitBytes >> 20)) МБ в виде CSV",
          "the sheet is too large: over \(NumberFormat.integer(limitBytes >> 20, .en)) MB as CSV")
    }
    /// A number written in the file (possibly too long for Int) grouped like NumberFormat.integer.
    private static func groupedDigits(_ s: String, _ language: Language) -> String {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return s }
        var out = ""
        let count = s.utf8.count
        for (i, ch) in s.enumerated() {
            if i > 0, (count - i) % 3 == 0 { out.append(language == .ru ? "\u{202F}" : ",") }
            out.append(ch)
        }
        return out
    }
    static let xls = t("это книга Excel (.xls), а не CSV: сохраните её как CSV (UTF-8 или Windows-1251)",
                       "this is an Excel workbook (.xls), not CSV: save it as CSV (UTF-8 or Windows-1251)")
    static let utf16 = t("файл в кодировке UTF-16: сохраните его как CSV в UTF-8 или Windows-1251",
                         "the file is in UTF-16: save it as CSV in UTF-8 or Windows-1251")
    static let binary = t("файл не похож на текст (в нём есть двоичные данные): сохраните его как CSV в UTF-8 или Windows-1251",
                          "the file does not look like text (it contains binary data): save it as CSV in UTF-8 or Windows-1251")
    static let unknownKind = t(
        "не удаётся понять, что это за файл. Ожидаются столбцы одного из файлов: "
            + "schools.csv (school_id, name, municipality, region, settlement, kind, students); "
            + "context.csv (year, school_id, indicator, value); "
            + "results.csv (year, assessment, subject, grade, school_id, student_id, score); "
            + "tasks.csv (year, assessment, subject, grade, task, max_score); "
            + "results_school.csv (year, assessment, subject, grade, school_id, participants)",
        "cannot tell what this file is. Expected the columns of one of: "
            + "schools.csv (school_id, name, municipality, region, settlement, kind, students); "
            + "context.csv (year, school_id, indicator, value); "
            + "results.csv (year, assessment, subject, grade, school_id, student_id, score); "
            + "tasks.csv (year, assessment, subject, grade, task, max_score); "
            + "results_school.csv (year, assessment, subject, grade, school_id, participants)")

    // MARK: Structure

    static func missingColumn(_ name: String) -> LocalizedText {
        t("нет обязательного столбца \(quoted(name))", "required column \(quoted(name)) is missing")
    }
    static func duplicateColumn(_ first: String, _ meaning: String) -> LocalizedText {
        t("столбец повторяет столбец \(quoted(first)) (оба означают \(meaning))",
          "the column repeats column \(quoted(first)) (both mean \(meaning))")
    }
    static func duplicateTaskColumn(_ first: String, _ task: String) -> LocalizedText {
        t("столбец повторяет столбец \(quoted(first)) (оба означают задание \(quoted(task)))",
          "the column repeats column \(quoted(first)) (both mean task \(quoted(task)))")
    }
    static let unclosedQuote = t("кавычка не закрыта до конца файла", "a quote is not closed before the end of the file")
    static func tooManyValues(_ n: Int, _ columns: Int) -> LocalizedText {
        t("в строке \(n) значений, а в заголовке \(columns) столбцов: проверьте разделитель и возьмите в кавычки числа с десятичной запятой",
          "the row has \(n) values but the header has \(columns) columns: check the delimiter and quote numbers with a decimal comma")
    }
    static let emptyRequired = t("пустое значение в обязательном столбце", "empty value in a required column")

    // MARK: Values

    static func notNumber(_ s: String) -> LocalizedText { t("не число: \(quoted(s))", "not a number: \(quoted(s))") }
    /// A number beyond what any field of the formats can hold (and beyond exact whole numbers).
    static func tooLarge(_ s: String) -> LocalizedText {
        t("слишком большое число: \(quoted(s))", "the number is too large: \(quoted(s))")
    }
    static func notInteger(_ s: String) -> LocalizedText { t("не целое число: \(quoted(s))", "not a whole number: \(quoted(s))") }
    static func negative(_ s: String) -> LocalizedText {
        t("значение \(quoted(s)) меньше нуля", "value \(quoted(s)) is below zero")
    }
    static func year(_ s: String) -> LocalizedText {
        t("год \(quoted(s)) вне диапазона 2000–2100", "year \(quoted(s)) is outside 2000–2100")
    }
    static func gradeRange(_ s: String) -> LocalizedText {
        t("класс \(quoted(s)) вне диапазона 1–11", "grade \(quoted(s)) is outside 1–11")
    }
    static func gradeUnreadable(_ s: String) -> LocalizedText {
        t("не удаётся понять класс \(quoted(s)): нужен номер 1–11", "cannot read grade \(quoted(s)): expected a number 1–11")
    }
    static func markRange(_ s: String, journal: Bool) -> LocalizedText {
        journal
            ? t("отметка по журналу \(quoted(s)) вне диапазона 2–5", "journal mark \(quoted(s)) is outside 2–5")
            : t("отметка \(quoted(s)) вне диапазона 2–5", "mark \(quoted(s)) is outside 2–5")
    }
    static func scoreNegative(_ s: String) -> LocalizedText {
        t("балл \(quoted(s)) меньше нуля", "score \(quoted(s)) is below zero")
    }
    static func scoreAboveMax(_ s: String, _ max: Double) -> LocalizedText {
        t("балл \(quoted(s)) больше максимума \(number(max, ru: true)) (сумма максимальных баллов заданий)",
          "score \(quoted(s)) is above the maximum \(number(max, ru: false)) (the sum of the tasks' maximum scores)")
    }
    static func egeAbove100(_ s: String) -> LocalizedText {
        t("тестовый балл ЕГЭ \(quoted(s)) больше 100", "ЕГЭ test score \(quoted(s)) is above 100")
    }
    static func taskAboveMax(_ task: String, _ s: String, _ max: Double) -> LocalizedText {
        t("балл за задание \(task) \(quoted(s)) больше максимума \(number(max, ru: true))",
          "task \(task) score \(quoted(s)) is above its maximum \(number(max, ru: false))")
    }
    static func duplicateParticipant(_ id: String, row: Int, otherFile: String?) -> LocalizedText {
        if let otherFile {
            return t("участник \(id) уже встречается в файле \(otherFile), строка \(row), в этой же процедуре",
                     "participant \(id) already appears in \(otherFile), row \(row), in the same procedure")
        }
        return t("участник \(id) уже встречается в строке \(row) этой же процедуры",
                 "participant \(id) already appears in row \(row) of the same procedure")
    }
    static func unknownSchool(_ id: String) -> LocalizedText {
        t("школа \(quoted(id)) не найдена: добавьте её в schools.csv", "school \(quoted(id)) is not known: add it to schools.csv")
    }
    static func schoolOutsideTerritory(_ id: String, _ territory: ImportTerritory) -> LocalizedText {
        switch territory.level {
        case .municipality:
            t("школа \(quoted(id)) относится к другому муниципалитету: загружать можно только данные школ муниципалитета \(quoted(territory.name))",
              "school \(quoted(id)) belongs to another municipality: only data about the schools of \(quoted(territory.name)) may be uploaded")
        case .region:
            t("школа \(quoted(id)) относится к другому региону: загружать можно только данные школ региона \(quoted(territory.name))",
              "school \(quoted(id)) belongs to another region: only data about the schools of \(quoted(territory.name)) may be uploaded")
        }
    }
    static func outsideTerritory(_ given: String, _ territory: ImportTerritory) -> LocalizedText {
        switch territory.level {
        case .municipality:
            t("муниципалитет \(quoted(given)) вне вашей территории: указывайте \(quoted(territory.name))",
              "municipality \(quoted(given)) is outside your territory: use \(quoted(territory.name))")
        case .region:
            t("регион \(quoted(given)) вне вашей территории: указывайте \(quoted(territory.name))",
              "region \(quoted(given)) is outside your territory: use \(quoted(territory.name))")
        }
    }
    static func settlement(_ s: String) -> LocalizedText {
        t("тип поселения \(quoted(s)) не распознан: укажите urban (город) или rural (село)",
          "settlement \(quoted(s)) is not recognised: use urban or rural")
    }
    static func kind(_ s: String) -> LocalizedText {
        t("вид ОО \(quoted(s)) не распознан: укажите general, lyceum, gymnasium, evening, boarding, special или other",
          "school kind \(quoted(s)) is not recognised: use general, lyceum, gymnasium, evening, boarding, special or other")
    }
    static func level(_ s: String) -> LocalizedText {
        t("уровень \(quoted(s)) не распознан: укажите basic, advanced, high или Б, П, В",
          "level \(quoted(s)) is not recognised: use basic, advanced, high or Б, П, В")
    }
    static func maxScoreNotPositive(_ s: String) -> LocalizedText {
        t("максимальный балл \(quoted(s)) должен быть больше нуля", "max score \(quoted(s)) must be above zero")
    }
    static func percentNotAllowed(_ s: String) -> LocalizedText {
        t("знак % здесь не подходит: \(quoted(s))", "a percentage is not expected here: \(quoted(s))")
    }

    // MARK: Duplicates

    /// Where an earlier row is: "в строке 5" / "in row 5", or with the file when it is another one.
    struct Place {
        var row: Int
        var otherFile: String?
        var ru: String { otherFile.map { "в файле \($0), строка \(row)" } ?? "в строке \(row)" }
        var en: String { otherFile.map { "in \($0), row \(row)" } ?? "in row \(row)" }
    }

    static func duplicateSchool(_ id: String, _ at: Place) -> LocalizedText {
        t("школа \(quoted(id)) уже описана \(at.ru)", "school \(quoted(id)) is already listed \(at.en)")
    }
    static func duplicateIndicator(_ code: String, _ school: String, _ year: Int, _ at: Place) -> LocalizedText {
        t("значение показателя \(quoted(code)) школы \(quoted(school)) за \(year) год уже есть \(at.ru)",
          "indicator \(quoted(code)) of school \(quoted(school)) for \(year) is already given \(at.en)")
    }
    static func duplicateTask(_ task: String, _ at: Place) -> LocalizedText {
        t("задание \(quoted(task)) этой процедуры уже описано \(at.ru)",
          "task \(quoted(task)) of this procedure is already listed \(at.en)")
    }
    static func duplicateAggregate(_ school: String, _ at: Place) -> LocalizedText {
        t("результат школы \(quoted(school)) в этой процедуре уже есть \(at.ru)",
          "the result of school \(quoted(school)) in this procedure is already given \(at.en)")
    }

    // MARK: Shares and indicators

    static func shareRange(_ s: String, looksLikePercent: Double?) -> LocalizedText {
        if let p = looksLikePercent {
            return t("доля \(quoted(s)) вне диапазона 0–1: похоже на проценты, укажите \(number(p, ru: false)) или допишите знак %",
                     "share \(quoted(s)) is outside 0–1: it looks like a percentage, use \(number(p, ru: false)) or add a % sign")
        }
        return t("доля \(quoted(s)) вне диапазона 0–1", "share \(quoted(s)) is outside 0–1")
    }
    static func sharesSum(_ sum: Double) -> LocalizedText {
        t("сумма долей отметок 2–5 равна \(number(sum, ru: true)), а должна быть 1 (±0,02)",
          "the shares of marks 2–5 add up to \(number(sum, ru: false)), not 1 (±0.02)")
    }
    static func indicatorRange(_ s: String, code: String, range: ClosedRange<Double>, looksLikePercent: Double?) -> LocalizedText {
        if range.upperBound == .greatestFiniteMagnitude {
            return t("значение \(quoted(s)) показателя \(code) должно быть не меньше \(number(range.lowerBound, ru: true))",
                     "value \(quoted(s)) of \(code) must be at least \(number(range.lowerBound, ru: false))")
        }
        let rangeRU = "\(number(range.lowerBound, ru: true))–\(number(range.upperBound, ru: true))"
        let rangeEN = "\(number(range.lowerBound, ru: false))–\(number(range.upperBound, ru: false))"
        if let p = looksLikePercent {
            return t("значение \(quoted(s)) показателя \(code) вне диапазона \(rangeRU): похоже на проценты, укажите \(number(p, ru: false)) или допишите знак %",
                     "value \(quoted(s)) of \(code) is outside \(rangeEN): it looks like a percentage, use \(number(p, ru: false)) or add a % sign")
        }
        return t("значение \(quoted(s)) показателя \(code) вне диапазона \(rangeRU)",
                 "value \(quoted(s)) of \(code) is outside \(rangeEN)")
    }
}
