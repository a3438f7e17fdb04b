package io.github.meshalloc.tracking.ops;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.AllocatorConfig;
import io.github.meshalloc.mesh.MeshDeviceConfig;
import io.github.meshalloc.mesh.MeshShape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The light model of a session that operations' preconditions read: which processes live, which meshes and single
 * chips are open on which chips, which named handles exist and what state they are in, and whether the server is up.
 *
 * <p>Stands for what a test author knows about the Python script at a given line (which variables hold what), not for
 * the simulation's internals. Only a {@link Session} changes it, as each operation succeeds; iteration is in creation
 * order.
 */
public final class SessionModel {

    /** A process. @param name its handle @param alive whether it runs */
    public record ProcessInfo(String name, boolean alive) {
    }

    /**
     * A mesh.
     *
     * @param name                   its handle
     * @param process                the process that opened it
     * @param shape                  rows x columns
     * @param open                   whether it is open
     * @param subDeviceManagerLoaded whether a sub-device manager of this session's making is loaded
     */
    public record MeshInfo(String name, String process, MeshShape shape, boolean open, boolean subDeviceManagerLoaded) {
    }

    /**
     * A chip opened on its own.
     *
     * @param name    its handle
     * @param process the process that opened it
     * @param chipId  physical chip id
     * @param open    whether it is open
     */
    public record ChipInfo(String name, String process, int chipId, boolean open) {
    }

    /** What a buffer handle holds. */
    public enum HandleKind {
        /** A tensor: a MeshBuffer that owns a backing buffer in the mesh allocator. */
        TENSOR,
        /** A MeshBuffer view of a region of another mesh buffer (keeps its parent alive). */
        VIEW,
        /** An externally owned MeshBuffer at another tensor's address (allocates nothing). */
        PREALLOCATED,
        /** A Buffer in the allocator of a chip opened on its own. */
        CHIP_BUFFER
    }

    /**
     * A named buffer handle (one reference held by the script).
     *
     * @param name        its name
     * @param kind        what it holds
     * @param owner       the mesh (or, for a single-chip buffer, the chip) it lives on
     * @param pages       pages per chip (2 KiB each)
     * @param deallocated whether it was explicitly deallocated
     * @param dropped     whether the script dropped its reference
     */
    public record HandleInfo(String name, HandleKind kind, String owner, long pages, boolean deallocated,
                             boolean dropped) {
    }

    private final Map<String, ProcessInfo> processes = new LinkedHashMap<>();
    private final Map<String, MeshInfo> meshes = new LinkedHashMap<>();
    private final Map<String, ChipInfo> chips = new LinkedHashMap<>();
    private final Map<MeshShape, List<Integer>> placements = new HashMap<>();
    private final AllocatorConfig chipConfig;
    private final Map<String, HandleInfo> handles = new LinkedHashMap<>();
    private final Map<String, Integer> nextIndex = new HashMap<>();
    private boolean serverUp = true;
    // Derived views, rebuilt on first use after a change (preconditions ask for them on every draw).
    private List<MeshInfo> openMeshesCache;
    private List<ChipInfo> openChipsCache;
    private List<HandleInfo> heldCache;
    private Set<Integer> chipsInUseCache;

    SessionModel(AllocatorConfig chipConfig) {
        this.chipConfig = chipConfig;
    }

    /** The physical chips a mesh of {@code shape} opens ({@code MeshDeviceConfig.of}'s placement). */
    public List<Integer> chipIdsOf(MeshShape shape) {
        return placements.computeIfAbsent(shape, s -> MeshDeviceConfig.of(s, chipConfig).physicalDeviceIds());
    }

    /** Chips in use by open meshes and open single chips of live processes. */
    public Set<Integer> chipsInUse() {
        if (chipsInUseCache == null) {
            Set<Integer> used = new HashSet<>();
            for (MeshInfo m : openMeshes()) {
                used.addAll(chipIdsOf(m.shape()));
            }
            for (ChipInfo c : openChips()) {
                used.add(c.chipId());
            }
            chipsInUseCache = Collections.unmodifiableSet(used);
        }
        return chipsInUseCache;
    }

    /** Every single chip ever opened, in open order. */
    public List<ChipInfo> chips() {
        return List.copyOf(chips.values());
    }

    /** The single chip with this name. */
    public Optional<ChipInfo> chip(String name) {
        return Optional.ofNullable(chips.get(name));
    }

    /** Whether {@code name} is an open single chip of a live process. */
    public boolean isOpenChip(String name) {
        ChipInfo c = chips.get(name);
        return c != null && c.open() && isAlive(c.process());
    }

    /** Open single chips of live processes, in open order. */
    public List<ChipInfo> openChips() {
        if (openChipsCache == null) {
            List<ChipInfo> out = new ArrayList<>();
            for (ChipInfo c : chips.values()) {
                if (c.open() && isAlive(c.process())) {
                    out.add(c);
                }
            }
            openChipsCache = List.copyOf(out);
        }
        return openChipsCache;
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** Whether the allocation server is listening. */
    public boolean serverUp() {
        return serverUp;
    }

    /** Every process ever started, in start order. */
    public List<ProcessInfo> processes() {
        return List.copyOf(processes.values());
    }

    /** Number of processes started so far (live or not): {@code processes().size()} without the copy. */
    public int processCount() {
        return processes.size();
    }

    /** Whether some process is alive. */
    public boolean anyLiveProcess() {
        for (ProcessInfo p : processes.values()) {
            if (p.alive()) {
                return true;
            }
        }
        return false;
    }

    /** The process with this name. */
    public Optional<ProcessInfo> process(String name) {
        return Optional.ofNullable(processes.get(name));
    }

    /** Whether {@code name} is a live process. */
    public boolean isAlive(String process) {
        ProcessInfo p = processes.get(process);
        return p != null && p.alive();
    }

    /** Every mesh ever opened, in open order. */
    public List<MeshInfo> meshes() {
        return List.copyOf(meshes.values());
    }

    /** The mesh with this name. */
    public Optional<MeshInfo> mesh(String name) {
        return Optional.ofNullable(meshes.get(name));
    }

    /** Whether {@code name} is an open mesh of a live process. */
    public boolean isOpenMesh(String name) {
        MeshInfo m = meshes.get(name);
        return m != null && m.open() && isAlive(m.process());
    }

    /** Open meshes of live processes, in open order. */
    public List<MeshInfo> openMeshes() {
        if (openMeshesCache == null) {
            List<MeshInfo> out = new ArrayList<>();
            for (MeshInfo m : meshes.values()) {
                if (m.open() && isAlive(m.process())) {
                    out.add(m);
                }
            }
            openMeshesCache = List.copyOf(out);
        }
        return openMeshesCache;
    }

    /** Every handle ever created, in creation order. */
    public List<HandleInfo> handles() {
        return List.copyOf(handles.values());
    }

    /** The handle with this name. */
    public Optional<HandleInfo> handle(String name) {
        return Optional.ofNullable(handles.get(name));
    }

    /** The process a handle's mesh or chip belongs to. */
    public String processOf(HandleInfo handle) {
        MeshInfo m = meshes.get(handle.owner());
        return m != null ? m.process() : chips.get(handle.owner()).process();
    }

    /** Whether the script still holds {@code name} (not dropped, process alive). */
    public boolean isHeld(String name) {
        HandleInfo h = handles.get(name);
        return h != null && !h.dropped() && isAlive(processOf(h));
    }

    /** Handles the script still holds, in creation order. */
    public List<HandleInfo> heldHandles() {
        if (heldCache == null) {
            List<HandleInfo> out = new ArrayList<>();
            for (HandleInfo h : handles.values()) {
                if (!h.dropped() && isAlive(processOf(h))) {
                    out.add(h);
                }
            }
            heldCache = List.copyOf(out);
        }
        return heldCache;
    }

    /** Whether {@code name} names nothing yet. */
    public boolean isFresh(String name) {
        return !processes.containsKey(name) && !meshes.containsKey(name) && !chips.containsKey(name)
                && !handles.containsKey(name);
    }

    /** The next unused name with {@code prefix} (prefix + the lowest index above every one used). */
    public String nextName(String prefix) {
        return prefix + nextIndex.getOrDefault(prefix, 0);
    }

    // ------------------------------------------------------------------------------------------------ updates

    private void changed() {
        openMeshesCache = null;
        openChipsCache = null;
        heldCache = null;
        chipsInUseCache = null;
    }

    private void noteName(String name) {
        int i = 0;
        while (i < name.length() && !Character.isDigit(name.charAt(i))) {
            i++;
        }
        if (i == 0 || i == name.length()) {
            return;
        }
        String prefix = name.substring(0, i);
        try {
            int index = Integer.parseInt(name.substring(i));
            nextIndex.merge(prefix, index + 1, Math::max);
        } catch (NumberFormatException e) {
            // a user-chosen name without a numeric suffix reserves nothing
        }
    }

    void addProcess(String name) {
        changed();
        Preconditions.checkArgument(isFresh(name), "name %s is taken", name);
        processes.put(name, new ProcessInfo(name, true));
        noteName(name);
    }

    void endProcess(String name) {
        changed();
        processes.put(name, new ProcessInfo(name, false));
    }

    void addMesh(String name, String process, MeshShape shape) {
        changed();
        Preconditions.checkArgument(isFresh(name), "name %s is taken", name);
        meshes.put(name, new MeshInfo(name, process, shape, true, false));
        noteName(name);
    }

    void closeMesh(String name) {
        changed();
        MeshInfo m = meshes.get(name);
        meshes.put(name, new MeshInfo(name, m.process(), m.shape(), false, m.subDeviceManagerLoaded()));
    }

    void addChip(String name, String process, int chipId) {
        changed();
        Preconditions.checkArgument(isFresh(name), "name %s is taken", name);
        chips.put(name, new ChipInfo(name, process, chipId, true));
        noteName(name);
    }

    void closeChip(String name) {
        changed();
        ChipInfo c = chips.get(name);
        chips.put(name, new ChipInfo(name, c.process(), c.chipId(), false));
    }

    void setSubDeviceManagerLoaded(String name, boolean loaded) {
        changed();
        MeshInfo m = meshes.get(name);
        meshes.put(name, new MeshInfo(name, m.process(), m.shape(), m.open(), loaded));
    }

    void addHandle(String name, HandleKind kind, String owner, long pages) {
        changed();
        Preconditions.checkArgument(isFresh(name), "name %s is taken", name);
        handles.put(name, new HandleInfo(name, kind, owner, pages, false, false));
        noteName(name);
    }

    void markDeallocated(String name) {
        changed();
        HandleInfo h = handles.get(name);
        handles.put(name, new HandleInfo(name, h.kind(), h.owner(), h.pages(), true, h.dropped()));
    }

    void markDropped(String name) {
        changed();
        HandleInfo h = handles.get(name);
        handles.put(name, new HandleInfo(name, h.kind(), h.owner(), h.pages(), h.deallocated(), true));
    }

    void setServerUp(boolean up) {
        changed();
        serverUp = up;
    }
}
