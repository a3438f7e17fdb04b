package io.github.meshalloc.examples.cli;

import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.examples.scenario.ScenarioCatalog;
import io.github.meshalloc.examples.timeline.Timelines;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshalloc timeline}: memory per device over the event sequence, as one self-contained HTML file. */
@Command(name = "timeline", mixinStandardHelpOptions = true,
        description = {"Writes memory use over time as one self-contained HTML file (inline SVG).",
                "Input: a scenario name (run under --rules) or a server log file. The page plots bytes per "
                        + "device and counter over the server's event sequence (replayed into a fresh server model), marks "
                        + "the allocations still live at the end in red, and, for a scenario, draws the memory map of one "
                        + "bank type of one device at --step from the simulated allocators' block tables.",
                "Scenario-only options given with a log, or log-only options with a scenario, are refused (exit 2); "
                        + "--out is checked before any work and written whole or not at all."})
public final class TimelineCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<scenario>|<server.log>", completionCandidates = ScenarioCatalog.class,
            description = "A scenario (${COMPLETION-CANDIDATES}) or a server log file.")
    private String input;

    @Option(names = "--out", paramLabel = "report.html", required = true, description = "The HTML file to write.")
    private Path out;

    @Option(names = "--rules", paramLabel = "<preset>", converter = RuleSetConverter.class,
            completionCandidates = RuleSetConverter.Names.class, defaultValue = "seed-004",
            description = "Scenario only: code state (rule-set preset), default ${DEFAULT-VALUE}.")
    private RuleSet rules;

    @Option(names = "--device", paramLabel = "D", defaultValue = "1", converter = Numbers.Device.class,
            description = "Scenario only: device of the memory map (default ${DEFAULT-VALUE}).")
    private int device;

    @Option(names = "--bank-type", paramLabel = "TYPE", defaultValue = "DRAM", converter = Numbers.MapBankType.class,
            description = "Scenario only: bank type of the memory map: DRAM or L1 (default ${DEFAULT-VALUE}).")
    private BufferType bankType;

    @Option(names = "--step", paramLabel = "N", defaultValue = "5", converter = Numbers.Step.class,
            description = "Scenario only: step after which the memory map is taken (default ${DEFAULT-VALUE}).")
    private int step;

    @Option(names = "--server-version", paramLabel = "V",
            description = "Log only: server version (default: detected from the log).")
    private ServerVersion serverVersion;

    @Option(names = "--lenient", description = "Log only: skip malformed lines instead of stopping.")
    private boolean lenient;

    /** Options that only mean something for a scenario, and for a log. */
    private static final List<String> SCENARIO_ONLY = List.of("--rules", "--device", "--bank-type", "--step");
    private static final List<String> LOG_ONLY = List.of("--server-version", "--lenient");

    @Override
    public Integer call() {
        boolean scenario = ScenarioCatalog.exists(input);
        Path file = scenario ? null : Path.of(input);
        if (!scenario && !Files.exists(file)) {
            throw new BadInputException("'" + input + "' is neither a scenario (" + ScenarioCatalog.names()
                    + ") nor a file");
        }
        for (String name : scenario ? LOG_ONLY : SCENARIO_ONLY) {
            if (spec.commandLine().getParseResult().hasMatchedOption(name)) {
                throw new BadInputException(name + " is for " + (scenario ? "a server log; " + input
                        + " is a scenario" : "a scenario (" + ScenarioCatalog.names() + "); " + input
                        + " is a server log"));
            }
        }
        CliFiles.checkWritable("--out", out, file);
        Timelines.Page page;
        if (scenario) {
            try {
                page = Timelines.fromScenario(input, rules, step, bankType, device);
            } catch (IllegalArgumentException e) {
                throw new BadInputException(e.getMessage(), e);
            }
        } else {
            CliFiles.checkText(file, "a scenario (" + ScenarioCatalog.names() + ") or " + ReplayCommand.SERVER_LOG);
            try {
                page = Timelines.fromLog(file, Optional.ofNullable(serverVersion), lenient);
            } catch (LogParseException e) {
                throw new BadInputException(file + ": " + e.getMessage() + " (use --lenient to skip such lines)", e);
            } catch (IOException e) {
                throw new BadInputException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        CliFiles.write("--out", out, page.html());
        PrintWriter w = spec.commandLine().getOut();
        w.println("wrote " + out + ": " + page.data().events() + " events, " + page.data().series().size()
                + " series, " + page.data().leaks().size() + " leaked allocations"
                + (page.map().isPresent() ? ", memory map of " + page.map().get().type() + " on device "
                + page.map().get().device() + " at step " + page.map().get().step() : ""));
        w.flush();
        return ExitCodes.OK;
    }
}
