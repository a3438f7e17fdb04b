/**
 * The allocation-server wire protocol: message types, the {@code AllocMessage} record and its packed
 * little-endian 72/112/144-byte encodings (reference allocation-server.md section 2).
 */
package io.github.meshalloc.tracking.wire;
