package io.github.meshalloc.examples.replay;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.log.ServerLine;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A large, realistic server log for replay tests and the replay benchmark, printed by the server model itself.
 *
 * <p>Deterministic for a given seed: several processes allocate and free buffers on devices 0-7 with reused
 * addresses (duplicate ALLOCs), a few FREEs of never-allocated ids (unknown FREEs), some buffers never freed
 * (leaks), and a statistics block every 10,000 messages.
 */
public final class SyntheticLog {

    private SyntheticLog() {
    }

    /**
     * Writes at least {@code minLines} lines of a {@code version} server's log to {@code path}.
     *
     * @return the server that printed it (its final state is what a replay must reach)
     */
    public static AllocationServer write(Path path, long minLines, ServerVersion version, long seed)
            throws IOException {
        Preconditions.checkArgument(minLines > 0, "minLines %s must be positive", minLines);
        AllocationServer server = new AllocationServer(version);
        SplittableRandom random = new SplittableRandom(seed);
        List<long[]> live = new ArrayList<>();
        long messages = 0;
        int written = 0;
        try (BufferedWriter out = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            long lines = 0;
            while (lines < minLines) {
                int roll = random.nextInt(100);
                int pid = 1000 + random.nextInt(4);
                if (roll < 52 || live.isEmpty()) {
                    int device = random.nextInt(8);
                    long id = 0x100000L + 2048L * random.nextInt(4096);
                    long size = 2048L * (1 + random.nextInt(64));
                    int type = random.nextInt(10) == 0 ? 1 : 0;
                    server.accept(AllocMessage.alloc(device, size, type, pid, id, messages));
                    live.add(new long[] {device, id});
                } else if (roll < 99) {
                    long[] victim = live.remove(random.nextInt(live.size()));
                    server.accept(AllocMessage.free((int) victim[0], pid, victim[1]));
                } else {
                    server.accept(AllocMessage.free(random.nextInt(8), pid, 0x7f000000L + random.nextInt(1024)));
                }
                messages++;
                if (messages % 10_000 == 0) {
                    server.statisticsBlock();
                }
                for (ServerLine line : server.log().linesFrom(written)) {
                    out.write(line.text());
                    out.write('\n');
                    written++;
                    lines++;
                }
            }
        }
        return server;
    }
}
