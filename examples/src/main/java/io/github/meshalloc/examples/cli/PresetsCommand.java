package io.github.meshalloc.examples.cli;

import com.google.common.base.Strings;
import io.github.meshalloc.examples.verdict.PresetVerdicts;
import io.github.meshalloc.examples.verdict.ScenarioBatteryVerdicts;
import io.github.meshalloc.examples.verdict.Verdict;
import io.github.meshalloc.tracking.RuleSet;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code meshalloc presets}: one line per rule-set preset with meshalloc's verdict, by default the one
 * {@code meshalloc check --rules <preset>} reaches; {@code --battery} for the seed-scenario battery's.
 */
@Command(name = "presets", mixinStandardHelpOptions = true,
        description = {"Lists the rule-set presets with meshalloc's balanced/unbalanced verdict.",
                "One line per preset (code state of the seeds) in story order: name, server version, verdict, "
                        + "and the preset's description.",
                "The verdict is the BalanceExplorer's with check's default budget (seed 1, 200 tries of 25 steps, "
                        + "every mesh shape): the one 'meshalloc check --rules <preset>' reaches. Upstream has no "
                        + "allocation client, so nothing reaches the server and only device memory is checked: its "
                        + "line says 'balanced (nothing reported)'.",
                "--battery gives the verdicts of the seed-scenario battery instead (the mesh test, three "
                        + "successive runs, two mesh tensors, the L1 decode loop), which documents the seed "
                        + "scenarios; it calls upstream unbalanced, since its server sees none of the memory."})
public final class PresetsCommand implements Callable<Integer> {

    @ParentCommand
    private MeshallocCli parent;

    @Spec
    private CommandSpec spec;

    @Option(names = "--why", description = "Under each unbalanced preset, list the checks that failed.")
    private boolean why;

    @Option(names = "--battery", description = "Verdicts of the seed-scenario battery instead of the explorer's.")
    private boolean battery;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PresetVerdicts verdicts = battery ? new ScenarioBatteryVerdicts() : parent.verdicts();
        List<Verdict> all = new ArrayList<>();
        for (RuleSet preset : RuleSet.PRESETS) {
            all.add(verdicts.verdict(preset));
        }
        int width = RuleSet.PRESETS.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        int wordWidth = all.stream().mapToInt(v -> v.word().length()).max().orElse(0);
        for (int i = 0; i < all.size(); i++) {
            RuleSet preset = RuleSet.PRESETS.get(i);
            Verdict verdict = all.get(i);
            out.println(Strings.padEnd(preset.name(), width, ' ') + "  " + Strings.padEnd(
                    preset.serverVersion().name(), 3, ' ') + "  " + Strings.padEnd(verdict.word(), wordWidth, ' ')
                    + "  " + preset.description());
            if (why) {
                for (String finding : verdict.findings()) {
                    out.println(Strings.repeat(" ", width + 2) + "- " + finding);
                }
            }
        }
        out.println();
        out.println("(" + verdicts.source() + ")");
        out.flush();
        return ExitCodes.OK;
    }
}
