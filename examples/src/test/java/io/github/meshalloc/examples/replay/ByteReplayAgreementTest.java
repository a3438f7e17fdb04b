package io.github.meshalloc.examples.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.server.BufferKey;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The byte fast path of {@link LogReplay#replay(Path, Optional, boolean)} and the String path
 * {@link LogReplay#replayDecoded} give the same report, or the same error, on synthetic logs of every version with
 * damaged lines, CRLF and lone-CR terminators, a last line without newline and non-ASCII bytes.
 */
class ByteReplayAgreementTest {

    private static final String[] DAMAGED = {
        "✓ [PID 12] Allocated lots of DRAM on device 0 (buffer_id=0x10)",
        "✗ [PID 12] Freed buffer 0x10 on device 0 (4096 bytes, FINAL) trailing",
        "⚠ [PID 1] Deallocation for unknown buffer 0xzz on device 0 (allocated before tracking started)",
        "✓ [PID 3] Allocated 4096 bytes of VRAM on device 1 (buffer_id=0x20)",
        "Unknown message type: x",
    };
    private static final String[] HARMLESS = {
        "some note about café ☕ that is not server output",
        "✓ Allocated 4194304 bytes of DRAM on device 0",
        "",
        "  Active allocations: 3",
        "✓ [PID 5] Allocated 4096 bytes of DRAM on device 0 (buffer_id=0x1ABC)",
        "✗ [PID 5] Freed buffer 0x1ABC on device 0 (4096 bytes, FINAL)",
        "✓ [PID 1234567890] Allocated 4096 bytes of L1 on device 2 (buffer_id=18446744073709551615)",
    };

    @TempDir
    Path dir;

    /** A synthetic log's lines with some of them damaged, joined with random terminators. */
    private byte[] variant(List<String> lines, SplittableRandom r, boolean damage, boolean badUtf8) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int roll = r.nextInt(200);
            if (damage && roll == 0) {
                line = DAMAGED[r.nextInt(DAMAGED.length)];
            } else if (roll < 3) {
                line = HARMLESS[r.nextInt(HARMLESS.length)];
            }
            out.writeBytes(line.getBytes(StandardCharsets.UTF_8));
            if (badUtf8 && i == lines.size() / 2) {
                out.writeBytes(new byte[] {(byte) 0xC3, (byte) 0x28}); // invalid two-byte sequence
            }
            boolean last = i == lines.size() - 1;
            if (last && r.nextBoolean()) {
                break; // last line without newline
            }
            switch (r.nextInt(3)) {
                case 0:
                    out.write('\n');
                    break;
                case 1:
                    out.write('\r');
                    out.write('\n');
                    break;
                default:
                    out.write(r.nextInt(10) == 0 ? '\r' : '\n');
                    break;
            }
        }
        return out.toByteArray();
    }

    private List<String> syntheticLines(ServerVersion version, long seed, int lines) throws IOException {
        Path file = dir.resolve("synthetic-" + version + "-" + seed + ".log");
        SyntheticLog.write(file, lines, version, seed);
        return Files.readAllLines(file, StandardCharsets.UTF_8);
    }

    /** Same report, or same exception (class, message, line number and text). */
    private static void assertSameOutcome(Path file, Optional<ServerVersion> version, boolean lenient)
            throws IOException {
        ReplayReport expected = null;
        Exception expectedError = null;
        try {
            expected = LogReplay.replayDecoded(file, version, lenient);
        } catch (IOException | RuntimeException e) {
            expectedError = e;
        }
        try {
            ReplayReport actual = LogReplay.replay(file, version, lenient);
            if (expectedError != null) {
                fail("String path threw " + expectedError + " but the byte path reported");
            }
            assertEquals(expected, actual);
            assertEquals(expected.render(50), actual.render(50));
        } catch (IOException | RuntimeException e) {
            if (expectedError == null) {
                throw e;
            }
            assertEquals(expectedError.getClass(), e.getClass());
            assertEquals(expectedError.getMessage(), e.getMessage());
            if (e instanceof LogParseException p) {
                assertEquals(((LogParseException) expectedError).lineNumber(), p.lineNumber());
                assertEquals(((LogParseException) expectedError).line(), p.line());
            }
        }
    }

    @Test
    void everyVersionsSyntheticLogReplaysAlikeFromBytesWithoutFallingBack() throws Exception {
        ServerVersion[] versions = {ServerVersion.E0, ServerVersion.E1A, ServerVersion.S1, ServerVersion.S4,
            ServerVersion.S5, ServerVersion.ENHANCED};
        SplittableRandom r = new SplittableRandom(3);
        for (ServerVersion v : versions) {
            List<String> lines = syntheticLines(v, 100 + v.ordinal(), 6_000);
            for (int round = 0; round < 3; round++) {
                Path file = dir.resolve(v + "-" + round + ".log");
                Files.write(file, variant(lines, r, false, false));
                for (boolean lenient : new boolean[] {false, true}) {
                    // Not a fallback: the byte path itself completes and equals the String path.
                    ReplayReport fast = LogReplay.replayBytes(file, Optional.empty(), lenient);
                    ReplayReport slow = LogReplay.replayDecoded(file, Optional.empty(), lenient);
                    assertEquals(slow, fast, v + " round " + round);
                    assertEquals(slow.render(100), fast.render(100));
                    assertEquals(LogReplay.replayDecoded(file, Optional.of(ServerVersion.S4), lenient),
                            LogReplay.replayBytes(file, Optional.of(ServerVersion.S4), lenient));
                    assertSameOutcome(file, Optional.of(ServerVersion.S4), lenient);
                }
            }
        }
    }

    @Test
    void aLogWithTensOfThousandsOfKeysReplaysAlike() throws Exception {
        Path file = dir.resolve("large.log");
        SyntheticLog.write(file, 60_000, ServerVersion.S4, 21);
        ReplayReport fast = LogReplay.replayBytes(file, Optional.empty(), false);
        assertTrue(fast.keys().size() > 5_000, "keys " + fast.keys().size() + " make the key table grow");
        assertEquals(LogReplay.replayDecoded(file, Optional.empty(), false), fast);
    }

    @Test
    void damagedLogsGiveTheSameReportOrTheSameError() throws Exception {
        SplittableRandom r = new SplittableRandom(5);
        List<String> lines = syntheticLines(ServerVersion.S4, 9, 8_000);
        int strictErrors = 0;
        for (int round = 0; round < 6; round++) {
            Path file = dir.resolve("damaged-" + round + ".log");
            Files.write(file, variant(lines, r, true, false));
            ReplayReport lenient = LogReplay.replayBytes(file, Optional.empty(), true);
            assertEquals(LogReplay.replayDecoded(file, Optional.empty(), true), lenient);
            assertFalse(lenient.malformed().isEmpty(), "round " + round + " has damaged lines");
            LogParseException e = assertThrows(LogParseException.class,
                    () -> LogReplay.replay(file, Optional.empty(), false));
            assertEquals(lenient.malformed().get(0).lineNumber(), e.lineNumber());
            assertEquals(lenient.malformed().get(0).text(), e.line());
            strictErrors++;
            assertSameOutcome(file, Optional.empty(), false);
            assertSameOutcome(file, Optional.of(ServerVersion.S1), true);
        }
        assertEquals(6, strictErrors);
    }

    @Test
    void invalidUtf8IsTheSameErrorAsBefore() throws Exception {
        SplittableRandom r = new SplittableRandom(8);
        List<String> lines = syntheticLines(ServerVersion.S4, 10, 3_000);
        Path file = dir.resolve("bad-utf8.log");
        Files.write(file, variant(lines, r, false, true));
        assertThrows(LogReplay.NotFast.class, () -> LogReplay.replayBytes(file, Optional.empty(), true));
        assertThrows(MalformedInputException.class, () -> LogReplay.replay(file, Optional.empty(), true));
        for (boolean lenient : new boolean[] {false, true}) {
            assertSameOutcome(file, Optional.empty(), lenient);
            assertSameOutcome(file, Optional.of(ServerVersion.S5), lenient);
        }
    }

    @Test
    void emptyAndOneLineFilesAgree() throws Exception {
        String[] contents = {"", "\n", "\r\n", "✓ [PID 1] Allocated 64 bytes of L1 on device 3 (buffer_id=0x40)",
            "✗ [PID 1] Freed buffer 7 (64 bytes)\r", "⚠ Warning: Deallocation for unknown buffer 12\r\n"};
        int i = 0;
        for (String c : contents) {
            Path file = dir.resolve("small-" + i++ + ".log");
            Files.writeString(file, c, StandardCharsets.UTF_8);
            for (boolean lenient : new boolean[] {false, true}) {
                assertEquals(LogReplay.replayDecoded(file, Optional.empty(), lenient),
                        LogReplay.replayBytes(file, Optional.empty(), lenient), c);
            }
        }
    }

    @Test
    void theKeyTableTalliesAsAHashMapOfKeysDoes() {
        SplittableRandom r = new SplittableRandom(1);
        KeyBalanceTable table = new KeyBalanceTable();
        Map<BufferKey, long[]> model = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            int device = r.nextInt(10) - 1;
            // Addresses that differ only in low, middle or top bits (the top ones negative as longs).
            long id = switch (r.nextInt(3)) {
                case 0 -> (long) r.nextInt(64) << 58;
                case 1 -> (long) r.nextInt(5000) << 40;
                default -> r.nextLong(20_000) * 2048;
            };
            long size = 2048L * (1 + r.nextInt(3));
            long[] b = model.computeIfAbsent(new BufferKey(device, id), k -> new long[4]);
            if (r.nextInt(3) == 0) {
                table.free(device, id);
                b[1]++;
            } else {
                table.alloc(device, id, size);
                if (b[0] == 0) {
                    b[2] = size;
                } else if (b[2] != size) {
                    b[3] = 1;
                }
                b[0]++;
            }
        }
        List<KeyBalance> expected = new ArrayList<>();
        new TreeMap<>(model).forEach((k, v) -> expected.add(new KeyBalance(k.deviceId(), k.bufferId(), v[0], v[1],
                v[2], v[3] != 0)));
        assertEquals(model.size(), table.size());
        assertEquals(expected, table.sorted());
        assertTrue(expected.stream().anyMatch(KeyBalance::sizeChanged));
        assertTrue(expected.stream().anyMatch(k -> k.device() < 0));
        assertTrue(expected.stream().anyMatch(k -> k.bufferId() < 0));
    }
}
