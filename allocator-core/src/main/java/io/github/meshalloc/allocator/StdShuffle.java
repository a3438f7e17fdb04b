package io.github.meshalloc.allocator;

import com.google.common.base.Preconditions;
import java.util.ArrayList;
import java.util.List;

/**
 * The L1 bank-id permutation tt-metal computes when no {@code l1_bank_remap} is configured.
 *
 * <p>Models {@code std::shuffle(ids.begin(), ids.end(), std::default_random_engine(0))} as called in
 * {@code L1BankingAllocator} ({@code l1_banking_allocator.cpp}, reference 4.2), for the standard
 * library tt-metal is built against on Linux (libstdc++ of GCC 10 and later): the engine is
 * {@code minstd_rand0} (a = 16807, m = 2^31 - 1, seed 0 replaced by 1), {@code std::shuffle}
 * draws two swap positions from one uniform draw while the generator's range allows it, and
 * {@code uniform_int_distribution} uses rejection with down-scaling. The algorithm follows
 * libstdc++'s published behaviour [I]; the expected permutations in the tests were produced by
 * running libstdc++ (g++ 12) on this machine kind, not copied from tt-metal.
 */
public final class StdShuffle {
    private static final long MINSTD_A = 16807L;
    private static final long MINSTD_M = 2147483647L;
    private static final long URNG_MIN = 1;
    private static final long URNG_RANGE = (MINSTD_M - 1) - URNG_MIN;

    private long state;

    private StdShuffle(long seed) {
        long s = seed % MINSTD_M;
        this.state = s == 0 ? 1 : s;
    }

    /** The permutation of {@code 0..n-1} that {@code std::shuffle} with {@code default_random_engine(seed)} produces. */
    public static List<Integer> shuffledIds(int n, long seed) {
        Preconditions.checkArgument(n >= 0, "number of ids %s must not be negative", n);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        new StdShuffle(seed).shuffle(ids);
        List<Integer> out = new ArrayList<>(n);
        for (int id : ids) {
            out.add(id);
        }
        return out;
    }

    private long next() {
        state = (state * MINSTD_A) % MINSTD_M;
        return state;
    }

    /** {@code uniform_int_distribution<unsigned long>(a, b)(g)} for a generator range above {@code b - a}. */
    private long uniform(long a, long b) {
        long urange = b - a;
        if (URNG_RANGE > urange) {
            long uerange = urange + 1;
            long scaling = URNG_RANGE / uerange;
            long past = uerange * scaling;
            long ret;
            do {
                ret = next() - URNG_MIN;
            } while (ret >= past);
            return a + ret / scaling;
        }
        if (URNG_RANGE == urange) {
            return a + (next() - URNG_MIN);
        }
        // Ranges above 2^31 never occur for bank counts; libstdc++ would compose several draws here.
        throw new IllegalStateException("range " + urange + " exceeds the generator range " + URNG_RANGE);
    }

    private void shuffle(int[] v) {
        int n = v.length;
        if (n == 0) {
            return;
        }
        long urange = n;
        if (URNG_RANGE / urange >= urange) {
            int i = 1;
            if (urange % 2 == 0) {
                swap(v, i++, (int) uniform(0, 1));
            }
            while (i != n) {
                long swapRange = i + 1;
                long x = uniform(0, swapRange * (swapRange + 1) - 1);
                swap(v, i++, (int) (x / (swapRange + 1)));
                swap(v, i++, (int) (x % (swapRange + 1)));
            }
            return;
        }
        for (int i = 1; i < n; i++) {
            swap(v, i, (int) uniform(0, i));
        }
    }

    private static void swap(int[] v, int i, int j) {
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}
