package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.BufferType;
import java.util.List;

/**
 * One kind of single-chip buffer: an interleaved buffer of whole 2 KiB pages in one chip's own allocator.
 *
 * <p>Models {@code CreateBuffer(InterleavedBufferConfig{device = mesh->get_device(coord), size, page_size, type})}
 * (reference 8.3): the buffer goes to the chip's allocator, which knows nothing of the mesh allocator (reference
 * 9.1), the way system buffers and pre-mesh code allocate.
 *
 * @param name  short name used in operation lines
 * @param type  DRAM or L1
 * @param pages number of 2 KiB pages
 */
public record ChipBufferChoice(String name, BufferType type, int pages) {

    /** Page size of every choice. */
    public static final long PAGE = 2048;

    public ChipBufferChoice {
        Preconditions.checkNotNull(name, "name");
        Preconditions.checkArgument(type == BufferType.DRAM || type == BufferType.L1,
                "single-chip buffers are DRAM or L1, got %s", type);
        Preconditions.checkArgument(pages > 0, "pages %s must be positive", pages);
    }

    /** One DRAM page. */
    public static final ChipBufferChoice DRAM_1_PAGE = new ChipBufferChoice("dram-1p", BufferType.DRAM, 1);
    /** 13 DRAM pages (one bank takes two). */
    public static final ChipBufferChoice DRAM_13_PAGES = new ChipBufferChoice("dram-13p", BufferType.DRAM, 13);
    /** One L1 page. */
    public static final ChipBufferChoice L1_1_PAGE = new ChipBufferChoice("l1-1p", BufferType.L1, 1);
    /** 65 L1 pages. */
    public static final ChipBufferChoice L1_65_PAGES = new ChipBufferChoice("l1-65p", BufferType.L1, 65);

    /** Every preset, simplest first. */
    public static final List<ChipBufferChoice> ALL = List.of(DRAM_1_PAGE, DRAM_13_PAGES, L1_1_PAGE, L1_65_PAGES);

    /** Size in bytes. */
    public long size() {
        return pages * PAGE;
    }

    @Override
    public String toString() {
        return name;
    }
}
