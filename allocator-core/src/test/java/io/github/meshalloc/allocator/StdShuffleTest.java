package io.github.meshalloc.allocator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link StdShuffle} against permutations printed by libstdc++ (g++ 12.2, Debian 12) for
 * {@code std::shuffle(ids 0..n-1, std::default_random_engine(seed))} on this machine. The bank ids
 * tt-metal gives L1 banks without a remap come from exactly this call (reference 4.2).
 */
class StdShuffleTest {

    private static List<Integer> ids(String spaceSeparated) {
        List<Integer> out = new ArrayList<>();
        for (String s : spaceSeparated.trim().split("\\s+")) {
            if (!s.isEmpty()) {
                out.add(Integer.parseInt(s));
            }
        }
        return out;
    }

    static List<Arguments> libstdcxxSeedZero() {
        return List.of(
                Arguments.of(0, ""),
                Arguments.of(1, "0"),
                Arguments.of(2, "1 0"),
                Arguments.of(3, "2 0 1"),
                Arguments.of(7, "3 0 4 6 5 1 2"),
                Arguments.of(8, "2 7 1 6 5 0 4 3"),
                Arguments.of(12, "2 7 10 6 11 0 4 9 5 3 1 8"),
                Arguments.of(56, "34 28 38 6 52 33 4 37 20 35 14 22 2 31 36 19 30 40 3 10 25 7 32 49 39 24 50 12 21 42 "
                        + "29 5 23 0 26 54 1 9 15 13 18 48 8 46 27 51 16 53 11 45 44 43 41 17 55 47"),
                Arguments.of(64, "34 63 38 6 52 33 4 37 20 35 14 22 2 31 36 19 30 40 3 10 25 7 59 56 39 24 50 12 21 42 "
                        + "29 5 61 0 26 54 1 9 15 13 18 58 8 46 27 51 16 53 62 45 44 43 41 17 55 60 49 48 57 32 47 23 "
                        + "11 28"),
                Arguments.of(80, "34 63 38 66 52 33 4 37 20 35 14 22 67 73 36 19 30 64 3 10 25 71 59 70 77 24 50 12 78 "
                        + "42 29 5 61 0 26 54 1 9 15 13 18 58 8 46 27 51 72 53 62 45 68 43 41 17 55 75 74 48 57 32 47 "
                        + "23 11 28 40 6 65 2 79 60 56 7 16 31 49 69 76 39 21 44"),
                Arguments.of(130, "81 63 38 66 95 33 123 118 20 35 14 22 67 73 36 19 30 109 110 10 99 103 59 70 119 24 "
                        + "115 12 78 106 29 5 61 0 26 129 85 9 15 108 126 58 101 98 117 51 83 87 62 102 68 43 41 17 "
                        + "112 75 121 88 92 32 47 84 122 28 124 86 127 125 79 93 56 7 16 31 49 69 76 100 21 44 25 82 "
                        + "34 72 94 1 6 53 89 48 4 74 57 60 23 52 50 27 46 80 39 8 105 114 77 45 116 97 13 120 3 113 "
                        + "111 55 71 96 42 107 37 104 64 91 11 90 40 2 18 128 65 54"),
                Arguments.of(140, "81 63 38 66 95 33 123 118 20 35 138 22 134 73 36 19 30 109 110 10 99 103 59 70 119 "
                        + "24 115 12 78 106 29 5 61 135 26 139 85 9 15 108 126 58 101 98 117 51 83 87 62 102 68 43 41 "
                        + "133 112 75 121 88 92 32 47 84 122 28 130 86 127 125 79 93 56 7 16 31 49 69 76 100 21 44 25 "
                        + "82 34 72 94 1 6 53 89 48 4 74 57 131 23 52 50 27 46 80 39 8 105 114 77 45 116 97 13 120 3 "
                        + "113 111 55 71 96 137 107 37 104 64 91 11 90 40 2 18 128 65 136 124 60 129 17 67 0 54 42 14 "
                        + "132"));
    }

    @ParameterizedTest(name = "n = {0}")
    @MethodSource("libstdcxxSeedZero")
    void matchesLibstdcxxWithSeedZero(int n, String expected) {
        assertEquals(ids(expected), StdShuffle.shuffledIds(n, 0));
    }

    @Test
    void otherSeedsMatchLibstdcxx() {
        // default_random_engine(42), printed by the same g++ build.
        assertEquals(ids("1 6 3 4 5 0 7 2"), StdShuffle.shuffledIds(8, 42));
        assertEquals(ids("1 11 10 9 5 0 7 2 4 8 3 6"), StdShuffle.shuffledIds(12, 42));
    }

    @ParameterizedTest(name = "seed {0} behaves like seed 1")
    @ValueSource(longs = {0L, 1L, 2147483647L, 2147483648L})
    void seedsCongruentToZeroOrOneGiveTheSeedOneStream(long seed) {
        // minstd_rand0 reduces the seed mod 2^31-1 and replaces 0 by 1; g++ printed the same permutation for all four.
        assertEquals(ids("2 7 1 6 5 0 4 3"), StdShuffle.shuffledIds(8, seed));
        assertEquals(ids("2 7 10 6 11 0 4 9 5 3 1 8"), StdShuffle.shuffledIds(12, seed));
    }

    @Test
    void everyResultIsAPermutation() {
        for (int n = 0; n <= 300; n++) {
            List<Integer> shuffled = new ArrayList<>(StdShuffle.shuffledIds(n, 0));
            assertEquals(n, shuffled.size(), "length for n = " + n);
            shuffled.sort(null);
            assertEquals(IntStream.range(0, n).boxed().toList(), shuffled, "ids for n = " + n);
        }
    }

    /**
     * The rejection boundary of {@code uniform_int_distribution}: with generator range R = 2^31 - 2 and a draw
     * range of u values, libstdc++ keeps a raw value r - 1 only while it is below past = u * floor(R / u), and
     * draws again when it equals past (about once in 2^31 draws). These seeds make the first draw of the shuffle
     * hit exactly past: seed 1,479,613,294 for even n (the first draw is uniform(0, 1): the engine's first value
     * is 2,147,483,645 = past + 1), seed 143,872,588 for odd n (the first draw is uniform(0, 5) for the pair of
     * positions 1 and 2: first value 2,147,483,641 = past + 1). Accepting that value would give position 2 (for
     * n = 2 out of range) or the pair (2, 0), position 2 for position 1.
     *
     * <p>Expected permutations printed on this machine by g++ (Debian 12.2.0-14+deb12u1) 12.2.0, -O2, from a
     * program that fills a vector with 0..n-1 (std::iota), calls
     * {@code std::shuffle(ids.begin(), ids.end(), std::default_random_engine(seed))} and prints the vector.
     */
    @ParameterizedTest(name = "seed {0}, n = {1}")
    @CsvSource({
        "1479613294, 2, 0 1",
        "1479613294, 8, 6 1 5 0 7 4 3 2",
        "1479613294, 12, 6 1 11 0 9 4 10 2 8 7 3 5",
        "1479613294, 64, 6 1 23 55 20 31 46 2 36 56 60 25 5 53 7 59 35 15 11 21 9 32 22 37 8 47 42 0 26 62 12 39 "
                + "41 57 34 58 44 33 54 4 10 43 29 52 24 45 40 28 50 27 13 3 14 51 18 49 19 38 61 48 16 63 30 17",
        "143872588, 3, 0 1 2",
        "143872588, 7, 3 1 5 0 4 6 2"})
    void aRawValueEqualToTheRejectionBoundaryIsDrawnAgainLikeLibstdcxx(long seed, int n, String expected) {
        assertEquals(ids(expected), StdShuffle.shuffledIds(n, seed));
    }

    @Test
    void isDeterministic() {
        assertEquals(StdShuffle.shuffledIds(130, 0), StdShuffle.shuffledIds(130, 0));
    }

    @Test
    void rejectsNegativeCount() {
        assertThrows(IllegalArgumentException.class, () -> StdShuffle.shuffledIds(-1, 0));
    }

    /**
     * Above 46,340 ids libstdc++'s {@code std::shuffle} stops drawing two positions per call (R / n < n for
     * R = 2^31 - 2) and draws one per element. Expected values: g++ 13 / libstdc++, {@code default_random_engine(0)},
     * hash = fold of (h * 31 + v) mod 1e9+7 over the shuffled vector.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "46340, 789145018, 12864 15649 45375 28840 5025 45938 17731 40162, 9527",
        "46341, 13241906, 7657 15610 35781 37701 46212 46264 3290 40083, 23597",
        "50000, 272281743, 7657 15610 35781 37701 46212 46264 3290 40083, 4298"})
    void largeCountsMatchLibstdcxxOnBothSidesOfThePairedDrawLimit(int n, long hash, String first, int last) {
        List<Integer> shuffled = StdShuffle.shuffledIds(n, 0);
        long h = 0;
        for (int v : shuffled) {
            h = (h * 31 + v) % 1_000_000_007L;
        }
        assertEquals(hash, h);
        assertEquals(ids(first), shuffled.subList(0, 8));
        assertEquals(last, shuffled.get(n - 1));
    }
}
