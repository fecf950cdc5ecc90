import Foundation

/// Duplicate-participant detection for millions of result rows without a `Set` of strings.
///
/// A row's key (procedure × participant code) is reduced to a 64-bit hash and kept with the row's
/// *ordinal* (`file order << 40 | byte offset of the record`), 16 bytes a row. Ordinals order rows
/// exactly as a sequential reading would (files in the order read, then position in the file), so
/// the first occurrence of a key is the smallest ordinal, and every other row of it is a duplicate.
///
/// Two steps, so that no step waits on memory: while a part of a file is read, its keys are only
/// appended to `ParticipantKeys`, split into partitions by the top bits of the hash (sequential
/// writes); once the file has been read, `settle` checks one partition at a time in a small
/// open-addressing table that stays in the core's cache. (One table of all keys, probed as rows
/// came, took ~60 ns a row at national scale — a cache and TLB miss each — 8 % of the CPU time.)
///
/// Exactness: equal hashes are confirmed by re-reading both records from the (memory-mapped) file
/// and comparing procedure and participant bytes (`sameKey`). With 20 M rows a false hash match has
/// a probability of about n²/2⁶⁵ ≈ 1e-5 per import and then only costs two record re-reads; a
/// false match never produces a problem.
final class ParticipantTable: @unchecked Sendable {
    let partitionBits: Int
    /// The keys of the files settled so far, kept only while more results files follow.
    private let settled: ParticipantKeys

    /// `expected`: the expected number of keys of the whole import (sizes the partitions; a guess is fine).
    init(expected: Int) {
        // Partitions of at most ~10,000 keys (up to 4,096 of them): a table of at most 16,384 slots
        // (256 KiB) fits a core's L2 cache.
        var bits = 0
        while bits < 12, expected >> bits > 10_000 { bits += 1 }
        partitionBits = bits
        settled = ParticipantKeys(partitionBits: bits, expected: 0)
    }

    /// Keys for one part of a file, sized for about `expected` rows.
    func keys(expected: Int) -> ParticipantKeys { ParticipantKeys(partitionBits: partitionBits, expected: expected) }

    /// Checks the keys of one file's parts (in file order) against each other and against the files
    /// settled before. Returns each duplicate row's ordinal with the ordinal of the first row of its
    /// key. `keep`: remember these keys for the files still to come.
    func settle(_ parts: [ParticipantKeys], keep: Bool, sameKey: @escaping @Sendable (UInt64, UInt64) -> Bool) -> [UInt64: UInt64] {
        let partitions = 1 << partitionBits
        let found = UnsafeMutableBufferPointer<[(UInt64, UInt64)]>.allocate(capacity: partitions)
        found.initialize(repeating: [])
        defer { found.deinitialize().deallocate() }
        let sources = [settled] + parts
        memoryBytes = max(memoryBytes, sources.reduce(0) { $0 + $1.bytes })
        let workers = min(partitions, max(1, ProcessInfo.processInfo.activeProcessorCount))
        let work = SettleWork(sources: sources, found: found, settled: keep ? settled : nil, sameKey: sameKey)
        // Consecutive ranges of partitions, one per worker, each with one table reused for its partitions.
        DispatchQueue.concurrentPerform(iterations: workers) { w in
            work.run(partitions * w / workers..<partitions * (w + 1) / workers)
        }
        var firsts: [UInt64: UInt64] = [:]
        for list in found { for (duplicate, first) in list { firsts[duplicate] = first } }
        return firsts
    }

    /// Keys of the settled files kept for the files to come.
    var count: Int { settled.count }

    /// The most bytes the keys held at once (when a file had been read).
    private(set) var memoryBytes = 0

    private struct SettleWork: @unchecked Sendable {
        let sources: [ParticipantKeys]
        let found: UnsafeMutableBufferPointer<[(UInt64, UInt64)]>
        let settled: ParticipantKeys?
        let sameKey: @Sendable (UInt64, UInt64) -> Bool

        func run(_ range: Range<Int>) {
            var capacity = 0
            var slots: UnsafeMutablePointer<UInt64>?
            defer { free(slots) }
            for p in range {
                let n = sources.reduce(0) { $0 + $1.count(p) }
                guard n > 1 else {
                    settled?.append(contentsOf: sources.dropFirst(), partition: p)
                    continue
                }
                var needed = 16
                while needed * 3 < n * 4 { needed *= 2 }
                if needed > capacity {
                    free(slots)
                    capacity = needed
                    slots = malloc(2 * capacity * MemoryLayout<UInt64>.stride)!.bindMemory(to: UInt64.self, capacity: 2 * capacity)
                }
                found[p] = Self.duplicates(in: sources, partition: p, slots: slots!, capacity: needed, sameKey: sameKey)
                // The first row of each key is all a later file needs (and no duplicate is met twice).
                settled?.replace(partition: p, withTable: slots!, capacity: needed)
            }
        }

        /// Inserts the partition's keys into an emptied table of `capacity` slots (2 words each: hash,
        /// 0 = empty, and ordinal); a key met again is a duplicate unless its row comes first.
        static func duplicates(in sources: [ParticipantKeys], partition p: Int, slots: UnsafeMutablePointer<UInt64>,
                               capacity: Int, sameKey: (UInt64, UInt64) -> Bool) -> [(UInt64, UInt64)] {
            slots.update(repeating: 0, count: 2 * capacity)
            let mask = capacity - 1
            // Duplicates with the slot of their key; the slot ends up with the key's smallest ordinal.
            var found: [(UInt64, Int)] = []
            for source in sources {
                let (entries, n) = source.entries(p)
                for e in 0..<n {
                    let h = entries[2 * e], ordinal = entries[2 * e + 1]
                    var i = Int(truncatingIfNeeded: h) & mask
                    while true {
                        let stored = slots[2 * i]
                        if stored == 0 {
                            slots[2 * i] = h
                            slots[2 * i + 1] = ordinal
                            break
                        }
                        if stored == h {
                            let other = slots[2 * i + 1]
                            if sameKey(other, ordinal) {
                                if ordinal < other {
                                    slots[2 * i + 1] = ordinal
                                    found.append((other, i))
                                } else {
                                    found.append((ordinal, i))
                                }
                                break
                            }
                        }
                        i = (i + 1) & mask
                    }
                }
            }
            return found.map { ($0.0, slots[2 * $0.1 + 1]) }
        }
    }

    /// A 64-bit hash of (procedure index, participant bytes); never 0.
    @inline(__always)
    static func hash(procedure: Int, _ p: UnsafePointer<UInt8>, _ n: Int) -> UInt64 {
        var h: UInt64 = (0x9E37_79B9_7F4A_7C15 &* UInt64(truncatingIfNeeded: procedure &+ 1)) ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        let raw = UnsafeRawPointer(p)
        while i + 8 <= n {
            h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            h ^= h >> 31
            i += 8
        }
        if i < n {
            var w: UInt64 = 0, shift: UInt64 = 0
            while i < n {
                w |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ w) &* 0x94D0_49BB_1331_11EB
            h ^= h >> 29
        }
        h ^= h >> 33
        h &*= 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 33
        h &*= 0xC4CE_B9FE_1A85_EC53
        h ^= h >> 33
        return h == 0 ? 1 : h
    }
}

/// (hash, ordinal) pairs split into partitions by the top bits of the hash, each partition in the
/// order appended. Used by one thread at a time (the part reading, then `settle` per partition).
final class ParticipantKeys: @unchecked Sendable {
    private let shift: UInt64
    private let partitions: Int
    /// Per partition: 2 words an entry, the number of entries, the room.
    private let buffers: UnsafeMutablePointer<UnsafeMutablePointer<UInt64>?>
    private let counts: UnsafeMutablePointer<Int>
    private let capacities: UnsafeMutablePointer<Int>
    private let initialCapacity: Int

    init(partitionBits: Int, expected: Int) {
        partitions = 1 << partitionBits
        shift = UInt64(64 - partitionBits)
        buffers = .allocate(capacity: partitions)
        buffers.initialize(repeating: nil, count: partitions)
        counts = .allocate(capacity: partitions)
        counts.initialize(repeating: 0, count: partitions)
        capacities = .allocate(capacity: partitions)
        capacities.initialize(repeating: 0, count: partitions)
        // A little over the expected share, so that a good guess never grows.
        initialCapacity = max(16, expected / partitions + expected / partitions / 8 + 16)
    }

    deinit {
        for p in 0..<partitions { free(buffers[p]) }
        buffers.deallocate()
        counts.deallocate()
        capacities.deallocate()
    }

    var count: Int { (0..<partitions).reduce(0) { $0 + counts[$1] } }

    /// Bytes allocated for the entries.
    var bytes: Int { (0..<partitions).reduce(0) { $0 + capacities[$1] } * 16 }

    @inline(__always) func count(_ p: Int) -> Int { counts[p] }

    @inline(__always) func entries(_ p: Int) -> (UnsafePointer<UInt64>, Int) {
        (UnsafePointer(buffers[p] ?? UnsafeMutablePointer(bitPattern: 8)!), counts[p])
    }

    @inline(__always)
    func append(_ h: UInt64, _ ordinal: UInt64) {
        let p = partitions == 1 ? 0 : Int(truncatingIfNeeded: h >> shift)
        let n = counts[p]
        if n == capacities[p] { grow(p, to: n == 0 ? initialCapacity : n + n / 2) }
        let b = buffers[p]!
        b[2 * n] = h
        b[2 * n + 1] = ordinal
        counts[p] = n + 1
    }

    /// Appends partition `p` of each of `sources`.
    func append(contentsOf sources: some Sequence<ParticipantKeys>, partition p: Int) {
        for s in sources {
            let (e, n) = s.entries(p)
            guard n > 0 else { continue }
            let have = counts[p]
            if have + n > capacities[p] { grow(p, to: have + n) }
            (buffers[p]! + 2 * have).update(from: e, count: 2 * n)
            counts[p] = have + n
        }
    }

    /// Replaces partition `p` with the occupied slots of a table (2 words a slot: hash, 0 = empty; ordinal).
    func replace(partition p: Int, withTable slots: UnsafePointer<UInt64>, capacity: Int) {
        var n = 0
        for i in 0..<capacity where slots[2 * i] != 0 { n += 1 }
        if n > capacities[p] { grow(p, to: n) }
        let b = buffers[p]!
        var k = 0
        for i in 0..<capacity where slots[2 * i] != 0 {
            b[2 * k] = slots[2 * i]
            b[2 * k + 1] = slots[2 * i + 1]
            k += 1
        }
        counts[p] = n
    }

    private func grow(_ p: Int, to capacity: Int) {
        guard let raw = realloc(buffers[p], 2 * capacity * MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
        buffers[p] = raw.bindMemory(to: UInt64.self, capacity: 2 * capacity)
        capacities[p] = capacity
    }
}
