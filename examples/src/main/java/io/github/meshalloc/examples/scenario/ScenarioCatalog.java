package io.github.meshalloc.examples.scenario;

import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.scenario.MeshTestScenario;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scenarios {@code timeline} and {@code monitor} can run by name.
 */
public final class ScenarioCatalog implements Iterable<String> {

    /** {@code test_mesh_allocation.py} on the 2x4 mesh ({@link MeshTestScenario}), steps 1-8. */
    public static final String MESH_TEST = "mesh-test";

    private static final Map<String, String> DESCRIPTIONS = Map.of(MESH_TEST,
            "test_mesh_allocation.py on a 2x4 Wormhole mesh: open, six tensors, add, matmul, deallocate, clear "
                    + "the program cache, close (steps 1-8)");

    /** Scenario names, sorted. */
    public static List<String> names() {
        return DESCRIPTIONS.keySet().stream().sorted().toList();
    }

    /** The description of a scenario, if it exists. */
    public static Optional<String> description(String name) {
        return Optional.ofNullable(DESCRIPTIONS.get(name));
    }

    /** Whether {@code name} is a scenario. */
    public static boolean exists(String name) {
        return DESCRIPTIONS.containsKey(name);
    }

    /** Number of steps of a scenario. */
    public static int steps(String name) {
        check(name);
        return MeshTestScenario.STEPS;
    }

    /**
     * Runs {@code name} under {@code rules} through {@code lastStep}.
     *
     * @throws IllegalArgumentException for an unknown scenario or a step out of range
     */
    public static MeshTestRun run(String name, RuleSet rules, int lastStep) {
        check(name);
        return MeshTestRun.run(rules, lastStep);
    }

    private static void check(String name) {
        if (!exists(name)) {
            throw new IllegalArgumentException("unknown scenario '" + name + "'; known scenarios: " + names());
        }
    }

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }
}
