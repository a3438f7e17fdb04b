package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import io.github.meshalloc.allocator.BufferRegion;
import io.github.meshalloc.allocator.CoreCoord;
import io.github.meshalloc.allocator.CoreRange;
import io.github.meshalloc.allocator.CoreRangeSet;
import io.github.meshalloc.allocator.Device;
import io.github.meshalloc.allocator.SubDevice;
import io.github.meshalloc.allocator.SubDeviceManagerTracker;
import io.github.meshalloc.mesh.MeshBuffer;
import io.github.meshalloc.mesh.ttnn.DeviceLocalLayout;
import io.github.meshalloc.mesh.MeshDevice;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.SimulatedProcess;
import io.github.meshalloc.tracking.ops.SessionModel.HandleInfo;
import io.github.meshalloc.tracking.ops.SessionModel.HandleKind;
import io.github.meshalloc.tracking.ops.SessionModel.MeshInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/**
 * One runtime operation of a test script: the vocabulary meshalloc generates, shrinks, prints and replays.
 *
 * <p>Each record stands for one line of a ttnn (or tt-metal C++) program, with its arguments as data. Its
 * {@link #precondition} reads only the light {@link SessionModel} (what the script knows), so a generator never
 * produces an operation that would be illegal there and a shrinker can tell which operations still make sense after
 * others are removed. {@link #apply} runs it against a {@link Session}; a modelled runtime error (a
 * {@code TtFatalException}, e.g. out of memory or a circular-buffer clash) propagates and leaves the model unchanged.
 * {@link #toString()} is the operation as one readable line; {@link #toPython()} as a ttnn-style Python line, with
 * operations that have no Python API written as calls to a {@code repro} helper module.
 */
public sealed interface Op {

    /** Which kind of operation this is. */
    OpKind kind();

    /** Whether the operation is legal in the state {@code model} describes. */
    boolean precondition(SessionModel model);

    /**
     * Runs the operation and, if it succeeds, records its effect in the session's model.
     *
     * @throws io.github.meshalloc.allocator.TtFatalException for a modelled tt-metal error (the model is unchanged)
     */
    void apply(Session session);

    /** The operation as a ttnn-style Python line. */
    String toPython();

    /** Variants with simpler arguments, simplest first (for shrinking; preconditions are re-checked by the caller). */
    List<Op> simpler(Catalog catalog);

    /** The same operation with every handle name mapped by {@code rename}. */
    Op renamed(UnaryOperator<String> rename);

    /** The handle names the operation refers to or creates. */
    List<String> names();

    // ================================================================================================ meshes

    /**
     * Models {@code ttnn.open_mesh_device(ttnn.MeshShape(rows, cols))} in a process: every chip opened, then the mesh
     * allocator built (reference 9.1). Chips are used exclusively, as the driver allows one user of a chip at a time:
     * no live process may have a mesh open (every shape starts at chip 0) or one of its chips open on its own.
     *
     * @param process the process
     * @param mesh    the new mesh's name
     * @param shape   rows x columns
     */
    record OpenMesh(String process, String mesh, MeshShape shape) implements Op {
        public OpenMesh {
            Preconditions.checkNotNull(process, "process");
            Preconditions.checkNotNull(mesh, "mesh");
            Preconditions.checkNotNull(shape, "shape");
        }

        @Override
        public OpKind kind() {
            return OpKind.OPEN_MESH;
        }

        @Override
        public boolean precondition(SessionModel model) {
            if (!model.isAlive(process) || !model.isFresh(mesh) || !model.openMeshes().isEmpty()) {
                return false;
            }
            for (int chip : model.chipIdsOf(shape)) {
                if (model.chipsInUse().contains(chip)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void apply(Session session) {
            SimulatedProcess p = session.process(process);
            MeshDevice device = p.openMesh(MeshDeviceConfig.of(shape, session.catalog().chipConfig()));
            session.registerMesh(mesh, process, device);
        }

        @Override
        public String toPython() {
            return mesh + " = ttnn.open_mesh_device(ttnn.MeshShape(" + shape.rows() + ", " + shape.columns() + "))";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            if (!process.equals(Session.FIRST_PROCESS)) {
                out.add(new OpenMesh(Session.FIRST_PROCESS, mesh, shape));
            }
            for (MeshShape s : catalog.meshShapes()) {
                if (s.equals(shape)) {
                    break;
                }
                out.add(new OpenMesh(process, mesh, s));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new OpenMesh(rename.apply(process), rename.apply(mesh), shape);
        }

        @Override
        public List<String> names() {
            return List.of(process, mesh);
        }

        @Override
        public String toString() {
            return process + ": " + mesh + " = open_mesh_device(" + shape + ")";
        }
    }

    /**
     * Models {@code ttnn.close_mesh_device(mesh)} ({@code MeshDevice::close}, reference 12.3): program cache cleared,
     * sub-device managers destroyed with the code state's teardown, chips closed.
     *
     * @param mesh the mesh
     */
    record CloseMesh(String mesh) implements Op {
        public CloseMesh {
            Preconditions.checkNotNull(mesh, "mesh");
        }

        @Override
        public OpKind kind() {
            return OpKind.CLOSE_MESH;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenMesh(mesh);
        }

        @Override
        public void apply(Session session) {
            session.mesh(mesh).close();
            session.model().closeMesh(mesh);
        }

        @Override
        public String toPython() {
            return "ttnn.close_mesh_device(" + mesh + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CloseMesh(rename.apply(mesh));
        }

        @Override
        public List<String> names() {
            return List.of(mesh);
        }

        @Override
        public String toString() {
            return "close " + mesh;
        }
    }

    /**
     * Models {@code CreateDevice(chip_id)}: one chip opened on its own, with its own allocator (reference 8), as
     * single-chip programs and system buffers use it. The chip must not be in use by an open mesh or chip.
     *
     * @param process the process
     * @param chip    the new chip handle's name
     * @param chipId  the physical chip
     */
    record OpenChip(String process, String chip, int chipId) implements Op {
        public OpenChip {
            Preconditions.checkNotNull(process, "process");
            Preconditions.checkNotNull(chip, "chip");
            Preconditions.checkArgument(chipId >= 0, "chip id %s must not be negative", chipId);
        }

        @Override
        public OpKind kind() {
            return OpKind.OPEN_CHIP;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isAlive(process) && model.isFresh(chip) && !model.chipsInUse().contains(chipId);
        }

        @Override
        public void apply(Session session) {
            Device device = new Device(chipId, session.catalog().chipConfig(), session.process(process).context());
            device.initialize();
            session.registerChip(chip, process, device);
        }

        @Override
        public String toPython() {
            return chip + " = repro.create_device(" + chipId + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return process.equals(Session.FIRST_PROCESS) ? List.of()
                    : List.of(new OpenChip(Session.FIRST_PROCESS, chip, chipId));
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new OpenChip(rename.apply(process), rename.apply(chip), chipId);
        }

        @Override
        public List<String> names() {
            return List.of(process, chip);
        }

        @Override
        public String toString() {
            return process + ": " + chip + " = CreateDevice(" + chipId + ")";
        }
    }

    /**
     * Models {@code CloseDevice(chip)} ({@code Device::close}, reference 12.3).
     *
     * @param chip the chip handle
     */
    record CloseChip(String chip) implements Op {
        public CloseChip {
            Preconditions.checkNotNull(chip, "chip");
        }

        @Override
        public OpKind kind() {
            return OpKind.CLOSE_CHIP;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenChip(chip);
        }

        @Override
        public void apply(Session session) {
            session.chip(chip).close();
            session.model().closeChip(chip);
        }

        @Override
        public String toPython() {
            return "repro.close_device(" + chip + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CloseChip(rename.apply(chip));
        }

        @Override
        public List<String> names() {
            return List.of(chip);
        }

        @Override
        public String toString() {
            return "close " + chip;
        }
    }

    // ================================================================================================ buffers

    /**
     * Models {@code ttnn.from_torch(..., device=mesh, memory_config=..., mesh_mapper=...)}: one MeshBuffer owning a
     * backing buffer in the mesh allocator and a per-chip buffer at its address on every chip (reference 9.3).
     *
     * @param mesh   the mesh
     * @param name   the tensor's name
     * @param tensor shape, memory config and mapper
     */
    record CreateTensor(String mesh, String name, TensorChoice tensor) implements Op {
        public CreateTensor {
            Preconditions.checkNotNull(mesh, "mesh");
            Preconditions.checkNotNull(name, "name");
            Preconditions.checkNotNull(tensor, "tensor");
        }

        @Override
        public OpKind kind() {
            return OpKind.CREATE_TENSOR;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenMesh(mesh) && model.isFresh(name)
                    && (!tensor.onSubDevice() || model.mesh(mesh).orElseThrow().subDeviceManagerLoaded());
        }

        @Override
        public void apply(Session session) {
            MeshDevice device = session.mesh(mesh);
            DeviceLocalLayout local = tensor.layout(device.shape()); // computed once for both uses
            MeshBuffer buffer = tensor.create(device, local);
            session.registerMeshBuffer(name, HandleKind.TENSOR, mesh, buffer, TensorChoice.pages(local));
        }

        @Override
        public String toPython() {
            if (tensor.onSubDevice()) {
                return name + " = repro.tensor_on_sub_device(" + mesh + ", " + tensor.pythonShape() + ", "
                        + tensor.pythonMemoryConfig() + ", sub_device_id=0)";
            }
            String mapper = tensor.shardedOverMesh()
                    ? "ttnn.ShardTensor2dMesh(" + mesh + ", dims=(0, 1), mesh_shape=" + mesh + ".shape)"
                    : "ttnn.ReplicateTensorToMesh(" + mesh + ")";
            return name + " = ttnn.from_torch(torch.zeros(" + tensor.pythonShape()
                    + ", dtype=torch.bfloat16), dtype=ttnn.bfloat16, layout=ttnn.TILE_LAYOUT, device=" + mesh
                    + ", memory_config=" + tensor.pythonMemoryConfig() + ", mesh_mapper=" + mapper + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            for (TensorChoice t : catalog.tensors()) {
                if (t.equals(tensor)) {
                    break;
                }
                out.add(new CreateTensor(mesh, name, t));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CreateTensor(rename.apply(mesh), rename.apply(name), tensor);
        }

        @Override
        public List<String> names() {
            return List.of(mesh, name);
        }

        @Override
        public String toString() {
            return mesh + ": " + name + " = tensor " + tensor.name() + " " + tensor.pythonShape()
                    + (tensor.onSubDevice() ? " on sub-device 0" : "");
        }
    }

    /**
     * Models {@code CreateBuffer(InterleavedBufferConfig{chip, size, page_size, type})} on a chip opened on its own: a
     * buffer in that chip's allocator (reference 8.3).
     *
     * @param chip   the single chip
     * @param name   the buffer's name
     * @param buffer type and pages
     */
    record CreateChipBuffer(String chip, String name, ChipBufferChoice buffer) implements Op {
        public CreateChipBuffer {
            Preconditions.checkNotNull(chip, "chip");
            Preconditions.checkNotNull(name, "name");
            Preconditions.checkNotNull(buffer, "buffer");
        }

        @Override
        public OpKind kind() {
            return OpKind.CREATE_CHIP_BUFFER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenChip(chip) && model.isFresh(name);
        }

        @Override
        public void apply(Session session) {
            Buffer b = Buffer.create(session.chip(chip), buffer.size(), ChipBufferChoice.PAGE, buffer.type());
            session.registerChipBuffer(name, chip, b, buffer.pages());
        }

        @Override
        public String toPython() {
            return name + " = repro.create_buffer(" + chip + ", size=" + buffer.size() + ", page_size="
                    + ChipBufferChoice.PAGE + ", buffer_type=ttnn.BufferType." + buffer.type() + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            for (ChipBufferChoice c : catalog.chipBuffers()) {
                if (c.equals(buffer)) {
                    break;
                }
                out.add(new CreateChipBuffer(chip, name, c));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CreateChipBuffer(rename.apply(chip), rename.apply(name), buffer);
        }

        @Override
        public List<String> names() {
            return List.of(chip, name);
        }

        @Override
        public String toString() {
            return chip + ": " + name + " = buffer " + buffer.name();
        }
    }

    /**
     * Models {@code MeshBuffer::view(region)}: per-chip views at the parent's address that keep the parent alive; a
     * whole-buffer region gives each chip's buffer itself (one more reference) instead of a new Buffer.
     *
     * @param parent the viewed mesh buffer
     * @param name   the view's name
     * @param offset first page of the region
     * @param pages  pages in the region
     */
    record CreateView(String parent, String name, long offset, long pages) implements Op {
        public CreateView {
            Preconditions.checkNotNull(parent, "parent");
            Preconditions.checkNotNull(name, "name");
            Preconditions.checkArgument(offset >= 0 && pages > 0, "region [%s, +%s) must be non-empty", offset, pages);
        }

        @Override
        public OpKind kind() {
            return OpKind.CREATE_VIEW;
        }

        @Override
        public boolean precondition(SessionModel model) {
            Optional<HandleInfo> p = model.handle(parent);
            return model.isFresh(name) && p.isPresent() && model.isHeld(parent) && !p.get().deallocated()
                    && p.get().kind() != HandleKind.CHIP_BUFFER && model.isOpenMesh(p.get().owner())
                    && offset + pages <= p.get().pages() && pages < p.get().pages();
        }

        @Override
        public void apply(Session session) {
            MeshBuffer view = session.meshBuffer(parent).view(
                    new BufferRegion(offset * TensorChoice.PAGE, pages * TensorChoice.PAGE));
            session.registerMeshBuffer(name, HandleKind.VIEW, session.model().handle(parent).orElseThrow().owner(),
                    view, pages);
        }

        @Override
        public String toPython() {
            return name + " = repro.view(" + parent + ", offset=" + offset * TensorChoice.PAGE + ", size="
                    + pages * TensorChoice.PAGE + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            if (offset != 0) {
                out.add(new CreateView(parent, name, 0, pages));
            }
            if (pages != 1) {
                out.add(new CreateView(parent, name, offset, 1));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CreateView(rename.apply(parent), rename.apply(name), offset, pages);
        }

        @Override
        public List<String> names() {
            return List.of(parent, name);
        }

        @Override
        public String toString() {
            return name + " = view of " + parent + " pages [" + offset + ", " + (offset + pages) + ")";
        }
    }

    /**
     * Models {@code MeshBuffer::create(config, local_config, mesh, address)} at another tensor's address: an
     * externally owned MeshBuffer whose per-chip buffers alias the target's memory and allocate nothing.
     *
     * @param target the tensor whose address is used
     * @param name   the new buffer's name
     */
    record CreatePreallocated(String target, String name) implements Op {
        public CreatePreallocated {
            Preconditions.checkNotNull(target, "target");
            Preconditions.checkNotNull(name, "name");
        }

        @Override
        public OpKind kind() {
            return OpKind.CREATE_PREALLOCATED;
        }

        @Override
        public boolean precondition(SessionModel model) {
            Optional<HandleInfo> t = model.handle(target);
            return model.isFresh(name) && t.isPresent() && model.isHeld(target) && !t.get().deallocated()
                    && t.get().kind() == HandleKind.TENSOR && model.isOpenMesh(t.get().owner());
        }

        @Override
        public void apply(Session session) {
            MeshBuffer t = session.meshBuffer(target);
            MeshBuffer alias = MeshBuffer.create(t.globalConfig(), t.deviceLocalConfig(), t.device(),
                    OptionalLong.of(t.address()));
            HandleInfo info = session.model().handle(target).orElseThrow();
            session.registerMeshBuffer(name, HandleKind.PREALLOCATED, info.owner(), alias, info.pages());
        }

        @Override
        public String toPython() {
            return name + " = repro.mesh_buffer_at(" + target + ".buffer_address(), like=" + target + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new CreatePreallocated(rename.apply(target), rename.apply(name));
        }

        @Override
        public List<String> names() {
            return List.of(target, name);
        }

        @Override
        public String toString() {
            return name + " = pre-allocated mesh buffer at " + target + "'s address";
        }
    }

    /**
     * Models {@code ttnn.deallocate(t)} ({@code MeshBuffer::deallocate}, the code state's rule) or, for a single-chip
     * buffer, {@code DeallocateBuffer(b)} ({@code Buffer::deallocate}). Deallocating twice is legal and a no-op in
     * the C++.
     *
     * @param name       the handle
     * @param singleChip whether the handle is a single-chip buffer (else a mesh buffer)
     */
    record Deallocate(String name, boolean singleChip) implements Op {
        public Deallocate {
            Preconditions.checkNotNull(name, "name");
        }

        @Override
        public OpKind kind() {
            return OpKind.DEALLOCATE;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isHeld(name)
                    && (model.handle(name).orElseThrow().kind() == HandleKind.CHIP_BUFFER) == singleChip;
        }

        @Override
        public void apply(Session session) {
            if (singleChip) {
                session.chipBuffer(name).deallocate();
            } else {
                session.meshBuffer(name).deallocate();
            }
            session.model().markDeallocated(name);
        }

        @Override
        public String toPython() {
            return singleChip ? "repro.deallocate_buffer(" + name + ")" : "ttnn.deallocate(" + name + ")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new Deallocate(rename.apply(name), singleChip);
        }

        @Override
        public List<String> names() {
            return List.of(name);
        }

        @Override
        public String toString() {
            return "deallocate " + name;
        }
    }

    /**
     * Models the script dropping its reference ({@code del t}, scope exit): {@code shared_ptr} release; the last
     * reference runs the destructor ({@code ~MeshBuffer} / {@code ~Buffer}).
     *
     * @param name the handle
     */
    record Drop(String name) implements Op {
        public Drop {
            Preconditions.checkNotNull(name, "name");
        }

        @Override
        public OpKind kind() {
            return OpKind.DROP;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isHeld(name);
        }

        @Override
        public void apply(Session session) {
            session.release(name);
            session.model().markDropped(name);
        }

        @Override
        public String toPython() {
            return "del " + name;
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new Drop(rename.apply(name));
        }

        @Override
        public List<String> names() {
            return List.of(name);
        }

        @Override
        public String toString() {
            return "drop " + name;
        }
    }

    // ================================================================================================ programs

    /**
     * Models running a ttnn op whose program the mesh's cache builds or reuses (reference 11): kernel binary loaded,
     * circular buffers allocated and validated against L1; a new program keeps {@code keepAlive}'s backing buffer in
     * its pool ({@code Program::add_buffer}).
     *
     * @param mesh      the mesh
     * @param program   which program
     * @param keepAlive a held, allocated tensor of the mesh, or empty
     */
    record RunProgram(String mesh, ProgramChoice program, Optional<String> keepAlive) implements Op {
        public RunProgram {
            Preconditions.checkNotNull(mesh, "mesh");
            Preconditions.checkNotNull(program, "program");
            Preconditions.checkNotNull(keepAlive, "keepAlive");
        }

        @Override
        public OpKind kind() {
            return OpKind.RUN_PROGRAM;
        }

        @Override
        public boolean precondition(SessionModel model) {
            if (!model.isOpenMesh(mesh)) {
                return false;
            }
            if (keepAlive.isEmpty()) {
                return true;
            }
            Optional<HandleInfo> k = model.handle(keepAlive.get());
            return k.isPresent() && model.isHeld(keepAlive.get()) && !k.get().deallocated()
                    && k.get().owner().equals(mesh) && k.get().kind() == HandleKind.TENSOR;
        }

        @Override
        public void apply(Session session) {
            List<Buffer> keep = new ArrayList<>();
            if (keepAlive.isPresent()) {
                keep.add(session.meshBuffer(keepAlive.get()).getBackingBuffer().orElseThrow());
            }
            session.mesh(mesh).programCache().run(program.spec(), keep);
        }

        @Override
        public String toPython() {
            return "repro.run_program(" + mesh + ", \"" + program.spec().name() + "\", keep_alive=["
                    + keepAlive.orElse("") + "])";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            if (keepAlive.isPresent()) {
                out.add(new RunProgram(mesh, program, Optional.empty()));
            }
            for (ProgramChoice p : catalog.programs()) {
                if (p.equals(program)) {
                    break;
                }
                out.add(new RunProgram(mesh, p, keepAlive));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new RunProgram(rename.apply(mesh), program, keepAlive.map(rename));
        }

        @Override
        public List<String> names() {
            return keepAlive.isPresent() ? List.of(mesh, keepAlive.get()) : List.of(mesh);
        }

        @Override
        public String toString() {
            return mesh + ": run " + program.name() + keepAlive.map(k -> " keeping " + k + " alive").orElse("");
        }
    }

    /**
     * Models {@code mesh.disable_and_clear_program_cache()}: every cached program destroyed (CBs freed, buffer pool
     * released per the code state, kernel binaries dropped); later programs are not cached.
     *
     * @param mesh the mesh
     */
    record ClearProgramCache(String mesh) implements Op {
        public ClearProgramCache {
            Preconditions.checkNotNull(mesh, "mesh");
        }

        @Override
        public OpKind kind() {
            return OpKind.CLEAR_PROGRAM_CACHE;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenMesh(mesh);
        }

        @Override
        public void apply(Session session) {
            session.mesh(mesh).disableAndClearProgramCache();
        }

        @Override
        public String toPython() {
            return mesh + ".disable_and_clear_program_cache()";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new ClearProgramCache(rename.apply(mesh));
        }

        @Override
        public List<String> names() {
            return List.of(mesh);
        }

        @Override
        public String toString() {
            return mesh + ": disable_and_clear_program_cache()";
        }
    }

    // ================================================================================================ sub-devices

    /**
     * Models {@code mesh.create_sub_device_manager([left half, right half], local_l1_size)} followed by
     * {@code mesh.load_sub_device_manager(id)} (reference 12.1-12.2): two sub-devices splitting the compute grid
     * into its left and right halves, each with a local L1 allocator; the mesh's global L1 shrinks from the bottom.
     *
     * @param mesh        the mesh
     * @param localL1Size local L1 size per sub-device
     */
    record LoadSubDeviceManager(String mesh, long localL1Size) implements Op {
        public LoadSubDeviceManager {
            Preconditions.checkNotNull(mesh, "mesh");
            Preconditions.checkArgument(localL1Size > 0, "local L1 size %s must be positive", localL1Size);
        }

        @Override
        public OpKind kind() {
            return OpKind.LOAD_SUB_DEVICE_MANAGER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenMesh(mesh) && !model.mesh(mesh).orElseThrow().subDeviceManagerLoaded();
        }

        @Override
        public void apply(Session session) {
            MeshDevice device = session.mesh(mesh);
            CoreRange grid = device.config().chipConfig().computeGrid().ranges().get(0);
            int split = grid.start().x() + (grid.end().x() - grid.start().x() + 1) / 2;
            SubDevice left = new SubDevice(CoreRangeSet.of(new CoreRange(grid.start(),
                    new CoreCoord(split - 1, grid.end().y()))));
            SubDevice right = new SubDevice(CoreRangeSet.of(new CoreRange(new CoreCoord(split, grid.start().y()),
                    grid.end())));
            SubDeviceManagerTracker tracker = device.subDeviceManagerTracker();
            long id = tracker.createSubDeviceManager(List.of(left, right), localL1Size);
            tracker.loadSubDeviceManager(id);
            session.subDeviceManagerLoaded(mesh, true);
        }

        @Override
        public String toPython() {
            return "sdm = " + mesh + ".create_sub_device_manager(repro.halves(" + mesh + "), " + localL1Size + "); "
                    + mesh + ".load_sub_device_manager(sdm)";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            List<Op> out = new ArrayList<>();
            for (long size : catalog.subDeviceL1Sizes()) {
                if (size == localL1Size) {
                    break;
                }
                out.add(new LoadSubDeviceManager(mesh, size));
            }
            return out;
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new LoadSubDeviceManager(rename.apply(mesh), localL1Size);
        }

        @Override
        public List<String> names() {
            return List.of(mesh);
        }

        @Override
        public String toString() {
            return mesh + ": load sub-device manager (2 halves, " + localL1Size + " B local L1)";
        }
    }

    /**
     * Models {@code mesh.clear_loaded_sub_device_manager()}: the default manager is loaded again; refused (a
     * {@code TT_FATAL}) while a sub-device still has local allocations.
     *
     * @param mesh the mesh
     */
    record ClearSubDeviceManager(String mesh) implements Op {
        public ClearSubDeviceManager {
            Preconditions.checkNotNull(mesh, "mesh");
        }

        @Override
        public OpKind kind() {
            return OpKind.CLEAR_SUB_DEVICE_MANAGER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isOpenMesh(mesh) && model.mesh(mesh).orElseThrow().subDeviceManagerLoaded();
        }

        @Override
        public void apply(Session session) {
            session.mesh(mesh).subDeviceManagerTracker().clearLoadedSubDeviceManager();
            session.subDeviceManagerLoaded(mesh, false);
        }

        @Override
        public String toPython() {
            return mesh + ".clear_loaded_sub_device_manager()";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new ClearSubDeviceManager(rename.apply(mesh));
        }

        @Override
        public List<String> names() {
            return List.of(mesh);
        }

        @Override
        public String toString() {
            return mesh + ": clear loaded sub-device manager";
        }
    }

    // ================================================================================================ processes

    /**
     * Models starting another Python process with {@code TT_ALLOC_TRACKING_ENABLED=1} running the same code state
     * (a successive run of a test, or a second user of the host).
     *
     * @param process the new process's name
     */
    record StartProcess(String process) implements Op {
        public StartProcess {
            Preconditions.checkNotNull(process, "process");
        }

        @Override
        public OpKind kind() {
            return OpKind.START_PROCESS;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isFresh(process);
        }

        @Override
        public void apply(Session session) {
            session.startProcess(process);
        }

        @Override
        public String toPython() {
            return "repro.start_process(\"" + process + "\")";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new StartProcess(rename.apply(process));
        }

        @Override
        public List<String> names() {
            return List.of(process);
        }

        @Override
        public String toString() {
            return "start process " + process;
        }
    }

    /**
     * Models a script's normal end: its open meshes and chips are closed ({@code MeshDevice}'s destructor closes), then every
     * object it still holds is released in creation order, then the process exits. The server learns of the exit
     * only through a later sweep.
     *
     * @param process the process
     */
    record EndProcess(String process) implements Op {
        public EndProcess {
            Preconditions.checkNotNull(process, "process");
        }

        @Override
        public OpKind kind() {
            return OpKind.END_PROCESS;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isAlive(process);
        }

        @Override
        public void apply(Session session) {
            SessionModel model = session.model();
            for (MeshInfo m : model.meshes()) {
                if (m.process().equals(process) && m.open()) {
                    session.mesh(m.name()).close();
                    model.closeMesh(m.name());
                }
            }
            for (SessionModel.ChipInfo c : model.chips()) {
                if (c.process().equals(process) && c.open()) {
                    session.chip(c.name()).close();
                    model.closeChip(c.name());
                }
            }
            for (HandleInfo h : model.heldHandles()) {
                if (model.processOf(h).equals(process)) {
                    session.release(h.name());
                    model.markDropped(h.name());
                }
            }
            session.exitProcess(process, false);
        }

        @Override
        public String toPython() {
            return "repro.end_process(\"" + process + "\")  # devices closed, objects released, interpreter exits";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new EndProcess(rename.apply(process));
        }

        @Override
        public List<String> names() {
            return List.of(process);
        }

        @Override
        public String toString() {
            return process + " ends (devices closed, objects released)";
        }
    }

    /**
     * Models {@code kill -9}: the process stops at once, reporting nothing more; its device memory goes with it.
     * Then the server's dead-process sweep runs (reference 3.6), if it has one and is up.
     *
     * @param process the process
     */
    record KillProcess(String process) implements Op {
        public KillProcess {
            Preconditions.checkNotNull(process, "process");
        }

        @Override
        public OpKind kind() {
            return OpKind.KILL_PROCESS;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.isAlive(process);
        }

        @Override
        public void apply(Session session) {
            session.exitProcess(process, true);
        }

        @Override
        public String toPython() {
            return "repro.kill_process(\"" + process + "\")  # SIGKILL, then the server's sweep";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return new KillProcess(rename.apply(process));
        }

        @Override
        public List<String> names() {
            return List.of(process);
        }

        @Override
        public String toString() {
            return "kill " + process + " (server sweeps)";
        }
    }

    // ================================================================================================ server

    /** Models stopping {@code allocation_server_poc}: clients drop their messages while it is down. */
    record StopServer() implements Op {
        @Override
        public OpKind kind() {
            return OpKind.STOP_SERVER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.serverUp();
        }

        @Override
        public void apply(Session session) {
            session.host().stopServer();
            session.model().setServerUp(false);
        }

        @Override
        public String toPython() {
            return "repro.stop_server()";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return this;
        }

        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public String toString() {
            return "stop the allocation server";
        }
    }

    /** Models starting the server (again), late: it starts with an empty registry. */
    record StartServer() implements Op {
        @Override
        public OpKind kind() {
            return OpKind.START_SERVER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return !model.serverUp();
        }

        @Override
        public void apply(Session session) {
            session.host().restartServer();
            session.model().setServerUp(true);
        }

        @Override
        public String toPython() {
            return "repro.start_server()";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return this;
        }

        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public String toString() {
            return "start the allocation server (empty)";
        }
    }

    /** Models restarting a running server mid-run: its registry is lost. */
    record RestartServer() implements Op {
        @Override
        public OpKind kind() {
            return OpKind.RESTART_SERVER;
        }

        @Override
        public boolean precondition(SessionModel model) {
            return model.serverUp();
        }

        @Override
        public void apply(Session session) {
            session.host().restartServer();
        }

        @Override
        public String toPython() {
            return "repro.restart_server()";
        }

        @Override
        public List<Op> simpler(Catalog catalog) {
            return List.of();
        }

        @Override
        public Op renamed(UnaryOperator<String> rename) {
            return this;
        }

        @Override
        public List<String> names() {
            return List.of();
        }

        @Override
        public String toString() {
            return "restart the allocation server (state lost)";
        }
    }
}
