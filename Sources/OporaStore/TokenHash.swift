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
