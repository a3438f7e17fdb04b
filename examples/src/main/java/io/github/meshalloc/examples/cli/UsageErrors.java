package io.github.meshalloc.examples.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A meshalloc tool: picocli's parameter errors (unknown command or option, missing or unconvertible value) as one
 * line on stderr, {@code meshalloc <command>: <what is wrong>; <what is allowed>}, exit code {@link ExitCodes#USAGE},
 * instead of picocli's message followed by the whole usage help.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {

    /** What picocli's {@code help} subcommand says of an unknown command. */
    private static final Pattern HELP_UNKNOWN = Pattern.compile("Unknown subcommand '(.*)'\\.");

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message(ex));
        err.flush();
        return ExitCodes.USAGE;
    }

    /** The message for {@code ex}: the value at fault and what the command allows there. */
    static String message(CommandLine.ParameterException ex) {
        CommandSpec spec = ex.getCommandLine().getCommandSpec();
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.get(0);
            if (first.startsWith("-") && first.length() > 1) {
                return "unknown option '" + first + "'; options: " + options(spec);
            }
            if (!spec.subcommands().isEmpty()) {
                return "unknown command '" + first + "'; commands: " + String.join(", ", spec.subcommands().keySet());
            }
            List<PositionalParamSpec> positional = spec.positionalParameters();
            return "unexpected argument '" + first + "'; " + spec.name() + " takes " + (positional.isEmpty()
                    ? "no arguments, only options: " + options(spec)
                    : positional.stream().map(PositionalParamSpec::paramLabel).collect(Collectors.joining(" "))
                            + " and options");
        }
        String message = ex.getMessage();
        Matcher help = HELP_UNKNOWN.matcher(message);
        if (help.matches()) { // 'meshalloc help bogus'
            return "unknown command '" + help.group(1) + "'; commands: " + String.join(", ", spec.subcommands().keySet());
        }
        if (ex instanceof CommandLine.MissingParameterException m) {
            List<String> allowed = new ArrayList<>();
            for (ArgSpec arg : m.getMissing()) {
                // a positional whose label offers alternatives (<scenario>|<server.log>) has more than its candidates
                String name = arg instanceof OptionSpec o ? o.longestName() : arg.paramLabel();
                if (arg.completionCandidates() != null && !name.contains("|")) {
                    List<String> candidates = new ArrayList<>();
                    arg.completionCandidates().forEach(candidates::add);
                    allowed.add(name + " is one of: " + String.join(", ", candidates));
                }
            }
            return allowed.isEmpty() ? message : message + "; " + String.join("; ", allowed);
        }
        return message;
    }

    private static String options(CommandSpec spec) {
        return spec.options().stream().map(o -> String.join("/", o.names())).collect(Collectors.joining(", "));
    }
}
