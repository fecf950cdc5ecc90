import SQLKit

extension OporaDatabase {
    /// Grows with every import (the newest `import_log` id): figures derived from the data stay valid
    /// while it is unchanged, so the web app recomputes them only after an import.
    public func dataVersion() async throws -> Int {
        try await withConnection { conn in
            try await conn.sql.raw("SELECT COALESCE(MAX(id), 0) AS v FROM import_log").first()?.decode(column: "v", as: Int.self) ?? 0
        }
    }
}

extension OporaDatabase {
    /// Grows with every audited change (plans, measures, indicator values, registry, accounts): figures
    /// of the programmes stay valid while it is unchanged.
    public func auditVersion() async throws -> Int {
        try await withConnection { conn in
            try await conn.sql.raw("SELECT COALESCE(MAX(id), 0) AS v FROM audit_log").first()?.decode(column: "v", as: Int.self) ?? 0
        }
    }
}
