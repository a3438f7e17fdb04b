package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParserThroughputTest {

    @Test
    void parsesPerEventLinesAtHundredsOfThousandsPerSecond() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            long id = 2_560_032L + 2048L * (i % 977);
            int dev = i % 8;
            switch (i % 4) {
                case 0:
                    lines.add("✓ [PID 1714322] Allocated 4194304 bytes of DRAM on device " + dev + " (buffer_id=0x"
                            + Long.toHexString(id) + ")");
                    break;
                case 1:
                    lines.add("✓ [PID 1714322] Allocated 12288 bytes of L1 on device " + dev + " (buffer_id=" + id
                            + ", ref_count=2)");
                    break;
                case 2:
                    lines.add("✗ [PID 1714322] Freed buffer " + id + " on device " + dev
                            + " (4194304 bytes, FINAL)");
                    break;
                default:
                    lines.add("⚠ [PID 1714322] Deallocation for unknown buffer 0x" + Long.toHexString(id)
                            + " on device " + dev + " (allocated before tracking started)");
                    break;
            }
        }
        ServerLogParser parser = ServerLogParser.strict();
        parser.parseLines(lines.subList(0, 20_000)); // warm-up
        long best = Long.MAX_VALUE;
        int events = 0;
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            events = parser.parseLines(lines).size();
            best = Math.min(best, System.nanoTime() - t0);
        }
        assertEquals(lines.size(), events);
        double perSecond = lines.size() / (best / 1e9);
        // Generous floor so slow CI machines pass; a regex-backtracking parser would be far below it.
        assertTrue(perSecond > 150_000, "parsed " + (long) perSecond + " lines/s");
    }
}
