package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.verdict.ExplorerVerdicts;
import io.github.meshalloc.examples.verdict.PresetVerdicts;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code meshalloc} command line: with no subcommand it runs {@code seeds}, the seeds' debugging story.
 *
 * <p>Exit codes: {@link ExitCodes#OK} 0, {@link ExitCodes#PROBLEM} 1 (the subcommand found a problem),
 * {@link ExitCodes#USAGE} 2 (unknown option, preset, scenario or server version; malformed input),
 * {@link ExitCodes#INTERNAL} 3 (a defect in meshalloc).
 */
@Command(name = "meshalloc", mixinStandardHelpOptions = true, version = "meshalloc 0.1.0",
        description = {"Simulates tt-metal's device-memory allocator and the allocation-tracking server in process.",
                "With no subcommand, runs 'seeds': the seeds' debugging story re-enacted, each code state side by "
                        + "side."},
        subcommands = {SeedsCommand.class, PresetsCommand.class, CheckCommand.class, ExportReproCommand.class,
                ReplayCommand.class, TimelineCommand.class, MonitorCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:ok", "1:found a problem (unbalanced log, counterexample found, story no longer holds)",
                "2:bad usage or malformed input", "3:internal error"})
public final class MeshallocCli implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    private final PresetVerdicts verdicts;

    /** The CLI with meshalloc's own verdicts: the BalanceExplorer's, as {@code check} reaches them. */
    public MeshallocCli() {
        this(new ExplorerVerdicts());
    }

    /** The CLI with another verdict source: the one switch for {@code presets} and {@code seeds}. */
    public MeshallocCli(PresetVerdicts verdicts) {
        this.verdicts = verdicts;
    }

    /** Where verdicts come from. */
    PresetVerdicts verdicts() {
        return verdicts;
    }

    @Override
    public Integer call() {
        return new SeedsCommand().run(this, spec.commandLine().getOut());
    }

    /** Runs the command line with the given streams; returns the exit code. */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        return commandLine(new MeshallocCli(), out, err).execute(args);
    }

    /** A configured picocli CommandLine around {@code cli}. */
    public static CommandLine commandLine(MeshallocCli cli, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(cli);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.setParameterExceptionHandler(new UsageErrors());
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            if (ex instanceof BadInputException) {
                commandLine.getErr().println(commandLine.getCommandSpec().qualifiedName() + ": " + ex.getMessage());
                commandLine.getErr().flush();
                return ExitCodes.USAGE;
            }
            commandLine.getErr().println("meshalloc: internal error: " + ex);
            ex.printStackTrace(commandLine.getErr());
            commandLine.getErr().flush();
            return ExitCodes.INTERNAL;
        });
        return cmd;
    }

    /** Entry point of {@code java -jar examples/target/meshalloc.jar}. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out,
                java.nio.charset.StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err,
                java.nio.charset.StandardCharsets.UTF_8), true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }
}
