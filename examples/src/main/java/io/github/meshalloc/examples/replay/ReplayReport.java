package io.github.meshalloc.examples.replay;

import com.google.common.base.Preconditions;
import io.github.meshalloc.examples.story.Fmt;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.BufferTypeCode;
import java.util.List;
import java.util.Locale;

/**
 * What a replay found.
 *
 * @param source            the log's name
 * @param version           the server version replayed
 * @param versionReason     why that version (given, or detected from which line)
 * @param lines             lines read
 * @param allocLines        ALLOC lines
 * @param freeLines         FREE lines (matched in the original server)
 * @param logUnknownFrees   unknown-FREE warnings in the log
 * @param replayUnknownFrees FREEs the replayed server found no key for
 * @param keys              every key's balance, ordered by (device, buffer id)
 * @param remaining         live keys after the replay, per device and type
 * @param malformed         malformed lines (lenient mode), in order
 * @param otherLines        lines that are not server output
 * @param notReplayed       CB/kernel lines (no address in the line) and rejected messages, counted only
 * @param checks            cross-checks of the log's own statistics lines against the replay
 */
public record ReplayReport(String source, ServerVersion version, String versionReason, long lines, long allocLines,
                           long freeLines, long logUnknownFrees, long replayUnknownFrees, List<KeyBalance> keys,
                           List<Remaining> remaining, List<MalformedLine> malformed, long otherLines,
                           long notReplayed, Checks checks) {

    /**
     * Live keys of one device and buffer type after the replay.
     *
     * @param device device id
     * @param type   buffer type code
     * @param count  keys
     * @param bytes  stored sizes, summed
     */
    public record Remaining(int device, int type, long count, long bytes) {
    }

    /**
     * A line that started like a server event line but broke its grammar.
     *
     * @param lineNumber 1-based
     * @param text       the line
     * @param reason     what did not match
     */
    public record MalformedLine(long lineNumber, String text, String reason) {
    }

    /**
     * The log's "Active allocations: N" and per-device DRAM statistics lines, compared with the replayed server at
     * the same point: agreement says the version and the replay are right.
     *
     * @param compared        statistics lines compared
     * @param mismatches      of which disagreed
     * @param firstMismatch   description of the first disagreement, or empty
     */
    public record Checks(long compared, long mismatches, String firstMismatch) {
    }

    /** Copies the lists. */
    public ReplayReport {
        Preconditions.checkNotNull(source, "source");
        keys = List.copyOf(keys);
        remaining = List.copyOf(remaining);
        malformed = List.copyOf(malformed);
    }

    /** Keys of one kind. */
    public List<KeyBalance> keys(KeyBalance.Kind kind) {
        return keys.stream().filter(k -> k.kind() == kind).toList();
    }

    /** Keys whose size changed on reuse. */
    public List<KeyBalance> sizeChanged() {
        return keys.stream().filter(KeyBalance::sizeChanged).toList();
    }

    /** Live keys after the replay. */
    public long remainingKeys() {
        return remaining.stream().mapToLong(Remaining::count).sum();
    }

    /** Whether the log balances: no leaked or double-freed key, no unknown FREE, nothing remaining. */
    public boolean balanced() {
        return keys(KeyBalance.Kind.LEAKED).isEmpty() && keys(KeyBalance.Kind.DOUBLE_FREED).isEmpty()
                && replayUnknownFrees == 0 && logUnknownFrees == 0 && remainingKeys() == 0;
    }

    /** The report as text, listing at most {@code limit} keys of each kind. */
    public String render(int limit) {
        StringBuilder sb = new StringBuilder();
        sb.append("meshalloc replay: ").append(source).append('\n');
        sb.append("server version: ").append(version).append(" (").append(versionReason).append(")\n");
        sb.append("lines: ").append(Fmt.bytes(lines)).append(" (ALLOC ").append(Fmt.bytes(allocLines))
                .append(", FREE ").append(Fmt.bytes(freeLines)).append(", unknown-FREE warnings ")
                .append(Fmt.bytes(logUnknownFrees)).append(", not server output ").append(Fmt.bytes(otherLines))
                .append(", counted but not replayed ").append(Fmt.bytes(notReplayed)).append(", malformed ")
                .append(Fmt.bytes(malformed.size())).append(")\n\n");
        sb.append("Per-key balance (").append(Fmt.bytes(keys.size())).append(" keys):\n");
        sb.append("  balanced      ").append(Fmt.bytes(keys(KeyBalance.Kind.BALANCED).size())).append('\n');
        sb.append("  leaked        ").append(Fmt.bytes(keys(KeyBalance.Kind.LEAKED).size())).append('\n');
        sb.append("  double-freed  ").append(Fmt.bytes(keys(KeyBalance.Kind.DOUBLE_FREED).size())).append('\n');
        sb.append("  size changed on reuse  ").append(Fmt.bytes(sizeChanged().size())).append('\n');
        list(sb, "leaked", keys(KeyBalance.Kind.LEAKED), limit);
        list(sb, "double-freed", keys(KeyBalance.Kind.DOUBLE_FREED), limit);
        list(sb, "size changed on reuse", sizeChanged(), limit);
        sb.append('\n');
        sb.append("Unknown FREEs: ").append(Fmt.bytes(replayUnknownFrees)).append(" in the replay, ")
                .append(Fmt.bytes(logUnknownFrees)).append(" warned in the log\n");
        sb.append("Statistics lines cross-checked: ").append(Fmt.bytes(checks.compared())).append(", mismatches: ")
                .append(Fmt.bytes(checks.mismatches()));
        if (!checks.firstMismatch().isEmpty()) {
            sb.append(" (first: ").append(checks.firstMismatch()).append(')');
        }
        sb.append("\n\n");
        sb.append("Remaining allocations after the replay: ").append(Fmt.bytes(remainingKeys())).append('\n');
        for (Remaining r : remaining) {
            sb.append("  device ").append(r.device()).append(' ')
                    .append(String.format(Locale.ROOT, "%-13s", BufferTypeCode.ofCode(r.type()).logName()))
                    .append(Fmt.bytes(r.count())).append(" buffers, ").append(Fmt.bytes(r.bytes())).append(" B\n");
        }
        if (!malformed.isEmpty()) {
            sb.append('\n').append("Malformed lines (").append(malformed.size()).append("):\n");
            for (MalformedLine m : malformed.subList(0, Math.min(limit, malformed.size()))) {
                sb.append("  line ").append(m.lineNumber()).append(": ").append(m.reason()).append(": ")
                        .append(m.text()).append('\n');
            }
            if (malformed.size() > limit) {
                sb.append("  ... ").append(malformed.size() - limit).append(" more\n");
            }
        }
        sb.append('\n').append(balanced() ? "verdict: balanced" : "verdict: unbalanced").append('\n');
        return sb.toString();
    }

    private static void list(StringBuilder sb, String title, List<KeyBalance> keys, int limit) {
        if (keys.isEmpty() || limit == 0) {
            return;
        }
        sb.append("  ").append(title).append(" keys").append(keys.size() > limit ? " (first " + limit + ")" : "")
                .append(":\n");
        for (KeyBalance k : keys.subList(0, Math.min(limit, keys.size()))) {
            sb.append("    device ").append(k.device() < 0 ? "-" : Integer.toString(k.device())).append(" buffer ")
                    .append(String.format(Locale.ROOT, "0x%x", k.bufferId())).append(": ").append(k.allocs())
                    .append(" ALLOC / ").append(k.frees()).append(" FREE, ").append(Fmt.bytes(k.firstSize()))
                    .append(" B").append(k.sizeChanged() ? " (size changed)" : "").append('\n');
        }
    }
}
