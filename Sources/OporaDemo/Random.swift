import Foundation
import OporaCore

/// SplitMix64 finaliser: a strong 64-bit mixing function, used to derive independent seeds.
@inline(__always)
func splitMix(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}

/// Derives a key from a parent key and a component; chains give keys for (school, year, procedure, ...).
@inline(__always)
func derive(_ key: UInt64, _ component: UInt64) -> UInt64 {
    splitMix(key ^ splitMix(component &+ 0x632B_E59B_D9B4_E019))
}

@inline(__always)
func derive(_ key: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 { derive(derive(key, a), b) }

@inline(__always)
func derive(_ key: UInt64, _ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 { derive(derive(derive(key, a), b), c) }

/// A stable 64-bit hash of a string (FNV-1a), independent of the process (unlike `Hasher`).
func stableHash(_ text: String) -> UInt64 { StableHash.fnv1a(text.utf8) }

/// A uniform double in [0, 1) from 53 high bits of a 64-bit value.
@inline(__always)
func unitDouble(_ x: UInt64) -> Double { Double(x >> 11) * 0x1.0p-53 }

/// A standard normal value determined by a key (Box–Muller on two derived uniforms).
@inline(__always)
func gaussian(key: UInt64) -> Double {
    let u1 = unitDouble(splitMix(key)) + 0x1.0p-54
    let u2 = unitDouble(splitMix(key ^ 0xD1B5_4A32_D192_ED03))
    return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
}

/// xoshiro256** — the generator every random stream of the demo uses. Each stream is seeded from a
/// derived key (spec seed × school × year × procedure ...), so the output never depends on the order
/// in which schools or procedures are generated.
struct Xoshiro {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    init(key: UInt64) {
        var x = key
        x = splitMix(x); s0 = x
        x = splitMix(x); s1 = x
        x = splitMix(x); s2 = x
        x = splitMix(x); s3 = x
        if s0 | s1 | s2 | s3 == 0 { s0 = 1 }
    }

    @inline(__always)
    mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// Uniform in [0, 1).
    @inline(__always)
    mutating func uniform() -> Double { unitDouble(next()) }

    @inline(__always)
    mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// Uniform integer in `range` (tiny modulo bias is irrelevant here).
    @inline(__always)
    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { uniform() < p }

    mutating func gaussian() -> Double {
        let u1 = uniform() + 0x1.0p-54
        let u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Poisson by inversion; fine for the small means used here.
    mutating func poisson(_ mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let limit = exp(-min(mean, 30))
        var k = 0
        var p = uniform()
        while p > limit && k < 200 {
            p *= uniform()
            k += 1
        }
        return k
    }

    /// Binomial(n, p) by `n` Bernoulli draws; `n` is a task's maximum score, at most ~10.
    @inline(__always)
    mutating func binomial(_ n: Int, _ p: Double) -> Int {
        // Compare 53-bit integers instead of doubles: one multiplication per call.
        let threshold = UInt64(max(0, min(1, p)) * 0x1.0p53)
        var k = 0
        for _ in 0..<n where next() >> 11 < threshold { k += 1 }
        return k
    }

    /// Fisher–Yates shuffle.
    mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = Int(next() % UInt64(i + 1))
            array.swapAt(i, j)
        }
    }
}

@inline(__always)
func logistic(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

@inline(__always)
func logit(_ p: Double) -> Double { log(p / (1 - p)) }

@inline(__always)
func clamp<T: Comparable>(_ x: T, _ lo: T, _ hi: T) -> T { min(max(x, lo), hi) }
