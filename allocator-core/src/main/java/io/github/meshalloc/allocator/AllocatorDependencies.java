package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which free lists of one {@link BankManager} must not overlap each other.
 *
 * <p>Models {@code BankManager::AllocatorDependencies} ({@code bank_manager.hpp/.cpp}, reference 5.6):
 * built from a map {@code allocator id -> ids it depends on}; the number of allocators is one more
 * than the largest id mentioned anywhere (one allocator for an empty map); the relation is made
 * symmetric and each list sorted ascending. A duplicate value in one input list is fatal.
 *
 * @param dependencies for each allocator id, the sorted ids it must not overlap
 */
public record AllocatorDependencies(List<List<Integer>> dependencies) {

    /** One allocator with no dependencies: the normal (lockstep) case. */
    public static final AllocatorDependencies SINGLE = new AllocatorDependencies(List.of(List.of()));

    public AllocatorDependencies {
        Preconditions.checkArgument(!dependencies.isEmpty(), "there must be at least one allocator");
        List<List<Integer>> copy = new ArrayList<>(dependencies.size());
        for (List<Integer> list : dependencies) {
            copy.add(List.copyOf(list));
        }
        dependencies = List.copyOf(copy);
    }

    /**
     * Builds the symmetric dependency lists from {@code map}.
     *
     * @throws TtFatalException "Duplicate dependency for allocator u: v appears more than once!"
     */
    public static AllocatorDependencies fromMap(Map<Integer, List<Integer>> map) {
        if (map.isEmpty()) {
            return SINGLE;
        }
        int maxId = 0;
        for (Map.Entry<Integer, List<Integer>> entry : map.entrySet()) {
            Preconditions.checkArgument(entry.getKey() >= 0, "allocator id %s must not be negative", entry.getKey());
            maxId = Math.max(maxId, entry.getKey());
            for (int dep : entry.getValue()) {
                Preconditions.checkArgument(dep >= 0, "allocator id %s must not be negative", dep);
                maxId = Math.max(maxId, dep);
            }
        }
        List<Set<Integer>> sets = new ArrayList<>();
        for (int i = 0; i <= maxId; i++) {
            sets.add(new TreeSet<>());
        }
        for (Map.Entry<Integer, List<Integer>> entry : map.entrySet()) {
            Set<Integer> seen = new HashSet<>();
            for (int dep : entry.getValue()) {
                if (!seen.add(dep)) {
                    throw new TtFatalException("Duplicate dependency for allocator " + entry.getKey() + ": " + dep
                            + " appears more than once!");
                }
            }
            for (int dep : entry.getValue()) {
                sets.get(entry.getKey()).add(dep);
                sets.get(dep).add(entry.getKey());
            }
        }
        List<List<Integer>> lists = new ArrayList<>();
        for (Set<Integer> set : sets) {
            lists.add(new ArrayList<>(set));
        }
        return new AllocatorDependencies(lists);
    }

    /** Number of allocators (free lists). */
    public int numAllocators() {
        return dependencies.size();
    }

    /** The sorted ids allocator {@code id} must not overlap. */
    public List<Integer> dependentsOf(int id) {
        return dependencies.get(id);
    }
}
