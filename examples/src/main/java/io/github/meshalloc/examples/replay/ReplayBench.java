package io.github.meshalloc.examples.replay;

import io.github.meshalloc.tracking.server.ServerVersion;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Measures replay throughput: writes a synthetic S4 log of {@code args[0]} lines (default 1,000,000) to a temporary
 * file, replays it once to warm up and then {@code args[1]} times (default 3), and prints lines per second of wall
 * time for the whole replay (read file, detect version, parse, balance, report) and, as a figure that a loaded
 * machine disturbs less, lines per second of this process's CPU time (all threads, GC and JIT included) when the
 * JVM reports it.
 * Run: {@code java -cp examples/target/meshalloc.jar io.github.meshalloc.examples.replay.ReplayBench 1000000 3}.
 */
public final class ReplayBench {

    private ReplayBench() {
    }

    /** CPU time of this process in ns, or -1 if the JVM does not say. */
    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
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
            double bestCpu = 0;
            for (int i = 0; i < rounds; i++) {
                long cpuStart = processCpuNanos();
                long start = System.nanoTime();
                ReplayReport r = LogReplay.replay(log, Optional.empty(), false);
                double seconds = (System.nanoTime() - start) / 1e9;
                long cpuEnd = processCpuNanos();
                double rate = r.lines() / seconds;
                best = Math.max(best, rate);
                String cpu = "";
                if (cpuStart >= 0 && cpuEnd > cpuStart) {
                    double cpuRate = r.lines() / ((cpuEnd - cpuStart) / 1e9);
                    bestCpu = Math.max(bestCpu, cpuRate);
                    cpu = String.format(Locale.ROOT, ", %,.0f lines/CPU-s", cpuRate);
                }
                System.out.printf(Locale.ROOT, "round %d: %.2f s, %,.0f lines/s%s (%,d keys, %,d remaining)%n", i + 1,
                        seconds, rate, cpu, r.keys().size(), r.remainingKeys());
            }
            System.out.printf(Locale.ROOT, "best: %,.0f lines/s%s%n", best,
                    bestCpu > 0 ? String.format(Locale.ROOT, " (%,.0f lines/CPU-s)", bestCpu) : "");
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
