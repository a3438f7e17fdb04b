package io.github.meshalloc.tracking;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocationReporter;
import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.allocator.MetalContext;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One simulated process using tt-metal: its GraphTracker, AllocationClient, id counters, rule set and
 * the meshes it opened.
 *
 * <p>Stands for a Python or C++ process linked against the seeds' fork of {@code libtt_metal}: its
 * singletons ({@code MetalContext}, {@code GraphTracker}, {@code AllocationClient}) are this object's
 * fields. Two processes may open the same chips; each gets its own allocators, as in real life.
 */
public final class SimulatedProcess {
    private final Host host;
    private final int pid;
    private final RuleSet rules;
    private final GraphTracker graphTracker = new GraphTracker();
    private final AllocationClient client;
    private final MetalContext context;
    private final List<MeshDevice> meshes = new ArrayList<>();
    private boolean alive = true;

    SimulatedProcess(Host host, int pid, RuleSet rules, Map<String, String> environment) {
        this.host = host;
        this.pid = pid;
        this.rules = Preconditions.checkNotNull(rules, "rules");
        this.client = new AllocationClient(pid, environment, host.link(), host::nextStep);
        if (rules.allocationClient()) {
            graphTracker.pushProcessor(new ForkReportingProcessor(client, rules));
        }
        AllocationReporter reporter = rules.allocationClient() ? client : AllocationReporter.NOOP;
        this.context = new MetalContext(rules.core(), graphTracker, reporter);
    }

    /** Models {@code ttnn.open_mesh_device(...)} with the given mesh config. */
    public MeshDevice openMesh(MeshDeviceConfig config) {
        Preconditions.checkState(alive, "process %s was killed", pid);
        MeshDevice mesh = MeshDevice.open(config, context, rules.mesh());
        meshes.add(mesh);
        return mesh;
    }

    /** A convenience: a mesh of the given shape with {@code chipConfig} and the default placement. */
    public MeshDevice openMesh(io.github.meshalloc.mesh.MeshShape shape, AllocatorConfig chipConfig) {
        return openMesh(MeshDeviceConfig.of(shape, chipConfig));
    }

    /** The pid. */
    public int pid() {
        return pid;
    }

    /** The rule set (code state) this process runs. */
    public RuleSet rules() {
        return rules;
    }

    /** The process's context (pass it to Devices and Buffers it creates directly). */
    public MetalContext context() {
        return context;
    }

    /** The process's GraphTracker. */
    public GraphTracker graphTracker() {
        return graphTracker;
    }

    /** The process's AllocationClient. */
    public AllocationClient client() {
        return client;
    }

    /** Meshes opened by this process, in order. */
    public List<MeshDevice> meshes() {
        return List.copyOf(meshes);
    }

    /** Whether the process is running. */
    public boolean isAlive() {
        return alive;
    }

    void markKilled() {
        alive = false;
    }

    /** The host it runs on. */
    public Host host() {
        return host;
    }
}
