package io.github.meshalloc.mesh;

import com.google.common.base.Preconditions;
import io.github.meshalloc.allocator.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A mesh's program cache: programs compiled once and kept (with their kernel binaries and CBs) until the
 * cache is cleared.
 *
 * <p>Models the mesh device's {@code program_cache} with {@code enable_program_cache} /
 * {@code disable_and_clear_program_cache} ({@code mesh_device.cpp}) as far as memory goes: a cached
 * program keeps its kernel binary MeshBuffer and its CB regions; clearing destroys the programs.
 */
public final class ProgramCache {
    private final MeshDevice device;
    private final Map<String, Program> programs = new LinkedHashMap<>();
    private boolean enabled = true;

    ProgramCache(MeshDevice device) {
        this.device = device;
    }

    /**
     * Runs a program on the mesh, as an op's enqueue does: a cached program is reused; otherwise one is
     * built (kernel binary loaded, CBs allocated), validated against the mesh's L1 buffers, kept by the
     * cache if enabled (else destroyed after the run). {@code keepAlive} buffers go to the program's
     * buffer pool.
     *
     * @throws io.github.meshalloc.allocator.TtFatalException on a CB clash; a new program is destroyed
     *         first, so nothing stays half-built
     */
    public Program run(ProgramSpec spec, List<Buffer> keepAlive) {
        Preconditions.checkNotNull(spec, "spec");
        Preconditions.checkState(device.isInitialized(), "mesh device %s is closed", device.id());
        Program cached = programs.get(spec.name());
        if (cached != null) {
            cached.validateCircularBufferRegion();
            return cached;
        }
        Program program = new Program(spec, device);
        try {
            program.loadKernelBinary();
            program.allocateCircularBuffers();
            program.validateCircularBufferRegion();
        } catch (RuntimeException e) {
            program.destroy();
            throw e;
        }
        for (Buffer buffer : keepAlive) {
            program.addBuffer(buffer);
        }
        if (enabled) {
            programs.put(spec.name(), program);
        } else {
            program.destroy();
        }
        return program;
    }

    /** Models {@code enable_program_cache()}. */
    public void enable() {
        enabled = true;
    }

    /** Whether new programs are cached. */
    public boolean isEnabled() {
        return enabled;
    }

    /** Models {@code disable_and_clear_program_cache()}: every cached program destroyed, in insertion order. */
    public void disableAndClear() {
        enabled = false;
        for (Program program : new ArrayList<>(programs.values())) {
            program.destroy();
        }
        programs.clear();
    }

    /** The cached programs, in insertion order. */
    public List<Program> programs() {
        return List.copyOf(programs.values());
    }
}
