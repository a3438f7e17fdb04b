package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.OpKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * How the explorer searches: a seed, how many random scripts ("tries") of how many steps, the argument domains
 * (mesh shapes among them), how often each kind of operation is drawn, and how hard it shrinks.
 *
 * @param seed             master seed; the same config and rule set always give the same verdict
 * @param tries            random scripts to run
 * @param steps            random operations per script (a clean teardown follows them)
 * @param catalog          argument domains
 * @param weights          relative draw weight per operation kind (0 = never drawn)
 * @param maxShrinkReplays replays the shrinker may spend
 */
public record ExplorerConfig(long seed, int tries, int steps, Catalog catalog, Map<OpKind, Integer> weights,
                             int maxShrinkReplays) {

    /** Default weights: creation and release dominate; process, server and sub-device events are rarer. */
    public static final Map<OpKind, Integer> DEFAULT_WEIGHTS = defaultWeights();

    private static Map<OpKind, Integer> defaultWeights() {
        EnumMap<OpKind, Integer> w = new EnumMap<>(OpKind.class);
        w.put(OpKind.OPEN_MESH, 6);
        w.put(OpKind.OPEN_CHIP, 2);
        w.put(OpKind.CLOSE_CHIP, 1);
        w.put(OpKind.CREATE_TENSOR, 8);
        w.put(OpKind.CREATE_CHIP_BUFFER, 2);
        w.put(OpKind.CREATE_VIEW, 3);
        w.put(OpKind.CREATE_PREALLOCATED, 2);
        w.put(OpKind.DEALLOCATE, 5);
        w.put(OpKind.DROP, 5);
        w.put(OpKind.RUN_PROGRAM, 4);
        w.put(OpKind.CLEAR_PROGRAM_CACHE, 1);
        w.put(OpKind.LOAD_SUB_DEVICE_MANAGER, 2);
        w.put(OpKind.CLEAR_SUB_DEVICE_MANAGER, 4);
        w.put(OpKind.CLOSE_MESH, 2);
        w.put(OpKind.START_PROCESS, 1);
        w.put(OpKind.END_PROCESS, 1);
        w.put(OpKind.KILL_PROCESS, 1);
        w.put(OpKind.STOP_SERVER, 1);
        w.put(OpKind.START_SERVER, 3);
        w.put(OpKind.RESTART_SERVER, 1);
        return Collections.unmodifiableMap(w);
    }

    public ExplorerConfig {
        Preconditions.checkArgument(tries > 0, "tries %s must be positive", tries);
        Preconditions.checkArgument(steps >= 0, "steps %s must not be negative", steps);
        Preconditions.checkNotNull(catalog, "catalog");
        Preconditions.checkArgument(maxShrinkReplays >= 0, "maxShrinkReplays %s must not be negative",
                maxShrinkReplays);
        EnumMap<OpKind, Integer> copy = new EnumMap<>(OpKind.class);
        for (OpKind kind : OpKind.values()) {
            int w = weights.getOrDefault(kind, 0);
            Preconditions.checkArgument(w >= 0, "weight of %s is %s; weights must not be negative", kind, w);
            copy.put(kind, w);
        }
        Preconditions.checkArgument(copy.get(OpKind.OPEN_MESH) > 0, "OPEN_MESH needs a positive weight: "
                + "nothing else can happen before a mesh is open");
        weights = Collections.unmodifiableMap(copy);
    }

    /** Seed 1, 200 tries of 25 steps, every mesh shape, default weights, 3,000 shrink replays. */
    public static ExplorerConfig defaults() {
        return new ExplorerConfig(1, 200, 25, Catalog.DEFAULT, DEFAULT_WEIGHTS, 3000);
    }

    /** A copy with another seed. */
    public ExplorerConfig withSeed(long value) {
        return new ExplorerConfig(value, tries, steps, catalog, weights, maxShrinkReplays);
    }

    /** A copy with another number of tries. */
    public ExplorerConfig withTries(int value) {
        return new ExplorerConfig(seed, value, steps, catalog, weights, maxShrinkReplays);
    }

    /** A copy with another number of steps per try. */
    public ExplorerConfig withSteps(int value) {
        return new ExplorerConfig(seed, tries, value, catalog, weights, maxShrinkReplays);
    }

    /** A copy whose meshes take only these shapes. */
    public ExplorerConfig withMeshShapes(List<MeshShape> shapes) {
        return new ExplorerConfig(seed, tries, steps, catalog.withMeshShapes(shapes), weights, maxShrinkReplays);
    }

    /** A copy with another catalog. */
    public ExplorerConfig withCatalog(Catalog value) {
        return new ExplorerConfig(seed, tries, steps, value, weights, maxShrinkReplays);
    }

    /** A copy with other weights (kinds not listed get 0). */
    public ExplorerConfig withWeights(Map<OpKind, Integer> value) {
        return new ExplorerConfig(seed, tries, steps, catalog, value, maxShrinkReplays);
    }

    /** A copy with another shrink budget. */
    public ExplorerConfig withMaxShrinkReplays(int value) {
        return new ExplorerConfig(seed, tries, steps, catalog, weights, value);
    }
}
