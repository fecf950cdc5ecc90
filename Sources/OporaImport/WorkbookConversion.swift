import Foundation
import OporaCore

/// Reading a workbook (an .xlsx, i.e. a ZIP archive) into CSV bytes, for `opora import-worker`:
/// workbooks are untrusted archives whose reader runs only in a child process with limits (see
/// `ImportWorker` in OporaServices), never in the web server or the CLI that started it.
public enum WorkbookConversion {
    /// Whether the file starts like a ZIP archive (an .xlsx or any other ZIP, whatever its name).
    /// Reads four bytes only, so it is safe in any process.
    public static func isArchive(path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        guard let head = try? handle.read(upToCount: 4), head.count == 4 else { return false }
        let b = [UInt8](head)
        return b[0] == 0x50 && b[1] == 0x4B && (b[2] == 0x03 || b[2] == 0x05) && (b[3] == 0x04 || b[3] == 0x06)
    }

    /// The file as UTF-8 CSV bytes exactly as the importer would read it (`TextDecoding.decode`: a
    /// workbook's first sheet), or the problem that the importer would report for it.
    public static func csv(path: String) -> Result<[UInt8], ImportProblem> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            return .failure(ImportProblem(file: path, message: Messages.cannotRead(error.localizedDescription)))
        }
        switch TextDecoding.decode(data) {
        case .failure(let e):
            return .failure(ImportProblem(file: path, message: e.message))
        case .success(let text):
            return .success(text.withBytes { Array($0) })
        }
    }
}
