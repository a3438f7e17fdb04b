package io.github.meshalloc.tracking.server;

import java.util.List;

/**
 * What one dead-process sweep removed.
 *
 * <p>Models the effect of {@code AllocationServer::cleanup_dead_processes} of {@code MUM/allocation_server_poc.cpp}
 * (reference 3.6); the printed block is in the server log.
 *
 * @param deadPids        owner pids found dead, ascending ({@code std::set<pid_t>} order)
 * @param buffersRemoved  buffer registry entries removed (each once, whatever its ref count)
 * @param bytesRemoved    sum of their stored sizes (u64)
 * @param cbsRemoved      S5 CB entries removed
 * @param kernelsRemoved  S5 kernel entries removed
 */
public record SweepResult(List<Integer> deadPids, long buffersRemoved, long bytesRemoved, long cbsRemoved,
                          long kernelsRemoved) {

    /** Nothing dead. */
    public static final SweepResult NONE = new SweepResult(List.of(), 0, 0, 0, 0);

    /** Copies the pid list. */
    public SweepResult {
        deadPids = List.copyOf(deadPids);
    }
}
