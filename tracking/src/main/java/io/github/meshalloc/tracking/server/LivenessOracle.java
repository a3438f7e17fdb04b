package io.github.meshalloc.tracking.server;

import com.google.common.base.Preconditions;
import com.google.common.collect.ImmutableSet;
import java.util.Set;

/**
 * Answers whether a process is alive, for the dead-process sweep.
 *
 * <p>Models {@code kill(pid, 0) == 0} in {@code AllocationServer::cleanup_dead_processes} of
 * {@code MUM/allocation_server_poc.cpp} (reference 3.6). The server never asks about pid 0: {@code kill(0, 0)} signals
 * the caller's own process group and always succeeds, so pid 0 is alive whatever the oracle says. (In the C++ a live
 * process of another user answers EPERM and counts as dead; an oracle models that by answering false.)
 */
@FunctionalInterface
public interface LivenessOracle {

    /** Whether {@code pid} is alive. */
    boolean isAlive(int pid);

    /** Every process is alive (nothing is ever swept). */
    static LivenessOracle allAlive() {
        return pid -> true;
    }

    /** Exactly the given pids are alive. */
    static LivenessOracle onlyAlive(Set<Integer> alive) {
        Preconditions.checkNotNull(alive, "alive");
        Set<Integer> copy = ImmutableSet.copyOf(alive);
        return copy::contains;
    }

    /** Every pid except the given ones is alive. */
    static LivenessOracle deadPids(Set<Integer> dead) {
        Preconditions.checkNotNull(dead, "dead");
        Set<Integer> copy = ImmutableSet.copyOf(dead);
        return pid -> !copy.contains(pid);
    }
}
