package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.Optional;

/**
 * A buffer's layout and, when sharded, its shard specification.
 *
 * <p>Models {@code BufferShardingArgs} ({@code buffer.hpp}) restricted to the shard-spec form: a
 * {@code BufferDistributionSpec} is not modelled (buffers built from one get BLOCK_SHARDED layout in
 * the C++; give such a buffer a {@link ShardSpecBuffer} with the same core count and pages per core).
 * Consistency (sharded layout needs a spec, interleaved must have none) is checked where the C++ checks
 * it, in {@code Buffer}'s {@code validate_buffer_parameters}.
 *
 * @param layout    the memory layout
 * @param shardSpec the shard specification, present for sharded layouts
 */
public record BufferShardingArgs(TensorMemoryLayout layout, Optional<ShardSpecBuffer> shardSpec) {

    /** Interleaved, no shard spec: the default of every {@code Buffer::create}. */
    public static final BufferShardingArgs INTERLEAVED =
            new BufferShardingArgs(TensorMemoryLayout.INTERLEAVED, Optional.empty());

    public BufferShardingArgs {
        Preconditions.checkNotNull(layout, "layout");
        Preconditions.checkNotNull(shardSpec, "shardSpec");
    }

    /** A sharded layout with its spec. */
    public static BufferShardingArgs sharded(TensorMemoryLayout layout, ShardSpecBuffer spec) {
        return new BufferShardingArgs(layout, Optional.of(spec));
    }
}
