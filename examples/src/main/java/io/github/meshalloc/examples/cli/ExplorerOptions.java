package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.repro.ExplorerRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.Catalog;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The search options {@code check} and {@code export-repro} share: {@code --seed}, {@code --tries}, {@code --steps},
 * {@code --mesh}. Their defaults are {@link ExplorerRun#defaults(RuleSet)}'s, the budget {@code presets} uses.
 */
public final class ExplorerOptions {

    /** The option names, to tell whether any was given. */
    static final List<String> NAMES = List.of("--seed", "--tries", "--steps", "--mesh");

    @Option(names = "--seed", paramLabel = "S", converter = Numbers.Seed.class, description = "Master seed of the search (default: ${DEFAULT-VALUE}).")
    private long seed = ExplorerRun.DEFAULT_SEED;

    @Option(names = "--tries", paramLabel = "N", converter = Numbers.Count.class,
            description = "Random scripts to run, a positive number (default: ${DEFAULT-VALUE}).")
    private int tries = ExplorerRun.DEFAULT_TRIES;

    @Option(names = "--steps", paramLabel = "N", converter = Numbers.Count.class,
            description = "Random operations per script before its clean teardown, a positive number "
                    + "(default: ${DEFAULT-VALUE}).")
    private int steps = ExplorerRun.DEFAULT_STEPS;

    @Option(names = "--mesh", paramLabel = "RxC[,RxC...]",
            description = "Mesh shapes scripts may open, simplest first (the shrinker moves toward the front), at "
                    + "most " + ExplorerRun.MAX_CHIPS + " chips each (default: ${DEFAULT-VALUE}).")
    private String mesh = ExplorerRun.shapes(Catalog.ALL_SHAPES);

    /**
     * The search these options state on {@code rules}.
     *
     * @throws BadInputException naming the value that cannot be used
     */
    ExplorerRun run(RuleSet rules) {
        try {
            return new ExplorerRun(rules, seed, tries, steps, ExplorerRun.parseShapes(mesh));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }
}
