package io.github.meshalloc.mesh.rules;

import com.google.common.base.Preconditions;

/**
 * One choice per variation point whose call site lives in the mesh module.
 *
 * @param meshBufferDeallocate     what {@code MeshBuffer::deallocate} does with a live mesh
 * @param programBufferPoolRelease whether {@code ~Program} releases its buffer pool
 */
public record MeshRules(MeshBufferDeallocate meshBufferDeallocate, ProgramBufferPoolRelease programBufferPoolRelease) {

    /**
     * tt-metal upstream, late 2025. [I] Upstream programs hold their buffer pool in a member vector
     * that their destructor frees, which amounts to releasing it at destruction.
     */
    public static final MeshRules UPSTREAM =
            new MeshRules(MeshBufferDeallocate.UPSTREAM, ProgramBufferPoolRelease.AT_DESTRUCTION);

    public MeshRules {
        Preconditions.checkNotNull(meshBufferDeallocate, "meshBufferDeallocate");
        Preconditions.checkNotNull(programBufferPoolRelease, "programBufferPoolRelease");
    }

    public MeshRules with(MeshBufferDeallocate value) {
        return new MeshRules(value, programBufferPoolRelease);
    }

    public MeshRules with(ProgramBufferPoolRelease value) {
        return new MeshRules(meshBufferDeallocate, value);
    }
}
