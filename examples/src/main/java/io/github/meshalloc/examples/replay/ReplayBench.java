package io.github.meshalloc.examples.replay;

import io.github.meshalloc.tracking.server.ServerVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures replay throughput: writes a synthetic S4 log of {@code args[0]} lines (default 1,000,000) to a temporary
 * file, replays it once to warm up and then {@code args[1]} times (default 3), and prints lines per second.
 * Run: {@code java -cp examples/target/meshalloc.jar io.github.meshalloc.examples.replay.ReplayBench 1000000 3}.
 */
public final class ReplayBench {

    private ReplayBench() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        long lines = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path log = Files.createTempFile("meshalloc-replay-bench", ".log");
        try {
            SyntheticLog.write(log, lines, ServerVersion.S4, 42);
            ReplayReport warm = LogReplay.replay(log, Optional.empty(), false);
            System.out.printf(Locale.ROOT, "log: %,d lines, %,d bytes, %s%n", warm.lines(), Files.size(log),
                    warm.version());
            double best = 0;
            for (int i = 0; i < rounds; i++) {
                long start = System.nanoTime();
                ReplayReport r = LogReplay.replay(log, Optional.empty(), false);
                double seconds = (System.nanoTime() - start) / 1e9;
                double rate = r.lines() / seconds;
                best = Math.max(best, rate);
                System.out.printf(Locale.ROOT, "round %d: %.2f s, %,.0f lines/s (%,d keys, %,d remaining)%n", i + 1,
                        seconds, rate, r.keys().size(), r.remainingKeys());
            }
            System.out.printf(Locale.ROOT, "best: %,.0f lines/s%n", best);
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
