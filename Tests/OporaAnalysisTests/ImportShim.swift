import OporaImport

enum OporaImportShim {
    static func read(_ path: String) throws -> ImportBatch { try Importer.validate(paths: [path]) }
}
