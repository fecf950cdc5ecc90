import Hummingbird
import OporaCore
import OporaServices

/// The web's side of the use cases: the signed-in account as the one who acts, and a refusal as the
/// HTTP answer (the same message in both; pages that re-render a form catch `UseCaseError` first).
extension CurrentUser {
    var acting: Acting { Acting(role: user.role, scope: scope, actor: actor) }
}

extension WebError {
    init(_ refusal: UseCaseError) {
        switch refusal.kind {
        case .forbidden: self = .forbidden
        case .notFound where refusal.code == UseCaseError.notFound.code: self = .notFound
        case .notFound: self = WebError(.notFound, refusal.code, ru: refusal.message.ru, en: refusal.message.en)
        case .malformed: self = WebError(.badRequest, refusal.code, ru: refusal.message.ru, en: refusal.message.en)
        case .unprocessable: self = WebError(.unprocessableContent, refusal.code, ru: refusal.message.ru, en: refusal.message.en)
        case .conflict: self = WebError(.conflict, refusal.code, ru: refusal.message.ru, en: refusal.message.en)
        }
        field = refusal.field
    }
}

/// Runs a use case for the API: a refusal becomes its HTTP answer.
func useCase<T>(_ body: () async throws -> T) async throws -> T {
    do {
        return try await body()
    } catch let refusal as UseCaseError {
        throw WebError(refusal)
    }
}

/// A refusal a form page shows above the form (400, or 409 against the state as it is now); not
/// found and forbidden are answered as such.
func formStatus(_ refusal: UseCaseError) throws -> HTTPResponse.Status {
    switch refusal.kind {
    case .forbidden, .notFound: throw WebError(refusal)
    case .malformed, .unprocessable: .badRequest
    case .conflict: .conflict
    }
}
