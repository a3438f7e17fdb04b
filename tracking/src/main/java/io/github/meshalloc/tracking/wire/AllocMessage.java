package io.github.meshalloc.tracking.wire;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * One allocation-server message, as data: every field of every record size.
 *
 * <p>Models the packed {@code struct AllocMessage} of {@code MUM/allocation_server_poc.cpp} and
 * {@code tt_metal/impl/allocator/allocation_client.hpp} (reference section 2.2): the common 40-byte head
 * ({@code type, device_id, size, buffer_type, process_id, buffer_id, timestamp}) followed by the tail of the 72-,
 * 112- or 144-byte variant. The record is format-agnostic: it holds the union of all fields, and
 * {@link #fitsIn(RecordFormat)} says whether a given record size can carry it. Padding bytes are not fields: they
 * are written as zero and ignored when read.
 *
 * <p>Unsigned 64-bit fields ({@code size}, {@code buffer_id}, {@code timestamp}, counters, totals) are held in
 * {@code long}s with the same bit pattern; use {@link Long#toUnsignedString(long)} and friends to read them.
 * Unsigned 32-bit fields are held in {@code long}s in 0..2^32-1; the two 8-bit fields in {@code int}s in 0..255.
 *
 * @param typeCode              {@code type}, u8: a {@link MessageType} code, or any other byte (servers report it
 *                              as unknown)
 * @param deviceId              {@code device_id}, int32 (-1 is meaningful only for DEVICE_INFO_QUERY)
 * @param size                  {@code size}, u64 bytes
 * @param bufferType            {@code buffer_type}, u8: a {@link BufferTypeCode} code, or a {@link KernelKind} code
 *                              for KERNEL_LOAD
 * @param processId             {@code process_id}, int32 (sender's getpid; the C++ demo FREE leaves it 0)
 * @param bufferId              {@code buffer_id}, u64 (in tt-metal the device address; CB address; kernel id)
 * @param timestamp             {@code timestamp}, u64 ns since epoch, filled by the caller (never read by servers)
 * @param dramAllocated         {@code dram_allocated} (all formats)
 * @param l1Allocated           {@code l1_allocated} (all formats)
 * @param l1SmallAllocated      {@code l1_small_allocated} (all formats)
 * @param traceAllocated        {@code trace_allocated} (all formats)
 * @param cbAllocated           {@code cb_allocated} (144 only)
 * @param kernelAllocated       {@code kernel_allocated} (144 only)
 * @param totalDramSize         {@code total_dram_size} (112, 144)
 * @param totalL1Size           {@code total_l1_size} (112, 144)
 * @param archType              {@code arch_type}, u32 (112, 144)
 * @param numDramChannels       {@code num_dram_channels}, u32 (112, 144)
 * @param dramSizePerChannel    {@code dram_size_per_channel}, u32 (112, 144)
 * @param l1SizePerCore         {@code l1_size_per_core}, u32 (112, 144)
 * @param isAvailable           {@code is_available}, u32 (112, 144)
 * @param numDevices            {@code num_devices}, u32 (112, 144)
 * @param ringbufferTotalSize   {@code ringbuffer_total_size}, u32 (144 only)
 * @param ringbufferUsedBytes   {@code ringbuffer_used_bytes}, u32 (144 only)
 * @param ringbufferNumPrograms {@code ringbuffer_num_programs}, u32 (144 only)
 */
public record AllocMessage(
        int typeCode,
        int deviceId,
        long size,
        int bufferType,
        int processId,
        long bufferId,
        long timestamp,
        long dramAllocated,
        long l1Allocated,
        long l1SmallAllocated,
        long traceAllocated,
        long cbAllocated,
        long kernelAllocated,
        long totalDramSize,
        long totalL1Size,
        long archType,
        long numDramChannels,
        long dramSizePerChannel,
        long l1SizePerCore,
        long isAvailable,
        long numDevices,
        long ringbufferTotalSize,
        long ringbufferUsedBytes,
        long ringbufferNumPrograms) {

    /** Largest value of an unsigned 32-bit field. */
    public static final long U32_MAX = 0xFFFF_FFFFL;

    /** Checks the 8- and 32-bit fields are in range. */
    public AllocMessage {
        checkU8("typeCode (type)", typeCode);
        checkU8("bufferType (buffer_type)", bufferType);
        checkU32("archType (arch_type)", archType);
        checkU32("numDramChannels (num_dram_channels)", numDramChannels);
        checkU32("dramSizePerChannel (dram_size_per_channel)", dramSizePerChannel);
        checkU32("l1SizePerCore (l1_size_per_core)", l1SizePerCore);
        checkU32("isAvailable (is_available)", isAvailable);
        checkU32("numDevices (num_devices)", numDevices);
        checkU32("ringbufferTotalSize (ringbuffer_total_size)", ringbufferTotalSize);
        checkU32("ringbufferUsedBytes (ringbuffer_used_bytes)", ringbufferUsedBytes);
        checkU32("ringbufferNumPrograms (ringbuffer_num_programs)", ringbufferNumPrograms);
    }

    private static void checkU8(String name, int value) {
        Preconditions.checkArgument(value >= 0 && value <= 255, "%s is %s; a u8 field allows 0..255", name, value);
    }

    private static void checkU32(String name, long value) {
        Preconditions.checkArgument(value >= 0 && value <= U32_MAX,
                "%s is %s; a u32 field allows 0..4294967295", name, value);
    }

    /** The message type, or empty when {@link #typeCode()} is not 1..12. */
    public Optional<MessageType> messageType() {
        return MessageType.fromCode(typeCode);
    }

    /**
     * Whether a record of this format can carry every non-zero field of this message. The 72-byte record lacks
     * cb/kernel counters, device information and ring-buffer words; the 112-byte record lacks cb/kernel counters and
     * ring-buffer words.
     */
    public boolean fitsIn(RecordFormat format) {
        return firstFieldMissingFrom(format).isEmpty();
    }

    /** Name of the first non-zero field the format cannot carry, if any (for error messages). */
    Optional<String> firstFieldMissingFrom(RecordFormat format) {
        if (format == RecordFormat.BYTES_144) {
            return Optional.empty();
        }
        if (cbAllocated != 0) {
            return Optional.of("cbAllocated");
        }
        if (kernelAllocated != 0) {
            return Optional.of("kernelAllocated");
        }
        if (ringbufferTotalSize != 0) {
            return Optional.of("ringbufferTotalSize");
        }
        if (ringbufferUsedBytes != 0) {
            return Optional.of("ringbufferUsedBytes");
        }
        if (ringbufferNumPrograms != 0) {
            return Optional.of("ringbufferNumPrograms");
        }
        if (format == RecordFormat.BYTES_112) {
            return Optional.empty();
        }
        long[] deviceInfo = {totalDramSize, totalL1Size, archType, numDramChannels, dramSizePerChannel,
            l1SizePerCore, isAvailable, numDevices};
        String[] names = {"totalDramSize", "totalL1Size", "archType", "numDramChannels", "dramSizePerChannel",
            "l1SizePerCore", "isAvailable", "numDevices"};
        for (int i = 0; i < deviceInfo.length; i++) {
            if (deviceInfo[i] != 0) {
                return Optional.of(names[i]);
            }
        }
        return Optional.empty();
    }

    /**
     * This message with every field the format cannot carry set to zero: what the receiver of a record of that size
     * would see if the sender had the same struct.
     */
    public AllocMessage truncatedTo(RecordFormat format) {
        Builder b = toBuilder();
        if (format != RecordFormat.BYTES_144) {
            b.cbAllocated(0).kernelAllocated(0).ringbufferTotalSize(0).ringbufferUsedBytes(0)
                    .ringbufferNumPrograms(0);
        }
        if (format == RecordFormat.BYTES_72) {
            b.totalDramSize(0).totalL1Size(0).archType(0).numDramChannels(0).dramSizePerChannel(0)
                    .l1SizePerCore(0).isAvailable(0).numDevices(0);
        }
        return b.build();
    }

    /** A builder holding this message's fields. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A builder for a zeroed record of the given type (like the C++ {@code memset(&msg, 0, sizeof msg)}). */
    public static Builder builder(MessageType type) {
        return new Builder().typeCode(type.code());
    }

    /** A zeroed record whose type byte is {@code typeCode} (also codes outside 1..12, to model garbage). */
    public static AllocMessage ofTypeCode(int typeCode) {
        return new Builder().typeCode(typeCode).build();
    }

    /**
     * ALLOC as the runtime client sends it ({@code AllocationClient::report_allocation}).
     *
     * @param deviceId   device id
     * @param size       bytes (u64)
     * @param bufferType BufferType code (0..4 accepted by servers; anything up to 255 can be sent)
     * @param processId  sender pid
     * @param bufferId   buffer address (u64)
     * @param timestamp  ns since epoch, caller-filled
     */
    public static AllocMessage alloc(int deviceId, long size, int bufferType, int processId, long bufferId,
                                     long timestamp) {
        return basic(MessageType.ALLOC, deviceId, size, bufferType, processId, bufferId, timestamp);
    }

    /**
     * A record with only the first seven fields set, the rest zero: what {@code builder(type)...build()} gives for
     * them, without the builder (the runtime sends one such record per allocation and free).
     */
    private static AllocMessage basic(MessageType type, int deviceId, long size, int bufferType, int processId,
                                      long bufferId, long timestamp) {
        return new AllocMessage(type.code(), deviceId, size, bufferType, processId, bufferId, timestamp, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** FREE as the runtime client sends it: size, type and timestamp 0 ({@code report_deallocation}). */
    public static AllocMessage free(int deviceId, int processId, long bufferId) {
        return basic(MessageType.FREE, deviceId, 0, 0, processId, bufferId, 0);
    }

    /** QUERY for one device (monitor). */
    public static AllocMessage query(int deviceId) {
        return builder(MessageType.QUERY).deviceId(deviceId).build();
    }

    /** DUMP_REMAINING (MUM/dump_remaining_buffers.py): all fields zero. */
    public static AllocMessage dumpRemaining() {
        return builder(MessageType.DUMP_REMAINING).build();
    }

    /** DEVICE_INFO_QUERY; {@code deviceId} -1 asks for the device count. */
    public static AllocMessage deviceInfoQuery(int deviceId) {
        return builder(MessageType.DEVICE_INFO_QUERY).deviceId(deviceId).build();
    }

    /** CB_ALLOC ({@code report_cb_allocation}): buffer_type 0, buffer_id = CB address. */
    public static AllocMessage cbAlloc(int deviceId, long size, int processId, long cbAddress, long timestamp) {
        return basic(MessageType.CB_ALLOC, deviceId, size, 0, processId, cbAddress, timestamp);
    }

    /** CB_FREE ({@code report_cb_deallocation}, size carried since MUM/CB_MULTI_DEVICE_FIX.md). */
    public static AllocMessage cbFree(int deviceId, long size, int processId, long cbAddress) {
        return basic(MessageType.CB_FREE, deviceId, size, 0, processId, cbAddress, 0);
    }

    /** KERNEL_LOAD ({@code report_kernel_load}): kind code in buffer_type. */
    public static AllocMessage kernelLoad(int deviceId, long size, int kindCode, int processId, long kernelId,
                                          long timestamp) {
        return builder(MessageType.KERNEL_LOAD).deviceId(deviceId).size(size).bufferType(kindCode)
                .processId(processId).bufferId(kernelId).timestamp(timestamp).build();
    }

    /** KERNEL_UNLOAD ({@code report_kernel_unload}). */
    public static AllocMessage kernelUnload(int deviceId, long size, int processId, long kernelId) {
        return builder(MessageType.KERNEL_UNLOAD).deviceId(deviceId).size(size).processId(processId)
                .bufferId(kernelId).build();
    }

    /** DUMP_KERNELS; {@code timestamp} is the caller's "now", used by the model to compute kernel ages. */
    public static AllocMessage dumpKernels(long timestamp) {
        return builder(MessageType.DUMP_KERNELS).timestamp(timestamp).build();
    }

    /** Mutable builder for {@link AllocMessage}; all fields start at zero. */
    public static final class Builder {
        private int typeCode;
        private int deviceId;
        private long size;
        private int bufferType;
        private int processId;
        private long bufferId;
        private long timestamp;
        private long dramAllocated;
        private long l1Allocated;
        private long l1SmallAllocated;
        private long traceAllocated;
        private long cbAllocated;
        private long kernelAllocated;
        private long totalDramSize;
        private long totalL1Size;
        private long archType;
        private long numDramChannels;
        private long dramSizePerChannel;
        private long l1SizePerCore;
        private long isAvailable;
        private long numDevices;
        private long ringbufferTotalSize;
        private long ringbufferUsedBytes;
        private long ringbufferNumPrograms;

        private Builder() {
        }

        private Builder(AllocMessage m) {
            typeCode = m.typeCode;
            deviceId = m.deviceId;
            size = m.size;
            bufferType = m.bufferType;
            processId = m.processId;
            bufferId = m.bufferId;
            timestamp = m.timestamp;
            dramAllocated = m.dramAllocated;
            l1Allocated = m.l1Allocated;
            l1SmallAllocated = m.l1SmallAllocated;
            traceAllocated = m.traceAllocated;
            cbAllocated = m.cbAllocated;
            kernelAllocated = m.kernelAllocated;
            totalDramSize = m.totalDramSize;
            totalL1Size = m.totalL1Size;
            archType = m.archType;
            numDramChannels = m.numDramChannels;
            dramSizePerChannel = m.dramSizePerChannel;
            l1SizePerCore = m.l1SizePerCore;
            isAvailable = m.isAvailable;
            numDevices = m.numDevices;
            ringbufferTotalSize = m.ringbufferTotalSize;
            ringbufferUsedBytes = m.ringbufferUsedBytes;
            ringbufferNumPrograms = m.ringbufferNumPrograms;
        }

        /** Sets {@code type}. */
        public Builder typeCode(int v) {
            typeCode = v;
            return this;
        }

        /** Sets {@code device_id}. */
        public Builder deviceId(int v) {
            deviceId = v;
            return this;
        }

        /** Sets {@code size}. */
        public Builder size(long v) {
            size = v;
            return this;
        }

        /** Sets {@code buffer_type}. */
        public Builder bufferType(int v) {
            bufferType = v;
            return this;
        }

        /** Sets {@code process_id}. */
        public Builder processId(int v) {
            processId = v;
            return this;
        }

        /** Sets {@code buffer_id}. */
        public Builder bufferId(long v) {
            bufferId = v;
            return this;
        }

        /** Sets {@code timestamp}. */
        public Builder timestamp(long v) {
            timestamp = v;
            return this;
        }

        /** Sets {@code dram_allocated}. */
        public Builder dramAllocated(long v) {
            dramAllocated = v;
            return this;
        }

        /** Sets {@code l1_allocated}. */
        public Builder l1Allocated(long v) {
            l1Allocated = v;
            return this;
        }

        /** Sets {@code l1_small_allocated}. */
        public Builder l1SmallAllocated(long v) {
            l1SmallAllocated = v;
            return this;
        }

        /** Sets {@code trace_allocated}. */
        public Builder traceAllocated(long v) {
            traceAllocated = v;
            return this;
        }

        /** Sets {@code cb_allocated}. */
        public Builder cbAllocated(long v) {
            cbAllocated = v;
            return this;
        }

        /** Sets {@code kernel_allocated}. */
        public Builder kernelAllocated(long v) {
            kernelAllocated = v;
            return this;
        }

        /** Sets {@code total_dram_size}. */
        public Builder totalDramSize(long v) {
            totalDramSize = v;
            return this;
        }

        /** Sets {@code total_l1_size}. */
        public Builder totalL1Size(long v) {
            totalL1Size = v;
            return this;
        }

        /** Sets {@code arch_type}. */
        public Builder archType(long v) {
            archType = v;
            return this;
        }

        /** Sets {@code num_dram_channels}. */
        public Builder numDramChannels(long v) {
            numDramChannels = v;
            return this;
        }

        /** Sets {@code dram_size_per_channel}. */
        public Builder dramSizePerChannel(long v) {
            dramSizePerChannel = v;
            return this;
        }

        /** Sets {@code l1_size_per_core}. */
        public Builder l1SizePerCore(long v) {
            l1SizePerCore = v;
            return this;
        }

        /** Sets {@code is_available}. */
        public Builder isAvailable(long v) {
            isAvailable = v;
            return this;
        }

        /** Sets {@code num_devices}. */
        public Builder numDevices(long v) {
            numDevices = v;
            return this;
        }

        /** Sets {@code ringbuffer_total_size}. */
        public Builder ringbufferTotalSize(long v) {
            ringbufferTotalSize = v;
            return this;
        }

        /** Sets {@code ringbuffer_used_bytes}. */
        public Builder ringbufferUsedBytes(long v) {
            ringbufferUsedBytes = v;
            return this;
        }

        /** Sets {@code ringbuffer_num_programs}. */
        public Builder ringbufferNumPrograms(long v) {
            ringbufferNumPrograms = v;
            return this;
        }

        /**
         * The message.
         *
         * @throws IllegalArgumentException if an 8- or 32-bit field is out of range
         */
        public AllocMessage build() {
            return new AllocMessage(typeCode, deviceId, size, bufferType, processId, bufferId, timestamp,
                    dramAllocated, l1Allocated, l1SmallAllocated, traceAllocated, cbAllocated, kernelAllocated,
                    totalDramSize, totalL1Size, archType, numDramChannels, dramSizePerChannel, l1SizePerCore,
                    isAvailable, numDevices, ringbufferTotalSize, ringbufferUsedBytes, ringbufferNumPrograms);
        }
    }
}
