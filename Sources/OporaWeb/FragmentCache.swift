import Foundation

/// Values computed from the data for a page, by a key that carries every version they depend on.
final class ComputedCache<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: Value] = [:]
    private let capacity: Int

    init(capacity: Int = 256) { self.capacity = capacity }

    func value(_ key: String, make: () -> Value) -> Value {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let made = make()
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }

    func value(_ key: String, make: () async throws -> Value) async rethrows -> Value {
        if let hit = lock.withLock({ entries[key] }) { return hit }
        let made = try await make()
        lock.withLock {
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[key] = made
        }
        return made
    }
}

/// Rendered pieces of pages that depend only on the data (charts, tables of figures), kept per data
/// version, school, procedure and language. Rendering SVG is the dearest part of a page; the data
/// changes only on import, and the key carries the data version, so an entry is never stale.
/// Bounded: when full it starts again (pages are cheap to rebuild, the set of keys is small).
typealias FragmentCache = ComputedCache<[String: String]>
