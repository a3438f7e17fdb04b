/**
 * The allocation server's output as data: {@link io.github.meshalloc.tracking.log.LogEvent} records, the exact
 * writer, the prefix-dispatch parser and printf-faithful number formatting (reference allocation-server.md
 * sections 4 and 5).
 */
package io.github.meshalloc.tracking.log;
