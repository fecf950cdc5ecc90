import Crypto
import Foundation
import OporaCore
import SQLKit

/// A comment on a measure (a curator's remark, a coordinator's question, the school's answer).
public struct MeasureComment: Sendable, Equatable, Codable {
    public var id: Int
    public var measureID: Int
    public var at: String
    public var author: String
    public var authorRole: String
    public var body: String
}

/// An evidence file attached to a measure (metadata; the content is read separately).
public struct MeasureFile: Sendable, Equatable, Codable {
    public var id: Int
    public var measureID: Int
    public var fileName: String
    public var contentType: String
    public var size: Int
    public var sha256: String
    public var uploadedAt: String
    public var uploadedBy: String
}

/// What may change in a measure; `nil` leaves a field as it is.
public struct MeasureChange: Sendable {
    public var status: MeasureStatus?
    public var evidence: String?
    public var title: String?
    public var deadline: Deadline?
    public var responsible: String?
    public var expectedResult: String?
    public var section: MeasureSection?

    public init(status: MeasureStatus? = nil, evidence: String? = nil, title: String? = nil, deadline: Deadline? = nil,
                responsible: String? = nil, expectedResult: String? = nil, section: MeasureSection? = nil) {
        self.status = status
        self.evidence = evidence
        self.title = title
        self.deadline = deadline
        self.responsible = responsible
        self.expectedResult = expectedResult
        self.section = section
    }
}

/// Evidence files are documents and photos, not data: 10 MB each is plenty.
public let measureFileLimit = 10 * 1024 * 1024

extension ScopedStore {
    /// The measures of a programme in its order; `nil` when the programme is outside the scope.
    public func measures(programmeID: Int) async throws -> [Measure]? {
        guard try await programme(id: programmeID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("measures").where("programme_id", .equal, programmeID)
                .orderBy("position").orderBy("id").all().map(OporaDatabase.decodeMeasure)
        }
    }

    /// A measure and its programme; `nil` outside the scope.
    public func measure(id: Int) async throws -> (measure: Measure, programme: Programme)? {
        let found = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("measures").where("id", .equal, id).first().map(OporaDatabase.decodeMeasure)
        }
        guard let found, let programme = try await programme(id: found.programmeID) else { return nil }
        return (found, programme)
    }

    public func addMeasure(_ measure: Measure, to programmeID: Int, actor: Actor) async throws -> Measure {
        guard try await programme(id: programmeID) != nil else { throw ProgrammeError(.notFound, "no programme \(programmeID)", ru: "нет программы \(programmeID)") }
        try Self.validate(measure)
        if let indicator = measure.indicatorID, try await indicators(programmeID: programmeID)?.contains(where: { $0.id == indicator }) != true {
            throw ProgrammeError(.conflict, "indicator \(indicator) is not an indicator of this programme", ru: "показатель \(indicator) не относится к этой программе")
        }
        return try await database.writeTransaction { conn in
            let position = try await conn.sql.raw("SELECT COALESCE(MAX(position), -1) + 1 AS p FROM measures WHERE programme_id = \(bind: programmeID)")
                .first()?.decode(column: "p", as: Int.self) ?? 0
            let stored = try await OporaDatabase.insertMeasure(conn, measure, programmeID: programmeID, position: position, actor: actor)
            try await OporaDatabase.audit(conn, actor: actor, action: "measure.create", entity: "measure", entityID: String(stored.id),
                                          before: nil, after: stored.auditView)
            return stored
        }
    }

    public func updateMeasure(id: Int, _ change: MeasureChange, actor: Actor) async throws -> Measure {
        guard let (before, _) = try await measure(id: id) else { throw ProgrammeError(.notFound, "no measure \(id)", ru: "нет мероприятия \(id)") }
        var after = before
        if let s = change.status {
            guard MeasureStatus.settable.contains(s) else { throw ProgrammeError(.invalid, "«late» follows from the deadline; it cannot be set", ru: "статус «просрочено» следует из срока; его нельзя установить") }
            after.recordedStatus = s
        }
        if let e = change.evidence { after.evidence = e }
        if let t = change.title { after.title = t }
        if let d = change.deadline { after.deadline = d }
        if let r = change.responsible { after.responsible = r }
        if let x = change.expectedResult { after.expectedResult = x }
        if let s = change.section { after.section = s }
        try Self.validate(after)
        if after == before { return before }
        return try await database.writeTransaction { [after] conn in
            try await conn.sql.update("measures").set("status", to: SQLBind(after.recordedStatus.rawValue)).set("evidence", to: SQLBind(after.evidence))
                .set("title", to: SQLBind(after.title)).set("deadline", to: SQLBind(after.deadline.storageText))
                .set("responsible", to: SQLBind(after.responsible)).set("expected_result", to: SQLBind(after.expectedResult))
                .set("section", to: SQLBind(after.section.rawValue)).set("updated_at", to: SQLBind(Timestamp.now()))
                .set("updated_by", to: SQLBind(actor.login)).where("id", .equal, id).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "measure.update", entity: "measure", entityID: String(id),
                                          before: before.auditView, after: after.auditView)
            return after
        }
    }

    public func comments(measureID: Int) async throws -> [MeasureComment]? {
        guard try await measure(id: measureID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("measure_comments").where("measure_id", .equal, measureID).orderBy("id").all().map { row in
                MeasureComment(id: try row.decode(column: "id", as: Int.self), measureID: measureID,
                               at: try row.decode(column: "at", as: String.self), author: try row.decode(column: "author", as: String.self),
                               authorRole: try row.decode(column: "author_role", as: String.self), body: try row.decode(column: "body", as: String.self))
            }
        }
    }

    public func addComment(measureID: Int, body: String, role: String, actor: Actor) async throws -> MeasureComment {
        guard try await measure(id: measureID) != nil else { throw ProgrammeError(.notFound, "no measure \(measureID)", ru: "нет мероприятия \(measureID)") }
        let text = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { throw ProgrammeError(.invalid, "an empty comment", ru: "пустой комментарий") }
        return try await database.writeTransaction { conn in
            let id = try await OporaDatabase.nextID(conn, table: "measure_comments")
            let comment = MeasureComment(id: id, measureID: measureID, at: Timestamp.now(), author: actor.login, authorRole: role, body: text)
            try await conn.sql.insert(into: "measure_comments").columns("id", "measure_id", "at", "author", "author_role", "body")
                .values(SQLBind(id), SQLBind(measureID), SQLBind(comment.at), SQLBind(comment.author), SQLBind(role), SQLBind(text)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "measure.comment", entity: "measure", entityID: String(measureID),
                                          before: nil, after: ["comment": text])
            return comment
        }
    }

    public func files(measureID: Int) async throws -> [MeasureFile]? {
        guard try await measure(id: measureID) != nil else { return nil }
        return try await database.withConnection { conn in
            try await conn.sql.select().columns("id", "measure_id", "file_name", "content_type", "size", "sha256", "uploaded_at", "uploaded_by")
                .from("measure_files").where("measure_id", .equal, measureID).orderBy("id").all().map(OporaDatabase.decodeMeasureFile)
        }
    }

    /// A file's metadata and content; `nil` outside the scope.
    public func file(id: Int) async throws -> (file: MeasureFile, content: Data)? {
        let row = try await database.withConnection { conn in
            try await conn.sql.select().column("*").from("measure_files").where("id", .equal, id).first()
        }
        guard let row else { return nil }
        let file = try OporaDatabase.decodeMeasureFile(row)
        guard try await measure(id: file.measureID) != nil,
              let content = Data(base64Encoded: try row.decode(column: "content_base64", as: String.self)) else { return nil }
        return (file, content)
    }

    public func attach(measureID: Int, fileName: String, contentType: String, content: Data, actor: Actor) async throws -> MeasureFile {
        guard try await measure(id: measureID) != nil else { throw ProgrammeError(.notFound, "no measure \(measureID)", ru: "нет мероприятия \(measureID)") }
        guard !content.isEmpty else { throw ProgrammeError(.invalid, "the file is empty", ru: "файл пуст") }
        guard content.count <= measureFileLimit else { throw ProgrammeError(.invalid, "the file is larger than 10 MB", ru: "файл больше 10 МБ") }
        // Only the last path component, without control characters: the name is shown and sent back as a download name.
        let name = String((fileName.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? "file")
            .filter { !$0.isNewline && $0 != "\"" && !($0.asciiValue.map { $0 < 32 } ?? false) }.prefix(200))
        let digest = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
        return try await database.writeTransaction { conn in
            let id = try await OporaDatabase.nextID(conn, table: "measure_files")
            let file = MeasureFile(id: id, measureID: measureID, fileName: name.isEmpty ? "file" : name, contentType: contentType,
                                   size: content.count, sha256: digest, uploadedAt: Timestamp.now(), uploadedBy: actor.login)
            try await conn.sql.insert(into: "measure_files")
                .columns("id", "measure_id", "file_name", "content_type", "size", "sha256", "content_base64", "uploaded_at", "uploaded_by")
                .values(SQLBind(id), SQLBind(measureID), SQLBind(file.fileName), SQLBind(contentType), SQLBind(content.count), SQLBind(digest),
                        SQLBind(content.base64EncodedString()), SQLBind(file.uploadedAt), SQLBind(actor.login)).run()
            try await OporaDatabase.audit(conn, actor: actor, action: "measure.attach", entity: "measure", entityID: String(measureID),
                                          before: nil, after: ["file": file.fileName, "size": String(file.size), "sha256": digest])
            return file
        }
    }
}

extension Measure {
    var auditView: [String: String] {
        ["section": section.rawValue, "title": title, "deadline": deadline.storageText, "responsible": responsible,
         "expected_result": expectedResult, "status": recordedStatus.rawValue, "evidence": evidence,
         "indicator": indicatorID.map(String.init) ?? ""]
    }
}

extension OporaDatabase {
    static func insertMeasure(_ conn: Connection, _ m: Measure, programmeID: Int, position: Int, actor: Actor) async throws -> Measure {
        let id = try await nextID(conn, table: "measures")
        try await conn.sql.insert(into: "measures")
            .columns("id", "programme_id", "position", "section", "title", "deadline", "responsible", "expected_result", "indicator_id",
                     "status", "evidence", "updated_at", "updated_by")
            .values(SQLBind(id), SQLBind(programmeID), SQLBind(position), SQLBind(m.section.rawValue), SQLBind(m.title),
                    SQLBind(m.deadline.storageText), SQLBind(m.responsible), SQLBind(m.expectedResult), SQLBind(m.indicatorID),
                    SQLBind(m.recordedStatus.rawValue), SQLBind(m.evidence), SQLBind(Timestamp.now()), SQLBind(actor.login))
            .run()
        var stored = m
        stored.id = id
        stored.programmeID = programmeID
        return stored
    }

    static func decodeMeasure(_ row: any SQLRow) throws -> Measure {
        Measure(
            id: try row.decode(column: "id", as: Int.self), programmeID: try row.decode(column: "programme_id", as: Int.self),
            section: MeasureSection(rawValue: try row.decode(column: "section", as: String.self)) ?? .organisational,
            title: try row.decode(column: "title", as: String.self),
            deadline: Deadline(storageText: try row.decode(column: "deadline", as: String.self)) ?? .recurring(.duringYear),
            responsible: try row.decode(column: "responsible", as: String.self),
            expectedResult: try row.decode(column: "expected_result", as: String.self),
            indicatorID: try row.decode(column: "indicator_id", as: Int?.self),
            recordedStatus: MeasureStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .planned,
            evidence: try row.decode(column: "evidence", as: String.self))
    }

    static func decodeMeasureFile(_ row: any SQLRow) throws -> MeasureFile {
        MeasureFile(id: try row.decode(column: "id", as: Int.self), measureID: try row.decode(column: "measure_id", as: Int.self),
                    fileName: try row.decode(column: "file_name", as: String.self), contentType: try row.decode(column: "content_type", as: String.self),
                    size: try row.decode(column: "size", as: Int.self), sha256: try row.decode(column: "sha256", as: String.self),
                    uploadedAt: try row.decode(column: "uploaded_at", as: String.self), uploadedBy: try row.decode(column: "uploaded_by", as: String.self))
    }
}
