package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.repro.CounterexampleFile;
import io.github.meshalloc.examples.repro.ExplorerRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.explore.Verdict;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code meshalloc check}: the BalanceExplorer on one code state, with its verdict and shrunk counterexample. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = {"Searches a code state for a script whose allocations and frees do not balance.",
                "Runs the BalanceExplorer: random scripts over the operation vocabulary (meshes, tensors, views, "
                        + "programs, sub-devices, processes, server restarts), every invariant checked after every "
                        + "step, each script ending in a clean teardown. On the first violation it shrinks the script "
                        + "and prints the counterexample: the broken invariant, the numbered steps, what was seen and "
                        + "the balance report. Deterministic: the same options always give the same output.",
                "On a terminal a progress bar is drawn on stderr. Upstream has no allocation client, so nothing "
                        + "is reported and only device memory is checked: its balance says nothing about a server.",
                "--save FILE keeps a counterexample for 'meshalloc export-repro FILE' (the search is stored and "
                        + "re-run, its operations checked).",
                "Exit codes: 0 balanced within the budget, 1 counterexample found, 2 bad usage (unknown preset, bad "
                        + "mesh shape, non-positive tries or steps, a --save FILE that cannot be written: checked "
                        + "before the search)."})
public final class CheckCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--rules", required = true, paramLabel = "<preset>", converter = RuleSetConverter.class,
            completionCandidates = RuleSetConverter.Names.class,
            description = "Code state (rule-set preset): ${COMPLETION-CANDIDATES}.")
    private RuleSet rules;

    @Mixin
    private ExplorerOptions search;

    @Option(names = "--save", paramLabel = "FILE",
            description = "Write the counterexample, if one is found, to FILE for 'meshalloc export-repro'.")
    private Path save;

    @Override
    public Integer call() {
        ExplorerRun run = search.run(rules);
        if (save != null) {
            CliFiles.checkWritable("--save", save);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println("meshalloc check: " + rules.name() + ", " + run.describe());
        out.flush();
        Verdict verdict = run.run(progress(spec));
        out.print(verdict.render());
        if (verdict.isBalanced() && !rules.allocationClient()) {
            out.println("note: " + rules.name() + " has no allocation client: nothing is reported to the server, so "
                    + "only device memory was checked");
        }
        if (save != null) {
            if (verdict instanceof Verdict.Counterexample c) {
                CliFiles.write("--save", save, CounterexampleFile.of(run, c).render());
                out.println("saved to " + save + "; for a hardware repro: meshalloc export-repro " + save);
            } else {
                out.println("nothing saved to " + save + ": no counterexample");
            }
        }
        out.flush();
        return verdict.isBalanced() ? ExitCodes.OK : ExitCodes.PROBLEM;
    }

    /** A progress bar on stderr when there is a terminal; nothing otherwise (tests, pipes, CI). */
    static Progress.Listener progress(CommandSpec spec) {
        return System.console() != null ? new ProgressBar(spec.commandLine().getErr()) : Progress.Listener.NONE;
    }
}
