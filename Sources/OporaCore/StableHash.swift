/// A stable 64-bit hash of bytes (FNV-1a), the same in every process and on every machine (unlike
/// `Hasher`): for seeds that must give the same draws, and for small lookup tables.
public enum StableHash {
    @inlinable
    public static func fnv1a<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h
    }
}
