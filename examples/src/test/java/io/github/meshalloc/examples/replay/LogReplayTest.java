package io.github.meshalloc.examples.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.examples.story.MeshTestRun;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Replaying a server's own log reaches the server's state; malformed lines are loud unless lenient. */
class LogReplayTest {

    @TempDir
    Path dir;

    private Path logOf(AllocationServer server) throws IOException {
        server.statisticsBlock();
        Path file = dir.resolve("server.log");
        Files.writeString(file, server.log().render(), StandardCharsets.UTF_8);
        return file;
    }

    @Test
    void seed004MeshTestLogReplaysToTheSameRegistryAndDetectsE1() throws IOException {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_004, 8);
        ReplayReport r = LogReplay.replay(logOf(run.server()), Optional.empty(), false);
        assertEquals(ServerVersion.E1A, r.version());
        assertEquals(run.server().activeAllocations(), r.remainingKeys());
        assertEquals(3, r.logUnknownFrees());
        assertEquals(0, r.replayUnknownFrees(), "E1's warning names no device: counted, never sent to a guessed key");
        assertTrue(r.checks().compared() > 0);
        assertEquals(0, r.checks().mismatches(), r.checks().firstMismatch());
        assertFalse(r.balanced());
        assertFalse(r.keys(KeyBalance.Kind.LEAKED).isEmpty());
        long device1Bytes = r.remaining().stream().filter(x -> x.device() == 1).mapToLong(ReplayReport.Remaining::bytes)
                .sum();
        long expected = run.server().liveEntries().values().stream().filter(e -> e.deviceId() == 1)
                .mapToLong(io.github.meshalloc.tracking.server.LiveEntry::size).sum();
        assertEquals(expected, device1Bytes);
        assertTrue(device1Bytes < run.server().counters(1).dram(), "E1a's double-added bytes are counter-only");
    }

    @Test
    void theFixsLogBalances() throws IOException {
        MeshTestRun run = MeshTestRun.run(RuleSet.MESHALLOC_FIX, 8);
        ReplayReport r = LogReplay.replay(logOf(run.server()), Optional.empty(), false);
        assertEquals(ServerVersion.S4, r.version());
        assertTrue(r.balanced(), r.render(5));
        assertEquals(0, r.remainingKeys());
        assertTrue(r.keys().stream().allMatch(k -> k.kind() == KeyBalance.Kind.BALANCED));
    }

    @Test
    void aWrongServerVersionShowsInTheCrossChecks() throws IOException {
        MeshTestRun run = MeshTestRun.run(RuleSet.SEED_004, 8);
        ReplayReport r = LogReplay.replay(logOf(run.server()), Optional.of(ServerVersion.S4), false);
        assertTrue(r.checks().mismatches() > 0, "an E1a log replayed as S4 disagrees with its own statistics");
    }

    @Test
    void sizeChangesAndDoubleFreesAreClassified() throws IOException {
        Path file = dir.resolve("reuse.log");
        Files.write(file, List.of(
                "✓ [PID 7] Allocated 524288 bytes of DRAM on device 2 (buffer_id=0x1886c00)",
                "✗ [PID 7] Freed buffer 0x1886c00 on device 2 (524288 bytes, FINAL)",
                "✓ [PID 7] Allocated 98304 bytes of DRAM on device 2 (buffer_id=0x1886c00)",
                "✗ [PID 7] Freed buffer 0x1886c00 on device 2 (98304 bytes, FINAL)",
                "⚠ [PID 7] Deallocation for unknown buffer 0x1886c00 on device 2 (allocated before tracking started)"),
                StandardCharsets.UTF_8);
        ReplayReport r = LogReplay.replay(file, Optional.empty(), false);
        assertEquals(1, r.keys().size());
        KeyBalance k = r.keys().get(0);
        assertEquals(KeyBalance.Kind.DOUBLE_FREED, k.kind());
        assertTrue(k.sizeChanged());
        assertEquals(524_288L, k.firstSize());
        assertEquals(1, r.replayUnknownFrees());
    }

    @Test
    void aMalformedLineNamesItsNumberAndTextUnlessLenient() throws IOException {
        Path file = dir.resolve("bad.log");
        String bad = "✓ [PID 12] Allocated lots of DRAM on device 0 (buffer_id=0x10)";
        Files.write(file, List.of("🚀 Allocation Server started",
                "✓ [PID 12] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x10)", bad,
                "✗ [PID 12] Freed buffer 0x10 on device 0 (4096 bytes, FINAL)"), StandardCharsets.UTF_8);
        LogParseException e = assertThrows(LogParseException.class,
                () -> LogReplay.replay(file, Optional.empty(), false));
        assertEquals(3, e.lineNumber());
        assertEquals(bad, e.line());
        ReplayReport r = LogReplay.replay(file, Optional.empty(), true);
        assertEquals(1, r.malformed().size());
        assertEquals(3, r.malformed().get(0).lineNumber());
        assertTrue(r.render(10).contains("line 3: "));
        assertTrue(r.balanced());
    }

    @Test
    void twoHundredThousandLinesReplayToTheGeneratorsState() throws IOException {
        Path file = dir.resolve("large.log");
        AllocationServer generator = SyntheticLog.write(file, 200_000, ServerVersion.S4, 7);
        long start = System.nanoTime();
        ReplayReport r = LogReplay.replay(file, Optional.empty(), false);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(r.lines() >= 200_000);
        assertEquals(ServerVersion.S4, r.version());
        assertEquals(generator.activeAllocations(), r.remainingKeys());
        assertEquals(generator.unknownFreeCount(), r.replayUnknownFrees());
        assertEquals(0, r.checks().mismatches(), r.checks().firstMismatch());
        assertTrue(r.checks().compared() > 10);
        assertTrue(seconds < 30, "200k lines took " + seconds + " s");
    }
}
