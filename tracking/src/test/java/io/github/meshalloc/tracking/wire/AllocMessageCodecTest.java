package io.github.meshalloc.tracking.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AllocMessageCodecTest {

    /** Little-endian writer for hand-built records. */
    private static void le(byte[] b, int at, long value, int width) {
        for (int i = 0; i < width; i++) {
            b[at + i] = (byte) (value >>> (8 * i));
        }
    }

    private static byte[] head(int size) {
        byte[] b = new byte[size];
        b[0] = 1;                                   // type ALLOC
        le(b, 4, -1, 4);                            // device_id -1 (int32)
        le(b, 8, 0x8000_0000_0000_0001L, 8);        // size with the top bit set (u64)
        b[16] = 4;                                  // buffer_type TRACE
        le(b, 20, 1714322, 4);                      // process_id
        le(b, 24, 2560032, 8);                      // buffer_id
        le(b, 32, 1_700_000_000_000_000_000L, 8);   // timestamp
        le(b, 40, 11, 8);                           // dram
        le(b, 48, 22, 8);                           // l1
        le(b, 56, 33, 8);                           // l1_small
        le(b, 64, 44, 8);                           // trace
        return b;
    }

    @Test
    void decodesHandBuilt72ByteRecordPerOffsetTable() {
        AllocMessage m = AllocMessageCodec.decode(head(72));
        assertEquals(Optional.of(MessageType.ALLOC), m.messageType());
        assertEquals(-1, m.deviceId());
        assertEquals(0x8000_0000_0000_0001L, m.size());
        assertEquals(4, m.bufferType());
        assertEquals(1714322, m.processId());
        assertEquals(2560032L, m.bufferId());
        assertEquals(1_700_000_000_000_000_000L, m.timestamp());
        assertEquals(11, m.dramAllocated());
        assertEquals(22, m.l1Allocated());
        assertEquals(33, m.l1SmallAllocated());
        assertEquals(44, m.traceAllocated());
        assertEquals(0, m.totalDramSize());
    }

    @Test
    void decodesHandBuilt112ByteRecordPerOffsetTable() {
        byte[] b = head(112);
        le(b, 72, 12L << 30, 8);        // total_dram_size
        le(b, 80, 1_499_136L * 120, 8); // total_l1_size
        le(b, 88, 2, 4);                // arch_type Wormhole_B0
        le(b, 92, 12, 4);               // num_dram_channels
        le(b, 96, 0xFFFF_FFFFL, 4);     // dram_size_per_channel (u32 max)
        le(b, 100, 1_499_136, 4);       // l1_size_per_core
        le(b, 104, 1, 4);               // is_available
        le(b, 108, 8, 4);               // num_devices
        AllocMessage m = AllocMessageCodec.decode(b);
        assertEquals(12L << 30, m.totalDramSize());
        assertEquals(1_499_136L * 120, m.totalL1Size());
        assertEquals(2, m.archType());
        assertEquals(12, m.numDramChannels());
        assertEquals(0xFFFF_FFFFL, m.dramSizePerChannel());
        assertEquals(1_499_136, m.l1SizePerCore());
        assertEquals(1, m.isAvailable());
        assertEquals(8, m.numDevices());
        assertEquals(44, m.traceAllocated());
        assertEquals(0, m.cbAllocated());
    }

    @Test
    void decodesHandBuilt144ByteRecordPerOffsetTable() {
        byte[] b = head(144);
        le(b, 72, 23_560_000, 8);   // cb_allocated
        le(b, 80, 208_896, 8);      // kernel_allocated
        le(b, 88, 32L << 30, 8);    // total_dram_size
        le(b, 96, 306L << 20, 8);   // total_l1_size
        le(b, 104, 3, 4);           // arch Blackhole
        le(b, 108, 8, 4);           // channels
        le(b, 112, 4_278_190_080L, 4);
        le(b, 116, 1_572_864, 4);
        le(b, 120, 1, 4);
        le(b, 124, 2, 4);
        le(b, 128, 67_000, 4);      // ringbuffer_total_size
        le(b, 132, 1_234, 4);       // ringbuffer_used_bytes
        le(b, 136, 5, 4);           // ringbuffer_num_programs
        le(b, 140, 0x7777_7777, 4); // pad3: ignored
        b[1] = 9;                   // pad1: ignored
        b[18] = 9;                  // pad2: ignored
        AllocMessage m = AllocMessageCodec.decode(b);
        assertEquals(23_560_000, m.cbAllocated());
        assertEquals(208_896, m.kernelAllocated());
        assertEquals(32L << 30, m.totalDramSize());
        assertEquals(306L << 20, m.totalL1Size());
        assertEquals(3, m.archType());
        assertEquals(8, m.numDramChannels());
        assertEquals(4_278_190_080L, m.dramSizePerChannel());
        assertEquals(1_572_864, m.l1SizePerCore());
        assertEquals(1, m.isAvailable());
        assertEquals(2, m.numDevices());
        assertEquals(67_000, m.ringbufferTotalSize());
        assertEquals(1_234, m.ringbufferUsedBytes());
        assertEquals(5, m.ringbufferNumPrograms());
        assertEquals(4, m.bufferType());
    }

    @Test
    void encodeWritesTheOffsetTableAndZeroPadding() {
        AllocMessage m = AllocMessage.alloc(-1, 0x8000_0000_0000_0001L, 4, 1714322, 2560032,
                        1_700_000_000_000_000_000L).toBuilder()
                .dramAllocated(11).l1Allocated(22).l1SmallAllocated(33).traceAllocated(44).build();
        assertArrayEquals(head(72), AllocMessageCodec.encode(m, RecordFormat.BYTES_72));
        byte[] b144 = AllocMessageCodec.encode(m.toBuilder().ringbufferNumPrograms(0xFFFF_FFFFL).build(),
                RecordFormat.BYTES_144);
        assertEquals(144, b144.length);
        assertEquals(-1, b144[136]);
        assertEquals(-1, b144[139]);
        for (int pad : new int[] {1, 2, 3, 17, 18, 19, 140, 141, 142, 143}) {
            assertEquals(0, b144[pad], "pad byte " + pad);
        }
    }

    @Test
    void wrongLengthNamesTheLengthAndAllowedSizes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.decode(new byte[128]));
        assertTrue(e.getMessage().contains("128"), e.getMessage());
        assertTrue(e.getMessage().contains("72, 112, 144"), e.getMessage());
    }

    @Test
    void shortStreamRecordIsRejectedWithNeededAndAvailableBytes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.decode(new byte[150], 40, RecordFormat.BYTES_112));
        assertTrue(e.getMessage().contains("152") && e.getMessage().contains("150"), e.getMessage());
    }

    @Test
    void decodeAtOffsetReadsTheSecondRecordOfAStream() {
        AllocMessage first = AllocMessage.alloc(0, 1024, 1, 7, 0x1000, 5);
        AllocMessage second = AllocMessage.free(3, 8, 0x2000);
        byte[] stream = new byte[144];
        System.arraycopy(AllocMessageCodec.encode(first, RecordFormat.BYTES_72), 0, stream, 0, 72);
        System.arraycopy(AllocMessageCodec.encode(second, RecordFormat.BYTES_72), 0, stream, 72, 72);
        assertEquals(second, AllocMessageCodec.decode(stream, 72, RecordFormat.BYTES_72));
    }

    @Test
    void encodingAFieldTheFormatLacksIsRejectedUnlessTruncated() {
        AllocMessage m = AllocMessage.builder(MessageType.RESPONSE).cbAllocated(5).numDevices(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.encode(m, RecordFormat.BYTES_112));
        assertTrue(e.getMessage().contains("cbAllocated") && e.getMessage().contains("112"), e.getMessage());
        IllegalArgumentException e72 = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.encode(m.toBuilder().cbAllocated(0).build(), RecordFormat.BYTES_72));
        assertTrue(e72.getMessage().contains("numDevices"), e72.getMessage());
        AllocMessage t = m.truncatedTo(RecordFormat.BYTES_112);
        assertEquals(0, t.cbAllocated());
        assertEquals(2, t.numDevices());
        assertEquals(t, AllocMessageCodec.decode(AllocMessageCodec.encode(t, RecordFormat.BYTES_112)));
    }

    @Test
    void narrowFieldsAreRangeChecked() {
        assertThrows(IllegalArgumentException.class, () -> AllocMessage.ofTypeCode(256));
        assertThrows(IllegalArgumentException.class, () -> AllocMessage.alloc(0, 1, -1, 1, 1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AllocMessage.builder(MessageType.RESPONSE).numDevices(1L << 32).build());
        assertTrue(e.getMessage().contains("numDevices"), e.getMessage());
    }

    @Test
    void messageTypeCodesAreThoseOfTheProtocol() {
        assertEquals(12, MessageType.values().length);
        for (MessageType t : MessageType.values()) {
            assertEquals(t, MessageType.ofCode(t.code()));
        }
        assertEquals(1, MessageType.ALLOC.code());
        assertEquals(7, MessageType.DEVICE_INFO_RESPONSE.code());
        assertEquals(12, MessageType.DUMP_KERNELS.code());
        assertEquals(Optional.empty(), MessageType.fromCode(0));
        assertEquals(Optional.empty(), MessageType.fromCode(13));
        assertThrows(IllegalArgumentException.class, () -> MessageType.ofCode(13));
    }

    @Test
    void aStreamRecordMayEndExactlyAtTheEndOfTheArrayButNotOneBytePastIt() {
        // a 112-byte record at offset 40 of a 152-byte stream ends on its last byte
        AllocMessage m = AllocMessage.alloc(1, 4096, 0, 7, 0x1000, 5);
        byte[] stream = new byte[152];
        System.arraycopy(AllocMessageCodec.encode(m, RecordFormat.BYTES_112), 0, stream, 40, 112);
        assertEquals(m, AllocMessageCodec.decode(stream, 40, RecordFormat.BYTES_112));
        IllegalArgumentException past = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.decode(stream, 41, RecordFormat.BYTES_112));
        assertEquals("a 112-byte record at offset 41 needs 153 bytes but the array has 152", past.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.decode(stream, -1, RecordFormat.BYTES_72));
        assertEquals("a 72-byte record at offset -1 needs 71 bytes but the array has 152", negative.getMessage());
        IllegalArgumentException atEnd = assertThrows(IllegalArgumentException.class,
                () -> AllocMessageCodec.decode(stream, 152, RecordFormat.BYTES_72));
        assertTrue(atEnd.getMessage().contains("offset 152"), atEnd.getMessage());
    }

    @Test
    void theServerAcceptsExactlyTheBufferTypeCodesZeroToFour() {
        // reference 2.3: tt-metal's BufferType 0 DRAM .. 4 TRACE; the server rejects codes above 4
        assertEquals(Optional.of(BufferTypeCode.DRAM), BufferTypeCode.fromCode(0));
        assertEquals(Optional.of(BufferTypeCode.TRACE), BufferTypeCode.fromCode(4));
        assertEquals(Optional.empty(), BufferTypeCode.fromCode(-1));
        assertEquals(Optional.empty(), BufferTypeCode.fromCode(5));
        assertEquals(BufferTypeCode.DRAM, BufferTypeCode.ofCode(0));
        assertEquals(BufferTypeCode.TRACE, BufferTypeCode.ofCode(4));
        for (int bad : new int[] {-1, 5, 255}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BufferTypeCode.ofCode(bad));
            assertEquals("buffer type code " + bad + " is not one the server accepts; allowed codes are 0..4",
                    e.getMessage());
        }
    }

    @Test
    void bufferTypesShareTheL1SmallCounterForCodes2And3() {
        assertEquals(BufferTypeCode.Counter.L1_SMALL, BufferTypeCode.ofCode(2).counter());
        assertEquals(BufferTypeCode.Counter.L1_SMALL, BufferTypeCode.ofCode(3).counter());
        assertEquals("SYSTEM_MEMORY", BufferTypeCode.ofCode(2).logName());
        assertEquals(Optional.empty(), BufferTypeCode.fromCode(5));
        assertEquals("Unknown", KernelKind.ofCode(7).logName());
        assertEquals("Unknown", ArchType.displayName(0));
        assertEquals("Blackhole", ArchType.displayName(3));
    }

    @Test
    void onlyThe144ByteRecordCarriesCbKernelAndRingBufferWordsAnd72CarriesNoDeviceInfo() {
        AllocMessage plain = AllocMessage.alloc(0, 4096, 0, 1, 64, 5);
        for (RecordFormat f : RecordFormat.values()) {
            assertTrue(plain.fitsIn(f), f.name());
        }
        List<AllocMessage> only144 = List.of(
                AllocMessage.builder(MessageType.RESPONSE).cbAllocated(1).build(),
                AllocMessage.builder(MessageType.RESPONSE).kernelAllocated(1).build(),
                AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).ringbufferTotalSize(1).build(),
                AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).ringbufferUsedBytes(1).build(),
                AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).ringbufferNumPrograms(1).build());
        List<String> fields = List.of("cbAllocated", "kernelAllocated", "ringbufferTotalSize", "ringbufferUsedBytes",
                "ringbufferNumPrograms");
        for (int i = 0; i < only144.size(); i++) {
            AllocMessage m = only144.get(i);
            assertTrue(m.fitsIn(RecordFormat.BYTES_144), fields.get(i));
            assertTrue(!m.fitsIn(RecordFormat.BYTES_112), fields.get(i));
            assertTrue(!m.fitsIn(RecordFormat.BYTES_72), fields.get(i));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> AllocMessageCodec.encode(m, RecordFormat.BYTES_112));
            assertTrue(e.getMessage().startsWith("field " + fields.get(i) + " is non-zero"), e.getMessage());
        }
        AllocMessage info = AllocMessage.builder(MessageType.DEVICE_INFO_RESPONSE).numDevices(8).build();
        assertTrue(info.fitsIn(RecordFormat.BYTES_112));
        assertTrue(!info.fitsIn(RecordFormat.BYTES_72));
    }

    @Test
    void archCodesPrintTheirNamesAndAnythingElsePrintsUnknown() {
        assertEquals(0, ArchType.INVALID.code());
        assertEquals(2, ArchType.WORMHOLE_B0.code());
        assertEquals(4, ArchType.QUASAR.code());
        assertEquals("Blackhole", ArchType.BLACKHOLE.displayName());
        assertEquals("Grayskull", ArchType.displayName(1));
        assertEquals("Wormhole_B0", ArchType.displayName(2));
        assertEquals("Quasar", ArchType.displayName(4));
        assertEquals("Unknown", ArchType.displayName(0));
        assertEquals("Unknown", ArchType.displayName(5));
        assertEquals("Unknown", ArchType.displayName(-1));
    }
}
