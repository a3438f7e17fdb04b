package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.ops.SessionModel.HandleInfo;
import io.github.meshalloc.tracking.ops.SessionModel.HandleKind;
import io.github.meshalloc.tracking.ops.SessionModel.MeshInfo;
import io.github.meshalloc.tracking.ops.SessionModel.ProcessInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every legal operation of a kind in a given state: the one place generators (the explorer's and jqwik's) draw from.
 *
 * <p>Lists are ordered simplest first (smaller meshes, simpler tensors, no keep-alive before keep-alive), so that a
 * generator that shrinks toward the front of a list shrinks toward simple scripts. New handles take the next free
 * name of their prefix: {@code p} processes, {@code m} meshes, {@code d} single chips, {@code t} tensors, {@code v} views, {@code a}
 * pre-allocated buffers, {@code b} single-chip buffers. Every listed op satisfies its own precondition.
 *
 * @param catalog the argument domains
 */
public record OpSpace(Catalog catalog) {

    public OpSpace {
        Preconditions.checkNotNull(catalog, "catalog");
    }

    /** Whether {@code kind} has at least one legal operation in {@code model} (cheaper than listing them). */
    public boolean possible(OpKind kind, SessionModel model) {
        switch (kind) {
            case OPEN_MESH:
                if (!model.openMeshes().isEmpty() || !anyLiveProcess(model)) {
                    return false;
                }
                for (MeshShape shape : catalog.meshShapes()) {
                    if (chipsFree(model, shape)) {
                        return true;
                    }
                }
                return false;
            case OPEN_CHIP:
                if (!anyLiveProcess(model)) {
                    return false;
                }
                for (int chip : catalog.singleChips()) {
                    if (!model.chipsInUse().contains(chip)) {
                        return true;
                    }
                }
                return false;
            case CLOSE_CHIP:
            case CREATE_CHIP_BUFFER:
                return !model.openChips().isEmpty();
            case CREATE_TENSOR:
            case RUN_PROGRAM:
            case CLEAR_PROGRAM_CACHE:
            case CLOSE_MESH:
                return !model.openMeshes().isEmpty();
            case LOAD_SUB_DEVICE_MANAGER:
                if (catalog.subDeviceL1Sizes().isEmpty()) {
                    return false;
                }
                for (MeshInfo m : model.openMeshes()) {
                    if (!m.subDeviceManagerLoaded()) {
                        return true;
                    }
                }
                return false;
            case CLEAR_SUB_DEVICE_MANAGER:
                for (MeshInfo m : model.openMeshes()) {
                    if (m.subDeviceManagerLoaded()) {
                        return true;
                    }
                }
                return false;
            case CREATE_VIEW:
                for (HandleInfo h : model.heldHandles()) {
                    if (viewable(model, h)) {
                        return true;
                    }
                }
                return false;
            case CREATE_PREALLOCATED:
                for (HandleInfo h : model.heldHandles()) {
                    if (aliasable(model, h)) {
                        return true;
                    }
                }
                return false;
            case DEALLOCATE:
            case DROP:
                return !model.heldHandles().isEmpty();
            case START_PROCESS:
                return model.processCount() < catalog.maxProcesses();
            case END_PROCESS:
            case KILL_PROCESS:
                return anyLiveProcess(model);
            case STOP_SERVER:
            case RESTART_SERVER:
                return model.serverUp();
            case START_SERVER:
                return !model.serverUp();
            default:
                throw new AssertionError(kind);
        }
    }

    private static boolean anyLiveProcess(SessionModel model) {
        return model.anyLiveProcess();
    }

    private static boolean chipsFree(SessionModel model, MeshShape shape) {
        for (int chip : model.chipIdsOf(shape)) {
            if (model.chipsInUse().contains(chip)) {
                return false;
            }
        }
        return true;
    }

    private static boolean viewable(SessionModel model, HandleInfo h) {
        // A view of the whole buffer is the buffer itself (Buffer::view returns the same shared_ptr), which the
        // alias operation already covers; views are proper sub-regions, so the parent needs two pages or more.
        return h.kind() != HandleKind.CHIP_BUFFER && !h.deallocated() && model.isOpenMesh(h.owner()) && h.pages() > 1;
    }

    private static boolean aliasable(SessionModel model, HandleInfo h) {
        return h.kind() == HandleKind.TENSOR && !h.deallocated() && model.isOpenMesh(h.owner());
    }

    /** Every legal operation of {@code kind} in {@code model}, simplest first. */
    public List<Op> legal(OpKind kind, SessionModel model) {
        List<Op> out = new ArrayList<>();
        switch (kind) {
            case OPEN_MESH -> {
                if (model.openMeshes().isEmpty()) {
                    String mesh = model.nextName("m");
                    for (ProcessInfo p : model.processes()) {
                        if (p.alive()) {
                            for (MeshShape shape : catalog.meshShapes()) {
                                if (chipsFree(model, shape)) {
                                    out.add(new Op.OpenMesh(p.name(), mesh, shape));
                                }
                            }
                        }
                    }
                }
            }
            case CREATE_TENSOR -> {
                String name = model.nextName("t");
                for (MeshInfo m : model.openMeshes()) {
                    for (TensorChoice t : catalog.tensors()) {
                        if (!t.onSubDevice() || m.subDeviceManagerLoaded()) {
                            out.add(new Op.CreateTensor(m.name(), name, t));
                        }
                    }
                }
            }
            case OPEN_CHIP -> {
                String chip = model.nextName("d");
                for (ProcessInfo p : model.processes()) {
                    if (p.alive()) {
                        for (int id : catalog.singleChips()) {
                            if (!model.chipsInUse().contains(id)) {
                                out.add(new Op.OpenChip(p.name(), chip, id));
                            }
                        }
                    }
                }
            }
            case CLOSE_CHIP -> {
                for (SessionModel.ChipInfo c : model.openChips()) {
                    out.add(new Op.CloseChip(c.name()));
                }
            }
            case CREATE_CHIP_BUFFER -> {
                String name = model.nextName("b");
                for (SessionModel.ChipInfo c : model.openChips()) {
                    for (ChipBufferChoice b : catalog.chipBuffers()) {
                        out.add(new Op.CreateChipBuffer(c.name(), name, b));
                    }
                }
            }
            case CREATE_VIEW -> {
                String name = model.nextName("v");
                for (HandleInfo h : model.heldHandles()) {
                    if (viewable(model, h)) {
                        out.add(new Op.CreateView(h.name(), name, 0, 1));
                        out.add(new Op.CreateView(h.name(), name, 1, h.pages() - 1));
                    }
                }
            }
            case CREATE_PREALLOCATED -> {
                String name = model.nextName("a");
                for (HandleInfo h : model.heldHandles()) {
                    if (aliasable(model, h)) {
                        out.add(new Op.CreatePreallocated(h.name(), name));
                    }
                }
            }
            case DEALLOCATE -> {
                for (HandleInfo h : model.heldHandles()) {
                    out.add(new Op.Deallocate(h.name(), h.kind() == HandleKind.CHIP_BUFFER));
                }
            }
            case DROP -> {
                for (HandleInfo h : model.heldHandles()) {
                    out.add(new Op.Drop(h.name()));
                }
            }
            case RUN_PROGRAM -> {
                for (MeshInfo m : model.openMeshes()) {
                    for (ProgramChoice p : catalog.programs()) {
                        out.add(new Op.RunProgram(m.name(), p, Optional.empty()));
                    }
                    for (HandleInfo h : model.heldHandles()) {
                        if (h.owner().equals(m.name()) && !h.deallocated() && h.kind() == HandleKind.TENSOR) {
                            for (ProgramChoice p : catalog.programs()) {
                                out.add(new Op.RunProgram(m.name(), p, Optional.of(h.name())));
                            }
                        }
                    }
                }
            }
            case CLEAR_PROGRAM_CACHE -> {
                for (MeshInfo m : model.openMeshes()) {
                    out.add(new Op.ClearProgramCache(m.name()));
                }
            }
            case LOAD_SUB_DEVICE_MANAGER -> {
                for (MeshInfo m : model.openMeshes()) {
                    if (!m.subDeviceManagerLoaded()) {
                        for (long size : catalog.subDeviceL1Sizes()) {
                            out.add(new Op.LoadSubDeviceManager(m.name(), size));
                        }
                    }
                }
            }
            case CLEAR_SUB_DEVICE_MANAGER -> {
                for (MeshInfo m : model.openMeshes()) {
                    if (m.subDeviceManagerLoaded()) {
                        out.add(new Op.ClearSubDeviceManager(m.name()));
                    }
                }
            }
            case CLOSE_MESH -> {
                for (MeshInfo m : model.openMeshes()) {
                    out.add(new Op.CloseMesh(m.name()));
                }
            }
            case START_PROCESS -> {
                if (model.processes().size() < catalog.maxProcesses()) {
                    out.add(new Op.StartProcess(model.nextName("p")));
                }
            }
            case END_PROCESS -> {
                for (ProcessInfo p : model.processes()) {
                    if (p.alive()) {
                        out.add(new Op.EndProcess(p.name()));
                    }
                }
            }
            case KILL_PROCESS -> {
                for (ProcessInfo p : model.processes()) {
                    if (p.alive()) {
                        out.add(new Op.KillProcess(p.name()));
                    }
                }
            }
            case STOP_SERVER -> {
                if (model.serverUp()) {
                    out.add(new Op.StopServer());
                }
            }
            case START_SERVER -> {
                if (!model.serverUp()) {
                    out.add(new Op.StartServer());
                }
            }
            case RESTART_SERVER -> {
                if (model.serverUp()) {
                    out.add(new Op.RestartServer());
                }
            }
            default -> throw new AssertionError(kind);
        }
        return out;
    }

    /**
     * The operations that end the session cleanly: every live process ends (meshes closed, objects released), in
     * start order. The explorer appends them to every run so that "zero residual after close" is always checked.
     */
    public List<Op> teardown(SessionModel model) {
        List<Op> out = new ArrayList<>();
        for (ProcessInfo p : model.processes()) {
            if (p.alive()) {
                out.add(new Op.EndProcess(p.name()));
            }
        }
        return out;
    }
}
