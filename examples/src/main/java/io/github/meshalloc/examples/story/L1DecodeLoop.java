package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.mesh.CircularBufferAllocator;
import io.github.meshalloc.mesh.CircularBufferSpec;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.Program;
import io.github.meshalloc.mesh.ProgramSpec;
import io.github.meshalloc.mesh.ttnn.Shape;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.scenario.MeshTestScenario;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A small decode loop in L1, the shape of seed 003's failing run: each step puts an activation in L1, runs a cached
 * program with static circular buffers (which validates its CB region against the lowest L1 buffer), then
 * deallocates and drops the activation.
 *
 * <p>Stands for {@code decode_forward_text} calling {@code ttnn.linear}; the program, tensor shape and step count
 * are meshalloc's choices [I], not the seed's (the Llama model's programs are not in the references). L1 buffers are
 * placed top-down and CBs grow from the L1 base, so leaked activations creep down until they meet the CB region.
 */
public final class L1DecodeLoop {

    /** The program each step runs: 16 KiB of kernels and three 64 KiB CBs on the 8x8 grid. */
    public static final ProgramSpec LINEAR = new ProgramSpec("ttnn.linear", 16 * 1024,
            ProgramSpec.DEFAULT_BINARY_PAGE_SIZE, List.of(
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 64 * 1024),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 64 * 1024),
            CircularBufferSpec.local(CoreRangeSet.of(CoreRange.grid(8, 8)), 64 * 1024)));
    /** The activation: (1,1,1024,1024) bf16 tiles, replicated, interleaved over the 64 L1 banks (32 KiB each). */
    public static final Shape ACTIVATION = Shape.of(1, 1, 1024, 1024);
    /** Steps the story runs. */
    public static final int STEPS = 64;

    /**
     * What the loop did.
     *
     * @param rules        code state and server
     * @param stepsDone    steps that completed
     * @param failure      the fatal error that stopped the loop, if any
     * @param meshL1Held   truth after the loop: L1 bytes per chip the mesh allocator still holds
     * @param lowestL1     lowest occupied L1 address after the loop (or at the failure)
     * @param cbRegionEnd  end of the program's static CB region (0 if it never ran)
     * @param host         the host (server) the process reported to
     * @param mesh         the mesh, still open
     */
    public record Outcome(RuleSet rules, int stepsDone, Optional<String> failure, long meshL1Held,
                          OptionalLong lowestL1, long cbRegionEnd, Host host, MeshDevice mesh) {
    }

    private L1DecodeLoop() {
    }

    /** Runs up to {@code steps} decode steps under {@code rules} on a fresh host and 2x4 mesh; the mesh stays open. */
    public static Outcome run(RuleSet rules, int steps) {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkArgument(steps > 0, "steps %s must be positive", steps);
        Host host = new Host(rules.serverVersion());
        SimulatedProcess process = host.startProcess(rules);
        MeshDevice mesh = process.openMesh(MeshDeviceConfig.of(MeshTestScenario.SHAPE, MeshTestScenario.chipConfig()));
        int done = 0;
        Optional<String> failure = Optional.empty();
        long cbEnd = 0;
        OptionalLong lowestAtFailure = OptionalLong.empty();
        for (int step = 1; step <= steps; step++) {
            MeshBuffer activation = null;
            try {
                activation = Tensors.replicateInL1(mesh, ACTIVATION);
                Program program = mesh.programCache().run(LINEAR, List.of());
                cbEnd = cbRegionEnd(program);
            } catch (RuntimeException e) {
                failure = Optional.of("step " + step + ": " + e.getMessage());
                lowestAtFailure = mesh.lowestOccupiedComputeL1Address(List.of());
                if (activation != null) {
                    activation.deallocate();
                    activation.release();
                }
                break;
            }
            activation.deallocate();
            activation.release();
            done = step;
        }
        if (cbEnd == 0) {
            cbEnd = (mesh.allocator().getBaseAllocatorAddr(io.github.meshalloc.allocator.HalMemType.L1)
                    + LINEAR.circularBuffers().stream().mapToLong(CircularBufferSpec::size).sum());
        }
        long held = 0;
        for (Buffer b : mesh.allocator().getAllocatedBuffers()) {
            if (b.bufferType() == BufferType.L1) {
                held += b.size();
            }
        }
        OptionalLong lowest = failure.isPresent() ? lowestAtFailure : mesh.lowestOccupiedComputeL1Address(List.of());
        return new Outcome(rules, done, failure, held, lowest, cbEnd, host, mesh);
    }

    private static long cbRegionEnd(Program program) {
        long end = 0;
        for (CircularBufferAllocator a : program.circularBufferAllocators()) {
            end = Math.max(end, a.cbRegionEnd());
        }
        return end;
    }
}
