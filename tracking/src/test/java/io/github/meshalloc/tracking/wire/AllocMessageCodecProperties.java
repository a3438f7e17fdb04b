package io.github.meshalloc.tracking.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class AllocMessageCodecProperties {

    @Provide
    Arbitrary<AllocMessage> messages() {
        Arbitrary<Long> u64 = Arbitraries.longs();
        Arbitrary<Long> u32 = Arbitraries.longs().between(0, AllocMessage.U32_MAX);
        Arbitrary<Integer> u8 = Arbitraries.integers().between(0, 255);
        Arbitrary<Integer> i32 = Arbitraries.integers();
        Arbitrary<AllocMessage.Builder> head = Combinators.combine(u8, i32, u64, u8, i32, u64, u64)
                .as((t, d, s, bt, p, id, ts) -> AllocMessage.ofTypeCode(t).toBuilder().deviceId(d).size(s)
                        .bufferType(bt).processId(p).bufferId(id).timestamp(ts));
        Arbitrary<AllocMessage.Builder> counters = Combinators.combine(head, u64, u64, u64, u64, u64, u64, u64)
                .as((b, a, c, d, e, f, g, h) -> b.dramAllocated(a).l1Allocated(c).l1SmallAllocated(d)
                        .traceAllocated(e).cbAllocated(f).kernelAllocated(g).totalDramSize(h));
        Arbitrary<AllocMessage.Builder> info = Combinators.combine(counters, u64, u32, u32, u32, u32, u32, u32)
                .as((b, l1, arch, ch, dpc, l1pc, avail, n) -> b.totalL1Size(l1).archType(arch).numDramChannels(ch)
                        .dramSizePerChannel(dpc).l1SizePerCore(l1pc).isAvailable(avail).numDevices(n));
        return Combinators.combine(info, u32, u32, u32)
                .as((b, rt, ru, rn) -> b.ringbufferTotalSize(rt).ringbufferUsedBytes(ru).ringbufferNumPrograms(rn)
                        .build());
    }

    @Property(tries = 300)
    void roundTripsInEveryFormatAfterTruncation(@ForAll("messages") AllocMessage message,
                                                @ForAll RecordFormat format) {
        AllocMessage fit = message.truncatedTo(format);
        byte[] bytes = AllocMessageCodec.encode(fit, format);
        assertEquals(format.size(), bytes.length);
        assertEquals(fit, AllocMessageCodec.decode(bytes));
    }

    @Property(tries = 200)
    void the144ByteRecordCarriesEveryField(@ForAll("messages") AllocMessage message) {
        assertEquals(message, AllocMessageCodec.decode(AllocMessageCodec.encode(message, RecordFormat.BYTES_144)));
    }

    @Property(tries = 200)
    void theHeadAndFirstFourCountersHaveTheSameBytesInEveryFormat(@ForAll("messages") AllocMessage message) {
        AllocMessage m = message.truncatedTo(RecordFormat.BYTES_72);
        byte[] b72 = AllocMessageCodec.encode(m, RecordFormat.BYTES_72);
        byte[] b112 = AllocMessageCodec.encode(m, RecordFormat.BYTES_112);
        byte[] b144 = AllocMessageCodec.encode(m, RecordFormat.BYTES_144);
        for (int i = 0; i < 72; i++) {
            assertEquals(b72[i], b112[i]);
            assertEquals(b72[i], b144[i]);
        }
    }
}
