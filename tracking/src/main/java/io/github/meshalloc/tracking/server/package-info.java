/**
 * The allocation server model: registry, counters, sweep, dumps and statistics of every server version
 * (reference allocation-server.md sections 3 and 5; E0/E1 inferred, see seed-arithmetic.md).
 */
package io.github.meshalloc.tracking.server;
