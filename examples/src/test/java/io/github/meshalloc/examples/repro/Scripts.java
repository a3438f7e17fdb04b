package io.github.meshalloc.examples.repro;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Verdict;
import java.util.List;

/** Searches the repro tests share. */
final class Scripts {

    private Scripts() {
    }

    /** A search with a small budget (every seed preset breaks at try 1). */
    static ExplorerRun small(RuleSet rules) {
        return new ExplorerRun(rules, 1, 5, ExplorerRun.DEFAULT_STEPS, List.of(new MeshShape(1, 1),
                new MeshShape(1, 2), new MeshShape(2, 4), new MeshShape(4, 8)));
    }

    /** The counterexample {@code run} reaches. */
    static Verdict.Counterexample found(ExplorerRun run) {
        return (Verdict.Counterexample) run.run(p -> {
        });
    }
}
