package io.github.meshalloc.mesh.rules;

import com.google.common.base.Preconditions;

/**
 * One choice per variation point whose call site lives in the mesh module.
 *
 * @param meshBufferDeallocate     what {@code MeshBuffer::deallocate} does with a live mesh
 * @param programBufferPoolRelease whether {@code ~Program} releases its buffer pool
 * @param closeProgramCache        whether {@code MeshDevice::close} clears the program cache first
 */
public record MeshRules(MeshBufferDeallocate meshBufferDeallocate, ProgramBufferPoolRelease programBufferPoolRelease,
                        MeshCloseProgramCache closeProgramCache) {

    /**
     * tt-metal upstream, late 2025. [I] Upstream programs hold their buffer pool in a member vector
     * that their destructor frees, which amounts to releasing it at destruction.
     */
    public static final MeshRules UPSTREAM =
            new MeshRules(MeshBufferDeallocate.UPSTREAM, ProgramBufferPoolRelease.AT_DESTRUCTION);

    public MeshRules {
        Preconditions.checkNotNull(meshBufferDeallocate, "meshBufferDeallocate");
        Preconditions.checkNotNull(programBufferPoolRelease, "programBufferPoolRelease");
        Preconditions.checkNotNull(closeProgramCache, "closeProgramCache");
    }

    /** Rules with the upstream close ({@link MeshCloseProgramCache#KEEP}). */
    public MeshRules(MeshBufferDeallocate meshBufferDeallocate, ProgramBufferPoolRelease programBufferPoolRelease) {
        this(meshBufferDeallocate, programBufferPoolRelease, MeshCloseProgramCache.KEEP);
    }

    public MeshRules with(MeshBufferDeallocate value) {
        return new MeshRules(value, programBufferPoolRelease, closeProgramCache);
    }

    public MeshRules with(MeshCloseProgramCache value) {
        return new MeshRules(meshBufferDeallocate, programBufferPoolRelease, value);
    }

    public MeshRules with(ProgramBufferPoolRelease value) {
        return new MeshRules(meshBufferDeallocate, value, closeProgramCache);
    }
}
