package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.TtFatalException;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.Host;
import io.github.meshalloc.tracking.DeviceMemory;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.TruthSnapshot;
import io.github.meshalloc.tracking.ops.SessionModel.HandleKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A running test script against one code state: a simulated host (server + processes), the meshes its processes
 * opened and the named handles it holds, with the light {@link SessionModel} preconditions read.
 *
 * <p>Stands for a Python session driving ttnn on a host where {@code allocation_server_poc} runs. It starts with one
 * process, {@code p0}, and the server up. {@link #apply(Op)} runs one operation as one step (1-based) and records it;
 * a modelled tt-metal error ({@code TtFatalException}: out of memory, a circular-buffer clash, a refused sub-device
 * switch) is an outcome of the step, as an exception in the script would be, and leaves the model unchanged.
 *
 * <p>The session keeps every allocator of every mesh and chip it opened ({@link DeviceMemory}), so that memory left
 * behind after a close can still be found. With {@code recordProvenance}, it also records which step made each tracker call, to
 * name causes in {@link #report()}.
 */
public final class Session {

    /**
     * One applied step.
     *
     * @param index  1-based step number
     * @param op     the operation
     * @param raised the modelled tt-metal error it raised, if any
     */
    public record Step(int index, Op op, Optional<String> raised) {
        /** The step as one numbered line. */
        @Override
        public String toString() {
            return String.format("%3d. %s%s", index, op, raised.map(r -> "  -> raised: " + r).orElse(""));
        }
    }

    /** The process every session starts with. */
    public static final String FIRST_PROCESS = "p0";

    private final RuleSet rules;
    private final Catalog catalog;
    private final Host host;
    private final SessionModel model;
    private final Map<String, SimulatedProcess> processes = new LinkedHashMap<>();
    private final Map<String, MeshDevice> meshes = new LinkedHashMap<>();
    private final Map<String, Device> chips = new LinkedHashMap<>();
    private final Map<String, DeviceMemory> memories = new LinkedHashMap<>();
    private final Map<String, MeshBuffer> meshBuffers = new LinkedHashMap<>();
    private final Map<String, Buffer> chipBuffers = new LinkedHashMap<>();
    private final List<Step> steps = new ArrayList<>();
    private final SessionRecorder recorder;

    private Session(RuleSet rules, Catalog catalog, boolean recordProvenance) {
        this.rules = Preconditions.checkNotNull(rules, "rules");
        this.catalog = Preconditions.checkNotNull(catalog, "catalog");
        this.host = new Host(rules.serverVersion());
        this.model = new SessionModel(catalog.chipConfig());
        this.recorder = recordProvenance ? new SessionRecorder() : null;
        startProcess(FIRST_PROCESS);
    }

    /** A session running {@code rules} over the default catalog, process {@code p0} started, server up. */
    public static Session start(RuleSet rules) {
        return new Session(rules, Catalog.DEFAULT, false);
    }

    /** A session running {@code rules} over {@code catalog}. */
    public static Session start(RuleSet rules, Catalog catalog) {
        return new Session(rules, catalog, false);
    }

    /** A session that also records which step made each tracker call (slower; for reports). */
    public static Session startRecording(RuleSet rules, Catalog catalog) {
        return new Session(rules, catalog, true);
    }

    /**
     * Runs {@code op} as the next step.
     *
     * @return the step, with the tt-metal error it raised if any
     * @throws IllegalArgumentException if the op's precondition does not hold (illegal ops are never run)
     */
    public Step apply(Op op) {
        Preconditions.checkNotNull(op, "op");
        Preconditions.checkArgument(op.precondition(model), "operation '%s' is not legal in this state", op);
        int index = steps.size() + 1;
        if (recorder != null) {
            recorder.beginStep(index, op);
        }
        Optional<String> raised = Optional.empty();
        try {
            op.apply(this);
        } catch (TtFatalException e) {
            raised = Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        Step step = new Step(index, op, raised);
        steps.add(step);
        return step;
    }

    /** Applies every op in order; stops at none (errors are outcomes). */
    public List<Step> applyAll(List<? extends Op> ops) {
        List<Step> out = new ArrayList<>(ops.size());
        for (Op op : ops) {
            out.add(apply(op));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ views

    /** The code state this session runs. */
    public RuleSet rules() {
        return rules;
    }

    /** The argument domains. */
    public Catalog catalog() {
        return catalog;
    }

    /** The simulated host (server, processes). */
    public Host host() {
        return host;
    }

    /** What the script knows. */
    public SessionModel model() {
        return model;
    }

    /** Steps applied so far. */
    public List<Step> steps() {
        return List.copyOf(steps);
    }

    /** Number of steps applied. */
    public int stepCount() {
        return steps.size();
    }

    /** The allocators of every mesh and chip opened by a live process, open or closed, in open order. */
    public List<DeviceMemory> liveMemories() {
        List<DeviceMemory> out = new ArrayList<>(memories.size());
        for (Map.Entry<String, DeviceMemory> e : memories.entrySet()) {
            String owner = model.mesh(e.getKey()).map(SessionModel.MeshInfo::process)
                    .orElseGet(() -> model.chip(e.getKey()).orElseThrow().process());
            if (model.isAlive(owner)) {
                out.add(e.getValue());
            }
        }
        return out;
    }

    /** What device memory holds now (live processes only). */
    public TruthSnapshot truth() {
        return TruthSnapshot.read(liveMemories());
    }

    /** The server's view against the truth, with causes if this session records provenance. */
    public BalanceReport report() {
        return BalanceReport.compare(host.server(), truth(),
                recorder == null ? BalanceReport.Provenance.NONE : recorder);
    }

    /** The simulated process behind a process handle. */
    public SimulatedProcess process(String name) {
        return require(processes, name, "process");
    }

    /** The mesh behind a mesh handle. */
    public MeshDevice mesh(String name) {
        return require(meshes, name, "mesh");
    }

    /** The chip behind a single-chip handle. */
    public Device chip(String name) {
        return require(chips, name, "chip");
    }

    /** The MeshBuffer behind a tensor, view or pre-allocated handle. */
    public MeshBuffer meshBuffer(String name) {
        return require(meshBuffers, name, "mesh buffer");
    }

    /** The Buffer behind a single-chip buffer handle. */
    public Buffer chipBuffer(String name) {
        return require(chipBuffers, name, "single-chip buffer");
    }

    private static <T> T require(Map<String, T> map, String name, String what) {
        T value = map.get(name);
        Preconditions.checkArgument(value != null, "no %s named '%s'; known: %s", what, name, map.keySet());
        return value;
    }

    // ------------------------------------------------------------------------------------------------ for ops

    void startProcess(String name) {
        Preconditions.checkArgument(model.isFresh(name), "name %s is taken", name);
        SimulatedProcess process = host.startProcess(rules);
        if (recorder != null) {
            process.graphTracker().pushProcessor(recorder.processorFor(process.pid()));
        }
        processes.put(name, process);
        model.addProcess(name);
    }

    void exitProcess(String name, boolean killed) {
        host.killProcess(process(name).pid());
        model.endProcess(name);
        if (killed && host.isServerUp() && host.serverVersion().hasSweep()) {
            host.server().sweep(host.liveness());
        }
    }

    void registerMesh(String name, String process, MeshDevice device) {
        meshes.put(name, device);
        memories.put(name, DeviceMemory.capture(process(process).pid(), device));
        model.addMesh(name, process, device.shape());
    }

    void registerChip(String name, String process, Device device) {
        chips.put(name, device);
        memories.put(name, DeviceMemory.capture(process(process).pid(), device));
        model.addChip(name, process, device.id());
    }

    void subDeviceManagerLoaded(String mesh, boolean loaded) {
        if (loaded) {
            DeviceMemory memory = memories.get(mesh);
            memories.put(mesh, memory.merge(DeviceMemory.capture(memory.pid(), meshes.get(mesh))));
        }
        model.setSubDeviceManagerLoaded(mesh, loaded);
    }

    void registerMeshBuffer(String name, HandleKind kind, String mesh, MeshBuffer buffer, long pages) {
        meshBuffers.put(name, buffer);
        model.addHandle(name, kind, mesh, pages);
    }

    void registerChipBuffer(String name, String chip, Buffer buffer, long pages) {
        chipBuffers.put(name, buffer);
        model.addHandle(name, HandleKind.CHIP_BUFFER, chip, pages);
    }

    void release(String name) {
        Buffer chip = chipBuffers.get(name);
        if (chip != null) {
            chip.release();
        } else {
            meshBuffer(name).release();
        }
    }
}
