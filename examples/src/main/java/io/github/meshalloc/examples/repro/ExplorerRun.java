package io.github.meshalloc.examples.repro;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.BalanceExplorer;
import io.github.meshalloc.tracking.explore.ExplorerConfig;
import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.explore.Verdict;
import io.github.meshalloc.tracking.ops.Catalog;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One BalanceExplorer search as the command line states it: a rule-set preset, a seed, a budget and the mesh shapes.
 *
 * <p>Everything else (argument domains, draw weights, shrink budget) is {@link ExplorerConfig#defaults()}, so these
 * five values pin the search: the explorer is deterministic, and the same run always reaches the same verdict. That
 * is what {@code meshalloc check}, {@code presets}, {@code check --save} files and {@code export-repro} rely on.
 *
 * @param rules  the code state (a preset: a saved run names it)
 * @param seed   the master seed
 * @param tries  random scripts to run (positive)
 * @param steps  random operations per script before the clean teardown (positive)
 * @param meshes the shapes meshes may take, simplest first (the shrinker moves toward the front)
 */
public record ExplorerRun(RuleSet rules, long seed, int tries, int steps, List<MeshShape> meshes) {

    /** Seed of {@link ExplorerConfig#defaults()}. */
    public static final long DEFAULT_SEED = ExplorerConfig.defaults().seed();
    /** Tries of {@link ExplorerConfig#defaults()}. */
    public static final int DEFAULT_TRIES = ExplorerConfig.defaults().tries();
    /** Steps per try of {@link ExplorerConfig#defaults()}. */
    public static final int DEFAULT_STEPS = ExplorerConfig.defaults().steps();
    /** Largest mesh a run may open: 32 chips, a 4x8 Galaxy, the largest shape of the default catalog. */
    public static final int MAX_CHIPS = 32;

    private static final Pattern SHAPE = Pattern.compile("(\\d{1,4})x(\\d{1,4})");

    /**
     * Checks the budget and the shapes.
     *
     * @throws IllegalArgumentException naming the value that cannot be used
     */
    public ExplorerRun {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkArgument(tries > 0, "tries must be positive, got %s", tries);
        Preconditions.checkArgument(steps > 0, "steps must be positive, got %s", steps);
        meshes = List.copyOf(meshes);
        Preconditions.checkArgument(!meshes.isEmpty(), "at least one mesh shape is needed");
        Set<MeshShape> seen = new HashSet<>();
        for (MeshShape shape : meshes) {
            Preconditions.checkArgument(shape.meshSize() <= MAX_CHIPS,
                    "mesh %s has %s chips; at most %s (a 4x8 Galaxy) are modelled", shape, shape.meshSize(), MAX_CHIPS);
            Preconditions.checkArgument(seen.add(shape), "mesh shape %s is listed twice", shape);
        }
        Catalog.DEFAULT.withMeshShapes(meshes); // every tensor of the catalog must have pages on every shape
    }

    /** The run {@code meshalloc check --rules <preset>} makes without options: {@link ExplorerConfig#defaults()}. */
    public static ExplorerRun defaults(RuleSet rules) {
        return new ExplorerRun(rules, DEFAULT_SEED, DEFAULT_TRIES, DEFAULT_STEPS, Catalog.ALL_SHAPES);
    }

    /** A copy searching other mesh shapes (checked as the constructor checks them). */
    public ExplorerRun withMeshes(List<MeshShape> shapes) {
        return new ExplorerRun(rules, seed, tries, steps, shapes);
    }

    /** The explorer's configuration: the defaults with this run's seed, budget and shapes. */
    public ExplorerConfig config() {
        return ExplorerConfig.defaults().withSeed(seed).withTries(tries).withSteps(steps).withMeshShapes(meshes);
    }

    /** Runs the search (deterministic: the same run always gives the same verdict). */
    public Verdict run(Progress.Listener listener) {
        return BalanceExplorer.check(rules, config(), listener);
    }

    /** {@code seed 1, 200 tries of 25 steps, meshes 1x1,1x2,2x4,4x8}. */
    public String describe() {
        return "seed " + seed + ", " + tries + " tries of " + steps + " steps, meshes " + shapes(meshes);
    }

    /** The command line that makes this run: {@code meshalloc check --rules ... --mesh ...}. */
    public String commandLine() {
        return "meshalloc check --rules " + rules.name() + " --seed " + seed + " --tries " + tries + " --steps " + steps
                + " --mesh " + shapes(meshes);
    }

    /** Shapes as the command line writes them: {@code 1x1,2x4}. */
    public static String shapes(List<MeshShape> shapes) {
        return shapes.stream().map(MeshShape::toString).collect(Collectors.joining(","));
    }

    /**
     * Parses {@code RxC[,RxC...]}.
     *
     * @throws IllegalArgumentException quoting the part that is not {@code RxC} with positive sides
     */
    public static List<MeshShape> parseShapes(String text) {
        Preconditions.checkNotNull(text, "text");
        List<MeshShape> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            Matcher m = SHAPE.matcher(part.trim());
            Preconditions.checkArgument(m.matches(), "mesh shape '%s' is not ROWSxCOLUMNS (e.g. 2x4)", part);
            int rows = Integer.parseInt(m.group(1));
            int columns = Integer.parseInt(m.group(2));
            Preconditions.checkArgument(rows > 0 && columns > 0, "mesh shape '%s' must have positive sides", part);
            out.add(new MeshShape(rows, columns));
        }
        return out;
    }
}
