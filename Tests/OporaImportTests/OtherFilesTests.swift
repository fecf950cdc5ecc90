import Foundation
import OporaCore
import Testing
import OporaImport

@Suite struct SchoolsFileTests {
    let header = "school_id,name,municipality,region,settlement,kind,students,distance_km\n"

    @Test func aliases() throws {
        let text = header
            + "001,A,M,R,городская,СОШ,10,\n002,B,M,R,деревня,В(С)ОШ,,12,5\n003,C,M,R,Сельский,школа-интернат,5,\"3,5\"\n"
            + "004,D,M,R,город,коррекционная,1,\n005,E,M,R,село,Гимназия,1,\n006,F,M,R,urban,лицей,1,\n"
        // Row 3 has an unquoted decimal comma in a comma file: reported, the rest accepted.
        let r = run([("schools.csv", text)])
        #expect(r.lines == [
            "schools.csv:3: в строке 9 значений, а в заголовке 8 столбцов: проверьте разделитель и возьмите в кавычки числа с десятичной запятой / the row has 9 values but the header has 8 columns: check the delimiter and quote numbers with a decimal comma",
        ])
        let ok = try #require(run([("schools.csv", text.replacingOccurrences(of: ",12,5\n", with: ",\"12,5\"\n"))]).batch)
        #expect(ok.schools.map(\.id) == ["001", "002", "003", "004", "005", "006"])
        #expect(ok.schools.map(\.settlement) == [.urban, .rural, .rural, .urban, .rural, .urban])
        #expect(ok.schools.map(\.kind) == [.general, .evening, .boarding, .special, .gymnasium, .lyceum])
        #expect(ok.schools.map(\.students) == [10, nil, 5, 1, 1, 1])
        #expect(ok.schools.map(\.distanceKm) == [nil, 12.5, 3.5, nil, nil, nil])
    }

    @Test func rejected() {
        let text = header + "1,A,M,R,хутор,колледж,-5,\n1,B,M,R,urban,general,1,\n"
        #expect(run([("schools.csv", text)]).lines == [
            "schools.csv:2:settlement: тип поселения «хутор» не распознан: укажите urban (город) или rural (село) / settlement «хутор» is not recognised: use urban or rural",
            "schools.csv:2:kind: вид ОО «колледж» не распознан: укажите general, lyceum, gymnasium, evening, boarding, special или other / school kind «колледж» is not recognised: use general, lyceum, gymnasium, evening, boarding, special or other",
            "schools.csv:2:students: значение «-5» меньше нуля / value «-5» is below zero",
            "schools.csv:3:school_id: школа «1» уже описана в строке 2 / school «1» is already listed in row 2",
        ])
    }

    @Test func repeatedSpellingsReadAsTheFirstTime() throws {
        // Spellings met before are not read again: an unrecognised one is still reported each time.
        let bad = header + "1,A,M,R,хутор,СОШ,1,\n2,B,M,R,хутор,СОШ,1,\n"
        #expect(run([("schools.csv", bad)]).lines == [
            "schools.csv:2:settlement: тип поселения «хутор» не распознан: укажите urban (город) или rural (село) / settlement «хутор» is not recognised: use urban or rural",
            "schools.csv:3:settlement: тип поселения «хутор» не распознан: укажите urban (город) или rural (село) / settlement «хутор» is not recognised: use urban or rural",
        ])
        let good = header + "1,A,M,R,Город,СОШ,1,\n2,B,M,R,\"Город\",\"СОШ\",1,\n3,C,M,R,село,СОШ,1,\n4,D,M,R,Город,лицей,1,\n"
        let ok = try #require(run([("schools.csv", good)]).batch)
        #expect(ok.schools.map(\.settlement) == [.urban, .urban, .rural, .urban])
        #expect(ok.schools.map(\.kind) == [.general, .general, .general, .lyceum])
    }
}

@Suite struct ContextFileTests {
    let header = "year,school_id,indicator,value\n"

    @Test func acceptedWithPercentUnknownCodesAndRussianHeaders() throws {
        let text = "Год;Код школы;Показатель;Значение\n2025;0001;single_parent_share;35%\n2025;0001;Local_Code;17\n2025;0001;teachers;40\n"
        let b = try #require(run([("context.csv", text)], context: knownSchools).batch)
        #expect(b.indicators.map(\.indicator) == ["single_parent_share", "local_code", "teachers"])
        #expect(b.indicators.map(\.value) == [0.35, 17, 40])
    }

    @Test func shareWrittenAsPercentage() {
        #expect(run([("context.csv", header + "2025,0001,single_parent_share,35\n2025,0001,teachers,-3\n")], context: knownSchools).lines == [
            "context.csv:2:value: значение «35» показателя single_parent_share вне диапазона 0–1: похоже на проценты, укажите 0.35 или допишите знак % / value «35» of single_parent_share is outside 0–1: it looks like a percentage, use 0.35 or add a % sign",
            "context.csv:3:value: значение «-3» показателя teachers должно быть не меньше 0 / value «-3» of teachers must be at least 0",
        ])
    }

    @Test func duplicateAndUnknownSchoolAndEmptyValue() {
        let text = header + "2025,0001,teachers,4\n2025,0001,Teachers,5\n2025,9999,teachers,1\n2025,0002,teachers,\n"
        #expect(run([("context.csv", text)], context: knownSchools).lines == [
            "context.csv:3:indicator: значение показателя «teachers» школы «0001» за 2025 год уже есть в строке 2 / indicator «teachers» of school «0001» for 2025 is already given in row 2",
            "context.csv:4:school_id: школа «9999» не найдена: добавьте её в schools.csv / school «9999» is not known: add it to schools.csv",
            "context.csv:5:value: пустое значение в обязательном столбце / empty value in a required column",
        ])
    }

    @Test func repeatedCellsReadAsTheFirstTime() {
        // Cells equal to one read before are not read again: an unknown school is still reported once,
        // and a quoted cell still means what its text says.
        let text = header + "2025,9999,teachers,1\n2025,9999,pupils,2\n2025,\"0001\",teachers,3\n2025,0001,\"Teachers\",4\n2025,0001,pupils,5\n"
        #expect(run([("context.csv", text)], context: knownSchools).lines == [
            "context.csv:2:school_id: школа «9999» не найдена: добавьте её в schools.csv / school «9999» is not known: add it to schools.csv",
            "context.csv:5:indicator: значение показателя «teachers» школы «0001» за 2025 год уже есть в строке 4 / indicator «teachers» of school «0001» for 2025 is already given in row 4",
        ])
    }
}

@Suite struct TasksFileTests {
    let header = "year,assessment,subject,grade,task,max_score,level\n"

    @Test func accepted() throws {
        let text = "Год,Процедура,Предмет,Класс,Номер задания,Максимальный балл,Уровень сложности\n"
            + "2025,ВПР,Математика,5,1,1,Б\n2025,ВПР,Математика,5,2.1,2,П\n2025,ВПР,Математика,5,Задание 3,\"1,5\",high\n2025,ВПР,Математика,5,4,2,\n"
        let b = try #require(run([("tasks.csv", text)]).batch)
        #expect(b.tasks.map(\.task) == ["1", "2.1", "3", "4"])
        #expect(b.tasks.map(\.maxScore) == [1, 2, 1.5, 2])
        #expect(b.tasks.map(\.level) == [.basic, .advanced, .high, nil])
    }

    @Test func rejected() {
        let text = header + "2025,vpr,math,5,1,0,Z\n2025,vpr,math,5,2,1,\n2025,vpr,math,5,2,1,\n"
        #expect(run([("tasks.csv", text)]).lines == [
            "tasks.csv:2:max_score: максимальный балл «0» должен быть больше нуля / max score «0» must be above zero",
            "tasks.csv:2:level: уровень «Z» не распознан: укажите basic, advanced, high или Б, П, В / level «Z» is not recognised: use basic, advanced, high or Б, П, В",
            "tasks.csv:4:task: задание «2» этой процедуры уже описано в строке 3 / task «2» of this procedure is already listed in row 3",
        ])
    }
}

@Suite struct SchoolResultsFileTests {
    let header = "year,assessment,subject,grade,school_id,participants,mean_score,share_2,share_3,share_4,share_5\n"

    @Test func accepted() throws {
        let text = "Год;Процедура;Предмет;Класс;Код ОО;Число участников;Средний балл;Доля «2»;Доля «3»;Доля «4»;Доля «5»\n"
            + "2025;ОГЭ;Математика;9;0001;25;14,2;10%;40%;30%;20%\n2025;ОГЭ;Русский язык;9;0001;25;;;;;\n2025;ОГЭ;Химия;9;0001;25;;0,1;0,4;0,3;0,19\n"
        let b = try #require(run([("agg.csv", text)], context: knownSchools).batch)
        #expect(b.aggregates.count == 3)
        let a = b.aggregates[0]
        #expect(a.procedure == Procedure(year: 2025, assessment: .oge, subject: "math", grade: 9))
        #expect(a.participants == 25 && a.meanScore == 14.2)
        #expect([a.share2, a.share3, a.share4, a.share5] == [0.1, 0.4, 0.3, 0.2])
        #expect(b.aggregates[1].meanScore == nil && b.aggregates[1].share2 == nil)
    }

    @Test func rejected() {
        let text = header + "2025,vpr,math,5,0001,20,,35,0.4,0.3,0.2\n2025,vpr,math,5,0002,20,,0.1,0.1,0.1,0.1\n2025,vpr,math,5,0002,x,,,,,\n"
        #expect(run([("results_school.csv", text)], context: knownSchools).lines == [
            "results_school.csv:2:share_2: доля «35» вне диапазона 0–1: похоже на проценты, укажите 0.35 или допишите знак % / share «35» is outside 0–1: it looks like a percentage, use 0.35 or add a % sign",
            "results_school.csv:3: сумма долей отметок 2–5 равна 0,4, а должна быть 1 (±0,02) / the shares of marks 2–5 add up to 0.4, not 1 (±0.02)",
            "results_school.csv:4:participants: не число: «x» / not a number: «x»",
            "results_school.csv:4:school_id: результат школы «0002» в этой процедуре уже есть в строке 3 / the result of school «0002» in this procedure is already given in row 3",
        ])
    }
}

@Suite struct ProblemListTests {
    @Test func allProblemsOfAllFilesAreListed() {
        let results = "year,assessment,subject,grade,school_id,student_id,score,mark,journal_mark\n"
            + "2025,vpr,math,5,0001,1,abc,7,\n"   // two problems
            + "2025,vpr,math,5,0001,2,1,4,\n"     // fine
            + "2025,vpr,math,5,0001,1,1,,\n"      // duplicate participant
        let context = "year,school_id,indicator,value\n1990,0001,teachers,3\n"
        let r = run([("results.csv", results), ("context.csv", context), ("empty.csv", "")], context: knownSchools)
        #expect(r.lines == [
            "results.csv:2:score: не число: «abc» / not a number: «abc»",
            "results.csv:2:mark: отметка «7» вне диапазона 2–5 / mark «7» is outside 2–5",
            "results.csv:4:student_id: участник 1 уже встречается в строке 2 этой же процедуры / participant 1 already appears in row 2 of the same procedure",
            "context.csv:2:year: год «1990» вне диапазона 2000–2100 / year «1990» is outside 2000–2100",
            "empty.csv: файл пуст / the file is empty",
        ])
    }

    @Test func limitTruncates() {
        var text = "year,assessment,subject,grade,school_id,student_id,score,mark\n"
        for i in 0..<50 { text += "2025,vpr,math,5,0001,\(i),1,9\n" }
        var context = knownSchools
        context.problemLimit = 10
        let paths = write([("r.csv", utf8(text))])
        do {
            _ = try Importer.validate(paths: paths, context: context)
            Issue.record("expected a failure")
        } catch {
            #expect(error.problems.count == 10)
            #expect(error.truncated)
            #expect(error.problems.map(\.row) == Array(2...11))
        }
    }
}
