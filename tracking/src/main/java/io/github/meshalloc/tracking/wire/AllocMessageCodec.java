package io.github.meshalloc.tracking.wire;

import com.google.common.base.Preconditions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Packed little-endian encoding of {@link AllocMessage} records of 72, 112 or 144 bytes.
 *
 * <p>Models the byte image of {@code struct __attribute__((packed)) AllocMessage} as sent with
 * {@code send(fd, &msg, sizeof msg, 0)} by {@code tt_metal/impl/allocator/allocation_client.cpp} and read with
 * {@code recv} by {@code MUM/allocation_server_poc.cpp} on x86 (host byte order, little-endian), with the offsets of
 * reference section 2.2:
 * <pre>
 *   head (all):  0 type u8 | 1 pad[3] | 4 device_id i32 | 8 size u64 | 16 buffer_type u8 | 17 pad[3]
 *                | 20 process_id i32 | 24 buffer_id u64 | 32 timestamp u64
 *   72:   40 dram | 48 l1 | 56 l1_small | 64 trace                                   (u64)
 *   112:  72-byte tail, 72 total_dram u64 | 80 total_l1 u64 | 88 arch | 92 channels | 96 dram/channel
 *         | 100 l1/core | 104 is_available | 108 num_devices                        (u32 from 88)
 *   144:  40 dram | 48 l1 | 56 l1_small | 64 trace | 72 cb | 80 kernel | 88 total_dram | 96 total_l1 (u64)
 *         | 104 arch | 108 channels | 112 dram/channel | 116 l1/core | 120 is_available | 124 num_devices
 *         | 128 ringbuffer_total | 132 ringbuffer_used | 136 ringbuffer_programs | 140 pad3  (u32)
 * </pre>
 * Padding is written as zero and ignored when read. The codec is stateless.
 */
public final class AllocMessageCodec {

    private AllocMessageCodec() {
    }

    /**
     * The record image of {@code message} in {@code format}.
     *
     * @throws IllegalArgumentException if the message has a non-zero field the format cannot carry (use
     *                                  {@link AllocMessage#truncatedTo(RecordFormat)} to drop such fields on purpose)
     */
    public static byte[] encode(AllocMessage message, RecordFormat format) {
        Preconditions.checkNotNull(message, "message");
        Preconditions.checkNotNull(format, "format");
        message.firstFieldMissingFrom(format).ifPresent(field -> {
            throw new IllegalArgumentException("field " + field + " is non-zero but a " + format.size()
                    + "-byte record has no room for it; use truncatedTo(" + format + ") to drop it");
        });
        ByteBuffer b = ByteBuffer.allocate(format.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, (byte) message.typeCode());
        b.putInt(4, message.deviceId());
        b.putLong(8, message.size());
        b.put(16, (byte) message.bufferType());
        b.putInt(20, message.processId());
        b.putLong(24, message.bufferId());
        b.putLong(32, message.timestamp());
        b.putLong(40, message.dramAllocated());
        b.putLong(48, message.l1Allocated());
        b.putLong(56, message.l1SmallAllocated());
        b.putLong(64, message.traceAllocated());
        switch (format) {
            case BYTES_72:
                break;
            case BYTES_112:
                b.putLong(72, message.totalDramSize());
                b.putLong(80, message.totalL1Size());
                putDeviceWords(b, 88, message);
                break;
            case BYTES_144:
                b.putLong(72, message.cbAllocated());
                b.putLong(80, message.kernelAllocated());
                b.putLong(88, message.totalDramSize());
                b.putLong(96, message.totalL1Size());
                putDeviceWords(b, 104, message);
                b.putInt(128, (int) message.ringbufferTotalSize());
                b.putInt(132, (int) message.ringbufferUsedBytes());
                b.putInt(136, (int) message.ringbufferNumPrograms());
                break;
            default:
                throw new AssertionError(format);
        }
        return b.array();
    }

    private static void putDeviceWords(ByteBuffer b, int at, AllocMessage m) {
        b.putInt(at, (int) m.archType());
        b.putInt(at + 4, (int) m.numDramChannels());
        b.putInt(at + 8, (int) m.dramSizePerChannel());
        b.putInt(at + 12, (int) m.l1SizePerCore());
        b.putInt(at + 16, (int) m.isAvailable());
        b.putInt(at + 20, (int) m.numDevices());
    }

    /**
     * Decodes one whole record; its length selects the format.
     *
     * @throws IllegalArgumentException naming the length and the allowed sizes (72, 112, 144) if the length is none
     *                                  of them
     */
    public static AllocMessage decode(byte[] record) {
        Preconditions.checkNotNull(record, "record");
        return decode(record, 0, RecordFormat.ofSize(record.length));
    }

    /**
     * Decodes the record of {@code format} starting at {@code offset} of {@code bytes} (for a stream of records).
     *
     * @throws IllegalArgumentException if fewer than {@code format.size()} bytes follow {@code offset}
     */
    public static AllocMessage decode(byte[] bytes, int offset, RecordFormat format) {
        Preconditions.checkNotNull(bytes, "bytes");
        Preconditions.checkNotNull(format, "format");
        // offset >= 0 keeps bytes.length - offset from overflowing; a record (72 bytes or more) then fits only if
        // offset < bytes.length, so no separate upper bound on offset is needed
        Preconditions.checkArgument(offset >= 0 && bytes.length - offset >= format.size(),
                "a %s-byte record at offset %s needs %s bytes but the array has %s", format.size(), offset,
                (long) offset + format.size(), bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        AllocMessage.Builder m = AllocMessage.ofTypeCode(Byte.toUnsignedInt(b.get(offset))).toBuilder()
                .deviceId(b.getInt(offset + 4))
                .size(b.getLong(offset + 8))
                .bufferType(Byte.toUnsignedInt(b.get(offset + 16)))
                .processId(b.getInt(offset + 20))
                .bufferId(b.getLong(offset + 24))
                .timestamp(b.getLong(offset + 32))
                .dramAllocated(b.getLong(offset + 40))
                .l1Allocated(b.getLong(offset + 48))
                .l1SmallAllocated(b.getLong(offset + 56))
                .traceAllocated(b.getLong(offset + 64));
        switch (format) {
            case BYTES_72:
                break;
            case BYTES_112:
                m.totalDramSize(b.getLong(offset + 72)).totalL1Size(b.getLong(offset + 80));
                readDeviceWords(b, offset + 88, m);
                break;
            case BYTES_144:
                m.cbAllocated(b.getLong(offset + 72)).kernelAllocated(b.getLong(offset + 80))
                        .totalDramSize(b.getLong(offset + 88)).totalL1Size(b.getLong(offset + 96));
                readDeviceWords(b, offset + 104, m);
                m.ringbufferTotalSize(u32(b, offset + 128)).ringbufferUsedBytes(u32(b, offset + 132))
                        .ringbufferNumPrograms(u32(b, offset + 136));
                break;
            default:
                throw new AssertionError(format);
        }
        return m.build();
    }

    private static void readDeviceWords(ByteBuffer b, int at, AllocMessage.Builder m) {
        m.archType(u32(b, at)).numDramChannels(u32(b, at + 4)).dramSizePerChannel(u32(b, at + 8))
                .l1SizePerCore(u32(b, at + 12)).isAvailable(u32(b, at + 16)).numDevices(u32(b, at + 20));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }
}
