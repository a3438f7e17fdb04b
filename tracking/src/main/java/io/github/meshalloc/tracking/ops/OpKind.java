package io.github.meshalloc.tracking.ops;

/**
 * The kinds of runtime operation in the vocabulary, one per {@link Op} record.
 *
 * <p>Used to weight generation, to count coverage ("every op kind was exercised") and to group counterexamples.
 */
public enum OpKind {
    /** {@link Op.OpenMesh}. */
    OPEN_MESH,
    /** {@link Op.OpenChip}. */
    OPEN_CHIP,
    /** {@link Op.CloseChip}. */
    CLOSE_CHIP,
    /** {@link Op.CreateTensor}. */
    CREATE_TENSOR,
    /** {@link Op.CreateChipBuffer}. */
    CREATE_CHIP_BUFFER,
    /** {@link Op.CreateView}. */
    CREATE_VIEW,
    /** {@link Op.CreatePreallocated}. */
    CREATE_PREALLOCATED,
    /** {@link Op.Deallocate}. */
    DEALLOCATE,
    /** {@link Op.Drop}. */
    DROP,
    /** {@link Op.RunProgram}. */
    RUN_PROGRAM,
    /** {@link Op.ClearProgramCache}. */
    CLEAR_PROGRAM_CACHE,
    /** {@link Op.LoadSubDeviceManager}. */
    LOAD_SUB_DEVICE_MANAGER,
    /** {@link Op.ClearSubDeviceManager}. */
    CLEAR_SUB_DEVICE_MANAGER,
    /** {@link Op.CloseMesh}. */
    CLOSE_MESH,
    /** {@link Op.StartProcess}. */
    START_PROCESS,
    /** {@link Op.EndProcess}. */
    END_PROCESS,
    /** {@link Op.KillProcess}. */
    KILL_PROCESS,
    /** {@link Op.StopServer}. */
    STOP_SERVER,
    /** {@link Op.StartServer}. */
    START_SERVER,
    /** {@link Op.RestartServer}. */
    RESTART_SERVER
}
