package io.github.meshalloc.examples.repro;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Invariant;
import io.github.meshalloc.tracking.ops.TensorChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The gtest repro: tt-metal's distributed API for what maps to it, every step in order, comments for the rest. */
class GtestReproTest {

    @Test
    void aSeedCounterexampleBecomesATestWithEveryStepInOrder() {
        ExplorerRun run = Scripts.small(RuleSet.SEED_003_FINAL);
        ReproPlan plan = ReproPlan.of(run, Scripts.found(run));
        String cpp = GtestRepro.render(plan);
        Scripts.assertEveryStepInOrder(plan, cpp, "//", false);
        List<String> lines = cpp.lines().toList();
        assertTrue(lines.contains("TEST(MeshallocRepro, Seed003FinalDeviceMemoryReturned) {"), cpp);
        assertTrue(lines.contains("    setenv(\"TT_ALLOC_TRACKING_ENABLED\", \"1\", /*overwrite=*/1);"), cpp);
        assertTrue(lines.contains("    auto m0 = MeshDevice::create(MeshDeviceConfig(MeshShape(1, 1)));"), cpp);
        assertTrue(lines.contains("    auto t0 = MeshBuffer::create(ReplicatedBufferConfig{.size = 2048}, "
                + "DeviceLocalBufferConfig{.page_size = 2048, .buffer_type = BufferType::DRAM}, m0.get());"), cpp);
        assertTrue(lines.contains("    t0.reset();"), cpp);
        assertTrue(lines.contains("    m0->close();"), "teardown: " + cpp);
        assertBalanced(cpp);
    }

    @Test
    void everyKindOfStepMapsToTheDistributedApiOrIsAComment() {
        ReproPlan plan = Scripts.handMade(RuleSet.MESHALLOC_FIX, Scripts.EVERY_KIND,
                Invariant.SERVER_VIEW_EQUALS_TRUTH);
        String cpp = GtestRepro.render(plan);
        Scripts.assertEveryStepInOrder(plan, cpp, "//", false);
        List<String> lines = cpp.lines().toList();
        assertTrue(lines.contains("    IDevice* d0 = CreateDevice(7);"), cpp);
        assertTrue(lines.contains("    auto b0 = CreateBuffer(InterleavedBufferConfig{.device = d0, .size = 26624, "
                + ".page_size = 2048, .buffer_type = BufferType::DRAM});"), cpp);
        assertTrue(lines.contains("    auto v0 = t0->view(BufferRegion(2048, 4096));"), cpp);
        assertTrue(lines.contains("    auto a0 = MeshBuffer::create(t0->global_config(), t0->device_local_config(), "
                + "t0->device(), t0->address());"), cpp);
        assertTrue(lines.contains("    m0->load_sub_device_manager(m0->create_sub_device_manager(halves_8, 65536));"),
                cpp);
        assertTrue(lines.contains("        SubDevice(std::array{CoreRangeSet(CoreRange({0, 0}, {3, 7}))}),"), cpp);
        assertTrue(cpp.contains(".sub_device_id = SubDeviceId{0}}, m0.get());"), cpp);
        assertTrue(lines.contains("    t1->deallocate();"), cpp);
        assertTrue(lines.contains("    DeallocateBuffer(*b0);"), cpp);
        assertTrue(lines.contains("    m0->disable_and_clear_program_cache();"), cpp);
        assertTrue(lines.contains("    CloseDevice(d0);"), cpp);
        assertTrue(cpp.contains("    // not in the distributed API: ttnn runs ttnn.matmul through its program cache"),
                cpp);
        assertTrue(cpp.contains("// Not in the distributed API, left as comments: steps 7, 21, 25 (programs: see the "
                + "Python repro)."), cpp);
        int raised = lines.indexOf("    // step 10: m0: clear loaded sub-device manager  (the model raised: "
                + "TtFatalException: Cannot switch sub device managers while sub devices still have local allocations)");
        assertEquals(List.of("    try {", "        m0->clear_loaded_sub_device_manager();"),
                lines.subList(raised + 1, raised + 3), cpp);
        int end = lines.indexOf("    // step 22: p0 ends (devices closed, objects released)");
        assertEquals(List.of("    m0->close();", "    b0.reset();", "    t0.reset();", "    a0.reset();",
                "    t1.reset();", "    t2.reset();"), lines.subList(end + 2, end + 8), cpp);
        assertTrue(lines.contains("    kill(getpid(), SIGKILL);"), cpp);
        assertBalanced(cpp);
    }

    @Test
    void shardingArgumentsAreTheModelsPerChipLayout() {
        assertEquals("ReplicatedBufferConfig{.size = 16384}, DeviceLocalBufferConfig{.page_size = 2048, "
                + ".buffer_type = BufferType::L1, .sharding_args = BufferShardingArgs(ShardSpecBuffer(CoreRangeSet("
                + "CoreRange({0, 0}, {1, 1})), {64, 32}, ShardOrientation::ROW_MAJOR, {32, 32}, {8, 1}), "
                + "TensorMemoryLayout::HEIGHT_SHARDED)}",
                GtestRepro.meshBufferConfig(TensorChoice.L1_HEIGHT_SHARDED, new MeshShape(2, 4)));
        // a mesh-sharded tensor: ttnn makes a replicated MeshBuffer of the per-chip size
        assertEquals("ReplicatedBufferConfig{.size = 16384}, DeviceLocalBufferConfig{.page_size = 2048, "
                + ".buffer_type = BufferType::DRAM}",
                GtestRepro.meshBufferConfig(TensorChoice.DRAM_MESH_SHARDED, new MeshShape(2, 4)));
    }

    private static void assertBalanced(String cpp) {
        String code = cpp.lines().filter(l -> !l.strip().startsWith("//")).map(GtestReproTest::withoutStrings)
                .reduce("", (a, b) -> a + b + "\n");
        for (String pair : List.of("{}", "()", "[]")) {
            long open = code.chars().filter(ch -> ch == pair.charAt(0)).count();
            long close = code.chars().filter(ch -> ch == pair.charAt(1)).count();
            assertEquals(open, close, pair + " unbalanced in:\n" + cpp);
        }
    }

    private static String withoutStrings(String line) {
        return line.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
    }
}
