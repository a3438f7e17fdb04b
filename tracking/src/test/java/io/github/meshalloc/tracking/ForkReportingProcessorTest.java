package io.github.meshalloc.tracking;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.mesh.DeviceLocalBufferConfig;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshBufferConfig;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.allocator.ArchPreset;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fork's reporting inside GraphTracker: exactly once per buffer where the rule set says so. */
class ForkReportingProcessorTest {

    private static MeshDevice open(RuleSet rules, AllocationClient client) {
        GraphTracker tracker = new GraphTracker();
        tracker.pushProcessor(new ForkReportingProcessor(client, rules));
        MetalContext context = new MetalContext(rules.core(), tracker, AllocationReporter.NOOP);
        return MeshDevice.open(MeshDeviceConfig.of(new MeshShape(1, 2), ArchPreset.WORMHOLE_B0.config()), context,
                rules.mesh());
    }

    private static AllocationClient enabledClient() {
        AllocationClient client = mock(AllocationClient.class);
        when(client.isEnabled()).thenReturn(true);
        return client;
    }

    private static MeshBuffer tensor(MeshDevice mesh) {
        return MeshBuffer.create(new MeshBufferConfig.Replicated(8192),
                DeviceLocalBufferConfig.interleaved(2048, BufferType.DRAM), mesh);
    }

    @Test
    void seed002AfterReportsBackingAsDevice0AndEachChipOnceAndFreesEachOnce() {
        AllocationClient client = enabledClient();
        MeshDevice mesh = open(RuleSet.SEED_002_AFTER, client);
        MeshBuffer t = tensor(mesh);
        long address = t.address();
        verify(client, times(2)).reportAllocation(eq(0), eq(8192L), eq(BufferType.DRAM), eq(address));
        verify(client, times(1)).reportAllocation(eq(1), eq(8192L), eq(BufferType.DRAM), eq(address));
        t.deallocate();
        t.release();
        verify(client, times(2)).reportDeallocation(0, address);
        verify(client, times(1)).reportDeallocation(1, address);
    }

    @Test
    void seed001SkipsMeshDeviceBuffers() {
        AllocationClient client = enabledClient();
        MeshDevice mesh = open(RuleSet.SEED_001_AFTER, client);
        MeshBuffer t = tensor(mesh);
        verify(client, times(1)).reportAllocation(eq(0), anyLong(), eq(BufferType.DRAM), eq(t.address()));
        t.deallocate();
        verify(client, times(1)).reportDeallocation(0, t.address());
    }

    @Test
    void seed003FirstAttemptFreesOnlyTheOwningBackingBuffer() {
        AllocationClient client = enabledClient();
        MeshDevice mesh = open(RuleSet.SEED_003_FIRST_ATTEMPT, client);
        MeshBuffer t = tensor(mesh);
        t.deallocate();
        t.release();
        verify(client, times(1)).reportDeallocation(anyInt(), anyLong());
    }

    @Test
    void aDisabledClientIsNeverAskedToReport() {
        AllocationClient client = mock(AllocationClient.class);
        when(client.isEnabled()).thenReturn(false);
        MeshDevice mesh = open(RuleSet.SEED_002_AFTER, client);
        MeshBuffer t = tensor(mesh);
        t.deallocate();
        verify(client, never()).reportAllocation(anyInt(), anyLong(), eq(BufferType.DRAM), anyLong());
        verify(client, never()).reportDeallocation(anyInt(), anyLong());
    }

    @Test
    void seed001ReportsEachChipsCopyOnItsOwnChipAndNeverTheMeshBuffer() {
        AllocationClient client = enabledClient();
        MeshDevice mesh = open(RuleSet.SEED_001_AFTER, client);
        MeshBuffer t = tensor(mesh);
        verify(client).reportAllocation(0, 8192L, BufferType.DRAM, t.address());
        verify(client).reportAllocation(1, 8192L, BufferType.DRAM, t.address());
        verify(client, times(2)).reportAllocation(anyInt(), anyLong(), any(), anyLong());
    }

    @Test
    void circularBuffersAreReportedOnlyWhereTheRuleSetSaysSo() {
        // seed 004 (graph_tracking.cpp at 83d21905): one L1 ALLOC per CB as the program's device, FREE when the
        // program goes; with CB reporting off the same program reaches the client not at all
        AllocationClient seed004 = enabledClient();
        MeshDevice mesh = open(RuleSet.SEED_004, seed004);
        mesh.programCache().run(ProgramChoice.CB_ONLY.spec(), List.of());
        mesh.disableAndClearProgramCache();
        verify(seed004).reportAllocation(eq(0), eq(2048L), eq(BufferType.L1), anyLong());
        verify(seed004).reportDeallocation(eq(0), anyLong());

        AllocationClient silent = enabledClient();
        MeshDevice quiet = open(RuleSet.SEED_004.with(CircularBufferReporting.NONE), silent);
        quiet.programCache().run(ProgramChoice.CB_ONLY.spec(), List.of());
        quiet.disableAndClearProgramCache();
        verify(silent, never()).reportAllocation(anyInt(), anyLong(), any(), anyLong());
        verify(silent, never()).reportDeallocation(anyInt(), anyLong());
    }
}
