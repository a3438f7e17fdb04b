package io.github.meshalloc.tracking.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.tracking.log.LogEvent;
import io.github.meshalloc.tracking.log.LogParseException;
import io.github.meshalloc.tracking.log.ServerLogParser;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.ServerVersion;
import io.github.meshalloc.tracking.wire.AllocMessage;
import io.github.meshalloc.tracking.wire.AllocMessageCodec;
import io.github.meshalloc.tracking.wire.RecordFormat;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Garbage into the log parser, the record codec and the server: only the documented exception types,
 * never a hang, and a rejected input changes nothing.
 */
class FuzzProperties {

    /** Lines that start like server events (the parser's dispatch prefixes) followed by garbage. */
    @Provide
    Arbitrary<String> eventLikeLines() {
        Arbitrary<String> prefix = Arbitraries.of("✓ [PID ", "✗ [PID ", "⚠ [PID ", "⚠️  ", "✓ [CB_ALLOC] Device ",
                "✗ [KERNEL_UNLOAD] ", "📋 ", "  Device ", "    DRAM: ", "Total remaining buffers: ", "");
        Arbitrary<String> tail = Arbitraries.strings().withCharRange(' ', '~').withChars("✓✗⚠️📋═║\t")
                .ofMaxLength(120);
        return net.jqwik.api.Combinators.combine(prefix, tail).as((p, t) -> p + t);
    }

    @Property(tries = 2000)
    void strictParserReturnsAnEventOrThrowsLogParseException(@ForAll("eventLikeLines") String line) {
        ServerLogParser parser = ServerLogParser.strict();
        assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
            try {
                LogEvent event = parser.parseLine(line, 7);
                assertNotNull(event);
            } catch (LogParseException e) {
                assertEquals(7, e.lineNumber());
                assertEquals(line, e.line());
            }
        });
    }

    @Property(tries = 2000)
    void lenientParserNeverThrows(@ForAll("eventLikeLines") String line) {
        assertNotNull(ServerLogParser.lenient().parseLine(line, 1));
    }

    @Property(tries = 1000)
    void decodingBytesOfAnyLengthGivesAMessageOrIllegalArgument(
            @ForAll("anyBytes") byte[] bytes) {
        boolean validLength = bytes.length == 72 || bytes.length == 112 || bytes.length == 144;
        try {
            AllocMessage message = AllocMessageCodec.decode(bytes);
            assertTrue(validLength, "decoded a record of " + bytes.length + " bytes");
            assertNotNull(message);
        } catch (IllegalArgumentException e) {
            assertTrue(!validLength || e.getMessage() != null);
            if (!validLength) {
                assertTrue(e.getMessage().contains(String.valueOf(bytes.length)), e.getMessage());
            }
        }
    }

    @Provide
    Arbitrary<byte[]> anyBytes() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(200),
                Arbitraries.bytes().array(byte[].class).ofSize(72),
                Arbitraries.bytes().array(byte[].class).ofSize(112),
                Arbitraries.bytes().array(byte[].class).ofSize(144));
    }

    @Property(tries = 300)
    void theServerAppliesDecodedGarbageAtomicallyOrRefusesIt(@ForAll("records") byte[] record,
                                                             @ForAll ServerVersion version) {
        AllocationServer server = new AllocationServer(version);
        server.accept(AllocMessage.alloc(0, 4096, 0, 11, 64, 1));
        AllocMessage message = AllocMessageCodec.decode(record);
        var entriesBefore = server.liveEntries();
        try {
            server.accept(message);
        } catch (RuntimeException e) {
            assertEquals(entriesBefore, server.liveEntries(), "a refused message changed the registry: " + e);
            return;
        }
        // Applied or ignored: the registry and counters stay consistent (reference 3.11 invariant 2 for buffers).
        long sum = 0;
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            sum += server.counters(d).numBuffers();
        }
        long anomalies = server.anomalies().size();
        assertTrue(anomalies > 0 || sum == server.activeAllocations(),
                "numBuffers sum " + sum + " vs active " + server.activeAllocations());
    }

    @Provide
    Arbitrary<byte[]> records() {
        return Arbitraries.of(RecordFormat.values()).flatMap(format -> {
            int size = switch (format) {
                case BYTES_72 -> 72;
                case BYTES_112 -> 112;
                case BYTES_144 -> 144;
            };
            Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofSize(size);
            // Keep the type byte mostly valid so that the semantics, not only the framing, are exercised.
            return net.jqwik.api.Combinators.combine(raw, Arbitraries.integers().between(0, 13))
                    .as((bytes, type) -> {
                        bytes[0] = (byte) (int) type;
                        return bytes;
                    });
        });
    }
}
