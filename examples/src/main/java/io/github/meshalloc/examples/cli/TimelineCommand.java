package io.github.meshalloc.examples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code meshalloc timeline}. */
@Command(name = "timeline", mixinStandardHelpOptions = true, description = "Writes an HTML timeline.")
public final class TimelineCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return ExitCodes.OK;
    }
}
