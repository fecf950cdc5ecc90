import Foundation
import OporaCore
import Testing
import OporaImport

@Suite struct ResultsTests {
    let header = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark\n"

    @Test func fisOkoStyleRussianHeaders() throws {
        let text = "Год;Процедура;Предмет;Класс;Код ОО;Муниципалитет;Код участника;Вариант;1;2.1;3(1);Задание 4;Зад. 5;№6;Первичный балл;Отметка;Отметка по журналу\n"
            + "2025;ВПР;Русский язык;5А;0001;Липецк;00017;2;1;0;2;;1;1;5;3;4\n"
        let r = try #require(run([("f1.csv", text)], context: knownSchools).batch?.results.first)
        #expect(r.procedure == Procedure(year: 2025, assessment: .vpr, subject: "russian", grade: 5))
        #expect(r.schoolID == "0001")
        #expect(r.participant == "00017")
        #expect(r.score == 5)
        #expect(r.mark == 3)
        #expect(r.journalMark == 4)
        #expect(r.taskScores.map(\.task) == ["1", "2.1", "3(1)", "5", "6"])
        #expect(r.taskScores.map(\.score) == [1, 0, 2, 1, 1])
    }

    @Test func headerAliasesAreCaseInsensitiveTrimmedAndYoInsensitive() throws {
        let text = " ГОД ,Оценочная процедура,ПРЕДМЕТ,Параллель,Логин ОО,Участник,Балл,Оценка,Оценка по журналу\n"
            + "2024,РДР,Окружающий мир,4 класс,4711,x-1,10,5,5\n"
        let r = try #require(run([("r.csv", text)], context: knownSchools).batch?.results.first)
        #expect(r.procedure == Procedure(year: 2024, assessment: .regional, subject: "world_around", grade: 4))
        #expect(r.mark == 5)
    }

    @Test func unknownAssessmentAndSubjectAreKeptLowercased() throws {
        let text = header + "2024,ДКР,Астрономия,10,0001,1,3,,\n"
        let r = try #require(run([("r.csv", text)], context: knownSchools).batch?.results.first)
        #expect(r.procedure.assessment == Assessment("дкр"))
        #expect(r.procedure.subject == "астрономия")
    }

    @Test func markOutOfRange() {
        let r = run([("results.csv", header + "2025,vpr,math,5,0001,1,10,7,1\n")], context: knownSchools)
        #expect(r.lines == [
            "results.csv:2:mark: отметка «7» вне диапазона 2–5 / mark «7» is outside 2–5",
            "results.csv:2:journal_mark: отметка по журналу «1» вне диапазона 2–5 / journal mark «1» is outside 2–5",
        ])
    }

    @Test func notANumberAndNotWhole() {
        let r = run([("results.csv", header + "2025,vpr,math,5,0001,1,12.5.1,4.5,\n")], context: knownSchools)
        #expect(r.lines == [
            "results.csv:2:score: не число: «12.5.1» / not a number: «12.5.1»",
            "results.csv:2:mark: не целое число: «4.5» / not a whole number: «4.5»",
        ])
    }

    @Test func percentIsNotAScore() {
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001,1,35%,,\n")], context: knownSchools).lines == [
            "results.csv:2:score: знак % здесь не подходит: «35%» / a percentage is not expected here: «35%»",
        ])
    }

    @Test func negativeScore() {
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001,1,-1,,\n")], context: knownSchools).lines == [
            "results.csv:2:score: балл «-1» меньше нуля / score «-1» is below zero",
        ])
    }

    @Test func scoreAboveTestMaximumFromTasksInSameImport() {
        let tasks = "year,assessment,subject,grade,task,max_score,level\n2025,ВПР,Математика,5,1,1,Б\n2025,ВПР,Математика,5,2,2,П\n"
        let results = "year,assessment,subject,grade,school_id,student_id,score,task_1,task_2\n"
            + "2025,vpr,math,5,0001,1,3,1,2\n"
            + "2025,vpr,math,5,0001,2,4,1,3\n"
        // results first: the tasks file is still read before it.
        let r = run([("results.csv", results), ("tasks.csv", tasks)], context: knownSchools)
        #expect(r.lines == [
            "results.csv:3:score: балл «4» больше максимума 3 (сумма максимальных баллов заданий) / score «4» is above the maximum 3 (the sum of the tasks' maximum scores)",
            "results.csv:3:task_2: балл за задание 2 «3» больше максимума 2 / task 2 score «3» is above its maximum 2",
        ])
    }

    @Test func scoreAboveTestMaximumFromKnownTasks() {
        let p = Procedure(year: 2025, assessment: .vpr, subject: "math", grade: 5)
        var context = knownSchools
        context.knownTasks = [p: [TaskInfo(procedure: p, task: "1", maxScore: 1.5, level: .basic)]]
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001,1,2,,\n")], context: context).lines == [
            "results.csv:2:score: балл «2» больше максимума 1,5 (сумма максимальных баллов заданий) / score «2» is above the maximum 1.5 (the sum of the tasks' maximum scores)",
        ])
    }

    @Test func egeScoreAbove100() {
        #expect(run([("results.csv", header + "2025,ЕГЭ,math,11,0001,1,101,,\n")], context: knownSchools).lines == [
            "results.csv:2:score: тестовый балл ЕГЭ «101» больше 100 / ЕГЭ test score «101» is above 100",
        ])
    }

    @Test func participantTwiceInSameProcedure() {
        let text = header + "2025,vpr,math,5,0001,0123,1,,\n2025,vpr,math,6,0001,0123,1,,\n2025,vpr,math,5,0002,0123,1,,\n"
        #expect(run([("results.csv", text)], context: knownSchools).lines == [
            "results.csv:4:student_id: участник 0123 уже встречается в строке 2 этой же процедуры / participant 0123 already appears in row 2 of the same procedure",
        ])
    }

    @Test func participantTwiceAcrossFiles() {
        let r = run([("a.csv", header + "2025,vpr,math,5,0001,7,1,,\n"), ("b.csv", header + "2025,vpr,math,5,0001,7,1,,\n")],
                    context: knownSchools)
        #expect(r.problems.count == 1)
        #expect(r.problems.first?.row == 2)
        #expect(r.problems.first?.message.en.hasPrefix("participant 7 already appears in /") == true)
        #expect(r.problems.first?.message.en.hasSuffix("/a.csv, row 2, in the same procedure") == true)
    }

    @Test func unknownSchoolIsReportedOncePerFile() {
        let text = header + "2025,vpr,math,5,4712,1,1,,\n2025,vpr,math,5,4712,2,1,,\n"
        #expect(run([("results.csv", text)], context: knownSchools).lines == [
            "results.csv:2:school_id: школа «4712» не найдена: добавьте её в schools.csv / school «4712» is not known: add it to schools.csv",
        ])
    }

    @Test func schoolsFromSameImportAreKnown() throws {
        let text = header + "2025,vpr,math,5,0002,1,1,,\n"
        let b = try #require(run([("r.csv", text), ("s.csv", schoolsCSV)]).batch)
        #expect(b.results.count == 1)
        #expect(b.schools.count == 2)
    }

    @Test func yearAndGrade() {
        let text = header + "1999,vpr,math,12,0001,1,1,,\n2025,vpr,math,пятый,0001,2,1,,\n"
        #expect(run([("results.csv", text)], context: knownSchools).lines == [
            "results.csv:2:year: год «1999» вне диапазона 2000–2100 / year «1999» is outside 2000–2100",
            "results.csv:2:grade: класс «12» вне диапазона 1–11 / grade «12» is outside 1–11",
            "results.csv:3:grade: не удаётся понять класс «пятый»: нужен номер 1–11 / cannot read grade «пятый»: expected a number 1–11",
        ])
    }

    @Test func missingRequiredColumns() {
        #expect(run([("results.csv", "year,subject,grade,school_id,student_id\n2025,math,5,0001,1\n")], context: knownSchools).lines == [
            "results.csv:1:assessment: нет обязательного столбца «assessment» / required column «assessment» is missing",
            "results.csv:1:score: нет обязательного столбца «score» / required column «score» is missing",
        ])
    }

    @Test func emptyRequiredCell() {
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001, ,1,,\n")], context: knownSchools).lines == [
            "results.csv:2:student_id: пустое значение в обязательном столбце / empty value in a required column",
        ])
    }

    @Test func duplicateColumn() {
        let text = "year,assessment,subject,grade,school_id,student_id,score,Первичный балл\n2025,vpr,math,5,0001,1,1,1\n"
        #expect(run([("results.csv", text)], context: knownSchools).lines == [
            "results.csv:1:Первичный балл: столбец повторяет столбец «score» (оба означают score) / the column repeats column «score» (both mean score)",
        ])
    }

    @Test func tooManyValuesFromAnUnquotedDecimalComma() {
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001,1,12,5,4,5\n")], context: knownSchools).lines == [
            "results.csv:2: в строке 10 значений, а в заголовке 9 столбцов: проверьте разделитель и возьмите в кавычки числа с десятичной запятой / the row has 10 values but the header has 9 columns: check the delimiter and quote numbers with a decimal comma",
        ])
    }

    @Test func unclosedQuote() {
        #expect(run([("results.csv", header + "2025,vpr,math,5,0001,\"1,1,,\n")], context: knownSchools).lines.contains(
            "results.csv:2: кавычка не закрыта до конца файла / a quote is not closed before the end of the file"))
    }

    @Test func unknownKindOfFile() {
        #expect(run([("x.csv", "a,b,c\n1,2,3\n")]).lines == [
            "x.csv:1: не удаётся понять, что это за файл. Ожидаются столбцы одного из файлов: schools.csv (school_id, name, municipality, region, settlement, kind, students); context.csv (year, school_id, indicator, value); results.csv (year, assessment, subject, grade, school_id, student_id, score); tasks.csv (year, assessment, subject, grade, task, max_score); results_school.csv (year, assessment, subject, grade, school_id, participants) / cannot tell what this file is. Expected the columns of one of: schools.csv (school_id, name, municipality, region, settlement, kind, students); context.csv (year, school_id, indicator, value); results.csv (year, assessment, subject, grade, school_id, student_id, score); tasks.csv (year, assessment, subject, grade, task, max_score); results_school.csv (year, assessment, subject, grade, school_id, participants)",
        ])
    }

    @Test func missingPath() {
        let r: Result<ImportBatch, ImportFailure> = {
            do throws(ImportFailure) { return .success(try Importer.validate(paths: ["/nonexistent/opora.csv"])) }
            catch { return .failure(error) }
        }()
        #expect(r.lines == ["opora.csv: файл или папка не найдены / file or folder not found"])
    }
}
