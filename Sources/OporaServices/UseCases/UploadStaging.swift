import Foundation
import OporaStore

/// Uploaded files waiting for their confirmation, one private folder per upload:
/// `<tmp>/opora-uploads/<random id>/` holding the files and `owner` (the account id and when it was
/// uploaded). Only the uploader may confirm it; after an hour it is deleted.
public struct UploadStaging: Sendable {
    public static let lifetime: TimeInterval = 3600
    static let ownerFile = ".owner"
    public var root: URL

    public init(root: URL) {
        self.root = root
    }

    /// Saves the files under sanitised names; returns the upload's id.
    public func stage(_ files: [(name: String, body: Data)], owner: Int, now: Date) throws -> String {
        let fm = FileManager.default
        try fm.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let id = Secret.make(bytes: 18)
        let folder = root.appendingPathComponent(id, isDirectory: true)
        try fm.createDirectory(at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var used = Set<String>()
        for (i, file) in files.enumerated() {
            let name = Self.uniqueName(Self.sanitise(file.name, index: i + 1), used: &used)
            guard fm.createFile(atPath: folder.appendingPathComponent(name).path, contents: file.body,
                                attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown)
            }
        }
        try Data("\(owner)\n\(now.timeIntervalSince1970)".utf8).write(to: folder.appendingPathComponent(Self.ownerFile))
        return id
    }

    /// The staged files of upload `id`, when it exists, is `owner`'s and is not expired.
    public func files(_ id: String, owner: Int, now: Date) -> [String]? {
        guard Self.isValidID(id), let (uploader, at) = meta(id), uploader == owner, now.timeIntervalSince(at) <= Self.lifetime else { return nil }
        let folder = root.appendingPathComponent(id, isDirectory: true)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0 != Self.ownerFile }.sorted().map { folder.appendingPathComponent($0).path }
    }

    public func remove(_ id: String) {
        guard Self.isValidID(id) else { return }
        try? FileManager.default.removeItem(at: root.appendingPathComponent(id, isDirectory: true))
    }

    /// Deletes uploads older than `lifetime` (and folders without a readable owner file).
    public func sweep(now: Date) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        for id in names where Self.isValidID(id) {
            if let (_, at) = meta(id), now.timeIntervalSince(at) <= Self.lifetime { continue }
            // A folder being written has no owner file for a moment: spare it unless it is old.
            if meta(id) == nil, let created = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(id).path)[.modificationDate] as? Date,
               Date().timeIntervalSince(created) < 60 { continue }
            remove(id)
        }
    }

    private func meta(_ id: String) -> (owner: Int, at: Date)? {
        guard let text = try? String(contentsOf: root.appendingPathComponent(id).appendingPathComponent(Self.ownerFile), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n")
        guard lines.count == 2, let owner = Int(lines[0]), let seconds = Double(lines[1]) else { return nil }
        return (owner, Date(timeIntervalSince1970: seconds))
    }

    /// Ids are `Secret.make` output: URL-safe base64, nothing that could name another path.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// The last component of what the browser sent, with only letters, digits, spaces and `._-()`;
    /// never empty, never starting with a dot, at most 100 characters.
    static func sanitise(_ name: String, index: Int) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        var clean = String(last.unicodeScalars.filter { s in
            CharacterSet.letters.contains(s) || CharacterSet.decimalDigits.contains(s) || " ._-()№".unicodeScalars.contains(s)
        }.map(Character.init))
        while clean.hasPrefix(".") || clean.hasPrefix(" ") { clean.removeFirst() }
        if clean.count > 100 {
            let ext = (clean as NSString).pathExtension
            clean = String(clean.prefix(90)) + (ext.isEmpty ? "" : "." + ext.prefix(8))
        }
        return clean.isEmpty ? "file-\(index)" : clean
    }

    static func uniqueName(_ name: String, used: inout Set<String>) -> String {
        var candidate = name
        var n = 2
        while !used.insert(candidate.lowercased()).inserted || candidate == ownerFile {
            let base = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
            candidate = ext.isEmpty ? "\(base)-\(n)" : "\(base)-\(n).\(ext)"
            n += 1
        }
        return candidate
    }
}
