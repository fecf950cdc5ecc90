// zlib's raw inflate for OporaImport's own ZIP reading (see Sources/OporaImport/ZIPReader.swift).
// Named COporaZlib: ZIPFoundation already has a module called CZlib.
#ifndef OPORA_COPORAZLIB_SHIM_H
#define OPORA_COPORAZLIB_SHIM_H

#include <zlib.h>

/// inflateInit2 is a macro: raw deflate (no zlib header), as in ZIP entries.
static inline int opora_inflate_init_raw(z_streamp stream) {
    return inflateInit2(stream, -15);
}

#endif
