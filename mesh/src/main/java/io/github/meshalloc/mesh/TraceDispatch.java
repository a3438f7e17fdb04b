package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.TtFatalException;

/**
 * Trace-buffer sizing.
 *
 * <p>Models {@code tt::tt_metal::trace_dispatch::compute_interleaved_trace_buf_page_size}
 * ({@code tt_metal/impl/trace/dispatch.cpp}): the page size of a trace buffer is the power of two in
 * [{@link #EXEC_BUF_PAGE_MIN}, {@link #EXEC_BUF_PAGE_MAX}] that wastes the fewest bytes when the trace is padded to
 * a whole number of pages in every DRAM bank; on a tie the largest wins. The C++ does this arithmetic in
 * {@code uint32_t}, and so does this class: the trace size is truncated to 32 bits on the way in and the padded
 * size wraps modulo 2^32.
 */
public final class TraceDispatch {
    /** Smallest candidate page size ({@code kExecBufPageMin}). */
    public static final long EXEC_BUF_PAGE_MIN = 1024;
    /** Largest candidate page size ({@code kExecBufPageMax}). */
    public static final long EXEC_BUF_PAGE_MAX = 4096;

    private static final long U32 = 0xFFFF_FFFFL;

    private TraceDispatch() {
    }

    /**
     * The trace buffer page size for {@code bufSize} bytes spread over {@code numBanks} DRAM banks.
     *
     * @param bufSize  trace size in bytes (used modulo 2^32, as the C++ {@code uint32_t} parameter)
     * @param numBanks DRAM banks, positive
     * @throws IllegalArgumentException if {@code bufSize} is negative or {@code numBanks} is not positive
     */
    public static long computeInterleavedTraceBufPageSize(long bufSize, int numBanks) {
        Preconditions.checkArgument(bufSize >= 0, "trace buffer size %s must not be negative", bufSize);
        Preconditions.checkArgument(numBanks > 0, "number of DRAM banks %s must be positive", numBanks);
        long size32 = bufSize & U32;
        long minWaste = U32;
        long pick = 0;
        for (long candidate = EXEC_BUF_PAGE_MIN; candidate <= EXEC_BUF_PAGE_MAX; candidate <<= 1) {
            long fullyBanked = (numBanks * candidate) & U32;
            long padded = ((((size32 + fullyBanked - 1) & U32) / fullyBanked) * fullyBanked) & U32;
            long waste = (padded - size32) & U32;
            if (waste <= minWaste) {
                minWaste = waste;
                pick = candidate;
            }
        }
        if (pick < EXEC_BUF_PAGE_MIN || pick > EXEC_BUF_PAGE_MAX) {
            throw new TtFatalException("pick " + pick + " not between min_size " + EXEC_BUF_PAGE_MIN
                    + " and max_size " + EXEC_BUF_PAGE_MAX);
        }
        return pick;
    }
}
