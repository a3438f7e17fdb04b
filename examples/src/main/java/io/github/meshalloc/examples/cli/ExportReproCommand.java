package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.repro.CounterexampleFile;
import io.github.meshalloc.examples.repro.ExplorerRun;
import io.github.meshalloc.examples.repro.ReproFormat;
import io.github.meshalloc.examples.repro.ReproPlan;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Verdict;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshalloc export-repro}: a counterexample as a ttnn Python script or a C++ gtest for hardware. */
@Command(name = "export-repro", mixinStandardHelpOptions = true,
        description = {"Turns a counterexample into a script to run on hardware with allocation_server_poc up.",
                "The counterexample comes from a file 'meshalloc check --save' wrote (its search is run again and "
                        + "must reach the same operations) or from a search given here (--rules and check's search "
                        + "options).",
                "--format python (default): a runnable ttnn script. Every step is the operation's Python line under "
                        + "a '# step N' comment, with helpers written against ttnn's public API; it sets "
                        + "TT_ALLOC_TRACKING_ENABLED=1 before importing ttnn, and after the last step prints what the "
                        + "model saw (the broken invariant, the balance report), asks the server for DUMP_REMAINING "
                        + "(servers S1 and later) and waits for Enter on a terminal so the server can be read before "
                        + "the process exits. --format gtest: a C++ gtest with tt-metal's distributed API "
                        + "(MeshDevice::create, MeshBuffer::create with ReplicatedBufferConfig and "
                        + "DeviceLocalBufferConfig, deallocate, close).",
                "Limits: addresses (buffer ids) on hardware differ from the model's unless the build has the same "
                        + "DRAM and L1 bases; sizes and page counts are exact. Events with no hardware API become "
                        + "instructions the script prints and waits on (server stop, start, restart; a second "
                        + "process runs in the same interpreter, under one PID); a kill ends the script with "
                        + "SIGKILL, the steps after it left as comments. Python has no API for MeshBuffer views, "
                        + "buffers at another tensor's address or tensors on a chosen sub-device: such steps, and "
                        + "the steps using what they make, are commented out (the gtest has them). The gtest has "
                        + "no equivalent for running a ttnn op: those steps are comments. A chip buffer is made in "
                        + "Python as a tensor of the same bytes; a program step without a tensor to keep alive runs "
                        + "its op on one-tile scratch tensors. meshalloc checks the Python's syntax only; neither "
                        + "script was run on hardware by meshalloc.",
                "Exit codes: 0 script written, 1 no counterexample to export (the search is balanced), 2 bad usage "
                        + "(no input or both, unknown preset, malformed or stale file, bad search options, an --out FILE that "
                        + "cannot be written or is the input)."})
public final class ExportReproCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "<counterexample file>",
            description = "A file written by 'meshalloc check --save'.")
    private Path file;

    @Option(names = "--rules", paramLabel = "<preset>", converter = RuleSetConverter.class,
            completionCandidates = RuleSetConverter.Names.class,
            description = "Search this code state instead of reading a file: ${COMPLETION-CANDIDATES}.")
    private RuleSet rules;

    @Mixin
    private ExplorerOptions search;

    @Option(names = "--format", paramLabel = "python|gtest", defaultValue = "python",
            description = "Script to write (default: ${DEFAULT-VALUE}).")
    private ReproFormat format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the script to FILE (default: stdout).")
    private Path out;

    @Override
    public Integer call() {
        if ((file == null) == (rules == null)) {
            throw new BadInputException(file == null ? "give a counterexample file or --rules <preset>"
                    : "give a counterexample file or --rules <preset>, not both");
        }
        ExplorerRun run;
        Verdict.Counterexample counterexample;
        if (file != null) {
            for (String name : ExplorerOptions.NAMES) {
                if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                    throw new BadInputException(name + " goes with --rules: the file " + file + " records its search");
                }
            }
        }
        if (this.out != null) {
            CliFiles.checkWritable("--out", this.out, file);
        }
        if (file != null) {
            CounterexampleFile saved = read(file);
            run = saved.run();
            try {
                counterexample = saved.reproduce(CheckCommand.progress(spec));
            } catch (IllegalArgumentException e) {
                throw new BadInputException(file + ": " + e.getMessage(), e);
            }
        } else {
            run = search.run(rules);
            Verdict verdict = run.run(CheckCommand.progress(spec));
            if (!(verdict instanceof Verdict.Counterexample c)) {
                PrintWriter err = spec.commandLine().getErr();
                err.println("meshalloc export-repro: " + rules.name() + " is balanced within " + run.describe()
                        + ": no counterexample to export");
                err.flush();
                return ExitCodes.PROBLEM;
            }
            counterexample = c;
        }
        String script = format.render(ReproPlan.of(run, counterexample));
        PrintWriter stdout = spec.commandLine().getOut();
        if (this.out == null) {
            stdout.print(script);
        } else {
            CliFiles.write("--out", this.out, script);
            stdout.println("wrote the " + format.name().toLowerCase(Locale.ROOT) + " repro of "
                    + run.rules().name() + " (" + counterexample.violation().invariant().label() + " broken after step "
                    + counterexample.violation().step() + ") to " + this.out);
        }
        stdout.flush();
        return ExitCodes.OK;
    }

    private static CounterexampleFile read(Path file) {
        CliFiles.checkText(file, "a counterexample file written by 'meshalloc check --save'");
        try {
            return CounterexampleFile.parse(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new BadInputException(file + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
