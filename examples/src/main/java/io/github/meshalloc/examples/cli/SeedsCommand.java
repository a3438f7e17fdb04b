package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.story.SeedStory;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshalloc seeds}: the seeds' story, each code state's numbers side by side, the final fix judged. */
@Command(name = "seeds", mixinStandardHelpOptions = true,
        description = {"Re-enacts the seeds' debugging story in simulation (default subcommand).",
                "Scenarios: (a) the 2x4 mesh test, (b) three successive runs, (c) the program-cache residue, (d) "
                        + "MeshBuffer backing and per-chip buffers, (e) the circular-buffer clash, then what the seeds "
                        + "missed and whether the final fix balances. Each seed figure is marked exact, approximate (why) "
                        + "or refuted, with the rules, server version and assumptions that produce it.",
                "Exit code 1 if a seed figure is no longer reproduced or the final fix is unbalanced."})
public final class SeedsCommand implements Callable<Integer> {

    @ParentCommand
    private MeshallocCli parent;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        return run(parent, spec.commandLine().getOut());
    }

    /** Runs the story and prints it; 0 if it holds, 1 otherwise. */
    int run(MeshallocCli cli, PrintWriter out) {
        SeedStory story = SeedStory.run(cli.verdicts());
        out.print(story.render());
        out.flush();
        return story.holds() ? ExitCodes.OK : ExitCodes.PROBLEM;
    }
}
