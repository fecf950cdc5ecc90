import Foundation

/// The `opora` executable built next to the test binary (`swift build` and `swift test` build it):
/// the CLI tests run it, and the web tests point the import worker at it (the server under test
/// runs inside the test binary, whose own executable has no `import-worker`).
public enum BuiltOpora {
    public static var path: String {
        if let path = ProcessInfo.processInfo.environment["OPORA_TEST_EXECUTABLE"], !path.isEmpty { return path }
        let me = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? Bundle.main.executablePath ?? CommandLine.arguments[0]
        var folder = URL(fileURLWithPath: me).deletingLastPathComponent()
        while folder.path != "/" {
            let candidate = folder.appendingPathComponent("opora")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            folder.deleteLastPathComponent()
        }
        return "opora"
    }
}
