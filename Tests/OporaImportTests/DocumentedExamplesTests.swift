import Foundation
import OporaCore
import Testing
import OporaImport

/// The examples of docs/formats.md, imported together.
@Suite struct DocumentedExamplesTests {
    @Test func examplesFromTheFormatDocumentImport() throws {
        let files: [(String, String)] = [
            ("schools.csv", """
            school_id,name,municipality,region,settlement,kind,students,distance_km
            0001,"МБОУ СОШ №1 им. А.С. Пушкина",Липецк,Липецкая область,urban,general,812,
            0417,МБОУ ООШ с. Ярлуково,Грязинский район,Липецкая область,село,ООШ,64,"23,5"
            """),
            ("context.csv", """
            year;school_id;indicator;value
            2025;0417;single_parent_share;0,31
            2025;0417;low_income_share;18%
            2025;0417;teachers;11
            2025;0417;local_rural_bus_minutes;40
            """),
            ("results.csv", """
            year;assessment;subject;grade;school_id;student_id;score;mark;journal_mark;task_1;task_2.1;task_2.2
            2025;ВПР;Математика;5А;0417;00123;2;3;4;1;1;0
            2025;ВПР;Математика;5А;0417;00124;;;;;;
            """),
            ("f1.csv", """
            Год;Процедура;Предмет;ОО;Муниципалитет;Код участника;Класс;Вариант;1;2;3(1);3(2);Первичный балл;Отметка;Отметка по журналу
            2025;ВПР;Русский язык;0417;Грязинский;00123;5А;2;1;0;2;1;31;4;4
            """),
            ("tasks.csv", """
            year,assessment,subject,grade,task,max_score,level
            2025,vpr,math,5,1,1,Б
            2025,vpr,math,5,2.1,2,П
            2025,vpr,math,5,3(1),"1,5",high
            """),
            ("results_school.csv", """
            year;assessment;subject;grade;school_id;participants;mean_score;share_2;share_3;share_4;share_5
            2025;ОГЭ;Математика;9;0417;25;14,2;10%;40%;30%;20%
            2025;ОГЭ;Русский язык;9;0417;25;;;;;
            """),
        ]
        // The results example has task 2.2, which tasks.csv does not list: no maximum, no check.
        let result = run(files)
        #expect(result.problems.isEmpty, "\(result.lines)")
        let b = try #require(result.batch)
        #expect(b.files.map(\.kind) == [.schools, .context, .results, .results, .tasks, .resultsSchool])
        #expect(b.schools.map(\.distanceKm) == [nil, 23.5])
        #expect(b.indicators.map(\.value) == [0.31, 0.18, 11, 40])
        #expect(b.results.count == 3)
        #expect(b.results[1].score == nil && b.results[1].taskScores.isEmpty)
        #expect(b.results[2].taskScores.map(\.task) == ["1", "2", "3(1)", "3(2)"])
        #expect(b.tasks.map(\.task) == ["1", "2.1", "3(1)"])
        #expect(b.aggregates.count == 2)
    }
}
