package io.github.meshalloc.examples.story;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Allocator;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferType;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.Program;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.scenario.MeshTestScenario;
import io.github.meshalloc.tracking.server.AllocationServer;
import io.github.meshalloc.tracking.server.DeviceCounters;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One run of {@code test_mesh_allocation.py} ({@link MeshTestScenario}) by one process, with the server's view and
 * the allocators' truth recorded after every step, and every mesh buffer named as the test names it.
 *
 * <p>Names come from the order the test creates things (allocation-server.md section 9): step 2 makes
 * {@code tensor1}, step 3 {@code tensor2}, step 4 {@code result_add} and the add program's kernel binary, step 5
 * {@code dist_a}, {@code dist_b}, {@code result_matmul} and the matmul binary.
 */
public final class MeshTestRun {

    private static final Map<Integer, List<String>> TENSOR_NAMES = Map.of(
            2, List.of("tensor1"), 3, List.of("tensor2"), 4, List.of("result_add"),
            5, List.of("dist_a", "dist_b", "result_matmul"));

    /**
     * What server and allocators hold after one step.
     *
     * @param step          the step just run (1..8)
     * @param counters      the server's counters of devices 0..7
     * @param active        "Active allocations" (live keys)
     * @param tally         ALLOC/FREE lines so far
     * @param meshDram      truth: DRAM bytes of the buffers the mesh allocator holds (each is on every chip);
     *                      0 once the mesh is closed
     * @param meshL1        truth: L1 bytes of the buffers the mesh allocator holds
     * @param meshBuffers   truth: buffers the mesh allocator holds
     * @param chipBytes     truth: bytes the chip allocators hold, all chips together
     * @param chipDram      truth: DRAM bytes each chip's own allocator holds, by device id 0..7
     * @param logSize       server log lines printed so far (the step's end in the event sequence)
     */
    public record Checkpoint(int step, List<DeviceCounters> counters, int active, ServerTally tally, long meshDram,
                             long meshL1, int meshBuffers, long chipBytes, List<Long> chipDram, int logSize) {

        /** Copies the lists. */
        public Checkpoint {
            counters = List.copyOf(counters);
            chipDram = List.copyOf(chipDram);
        }

        /** Truth: DRAM bytes on chip {@code device}: every mesh buffer's copy plus the chip allocator's own. */
        public long dramTruth(int device) {
            return meshDram + chipDram.get(device);
        }

        /** The counters of {@code device}. */
        public DeviceCounters device(int device) {
            return counters.get(device);
        }
    }

    private final RuleSet rules;
    private final Host host;
    private final SimulatedProcess process;
    private final MeshTestScenario scenario;
    private final Map<Integer, Checkpoint> checkpoints = new TreeMap<>();
    private final Map<String, MeshBuffer> named = new LinkedHashMap<>();
    private final Map<Long, String> names = new TreeMap<>();

    private MeshTestRun(Host host, RuleSet rules) {
        this.rules = rules;
        this.host = host;
        this.process = host.startProcess(rules);
        this.scenario = new MeshTestScenario(process);
    }

    /** A new host whose server runs {@code rules.serverVersion()}, and the test run there through {@code lastStep}. */
    public static MeshTestRun run(RuleSet rules, int lastStep) {
        Preconditions.checkNotNull(rules, "rules");
        return on(new Host(rules.serverVersion()), rules, lastStep);
    }

    /** The test run by a new process of {@code host} through {@code lastStep}. */
    public static MeshTestRun on(Host host, RuleSet rules, int lastStep) {
        Preconditions.checkNotNull(host, "host");
        Preconditions.checkNotNull(rules, "rules");
        MeshTestRun run = new MeshTestRun(host, rules);
        run.runThrough(lastStep);
        return run;
    }

    /** Runs the steps not run yet through {@code lastStep} (1..8), recording a checkpoint after each. */
    public MeshTestRun runThrough(int lastStep) {
        Preconditions.checkArgument(lastStep >= 1 && lastStep <= MeshTestScenario.STEPS, "step %s is outside 1..%s",
                lastStep, MeshTestScenario.STEPS);
        while (scenario.stepsDone() < lastStep) {
            int step = scenario.stepsDone() + 1;
            Set<MeshBuffer> before = liveMeshBuffers();
            scenario.runThrough(step);
            nameNewBuffers(step, before);
            checkpoints.put(step, checkpoint(step));
        }
        return this;
    }

    private Set<MeshBuffer> liveMeshBuffers() {
        Set<MeshBuffer> live = Collections.newSetFromMap(new IdentityHashMap<>());
        if (scenario.stepsDone() >= 1 && mesh().isInitialized()) {
            live.addAll(mesh().liveMeshBuffers());
        }
        return live;
    }

    private void nameNewBuffers(int step, Set<MeshBuffer> before) {
        if (!mesh().isInitialized()) {
            return;
        }
        Map<MeshBuffer, String> binaries = new IdentityHashMap<>();
        for (Program program : mesh().programCache().programs()) {
            program.kernelBinary().ifPresent(b -> binaries.put(b, program.spec().name() + " kernel binary"));
        }
        List<String> tensorNames = TENSOR_NAMES.getOrDefault(step, List.of());
        int next = 0;
        for (MeshBuffer buffer : mesh().liveMeshBuffers()) {
            if (before.contains(buffer)) {
                continue;
            }
            String name = binaries.containsKey(buffer) ? binaries.get(buffer)
                    : next < tensorNames.size() ? tensorNames.get(next++) : "buffer@" + buffer.address();
            named.put(name, buffer);
            names.put(buffer.address(), name);
        }
    }

    private Checkpoint checkpoint(int step) {
        AllocationServer server = host.server();
        List<DeviceCounters> counters = new ArrayList<>();
        for (int d = 0; d < AllocationServer.MAX_DEVICES; d++) {
            counters.add(server.counters(d));
        }
        long meshDram = 0;
        long meshL1 = 0;
        int meshBuffers = 0;
        long chipBytes = 0;
        Long[] chipDram = new Long[AllocationServer.MAX_DEVICES];
        java.util.Arrays.fill(chipDram, 0L);
        if (mesh().isInitialized()) {
            for (Buffer b : mesh().allocator().getAllocatedBuffers()) {
                meshBuffers++;
                if (b.bufferType() == BufferType.DRAM) {
                    meshDram += b.size();
                } else if (b.bufferType() == BufferType.L1) {
                    meshL1 += b.size();
                }
            }
            for (Device chip : mesh().devices()) {
                chipBytes += allocatedBytes(chip.allocator());
                if (chip.id() >= 0 && chip.id() < AllocationServer.MAX_DEVICES) {
                    chipDram[chip.id()] = chip.allocator().getAllocatedBuffers().stream()
                            .filter(b -> b.bufferType() == BufferType.DRAM).mapToLong(Buffer::size).sum();
                }
            }
        }
        return new Checkpoint(step, counters, server.activeAllocations(), ServerTally.of(server), meshDram, meshL1,
                meshBuffers, chipBytes, List.of(chipDram), server.log().size());
    }

    private static long allocatedBytes(Allocator allocator) {
        long sum = 0;
        for (Buffer b : allocator.getAllocatedBuffers()) {
            sum += b.size();
        }
        return sum;
    }

    /**
     * The checkpoint after {@code step}.
     *
     * @throws IllegalArgumentException if that step has not run
     */
    public Checkpoint at(int step) {
        Checkpoint c = checkpoints.get(step);
        Preconditions.checkArgument(c != null, "step %s has not run; run through %s", step, scenario.stepsDone());
        return c;
    }

    /** The rule set. */
    public RuleSet rules() {
        return rules;
    }

    /** The host (server and processes). */
    public Host host() {
        return host;
    }

    /** The server the process reports to. */
    public AllocationServer server() {
        return host.server();
    }

    /** The process running the test. */
    public SimulatedProcess process() {
        return process;
    }

    /** The mesh (after step 1). */
    public MeshDevice mesh() {
        return scenario.mesh();
    }

    /** Mesh buffers by the test's names, in creation order. */
    public Map<String, MeshBuffer> named() {
        return Collections.unmodifiableMap(named);
    }

    /** The test's name for the buffer at {@code address}, or {@code buffer@address}. */
    public String nameOf(long address) {
        return names.getOrDefault(address, "buffer@" + address);
    }

    /** Whether the buffer at {@code address} is a program's kernel binary. */
    public boolean isKernelBinary(long address) {
        return nameOf(address).endsWith("kernel binary");
    }
}
