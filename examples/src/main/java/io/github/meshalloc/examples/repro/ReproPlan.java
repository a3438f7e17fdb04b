package io.github.meshalloc.examples.repro;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.explore.Invariant;
import io.github.meshalloc.tracking.explore.Verdict.Counterexample;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.Session;
import io.github.meshalloc.tracking.ops.SessionModel;
import io.github.meshalloc.tracking.server.ServerVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A counterexample laid out for a hardware script: each step with what the script knows just before it runs.
 *
 * <p>Replays the shrunk script on a fresh session of the same code state and catalog (deterministic: the same
 * steps, the same outcomes) to learn what a step the model runs implicitly consists of (a process's end closes its
 * devices and releases its objects), the shape of each mesh, and what is still open after the last step (the
 * script's teardown closes it after the checkpoint).
 *
 * @param run            the search that found the counterexample
 * @param counterexample the counterexample
 * @param steps          its steps, in order
 * @param meshShapes     every mesh handle's shape
 * @param openAtEnd      meshes and chips still open after the last step, in open order
 */
public record ReproPlan(ExplorerRun run, Counterexample counterexample, List<Step> steps,
                        Map<String, MeshShape> meshShapes, List<String> openAtEnd) {

    /**
     * One step of the counterexample.
     *
     * @param index  1-based step number
     * @param op     the operation
     * @param raised the modelled tt-metal error it raised, if any
     * @param ending for an {@link Op.EndProcess}, what the end closes and releases; else empty
     */
    public record Step(int index, Op op, Optional<String> raised, Ending ending) {
        public Step {
            Preconditions.checkNotNull(op, "op");
            Preconditions.checkNotNull(raised, "raised");
            Preconditions.checkNotNull(ending, "ending");
        }
    }

    /**
     * What a process's normal end does, in order ({@link Op.EndProcess}): close its open meshes, close its open chips,
     * release every object it still holds.
     *
     * @param meshes  meshes closed
     * @param chips   chips closed
     * @param handles objects released, in creation order
     */
    public record Ending(List<String> meshes, List<String> chips, List<String> handles) {
        /** Nothing to close or release. */
        public static final Ending NONE = new Ending(List.of(), List.of(), List.of());

        public Ending {
            meshes = List.copyOf(meshes);
            chips = List.copyOf(chips);
            handles = List.copyOf(handles);
        }
    }

    public ReproPlan {
        Preconditions.checkNotNull(run, "run");
        Preconditions.checkNotNull(counterexample, "counterexample");
        steps = List.copyOf(steps);
        meshShapes = Map.copyOf(meshShapes);
        openAtEnd = List.copyOf(openAtEnd);
    }

    /**
     * Lays out {@code counterexample}, found by {@code run}.
     *
     * @throws IllegalStateException if the replay does not take the counterexample's steps (a defect)
     */
    public static ReproPlan of(ExplorerRun run, Counterexample counterexample) {
        Session session = Session.start(run.rules(), run.config().catalog());
        List<Step> steps = new ArrayList<>();
        Map<String, MeshShape> shapes = new LinkedHashMap<>();
        for (Session.Step original : counterexample.steps()) {
            Op op = original.op();
            Ending ending = op instanceof Op.EndProcess end ? endingOf(session.model(), end.process()) : Ending.NONE;
            Session.Step replayed = session.apply(op);
            Preconditions.checkState(replayed.raised().equals(original.raised()),
                    "step %s replayed differently: %s, then %s", original.index(), original, replayed);
            if (op instanceof Op.OpenMesh open) {
                shapes.put(open.mesh(), open.shape());
            }
            steps.add(new Step(original.index(), op, original.raised(), ending));
        }
        List<String> open = new ArrayList<>();
        session.model().openMeshes().forEach(m -> open.add(m.name()));
        session.model().openChips().forEach(c -> open.add(c.name()));
        return new ReproPlan(run, counterexample, steps, shapes, open);
    }

    private static Ending endingOf(SessionModel model, String process) {
        List<String> meshes = new ArrayList<>();
        for (SessionModel.MeshInfo m : model.meshes()) {
            if (m.process().equals(process) && m.open()) {
                meshes.add(m.name());
            }
        }
        List<String> chips = new ArrayList<>();
        for (SessionModel.ChipInfo c : model.chips()) {
            if (c.process().equals(process) && c.open()) {
                chips.add(c.name());
            }
        }
        List<String> handles = new ArrayList<>();
        for (SessionModel.HandleInfo h : model.heldHandles()) {
            if (model.processOf(h).equals(process)) {
                handles.add(h.name());
            }
        }
        return new Ending(meshes, chips, handles);
    }

    /** The server version in words: {@code S4 (reference counts, 112-byte records)}. */
    public String serverLine() {
        ServerVersion v = run.rules().serverVersion();
        return v + " (" + (v.refCounts() ? "reference counts" : "no reference counts") + ", "
                + v.recordFormat().size() + "-byte records" + (v.isInferred() ? ", behaviour inferred from notes" : "")
                + ")";
    }

    /** The broken invariant. */
    public Invariant invariant() {
        return counterexample.violation().invariant();
    }

    /** What the broken invariant means for someone watching the server (and the device) on hardware. */
    public String meaning() {
        return switch (invariant()) {
            case DEVICE_MEMORY_RETURNED -> "the runtime kept device memory after its buffer was released: the range "
                    + "stays allocated until the device closes. The server may show nothing wrong (the messages "
                    + "can balance); the leak is in the allocator, not in the reports.";
            case ALLOCATOR_CONSISTENT -> "a live buffer's range is no longer held by its allocator: a later "
                    + "allocation can be placed on top of it.";
            case NO_UNKNOWN_FREE -> "the server receives a FREE for a key it does not hold and prints its "
                    + "'unknown buffer' warning.";
            case NO_UNCOUNTED_DUPLICATE_ALLOC -> "a server without reference counts receives a second ALLOC for a "
                    + "key it holds: it overwrites the entry and counts the bytes again, so its device totals "
                    + "exceed what the device holds.";
            case ZERO_RESIDUAL_AFTER_CLOSE -> "after the close, the server still holds entries the device does not: "
                    + "its statistics block keeps Buffers/bytes for the device and DUMP_REMAINING lists them.";
            case SERVER_VIEW_EQUALS_TRUTH -> "the server's keys, sizes or reference counts differ from what the "
                    + "device holds (a residual, missing or mis-sized entry) while the process runs.";
        };
    }

    /**
     * What the model saw after the last step, as lines: the broken invariant, what it means, the violation's detail
     * and the balance report (with the model's addresses).
     */
    public List<String> expectation() {
        List<String> out = new ArrayList<>();
        out.add("broken: " + invariant().label() + " after step " + counterexample.violation().step());
        out.add("meaning: " + meaning());
        out.add("seen: " + counterexample.violation().detail());
        out.add("balance report after step " + counterexample.violation().step() + ":");
        counterexample.report().render().lines().forEach(out::add);
        return out;
    }
}
