import Crypto
import Foundation

/// Session ids and API tokens are stored as SHA-256 digests (swift-crypto), never as they are: a
/// stolen copy of the database then opens no session.
public enum TokenHash {
    public static func hex(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }
}

/// Random secrets for session ids, CSRF and API tokens: bytes from the system's secure generator,
/// as URL-safe base64 without padding (43 characters for 32 bytes).
public enum Secret {
    public static func make(bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let raw = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return raw.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

/// HMAC-SHA256 (swift-crypto) for tokens the server issues and later checks without storing them
/// (the sign-in form's CSRF token), as URL-safe base64 without padding.
public enum TokenSignature {
    public static func sign(_ message: String, key: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key))
        return Data(mac).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// 32 random bytes for a key.
    public static func makeKey() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
