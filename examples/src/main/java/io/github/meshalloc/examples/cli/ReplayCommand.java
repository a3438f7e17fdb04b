package io.github.meshalloc.examples.cli;

import io.github.meshalloc.examples.replay.LogReplay;
import io.github.meshalloc.examples.replay.ReplayReport;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code meshalloc replay}: a real server log replayed into a fresh server model. */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Replays a real allocation-server log into a fresh server model.",
                "Parses allocation_server_poc output and reports per-key balance (leaked, double-freed, "
                        + "balanced, size changed on reuse), unknown FREEs, remaining allocations per device and type, and "
                        + "the log's own statistics lines checked against the replay. A malformed event line is an error "
                        + "(exit 2) naming its line number and text, unless --lenient; so is a file that is empty, blank or "
                        + "not UTF-8.",
                "Exit code 1 when the log does not balance."})
public final class ReplayCommand implements Callable<Integer> {

    /** What a log argument should be, for messages. */
    static final String SERVER_LOG = "a server log (allocation_server_poc output, UTF-8)";

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "<server.log>", description = "The server's log (UTF-8).")
    private Path log;

    @Option(names = "--server-version", paramLabel = "V",
            description = "Server version to replay with: ${COMPLETION-CANDIDATES} (default: detected from the log).")
    private ServerVersion serverVersion;

    @Option(names = "--lenient", description = "Count and list malformed lines instead of stopping at the first.")
    private boolean lenient;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", converter = Numbers.Limit.class,
            description = "Keys and malformed lines listed per kind (default ${DEFAULT-VALUE}).")
    private int limit;

    @Override
    public Integer call() {
        if (limit < 0) {
            throw new BadInputException("--limit " + limit + " must not be negative");
        }
        CliFiles.checkText(log, SERVER_LOG);
        ReplayReport report;
        try {
            report = LogReplay.replay(log, Optional.ofNullable(serverVersion), lenient);
        } catch (LogParseException e) {
            throw new BadInputException(log + ": " + e.getMessage() + " (use --lenient to count and skip such lines)",
                    e);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + log + ": " + e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(report.render(limit));
        out.flush();
        return report.balanced() ? ExitCodes.OK : ExitCodes.PROBLEM;
    }
}
