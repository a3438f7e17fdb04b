/**
 * The allocation monitor client's screen, rendered deterministically (reference allocation-server.md section 7).
 */
package io.github.meshalloc.tracking.monitor;
