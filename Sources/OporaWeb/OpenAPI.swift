import Foundation
import OporaCore
import OporaStore

/// The OpenAPI 3.1 description of `/api/v1/`, written by hand. A test checks that every API route
/// of the router is described here and nothing else is.
enum OpenAPI {
    static let document: String = {
        let data = try! JSONSerialization.data(withJSONObject: spec, options: [.sortedKeys, .withoutEscapingSlashes, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }()

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    private static func json(_ schema: [String: Any]) -> [String: Any] { ["content": ["application/json": ["schema": schema]]] }
    private static func ok(_ description: String, _ schema: [String: Any]) -> [String: Any] { json(schema).merging(["description": description]) { a, _ in a } }
    nonisolated(unsafe) private static let errors: [String: Any] = [
        "401": ["description": "Not signed in, or the bearer token is not valid", "content": ["application/json": ["schema": ref("Error")]]],
        "403": ["description": "The role does not allow this, or a session request without its X-CSRF-Token", "content": ["application/json": ["schema": ref("Error")]]],
        "404": ["description": "Not found, or outside the caller's territory (the same answer)", "content": ["application/json": ["schema": ref("Error")]]],
    ]
    private static func param(_ name: String, _ type: String = "string") -> [String: Any] {
        ["name": name, "in": "path", "required": true, "schema": ["type": type]]
    }
    private static func error(_ description: String) -> [String: Any] {
        ["description": description, "content": ["application/json": ["schema": ref("Error")]]]
    }
    /// Every operation: 401, 403, 404; with parameters also 400 (a parameter of the wrong form)
    /// and 405 for other methods; with a body also 400 (not the JSON expected, a field empty or too
    /// long: `error.field` names it) and 413 (past the JSON limit).
    private static func op(_ summary: String, _ responses: [String: Any], parameters: [[String: Any]] = [], body: String? = nil) -> [String: Any] {
        var all = responses.merging(errors) { a, _ in a }
        if body != nil {
            all["400"] = all["400"] ?? error("Not the JSON object expected, or a field empty, too long or invalid (error.field names it)")
            all["413"] = error("The body is larger than \(BodyLimit.json / 1024) KB")
        } else if !parameters.isEmpty {
            all["400"] = all["400"] ?? error("A parameter of the wrong form")
        }
        var o: [String: Any] = ["summary": summary, "responses": all]
        if !parameters.isEmpty { o["parameters"] = parameters }
        if let body { o["requestBody"] = json(ref(body)).merging(["required": true]) { a, _ in a } }
        return o
    }
    /// A text the server refuses when blank (at least one non-space character) or longer than `max`.
    private static func text(_ max: Int, required: Bool = true) -> [String: Any] {
        // An optional text may also be null: the server reads null as absent.
        // No control characters (`ControlCharacters`); a required one has a character that is not white space.
        let c = ControlCharacters.allowedClass
        return required ? ["type": "string", "minLength": 1, "maxLength": max, "pattern": "^\(c)*[^\\s\(c.dropFirst(2))\(c)*$"]
                        : ["type": ["string", "null"], "maxLength": max, "pattern": "^\(c)*$"]
    }
    /// A field of a change (PATCH) that may be null: the server reads null as "leave it as it is".
    private static func orNull(_ schema: [String: Any]) -> [String: Any] { ["anyOf": [schema, ["type": "null"]]] }
    private static func object(_ properties: [String: Any], required: [String] = []) -> [String: Any] {
        var o: [String: Any] = ["type": "object", "properties": properties]
        if !required.isEmpty { o["required"] = required }
        return o
    }
    nonisolated(unsafe) private static let string: [String: Any] = ["type": "string"]
    nonisolated(unsafe) private static let nullableString: [String: Any] = ["type": ["string", "null"]]
    nonisolated(unsafe) private static let integer: [String: Any] = ["type": "integer"]
    /// A reference to a stored row: the ids the server hands out (a larger number cannot be read at all).
    nonisolated(unsafe) private static let identifier: [String: Any] = ["type": "integer", "minimum": 1, "maximum": Int64.max]
    private static func array(_ items: [String: Any]) -> [String: Any] { ["type": "array", "items": items] }
    /// A calendar date (a pattern alone would admit «0000-00-00»; the pattern keeps the years `Day` takes, 1900–2199), or a recurrence.
    nonisolated(unsafe) private static let deadline: [String: Any] = [
        "anyOf": [["type": "string", "format": "date", "pattern": "^(19|20|21)[0-9]{2}-"],
                  ["type": "string", "pattern": "^(every:)?(monthly|quarterly|half_year|annual|during_year)$"]],
        "description": "YYYY-MM-DD, or every:monthly|quarterly|half_year|annual|during_year"]

    /// A new account. The role decides the territory: none for an admin, a municipality's name or a school's code for
    /// those roles and a viewer; a region and a curator's schools may be left out (the only region; schools given later).
    nonisolated(unsafe) private static let userInput: [String: Any] = {
        var schema = object(["login": ["type": "string", "minLength": 1, "maxLength": UserRecord.loginMaximum, "pattern": UserRecord.loginPattern],
                             "role": ref("Role"), "territory": text(FieldLimit.short, required: false),
                             "password": ["type": "string", "minLength": Passwords.minimumLength, "maxLength": FieldLimit.password,
                                          "pattern": "^\(ControlCharacters.allowedClass)*$"]],
                            required: ["login", "role", "password"])
        func role(_ roles: [String]) -> [String: Any] { ["properties": ["role": ["enum": roles]], "required": ["role"]] }
        schema["allOf"] = [
            ["if": role(["admin"]), "then": ["properties": ["territory": ["type": ["string", "null"], "pattern": "^\\s*$"]]]],
            ["if": role(["municipality", "school", "viewer"]), "then": ["required": ["territory"], "properties": ["territory": text(FieldLimit.short)]]],
        ]
        return schema
    }()

    nonisolated(unsafe) static let spec: [String: Any] = [
        "openapi": "3.1.0",
        "info": [
            "title": "Opora API", "version": "1",
            "description": "Schools, identification runs, the registry of supported schools and their programmes, scoped to the caller's territory. "
                + "Sign in with a session cookie (state-changing requests then need the X-CSRF-Token header) or with "
                + "`Authorization: Bearer <token>` from `opora token create`. Errors: {\"error\": {\"code\", \"message_ru\", \"message_en\"}}.",
        ],
        "servers": [["url": "/api/v1"]],
        "security": [["bearer": [String]()], ["session": [String]()]],
        "paths": [
            "/openapi.json": ["get": op("This document", ["200": ["description": "OpenAPI 3.1 document", "content": ["application/json": ["schema": ["type": "object"]]]]])],
            "/me": ["get": op("The caller's account, territory and permissions", ["200": ok("The account", ref("Me"))])],
            "/schools": ["get": op("Schools of the caller's territory", ["200": ok("Schools", object(["count": integer, "schools": array(ref("School"))]))])],
            "/schools/{id}": ["get": op("One school with its registry entry", ["200": ok("The school", object(["school": ref("School"), "registry": ["oneOf": [ref("RegistryEntry"), ["type": "null"]]]]))],
                                        parameters: [param("id")])],
            "/identification/runs": ["get": op("Identification runs, with counts for the caller's territory",
                                               ["200": ok("Runs, newest first", object(["runs": array(ref("Run"))]))])],
            "/identification/runs/{id}": ["get": op("A run's published result, with only the caller's schools",
                                                    ["200": ok("The result as stored by the identification engine ({run, schools}); counts recomputed outside region-wide accounts",
                                                               ["type": "object"])], parameters: [param("id", "integer")])],
            "/identification/runs/{id}/schools/{school_id}": ["get": op("A school's flags in a run", ["200": ok("Flags", object(["flags": array(ref("Flag"))]))],
                                                                        parameters: [param("id", "integer"), param("school_id")])],
            "/registry": [
                "get": op("The registry of supported schools of the caller's territory", ["200": ok("Entries", object(["entries": array(ref("RegistryEntry"))]))]),
                "post": op("Include a school (admin, region, municipality)", [
                    "201": ok("The new entry", ref("RegistryEntry")),
                    "409": ["description": "Already in the registry", "content": ["application/json": ["schema": ref("Error")]]],
                    "422": ["description": "Missing reason or coordinator, bad date", "content": ["application/json": ["schema": ref("Error")]]],
                ], body: "IncludeInput"),
            ],
            "/registry/{school_id}": [
                "get": op("A school's entry and its full history", ["200": ok("Entry and history", object(["entry": ref("RegistryEntry"), "history": array(ref("RegistryChange"))]))],
                          parameters: [param("school_id")]),
                "patch": op("Change the status (and optionally reason or coordinator) (admin, region, municipality)", [
                    "200": ok("The entry after the change", ref("RegistryEntry")),
                    "409": ["description": "Nothing changes, or the status cannot change so", "content": ["application/json": ["schema": ref("Error")]]],
                    "422": ["description": "Invalid", "content": ["application/json": ["schema": ref("Error")]]],
                ], parameters: [param("school_id")], body: "StatusInput"),
            ],
            "/schools/{id}/risk-profile": ["get": op("The school's risk profile: each of the ten risk factors with the level the data suggests (and why), the level the school confirmed, and its priority risks",
                                                     ["200": ok("The profile", ref("RiskProfile"))], parameters: [param("id")])],
            "/schools/{id}/roadmap": ["get": op("The measures of all the school's programmes, with status (late computed from the deadline) and deadline",
                                                ["200": ok("Programmes and measures", ref("Roadmap"))], parameters: [param("id")])],
            "/schools/{id}/roadmap/measures": ["post": op("Add a measure to one of the school's programmes (default: its roadmap, created if missing) (admin, region, municipality, school)",
                                                          ["201": ok("The measure", ref("Measure")),
                                                           "400": ["description": "Invalid section, deadline or missing field", "content": ["application/json": ["schema": ref("Error")]]],
                                                           "409": ["description": "The indicator is not one of this programme's", "content": ["application/json": ["schema": ref("Error")]]]],
                                                          parameters: [param("id")], body: "MeasureInput")],
            "/measures/{id}": ["patch": op("Change a measure: status (not late), evidence, title, deadline, responsible, expected result, section (admin, region, municipality, school)",
                                           ["200": ok("The measure after the change", ref("Measure")),
                                            "400": ["description": "Invalid status, section or deadline", "content": ["application/json": ["schema": ref("Error")]]]],
                                           parameters: [param("id", "integer")], body: "MeasurePatch")],
            "/schools/{id}/indicators": ["get": op("The school's monitoring indicators: baseline, target, period, entered values and traffic light",
                                                   ["200": ok("Indicators", object(["school_id": string, "indicators": array(ref("Indicator"))]))], parameters: [param("id")])],
            "/audit": ["get": op("The audit log, newest first (admin)", ["200": ok("Entries", object(["entries": array(ref("AuditEntry"))]))],
                                 parameters: [["name": "limit", "in": "query", "required": false, "schema": integer]])],
            "/users": [
                "get": op("Accounts (admin)", ["200": ok("Accounts", object(["users": array(ref("User"))]))]),
                "post": op("Create an account (admin)", ["201": ok("The account", ref("User")),
                                                         "400": ["description": "A weak password, or a field the schema refuses", "content": ["application/json": ["schema": ref("Error")]]],
                                                         "409": ["description": "Login taken, or no such school, municipality or region", "content": ["application/json": ["schema": ref("Error")]]]],
                           body: "UserInput"),
            ],
        ],
        "components": [
            "securitySchemes": [
                "bearer": ["type": "http", "scheme": "bearer"],
                "session": ["type": "apiKey", "in": "cookie", "name": "opora_session"],
            ],
            "schemas": [
                "Error": object(["error": object(["code": string, "message_ru": string, "message_en": string], required: ["code", "message_ru", "message_en"])],
                                required: ["error"]),
                "Me": object(["login": string, "role": ref("Role"), "territory_kind": nullableString, "territory": nullableString,
                              "schools": ["type": ["array", "null"], "items": string], "permissions": array(string)]),
                "Role": ["type": "string", "enum": ["admin", "region", "municipality", "curator", "school", "viewer"]],
                "School": object(["id": string, "name": string, "municipality": string, "region": string,
                                  "settlement": ["type": "string", "enum": ["urban", "rural"]], "kind": string,
                                  "students": ["type": ["integer", "null"]], "distance_km": ["type": ["number", "null"]]]),
                "Run": object(["id": integer, "created_at": string, "created_by": nullableString, "year": integer, "rules_name": string,
                               "rules_digest": string, "data_digest": string, "schools_in_scope": integer, "flagged_schools_in_scope": integer]),
                "Flag": object(["school_id": string, "category": string, "criterion": string, "year": integer, "strength": nullableString,
                                "value": ["type": ["number", "null"]], "threshold": ["type": ["number", "null"]], "n": ["type": ["integer", "null"]],
                                "text_ru": string, "text_en": string]),
                "Category": ["type": "string", "enum": SupportCategory.codes],
                "Status": ["type": "string", "enum": ["included", "in_programme", "exit_proposed", "exited"]],
                "RegistryEntry": object(["school_id": string, "category": ref("Category"), "reason": string, "start_date": ["type": "string", "format": "date"],
                                         "coordinator": string, "status": ref("Status"), "updated_at": string, "updated_by": string]),
                "RegistryChange": object(["changed_at": string, "changed_by": string, "category": ref("Category"), "reason": string,
                                          "start_date": string, "coordinator": string, "status": ref("Status"), "note": string]),
                "IncludeInput": object(["school_id": text(FieldLimit.code), "category": ref("Category"), "reason": text(FieldLimit.long),
                                        "start_date": ["type": "string", "format": "date", "pattern": "^(19|20|21)[0-9]{2}-", "maxLength": FieldLimit.code],
                                        "coordinator": text(FieldLimit.short), "note": text(FieldLimit.long, required: false)],
                                       required: ["school_id", "category", "reason", "start_date", "coordinator"]),
                "StatusInput": object(["status": ref("Status"), "reason": text(FieldLimit.long), "coordinator": text(FieldLimit.short),
                                       "note": text(FieldLimit.long, required: false)], required: ["status"]),
                "AuditEntry": object(["id": integer, "at": string, "user_id": ["type": ["integer", "null"]], "actor": string, "action": string,
                                      "entity": string, "entity_id": nullableString, "before_json": nullableString, "after_json": nullableString]),
                "User": object(["login": string, "role": ref("Role"), "territory_kind": nullableString, "territory": nullableString,
                                "schools": array(string), "disabled": ["type": "boolean"], "created_at": string]),
                "RiskLevel": ["type": ["string", "null"], "enum": ["low", "medium", "high", NSNull()]],
                "RiskProfile": object(["school_id": string, "priorities": array(string), "factors": array(object([
                    "factor": string, "name_ru": string, "name_en": string, "suggested_level": ref("RiskLevel"), "suggestion_ru": nullableString,
                    "suggestion_en": nullableString, "level": ref("RiskLevel"), "confirmed": ["type": "boolean"], "priority": ["type": "boolean"],
                    "priority_reason": string, "updated_at": nullableString, "updated_by": nullableString,
                    "answers": ["type": "object", "additionalProperties": ["type": "integer"], "description": "questionnaire: question id → 0, 1 or 2"],
                    "answers_level": ref("RiskLevel"), "answers_points": ["type": ["integer", "null"]], "answers_maximum": ["type": ["integer", "null"]]]))]),
                "Section": ["type": "string", "enum": ["normative", "organisational", "methodological", "staff", "material", "monitoring", "informational"]],
                "Measure": object(["id": integer, "programme_id": integer, "section": ref("Section"), "title": string,
                                   "deadline": ["type": "string", "description": "YYYY-MM-DD, or every:monthly|quarterly|half_year|annual|during_year"],
                                   "due": ["type": "string", "format": "date"], "responsible": string, "expected_result": string,
                                   "indicator_id": ["type": ["integer", "null"]],
                                   "status": ["type": "string", "enum": ["planned", "in_progress", "done", "late", "cancelled"]], "evidence": string]),
                "Programme": object(["id": integer, "owner_kind": string, "owner_id": string,
                                     "kind": ["type": "string", "enum": ["concept", "medium_term_programme", "anti_risk_programme", "roadmap"]],
                                     "title": string, "risk_factor": nullableString, "template_id": nullableString]),
                "Roadmap": object(["school_id": string, "today": string, "programmes": array(ref("Programme")), "measures": array(ref("Measure"))]),
                "MeasureInput": object(["programme_id": identifier, "section": ref("Section"), "title": text(FieldLimit.short), "deadline": deadline,
                                        "responsible": text(FieldLimit.short), "expected_result": text(FieldLimit.long, required: false), "indicator_id": identifier],
                                       required: ["section", "title", "deadline", "responsible"]),
                "MeasurePatch": object(["status": orNull(["type": "string", "enum": ["planned", "in_progress", "done", "cancelled"]]),
                                        "evidence": text(FieldLimit.long, required: false), "title": orNull(text(FieldLimit.short)),
                                        "deadline": orNull(deadline), "responsible": orNull(text(FieldLimit.short)),
                                        "expected_result": text(FieldLimit.long, required: false), "section": orNull(ref("Section"))]),
                "Indicator": object(["id": integer, "programme_id": integer, "name": string,
                                     "unit": ["type": "string", "enum": ["share", "count", "score", "mark", "yes_no", "percent_points"]],
                                     "direction": ["type": "string", "enum": ["higher_is_better", "lower_is_better"]],
                                     "baseline": ["type": ["number", "null"]], "target": ["type": ["number", "null"]],
                                     "period": ["type": "string", "enum": ["quarterly", "half_year", "annual", "once"]], "computed": nullableString,
                                     "values": array(object(["period": string, "value": ["type": "number"], "entered_at": string, "entered_by": string])),
                                     "latest": ["type": ["number", "null"]], "light": ["type": "string", "enum": MonitoringIndicator.Light.allCases.map(\.rawValue)]]),
                "UserInput": userInput,
            ],
        ],
    ]
}
