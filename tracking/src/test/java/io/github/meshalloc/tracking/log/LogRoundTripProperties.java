package io.github.meshalloc.tracking.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.log.LogEvent.HistoryKind;
import io.github.meshalloc.tracking.log.LogEvent.Locality;
import io.github.meshalloc.tracking.log.LogEvent.SocDetailLabel;
import io.github.meshalloc.tracking.log.LogEvent.StatsLabel;
import io.github.meshalloc.tracking.log.LogEvent.SweepCategory;
import io.github.meshalloc.tracking.wire.KernelKind;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class LogRoundTripProperties {

    private static Arbitrary<Integer> ints() {
        return Arbitraries.integers();
    }

    private static Arbitrary<Long> u64() {
        return Arbitraries.longs();
    }

    private static Arbitrary<Long> counts() {
        return Arbitraries.longs().greaterOrEqual(0);
    }

    private static Arbitrary<Integer> types() {
        return Arbitraries.integers().between(0, 4);
    }

    /** Figures as the server produces them: canonical %g values of byte counts (scaled) or of doubles. */
    private static Arbitrary<Double> figures() {
        return Arbitraries.oneOf(u64().map(GFormat::mbValue), u64().map(GFormat::kbValue),
                Arbitraries.doubles().between(0, 1e30).map(GFormat::canonical));
    }

    private static Arbitrary<String> words() {
        return Arbitraries.strings().withCharRange('A', 'z').ofMinLength(1).ofMaxLength(12)
                .filter(s -> s.chars().allMatch(Character::isLetterOrDigit));
    }

    private static Arbitrary<String> freeText() {
        return Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
    }

    @Provide
    Arbitrary<LogEvent> events() {
        Arbitrary<IdFormat> fmt = Arbitraries.of(IdFormat.class);
        List<Arbitrary<? extends LogEvent>> all = List.of(
                Combinators.combine(ints(), u64(), types(), ints(), u64(), fmt).as(LogEvent.AllocNew::new),
                Combinators.combine(ints(), u64(), types(), ints(), u64(), fmt, ints()).as(LogEvent.AllocDup::new),
                Combinators.combine(ints(), u64(), fmt, ints(), u64(), ints()).as(LogEvent.FreePartial::new),
                Combinators.combine(ints(), u64(), fmt, ints(), u64()).as(LogEvent.FreeFinal::new),
                Combinators.combine(ints(), u64(), fmt, ints(), u64()).as(LogEvent.FreeE1::new),
                Combinators.combine(ints(), u64(), fmt, u64()).as(LogEvent.FreeE0::new),
                Combinators.combine(ints(), u64(), fmt, ints()).as(LogEvent.UnknownFree::new),
                u64().map(LogEvent.UnknownFreeLegacy::new),
                Combinators.combine(ints(), u64(), ints()).as(LogEvent.UnknownFreeNeverTracked::new),
                Combinators.combine(ints(), u64(), ints(), ints(), ints()).as(LogEvent.AlreadyFreed::new),
                Combinators.combine(Arbitraries.of(4, 5, 8), Arbitraries.of(HistoryKind.class), u64(), ints(), ints())
                        .as(LogEvent.HistoryLine::new),
                Combinators.combine(ints(), u64(), u64(), u64(), ints()).as(LogEvent.SizeChanged::new),
                Combinators.combine(ints(), ints(), u64(), ints()).as(LogEvent.BadType::new),
                Combinators.combine(ints(), u64(), ints()).as(LogEvent.BadTypeS5::new),
                Combinators.combine(ints(), ints()).as(LogEvent.BadTypeShort::new),
                ints().map(LogEvent.BadDevice::new),
                u64().map(LogEvent.BadSize::new),
                ints().map(LogEvent.UnknownType::new),
                counts().map(LogEvent.ResyncGiveUp::new),
                Combinators.combine(ints(), figures(), figures()).as(LogEvent.CbAlloc::new),
                Combinators.combine(ints(), figures(), figures()).as(LogEvent.CbFree::new),
                Combinators.combine(Arbitraries.of(KernelKind.class), ints(), figures(), figures())
                        .as(LogEvent.KernelLoad::new),
                Combinators.combine(Arbitraries.of(KernelKind.class), ints(), figures(), figures())
                        .as(LogEvent.KernelUnload::new),
                Arbitraries.of(ConstantLine.class).map(LogEvent.Constant::new),
                counts().map(LogEvent.TotalTracked::new),
                ints().map(LogEvent.DumpDevice::new),
                Combinators.combine(types(), counts(), figures()).as(LogEvent.DumpTypeGroup::new),
                Combinators.combine(u64(), figures(), ints(), ints()).as(LogEvent.DumpBuffer::new),
                Combinators.combine(ints(), ints()).as(LogEvent.DumpHistoryHeader::new),
                counts().map(LogEvent.TotalRemaining::new),
                counts().map(LogEvent.DoubleFreedSummary::new),
                Combinators.combine(u64(), ints()).as(LogEvent.DoubleFreedBuffer::new),
                Combinators.combine(ints(), ints()).as(LogEvent.DoubleFreedTotals::new),
                ints().map(LogEvent.SweepDeadPid::new),
                Combinators.combine(Arbitraries.of(SweepCategory.class), counts(), figures(), ints())
                        .as(LogEvent.SweepRemoved::new),
                ints().map(LogEvent.StatsDevice::new),
                u64().map(LogEvent.StatsBuffers::new),
                Combinators.combine(Arbitraries.of(StatsLabel.DRAM, StatsLabel.L1), u64(), figures())
                        .as(LogEvent.StatsBytesKb::new),
                Combinators.combine(Arbitraries.of(StatsLabel.class), u64()).as(LogEvent.StatsBytes::new),
                Combinators.combine(Arbitraries.of(StatsLabel.class), figures()).as(LogEvent.StatsKb::new),
                counts().map(LogEvent.ActiveAllocations::new),
                counts().map(LogEvent.KernelDumpTotal::new),
                Combinators.combine(ints(), figures(), counts()).as(LogEvent.KernelDeviceHeader::new),
                u64().map(LogEvent.KernelIdLine::new),
                figures().map(LogEvent.KernelSizeLine::new),
                ints().map(LogEvent.KernelOwnerLine::new),
                u64().map(LogEvent.KernelAgeLine::new),
                Combinators.combine(ints(), words(), u64(), u64(), Arbitraries.of(Locality.class))
                        .as(LogEvent.DetectedDevice::new),
                Combinators.combine(counts(), Arbitraries.of(true, false)).as(LogEvent.DetectionTotal::new),
                counts().map(LogEvent.DetectionLimit::new),
                Combinators.combine(ints(), freeText()).as(LogEvent.DeviceQueryFailed::new),
                Combinators.combine(Arbitraries.of(SocDetailLabel.class), freeText()).as(LogEvent.SocDetail::new),
                Arbitraries.of("📊 Final Statistics:", "Device 0: 14.11 MB DRAM, 22 KB L1", "random words here")
                        .map(LogEvent.Other::new));
        return Arbitraries.oneOf(all);
    }

    @Property(tries = 3000)
    void writerThenParserGivesBackTheEvent(@ForAll("events") LogEvent event) {
        String line = ServerLogWriter.render(event);
        assertEquals(event, ServerLogParser.strict().parseLine(line), line);
    }

    @Property(tries = 300)
    void parserThenWriterGivesBackTheText(@ForAll("events") LogEvent event) {
        String line = ServerLogWriter.render(event);
        assertEquals(line, ServerLogWriter.render(ServerLogParser.lenient().parseLine(line)));
    }

    @Property(tries = 200)
    void wholeLogsRoundTrip(@ForAll("eventLists") List<LogEvent> events) {
        assertEquals(events, ServerLogParser.strict().parse(ServerLogWriter.renderAll(events)));
    }

    @Provide
    Arbitrary<List<LogEvent>> eventLists() {
        return events().list().ofMaxSize(30);
    }
}
