import Foundation

/// Duplicate-participant detection for millions of result rows without a `Set` of strings.
///
/// A row's key (procedure × participant code) is reduced to a 64-bit hash; the table keeps, per
/// key, the hash and the row's *ordinal* (`file order << 40 | byte offset of the record`), 16 bytes
/// a slot, open addressing with linear probing, at most 75 % full. Ordinals order rows exactly as a
/// sequential reading would (files in the order read, then position in the file), so the first
/// occurrence of a key is the smallest ordinal.
///
/// Exactness: equal hashes are confirmed by re-reading both records from the (memory-mapped) file
/// and comparing procedure and participant bytes (`sameKey`). With 20 M rows a false hash match has
/// a probability of about n²/2⁶⁵ ≈ 1e-5 per import and then only costs two record re-reads; a
/// false match never produces a problem.
///
/// Parallelism: the table is split into 64 shards (by the top hash bits), each behind its own lock.
/// Parsers insert in batches grouped by shard, so two threads rarely wait for each other and the
/// cache misses of both proceed in parallel. Rows may be inserted in any order: when a row with a
/// smaller ordinal meets a stored row of the same key, it takes the slot and the stored row is the
/// duplicate. Every row but the first of its key is reported exactly once to `duplicate`.
final class ParticipantTable: @unchecked Sendable {
    static let shardBits = 6
    static let shardCount = 1 << shardBits

    final class Shard {
        let lock = NSLock()
        /// 2 words a slot: hash (0 = empty), ordinal.
        var slots: UnsafeMutablePointer<UInt64>
        var capacity: Int
        var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            slots = Self.zeroed(2 * capacity)
        }

        deinit { free(slots) }

        /// Zeroed words from `calloc`: a big table comes straight from fresh zero pages, so the
        /// ~0.5 GB of a national import is not cleared up front on one thread but touched page by
        /// page by the parsers as they fill it. (Tried at national scale and dropped: 2 MiB pages —
        /// zeroing fresh huge pages on the benchmark VM cost more than the TLB misses saved — and a
        /// pass loading a batch's home slots before probing, which did not pay either.)
        static func zeroed(_ words: Int) -> UnsafeMutablePointer<UInt64> {
            guard let raw = calloc(words, MemoryLayout<UInt64>.stride) else { fatalError("out of memory") }
            return raw.bindMemory(to: UInt64.self, capacity: words)
        }

        func grow() {
            let old = slots, oldCapacity = capacity
            capacity *= 2
            slots = Self.zeroed(2 * capacity)
            let mask = capacity - 1
            for i in 0..<oldCapacity where old[2 * i] != 0 {
                let h = old[2 * i]
                var j = Int(truncatingIfNeeded: h) & mask
                while slots[2 * j] != 0 { j = (j + 1) & mask }
                slots[2 * j] = h
                slots[2 * j + 1] = old[2 * i + 1]
            }
            free(old)
        }
    }

    let shards: [Shard]

    /// `expected`: the expected number of keys (a guess is fine: shards grow).
    init(expected: Int) {
        let perShard = max(64, expected / Self.shardCount * 4 / 3 + 1)
        var capacity = 64
        while capacity < perShard { capacity *= 2 }
        shards = (0..<Self.shardCount).map { _ in Shard(capacity: capacity) }
        // Write each page of a big table once, on all cores, before the parsers start: an insert
        // reads its slot first, so a fresh page was mapped to the shared zero page and its first
        // write faulted again and flushed the TLBs of the other cores (an interprocessor interrupt,
        // costly in a VM) — about 9 % of the CPU time of a national import.
        if capacity * 16 >= 1 << 20 {
            DispatchQueue.concurrentPerform(iterations: shards.count) { k in
                let shard = self.shards[k]
                for word in stride(from: 0, to: 2 * shard.capacity, by: 512) { shard.slots[word] = 0 }
            }
        }
    }

    /// Bytes held by the slots.
    var memoryBytes: Int { shards.reduce(0) { $0 + $1.capacity * 16 } }
    var count: Int { shards.reduce(0) { $0 + $1.count } }

    @inline(__always) static func shard(_ h: UInt64) -> Int { Int(truncatingIfNeeded: h >> UInt64(64 - shardBits)) }

    /// Inserts `(hash, ordinal)` pairs (grouped by shard in `scratch`, which must hold as many).
    /// `sameKey(a, b)` tells whether the rows at two ordinals have the same key; `duplicate(o)`
    /// receives each row found to repeat an earlier row's key.
    func insert(_ batch: UnsafeMutableBufferPointer<(UInt64, UInt64)>, count n: Int,
                scratch: UnsafeMutableBufferPointer<(UInt64, UInt64)>,
                sameKey: (UInt64, UInt64) -> Bool, duplicate: (UInt64) -> Void) {
        guard n > 0 else { return }
        // Counting sort by shard.
        var starts = [Int](repeating: 0, count: Self.shardCount + 1)
        for i in 0..<n { starts[Self.shard(batch[i].0) + 1] += 1 }
        for s in 0..<Self.shardCount { starts[s + 1] += starts[s] }
        var fill = starts
        for i in 0..<n {
            let s = Self.shard(batch[i].0)
            scratch[fill[s]] = batch[i]
            fill[s] += 1
        }
        for s in 0..<Self.shardCount where starts[s] < starts[s + 1] {
            let shard = shards[s]
            shard.lock.lock()
            for i in starts[s]..<starts[s + 1] {
                insert(scratch[i].0, scratch[i].1, into: shard, sameKey: sameKey, duplicate: duplicate)
            }
            shard.lock.unlock()
        }
    }

    @inline(__always)
    private func insert(_ h: UInt64, _ ordinal: UInt64, into shard: Shard,
                        sameKey: (UInt64, UInt64) -> Bool, duplicate: (UInt64) -> Void) {
        let slots = shard.slots
        let mask = shard.capacity - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while true {
            let stored = slots[2 * i]
            if stored == 0 {
                slots[2 * i] = h
                slots[2 * i + 1] = ordinal
                shard.count += 1
                if shard.count * 4 > shard.capacity * 3 { shard.grow() }
                return
            }
            if stored == h {
                let other = slots[2 * i + 1]
                if sameKey(other, ordinal) {
                    if ordinal < other {
                        slots[2 * i + 1] = ordinal
                        duplicate(other)
                    } else {
                        duplicate(ordinal)
                    }
                    return
                }
            }
            i = (i + 1) & mask
        }
    }

    /// The first row (smallest ordinal) with the key of the row at `ordinal`.
    func first(hash h: UInt64, ordinal: UInt64, sameKey: (UInt64, UInt64) -> Bool) -> UInt64? {
        let shard = shards[Self.shard(h)]
        shard.lock.lock()
        defer { shard.lock.unlock() }
        let slots = shard.slots
        let mask = shard.capacity - 1
        var i = Int(truncatingIfNeeded: h) & mask
        while slots[2 * i] != 0 {
            if slots[2 * i] == h, slots[2 * i + 1] == ordinal || sameKey(slots[2 * i + 1], ordinal) {
                return slots[2 * i + 1]
            }
            i = (i + 1) & mask
        }
        return nil
    }

    /// Drops every entry whose ordinal matches (used when a file has to be read again).
    func removeAll(where drop: (UInt64) -> Bool) {
        for shard in shards {
            shard.lock.lock()
            var kept: [(UInt64, UInt64)] = []
            for i in 0..<shard.capacity where shard.slots[2 * i] != 0 && !drop(shard.slots[2 * i + 1]) {
                kept.append((shard.slots[2 * i], shard.slots[2 * i + 1]))
            }
            shard.slots.update(repeating: 0, count: 2 * shard.capacity)
            shard.count = 0
            let mask = shard.capacity - 1
            for (h, o) in kept {
                var j = Int(truncatingIfNeeded: h) & mask
                while shard.slots[2 * j] != 0 { j = (j + 1) & mask }
                shard.slots[2 * j] = h
                shard.slots[2 * j + 1] = o
                shard.count += 1
            }
            shard.lock.unlock()
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
