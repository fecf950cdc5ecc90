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
        Migration(version: 4, name: "improvement programmes: risk profiles, self-diagnosis, programmes, roadmaps, indicators, support network", statements: [
            // One row per (school, risk factor): the level suggested from data and why, the level the
            // school confirmed (NULL until it does), and whether it is a priority risk, with the reason.
            """
            CREATE TABLE risk_profiles (
                school_id TEXT NOT NULL REFERENCES schools(id),
                factor TEXT NOT NULL,
                suggested_level TEXT,
                suggestion TEXT NOT NULL DEFAULT '',
                level TEXT,
                answers_json TEXT NOT NULL DEFAULT '{}',
                priority INTEGER NOT NULL DEFAULT 0,
                priority_reason TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (school_id, factor)
            )
            """,
            // «Комплексная диагностика школьных процессов» (seed 002): each item rated '+' or 'insufficient', with evidence.
            """
            CREATE TABLE self_diagnosis (
                school_id TEXT NOT NULL REFERENCES schools(id),
                item TEXT NOT NULL,
                rating TEXT NOT NULL,
                evidence TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (school_id, item)
            )
            """,
            """
            CREATE TABLE swot (
                school_id TEXT NOT NULL REFERENCES schools(id),
                quadrant TEXT NOT NULL,
                body TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL,
                PRIMARY KEY (school_id, quadrant)
            )
            """,
            // owner_kind 'school' (owner_id = school id) or 'municipality' (owner_id = its name).
            """
            CREATE TABLE programmes (
                id INTEGER PRIMARY KEY,
                owner_kind TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                title TEXT NOT NULL,
                risk_factor TEXT,
                template_id TEXT,
                goals_json TEXT NOT NULL DEFAULT '[]',
                tasks_json TEXT NOT NULL DEFAULT '[]',
                start_day TEXT,
                end_day TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX programmes_owner ON programmes(owner_kind, owner_id)",
            """
            CREATE TABLE monitoring_indicators (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                unit TEXT NOT NULL,
                direction TEXT NOT NULL,
                baseline DOUBLE PRECISION,
                target DOUBLE PRECISION,
                period TEXT NOT NULL,
                computed TEXT
            )
            """,
            "CREATE INDEX monitoring_indicators_programme ON monitoring_indicators(programme_id)",
            // period: '2026' (annual), '2026-H1', '2026-Q3', or 'once'.
            """
            CREATE TABLE monitoring_values (
                indicator_id INTEGER NOT NULL REFERENCES monitoring_indicators(id) ON DELETE CASCADE,
                period TEXT NOT NULL,
                value DOUBLE PRECISION NOT NULL,
                entered_at TEXT NOT NULL,
                entered_by TEXT NOT NULL,
                PRIMARY KEY (indicator_id, period)
            )
            """,
            // deadline: '2026-03-31' or 'every:quarterly'; status never 'late' (computed from the deadline).
            """
            CREATE TABLE measures (
                id INTEGER PRIMARY KEY,
                programme_id INTEGER NOT NULL REFERENCES programmes(id) ON DELETE CASCADE,
                position INTEGER NOT NULL,
                section TEXT NOT NULL,
                title TEXT NOT NULL,
                deadline TEXT NOT NULL,
                responsible TEXT NOT NULL,
                expected_result TEXT NOT NULL DEFAULT '',
                indicator_id INTEGER,
                status TEXT NOT NULL,
                evidence TEXT NOT NULL DEFAULT '',
                updated_at TEXT NOT NULL,
                updated_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX measures_programme ON measures(programme_id, position)",
            """
            CREATE TABLE measure_comments (
                id INTEGER PRIMARY KEY,
                measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
                at TEXT NOT NULL,
                author TEXT NOT NULL,
                author_role TEXT NOT NULL,
                body TEXT NOT NULL
            )
            """,
            "CREATE INDEX measure_comments_measure ON measure_comments(measure_id, id)",
            // Evidence files are kept in the database (base64), so a backup of the database is a backup of everything.
            """
            CREATE TABLE measure_files (
                id INTEGER PRIMARY KEY,
                measure_id INTEGER NOT NULL REFERENCES measures(id) ON DELETE CASCADE,
                file_name TEXT NOT NULL,
                content_type TEXT NOT NULL,
                size INTEGER NOT NULL,
                sha256 TEXT NOT NULL,
                content_base64 TEXT NOT NULL,
                uploaded_at TEXT NOT NULL,
                uploaded_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX measure_files_measure ON measure_files(measure_id)",
            // kind: seminar, master_class, consultation, visit, open_lesson. school_id NULL = a municipal event.
            """
            CREATE TABLE support_events (
                id INTEGER PRIMARY KEY,
                municipality TEXT NOT NULL,
                school_id TEXT,
                kind TEXT NOT NULL,
                day TEXT NOT NULL,
                topic TEXT NOT NULL,
                participants TEXT NOT NULL DEFAULT '',
                outcome TEXT NOT NULL DEFAULT '',
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "CREATE INDEX support_events_school ON support_events(school_id, day)",
            """
            CREATE TABLE partner_pairs (
                supported_school TEXT NOT NULL REFERENCES schools(id),
                partner_school TEXT NOT NULL REFERENCES schools(id),
                since TEXT NOT NULL,
                note TEXT NOT NULL DEFAULT '',
                created_by TEXT NOT NULL,
                PRIMARY KEY (supported_school, partner_school)
            )
            """,
            // Mentors beside curators; staff_school is where the person works (the conflict-of-interest check).
            """
            CREATE TABLE mentors (
                id INTEGER PRIMARY KEY,
                school_id TEXT NOT NULL REFERENCES schools(id),
                name TEXT NOT NULL,
                role TEXT NOT NULL,
                staff_school TEXT,
                since TEXT NOT NULL,
                created_by TEXT NOT NULL
            )
            """,
            "ALTER TABLE users ADD COLUMN staff_school TEXT",
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
