import SQLKit

/// Versioned schema migrations, applied in order on open. Each runs in its own transaction and is
/// recorded in `schema_migrations`; a migration is never edited once released: add a new one.
/// The SQL is the common subset of SQLite and PostgreSQL (scores are DOUBLE PRECISION: SQLKit's
/// "real" would be a 4-byte float on PostgreSQL).
enum Migrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    static let all: [Migration] = [
        Migration(version: 1, name: "territory, procedures, results, indicators", statements: [
            """
            CREATE TABLE municipalities (
                name TEXT PRIMARY KEY,
                region TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE schools (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL,
                municipality TEXT NOT NULL REFERENCES municipalities(name),
                region TEXT NOT NULL,
                settlement TEXT NOT NULL,
                kind TEXT NOT NULL,
                students INTEGER,
                distance_km DOUBLE PRECISION
            )
            """,
            "CREATE INDEX schools_municipality ON schools(municipality)",
            """
            CREATE TABLE procedures (
                id INTEGER PRIMARY KEY,
                year INTEGER NOT NULL,
                assessment TEXT NOT NULL,
                subject TEXT NOT NULL,
                grade INTEGER NOT NULL,
                UNIQUE (year, assessment, subject, grade)
            )
            """,
            """
            CREATE TABLE tasks (
                procedure_id INTEGER NOT NULL REFERENCES procedures(id),
                task TEXT NOT NULL,
                position INTEGER NOT NULL,
                max_score DOUBLE PRECISION NOT NULL,
                level TEXT,
                PRIMARY KEY (procedure_id, task)
            )
            """,
            """
            CREATE TABLE results (
                procedure_id INTEGER NOT NULL,
                school_id TEXT NOT NULL,
                participant TEXT NOT NULL,
                score DOUBLE PRECISION,
                mark SMALLINT,
                journal_mark SMALLINT,
                task_scores TEXT
            )
            """,
            "CREATE INDEX results_slice ON results(procedure_id, school_id)",
            """
            CREATE TABLE school_results (
                procedure_id INTEGER NOT NULL REFERENCES procedures(id),
                school_id TEXT NOT NULL REFERENCES schools(id),
                participants INTEGER NOT NULL,
                mean_score DOUBLE PRECISION,
                share_2 DOUBLE PRECISION,
                share_3 DOUBLE PRECISION,
                share_4 DOUBLE PRECISION,
                share_5 DOUBLE PRECISION,
                PRIMARY KEY (procedure_id, school_id)
            )
            """,
            """
            CREATE TABLE indicator_values (
                year INTEGER NOT NULL,
                school_id TEXT NOT NULL REFERENCES schools(id),
                indicator TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                PRIMARY KEY (year, school_id, indicator)
            )
            """,
            """
            CREATE TABLE import_log (
                id INTEGER PRIMARY KEY,
                imported_at TEXT NOT NULL,
                source TEXT NOT NULL,
                summary TEXT NOT NULL
            )
            """,
        ]),
        Migration(version: 2, name: "identification runs and their flags", statements: [
            """
            CREATE TABLE identification_runs (
                id INTEGER PRIMARY KEY,
                created_at TEXT NOT NULL,
                created_by TEXT,
                year INTEGER NOT NULL,
                rules_name TEXT NOT NULL,
                rules_digest TEXT NOT NULL,
                rules_text TEXT NOT NULL,
                data_digest TEXT NOT NULL,
                data_records INTEGER NOT NULL,
                schools INTEGER NOT NULL,
                flagged_schools INTEGER NOT NULL,
                result_json TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE identification_flags (
                run_id INTEGER NOT NULL REFERENCES identification_runs(id) ON DELETE CASCADE,
                school_id TEXT NOT NULL,
                category TEXT NOT NULL,
                criterion TEXT NOT NULL,
                year INTEGER NOT NULL,
                strength TEXT,
                value DOUBLE PRECISION,
                threshold DOUBLE PRECISION,
                n INTEGER,
                text_ru TEXT NOT NULL,
                text_en TEXT NOT NULL
            )
            """,
            "CREATE INDEX identification_flags_school ON identification_flags(run_id, school_id)",
        ]),
        Migration(version: 3, name: "accounts, sessions, API tokens, audit log, registry of supported schools", statements: [
            // territory_kind is 'region', 'municipality' or 'school' (NULL for admins and curators, whose
            // schools are in curator_assignments); territory is the region or municipality name or the school id.
            """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                login TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                territory_kind TEXT,
                territory TEXT,
                disabled INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL,
                password_changed_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE curator_assignments (
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                school_id TEXT NOT NULL,
                PRIMARY KEY (user_id, school_id)
            )
            """,
            // Only a SHA-256 of the session id and of the API token is kept: a copy of the database
            // does not let anyone sign in.
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                csrf_token TEXT NOT NULL,
                created_at TEXT NOT NULL,
                expires_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX sessions_user ON sessions(user_id)",
            """
            CREATE TABLE api_tokens (
                id INTEGER PRIMARY KEY,
                token_hash TEXT NOT NULL UNIQUE,
                user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
                label TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT
            )
            """,
            """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY,
                at TEXT NOT NULL,
                user_id INTEGER,
                actor TEXT NOT NULL,
                action TEXT NOT NULL,
                entity TEXT NOT NULL,
                entity_id TEXT,
                before_json TEXT,
                after_json TEXT
            )
            """,
            """
            CREATE TABLE registry (
                school_id TEXT PRIMARY KEY REFERENCES schools(id),
                category TEXT NOT NULL,
                reason TEXT NOT NULL,
                start_date TEXT NOT NULL,
                coordinator TEXT NOT NULL,
                status TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE registry_history (
                id INTEGER PRIMARY KEY,
                school_id TEXT NOT NULL REFERENCES schools(id),
                changed_at TEXT NOT NULL,
                changed_by TEXT NOT NULL,
                category TEXT NOT NULL,
                reason TEXT NOT NULL,
                start_date TEXT NOT NULL,
                coordinator TEXT NOT NULL,
                status TEXT NOT NULL,
                note TEXT NOT NULL
            )
            """,
            "CREATE INDEX registry_history_school ON registry_history(school_id, id)",
        ]),
    ]

    static func apply(to database: OporaDatabase) async throws {
        try await database.withConnection { conn in
            try await conn.sql.raw("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """).run()
        }
        let applied = try await appliedVersions(database)
        for migration in all where !applied.contains(migration.version) {
            try await database.transaction { conn in
                // Two servers starting at once must not both apply a migration: take a lock, then look again.
                if conn.isPostgres {
                    try await conn.sql.raw("SELECT pg_advisory_xact_lock(7261001)").run()
                }
                let done = try await conn.sql.raw("SELECT COUNT(*) AS n FROM schema_migrations WHERE version = \(bind: migration.version)")
                    .first()?.decode(column: "n", as: Int.self) ?? 0
                guard done == 0 else { return }
                for statement in migration.statements {
                    try await conn.sql.raw(SQLQueryString(statement)).run()
                }
                try await conn.sql.insert(into: "schema_migrations")
                    .columns("version", "name", "applied_at")
                    .values(SQLBind(migration.version), SQLBind(migration.name), SQLBind(Timestamp.now()))
                    .run()
            }
            database.logger.info("schema migration \(migration.version) is in place: \(migration.name)")
        }
    }

    static func appliedVersions(_ database: OporaDatabase) async throws -> Set<Int> {
        try await database.withConnection { conn in
            let rows = try await conn.sql.raw("SELECT version FROM schema_migrations").all()
            return Set(try rows.map { try $0.decode(column: "version", as: Int.self) })
        }
    }
}

extension OporaDatabase {
    /// The schema versions applied to this database, ascending.
    public func schemaVersions() async throws -> [Int] {
        try await Migrations.appliedVersions(self).sorted()
    }
}
