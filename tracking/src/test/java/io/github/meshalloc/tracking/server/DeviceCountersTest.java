package io.github.meshalloc.tracking.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.meshalloc.tracking.wire.BufferTypeCode;
import org.junit.jupiter.api.Test;

/** {@link DeviceCounters}: which field each buffer-type counter reads, and the statistics "Total". */
class DeviceCountersTest {

    private final DeviceCounters c = new DeviceCounters(11, 22, 33, 44, 5, 66, 77, 70, 6, 1);

    @Test
    void eachBufferTypeCounterReadsItsOwnField() {
        assertEquals(11, c.counter(BufferTypeCode.Counter.DRAM));
        assertEquals(22, c.counter(BufferTypeCode.Counter.L1));
        assertEquals(33, c.counter(BufferTypeCode.Counter.L1_SMALL));
        assertEquals(44, c.counter(BufferTypeCode.Counter.TRACE));
    }

    @Test
    void totalIsTheFourBufferCountersWithoutCbOrKernelBytes() {
        assertEquals(11 + 22 + 33 + 44, c.total());
    }

    @Test
    void codesTwoAndThreeBothReadTheL1SmallCounterOfAServer() {
        AllocationServer s = new AllocationServer(ServerVersion.S4);
        s.accept(ServerTestSupport.alloc(0, 100, 2, 1, 1));
        s.accept(ServerTestSupport.alloc(0, 1000, 3, 1, 2));
        s.accept(ServerTestSupport.alloc(0, 7, 4, 1, 3));
        DeviceCounters d = s.counters(0);
        assertEquals(1100, d.counter(BufferTypeCode.ofCode(2).counter()));
        assertEquals(1100, d.counter(BufferTypeCode.ofCode(3).counter()));
        assertEquals(7, d.counter(BufferTypeCode.ofCode(4).counter()));
        assertEquals(1107, d.total());
    }
}
