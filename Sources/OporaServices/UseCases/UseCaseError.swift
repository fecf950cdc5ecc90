import OporaCore
import OporaStore

/// Why a use case refused, in both languages: every adapter says the same thing, and each maps the
/// kind to its own answer (a page re-rendered with the message, an HTTP status, an exit code).
public struct UseCaseError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// The role may not do this at all.
        case forbidden
        /// Outside the caller's territory, or not there at all: one answer, so nothing leaks.
        case notFound
        /// The request itself is wrong (an unknown code where a fixed list is expected).
        case malformed
        /// Well-formed, but a rule of the domain refuses it (a reason is required).
        case unprocessable
        /// It contradicts the present state (already included, a status that cannot follow).
        case conflict
    }

    public var kind: Kind
    /// Stable, for scripts (`already_included`).
    public var code: String
    public var message: LocalizedText
    /// The input field it is about, when there is one.
    public var field: String?

    public init(_ kind: Kind, _ code: String, _ message: LocalizedText, field: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.field = field
    }

    public static let forbidden = UseCaseError(.forbidden, "forbidden", LocalizedText(ru: "Недостаточно прав для этого действия.", en: "Your role does not allow this."))
    public static let notFound = UseCaseError(.notFound, "not_found", LocalizedText(ru: "Не найдено.", en: "Not found."))
}

extension UseCaseError {
    /// The programme store's refusals (programmes, measures, indicators, risk profiles, the support
    /// network) as the use cases': its rules (an empty title, a period the indicator has not) are
    /// malformed input, as the API has always answered them (400).
    static func translatingProgrammeStore<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ProgrammeError {
            let message = LocalizedText(ru: "Не сохранено: \(error.ru)", en: "Not saved: \(error.description)")
            switch error.code {
            case .notFound: throw UseCaseError.notFound
            case .invalid: throw UseCaseError(.malformed, "invalid", message)
            case .conflict: throw UseCaseError(.conflict, "conflict", message)
            }
        }
    }
}
