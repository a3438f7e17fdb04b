package io.github.meshalloc.examples.cli;

import com.google.common.base.Strings;
import io.github.meshalloc.examples.verdict.Verdict;
import io.github.meshalloc.tracking.RuleSet;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code meshalloc presets}: one line per rule-set preset with meshalloc's verdict. */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = {"Lists the rule-set presets with meshalloc's balanced/unbalanced verdict.",
                "One line per preset (code state of the seeds) in story order: name, server version, verdict, "
                        + "and the preset's description."})
public final class PresetsCommand implements Callable<Integer> {

    @ParentCommand
    private MeshallocCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--why", description = "Under each unbalanced preset, list the checks that failed.")
    private boolean why;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int width = RuleSet.PRESETS.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        for (RuleSet preset : RuleSet.PRESETS) {
            Verdict verdict = parent.verdicts().verdict(preset);
            out.println(Strings.padEnd(preset.name(), width, ' ') + "  " + Strings.padEnd(
                    preset.serverVersion().name(), 3, ' ') + "  " + Strings.padEnd(verdict.word(), 10, ' ') + "  "
                    + preset.description());
            if (why) {
                for (String finding : verdict.findings()) {
                    out.println(Strings.repeat(" ", width + 2) + "- " + finding);
                }
            }
        }
        out.println();
        out.println("(" + parent.verdicts().source() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
