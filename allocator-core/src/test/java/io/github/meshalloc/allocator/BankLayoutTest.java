package io.github.meshalloc.allocator;

import static io.github.meshalloc.allocator.TestChips.GIB;
import static io.github.meshalloc.allocator.TestChips.WH_L1_BASE;
import static io.github.meshalloc.allocator.TestChips.WH_W;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link BankLayout}: derived at test time, not only through the presets (whose layouts are built when
 * {@link ArchPreset} is initialised, once per JVM), against reference 4.1 and 4.2 (bank ids from the seeded shuffle or
 * the remap, one L1 bank per compute core) and its sharing contract.
 */
class BankLayoutTest {

    private static List<Integer> identity(int n) {
        return new ArrayList<>(IntStream.range(0, n).boxed().toList());
    }

    @ParameterizedTest
    @EnumSource(ArchPreset.class)
    void derivingAPresetsConfigAgainGivesItsLayoutAndForConfigSharesIt(ArchPreset preset) {
        AllocatorConfig config = preset.config();
        assertEquals(preset.bankLayout(), BankLayout.of(config));
        assertTrue(preset.bankLayout().derivesFrom(config));
        assertSame(preset.bankLayout(), BankLayout.forConfig(config));
        // Fields outside the layout's three inputs do not matter.
        assertSame(preset.bankLayout(), BankLayout.forConfig(config.withDramUnreservedBase(config.dramAlignment())));
    }

    @Test
    void aRemapGivesTheKthCoreTheKthIdAndANewLayout() {
        AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
        List<CoreCoord> cores = wh.computeGrid().cores();
        List<Integer> remap = identity(cores.size());
        // Swap two ids far apart, so that the row-major order and the bank order differ.
        remap.set(0, 50);
        remap.set(50, 0);
        AllocatorConfig config = wh.withL1BankRemap(remap);
        assertFalse(ArchPreset.WORMHOLE_B0.bankLayout().derivesFrom(config));
        BankLayout layout = BankLayout.forConfig(config);
        assertNotSame(ArchPreset.WORMHOLE_B0.bankLayout(), layout);
        assertEquals(layout, BankLayout.of(config));
        for (int k = 0; k < cores.size(); k++) {
            assertEquals(cores.get(k), layout.l1BankIdToLogicalCore().get(remap.get(k)), "bank " + remap.get(k));
            assertEquals(List.of(remap.get(k)), layout.logicalCoreToL1BankIds().get(cores.get(k)));
            assertEquals(0L, layout.l1BankIdToOffset().get(remap.get(k)));
        }
        assertEquals(identity(cores.size()), List.copyOf(layout.l1BankIdToLogicalCore().keySet()));
        assertEquals(ArchPreset.WORMHOLE_B0.bankLayout().dramBankIdToOffset(), layout.dramBankIdToOffset());
    }

    @Test
    void aBankIdGivenToTwoCoresIsRefusedNamingThatIdEvenWhenTheCoresAreFarApart() {
        AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
        List<Integer> remap = identity(wh.computeGrid().numCores());
        remap.set(40, 7); // cores 7 and 40 share id 7: not neighbours in core order, only a check in bank order sees it
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BankLayout.of(wh.withL1BankRemap(remap)));
        assertEquals("L1 bank id 7 is given to two cores; bank ids must be distinct", e.getMessage());
        List<Integer> spread = identity(wh.computeGrid().numCores());
        Collections.reverse(spread);
        spread.set(60, spread.get(3)); // id 60 at cores 3 and 60; the first core to repeat an id is core 60
        assertEquals("L1 bank id 60 is given to two cores; bank ids must be distinct",
                assertThrows(IllegalArgumentException.class,
                        () -> BankLayout.of(wh.withL1BankRemap(spread))).getMessage());
    }

    @Test
    void theDramBankCountIsCheckedBeforeTheL1RemapLikeTheCxxConstructorsOrder() {
        // init_one_bank_per_channel builds the DRAM bank manager (validate_num_banks) before the L1 banks exist, so a
        // config wrong in both ways fails on the DRAM bank count (the duplicate remap is meshalloc's own check).
        AllocatorConfig wh = ArchPreset.WORMHOLE_B0.config();
        List<Integer> remap = identity(wh.computeGrid().numCores());
        remap.set(9, 3);
        AllocatorConfig config = new AllocatorConfig(5, GIB, List.of(0L, GIB, 2 * GIB, 3 * GIB, 4 * GIB), 32, 32,
                WH_L1_BASE, wh.workerGrid(), WH_W, 0, 1024, wh.computeGrid(), remap, 16, false);
        TtFatalException e = assertThrows(TtFatalException.class,
                () -> new Allocator(config, MetalContext.untracked(), 0));
        assertTrue(e.getMessage().startsWith("Invalid number of memory banks 5 for DRAM"), e.getMessage());
    }
}
