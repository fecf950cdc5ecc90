import Foundation
import OporaCore
@testable import OporaImport

/// One folder per test process for every test's files, removed when the process exits (a few
/// hundred tests each write a folder; left behind, they pile up in /tmp run after run).
let testFilesRoot: String = {
    let root = NSTemporaryDirectory() + "opora-import-tests-\(ProcessInfo.processInfo.processIdentifier)-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: testFilesRoot) }
    return root
}()

/// A fresh temporary folder for one test.
func temporaryFolder() -> String {
    let path = testFilesRoot + "/" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Writes files (name → bytes) into a fresh folder and returns their paths in the given order.
func write(_ files: [(String, [UInt8])]) -> [String] {
    let folder = temporaryFolder()
    return files.map { name, bytes in
        let path = folder + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }
}

func utf8(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Windows-1251 bytes of a string, by the reverse of the importer's own table plus ASCII.
/// (Checked independently against known byte values in EncodingTests.)
func cp1251(_ s: String) -> [UInt8] {
    var reverse: [UInt32: UInt8] = [:]
    for (i, scalar) in TextDecoding.cp1251High.enumerated() { reverse[scalar] = UInt8(0x80 + i) }
    return s.unicodeScalars.map { $0.value < 0x80 ? UInt8($0.value) : reverse[$0.value]! }
}

/// Imports strings written as UTF-8 files; returns the batch or the failure.
func run(_ files: [(String, String)], context: ImportContext = ImportContext()) -> Result<ImportBatch, ImportFailure> {
    runBytes(files.map { ($0.0, utf8($0.1)) }, context: context)
}

func runBytes(_ files: [(String, [UInt8])], context: ImportContext = ImportContext()) -> Result<ImportBatch, ImportFailure> {
    let paths = write(files)
    do throws(ImportFailure) {
        return .success(try Importer.validate(paths: paths, context: context))
    } catch {
        return .failure(error)
    }
}

extension Result where Success == ImportBatch, Failure == ImportFailure {
    var batch: ImportBatch? { if case .success(let b) = self { b } else { nil } }
    var problems: [ImportProblem] { if case .failure(let f) = self { f.problems } else { [] } }
    /// Problems as "file-name:row:column: ru / en", with the folder stripped for brevity.
    var lines: [String] {
        problems.map { p in
            var p = p
            p.file = (p.file as NSString).lastPathComponent
            return p.description
        }
    }
}

/// A context where schools 0001, 0002, 4711 are known.
let knownSchools = ImportContext(knownSchools: ["0001", "0002", "4711"])

let schoolsCSV = """
school_id,name,municipality,region,settlement,kind,students
0001,СОШ №1,Липецк,Липецкая область,urban,general,800
0002,Лицей №2,Липецк,Липецкая область,urban,lyceum,600

"""
