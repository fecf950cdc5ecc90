import Foundation

/// A buffered byte writer for CSV output: rows are encoded straight into a fixed buffer, which is
/// flushed to the file when nearly full, so memory stays bounded whatever the size of the region.
final class ByteWriter {
    /// The file, or `nil` for an in-memory writer (used by parallel workers).
    private let handle: FileHandle?
    private var memory: [UInt8] = []
    private let capacity: Int
    private let buffer: UnsafeMutablePointer<UInt8>
    private var count = 0
    private(set) var bytesWritten = 0
    private(set) var rows = 0

    init(url: URL, capacity: Int = 1 << 20) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw DemoError.cannotWrite(url.path)
        }
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw DemoError.cannotWrite(url.path)
        }
        try handle.truncate(atOffset: 0)
        self.handle = handle
        self.capacity = capacity
        self.buffer = .allocate(capacity: capacity)
    }

    /// An in-memory writer: bytes accumulate until `takeBytes()`.
    init(memoryCapacity capacity: Int = 1 << 16) {
        self.handle = nil
        self.capacity = capacity
        self.buffer = .allocate(capacity: capacity)
    }

    deinit {
        buffer.deallocate()
        try? handle?.close()
    }

    /// All bytes of an in-memory writer (and its row count), leaving it empty.
    func takeBytes() -> (bytes: [UInt8], rows: Int) {
        memory.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        count = 0
        defer {
            memory = []
            rows = 0
        }
        return (memory, rows)
    }

    /// Appends bytes produced elsewhere (complete rows, counted as `rows`).
    func append(_ bytes: [UInt8], rows: Int) throws {
        try flush()
        if let handle {
            try handle.write(contentsOf: bytes)
        } else {
            memory.append(contentsOf: bytes)
        }
        bytesWritten += bytes.count
        self.rows += rows
    }

    /// Makes sure `n` more bytes fit; a row is always far smaller than the buffer.
    @inline(__always)
    func reserve(_ n: Int) throws {
        if count + n > capacity { try flush() }
    }

    func flush() throws {
        guard count > 0 else { return }
        if let handle {
            try handle.write(contentsOf: Data(bytesNoCopy: buffer, count: count, deallocator: .none))
        } else {
            memory.append(contentsOf: UnsafeBufferPointer(start: buffer, count: count))
        }
        bytesWritten += count
        count = 0
    }

    func close() throws {
        try flush()
        try handle?.close()
    }

    @inline(__always)
    func byte(_ b: UInt8) {
        buffer[count] = b
        count += 1
    }

    @inline(__always)
    func comma() { byte(0x2C) }

    /// Ends a row (LF) and counts it.
    @inline(__always)
    func endRow() {
        byte(0x0A)
        rows += 1
    }

    @inline(__always)
    func bytes(_ bs: [UInt8]) {
        bs.withUnsafeBufferPointer { src in
            (buffer + count).update(from: src.baseAddress!, count: src.count)
        }
        count += bs.count
    }

    /// A non-negative or negative integer in decimal.
    @inline(__always)
    func int(_ value: Int) {
        var v = value
        if v < 0 {
            byte(0x2D)
            v = -v
        }
        if v < 10 {
            byte(0x30 &+ UInt8(v))
            return
        }
        var digits = 0
        var t = v
        while t > 0 {
            digits += 1
            t /= 10
        }
        var i = count + digits - 1
        while v > 0 {
            buffer[i] = 0x30 &+ UInt8(v % 10)
            v /= 10
            i -= 1
        }
        count += digits
    }

    /// An integer zero-padded to `width` digits (participant codes, school codes).
    @inline(__always)
    func padded(_ value: Int, width: Int) {
        var v = value
        var i = count + width - 1
        for _ in 0..<width {
            buffer[i] = 0x30 &+ UInt8(v % 10)
            v /= 10
            i -= 1
        }
        count += width
    }

    /// A decimal with at most `decimals` fraction digits, trailing zeros trimmed ("0.25", "12", "3.5").
    func decimal(_ value: Double, decimals: Int) {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        var n = Int((value * Double(scale)).rounded())
        if n < 0 {
            byte(0x2D)
            n = -n
        }
        int(n / scale)
        var frac = n % scale
        guard frac > 0 else { return }
        var width = decimals
        while frac % 10 == 0 {
            frac /= 10
            width -= 1
        }
        byte(0x2E)
        padded(frac, width: width)
    }

    /// A text field, quoted per RFC 4180 when it holds a comma, a quote or a line break.
    func field(_ text: String) throws {
        let utf8 = Array(text.utf8)
        try reserve(utf8.count * 2 + 2)
        if utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) {
            byte(0x22)
            for b in utf8 {
                if b == 0x22 { byte(0x22) }
                byte(b)
            }
            byte(0x22)
        } else {
            bytes(utf8)
        }
    }

    /// A whole row of text fields.
    func row(_ fields: [String]) throws {
        for (i, f) in fields.enumerated() {
            if i > 0 {
                try reserve(1)
                comma()
            }
            try field(f)
        }
        try reserve(1)
        endRow()
    }
}
