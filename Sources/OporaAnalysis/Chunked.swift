import Foundation

/// Work over independent items split into consecutive ranges run on all cores, the ranges'
/// results joined in order: the same list as one pass over all the items.
enum Chunked {
    /// `body` on consecutive ranges covering 0..<count (one per core, none for small counts), the
    /// returned lists concatenated in range order.
    static func map<T>(_ count: Int, minimumPerRange: Int = 1000, _ body: (Range<Int>) -> [T]) -> [T] {
        let k = max(1, min(ProcessInfo.processInfo.activeProcessorCount, count / max(1, minimumPerRange)))
        if k == 1 { return body(0..<count) }
        let parts = UnsafeMutableBufferPointer<[T]>.allocate(capacity: k)
        parts.initialize(repeating: [])
        defer { parts.deinitialize().deallocate() }
        withoutActuallyEscaping(body) { body in
            let work = Work(parts: parts, count: count, body: body)
            DispatchQueue.concurrentPerform(iterations: k) { work.run($0) }
        }
        var out: [T] = []
        out.reserveCapacity(parts.reduce(0) { $0 + $1.count })
        for i in parts.indices { out += parts[i] }
        return out
    }

    /// Each worker writes only its own range's list.
    private struct Work<T>: @unchecked Sendable {
        let parts: UnsafeMutableBufferPointer<[T]>
        let count: Int
        let body: (Range<Int>) -> [T]

        func run(_ i: Int) {
            let k = parts.count
            parts[i] = body((count * i / k)..<(count * (i + 1) / k))
        }
    }
}

/// Letting go of large values elsewhere.
enum Release {
    /// Drops `value` on a background thread (its last reference, if the caller gave it up).
    static func inBackground<T>(_ value: consuming T) {
        let box = Box(value)
        DispatchQueue.global(qos: .utility).async { box.value = nil }
    }

    private final class Box<T>: @unchecked Sendable {
        var value: T?
        init(_ value: consuming T) { self.value = value }
    }
}
