package io.github.meshalloc.tracking.kit;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.ChipBufferChoice;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.OpSpace;
import io.github.meshalloc.tracking.ops.ProgramChoice;
import io.github.meshalloc.tracking.ops.SessionModel;
import io.github.meshalloc.tracking.ops.TensorChoice;
import io.github.meshalloc.mesh.MeshShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * jqwik arbitraries over meshalloc's operation vocabulary, for a user's own properties.
 *
 * <p>The same {@link OpSpace} the explorer draws from: every generated operation is legal in the state it is drawn
 * for, and each arbitrary shrinks toward the front of its catalog list (smaller meshes, simpler tensors, no
 * keep-alive). {@link #scripts} builds an {@link ActionChain} with one action per operation kind, whose transformers
 * apply an operation to a {@link CheckedSession} and check every invariant.
 */
public final class MeshallocArbitraries {

    private MeshallocArbitraries() {
    }

    /** Mesh shapes of the catalog, simplest first. */
    public static Arbitrary<MeshShape> meshShapes(Catalog catalog) {
        return Arbitraries.of(catalog.meshShapes());
    }

    /** Tensors of the catalog, simplest first. */
    public static Arbitrary<TensorChoice> tensors(Catalog catalog) {
        return Arbitraries.of(catalog.tensors());
    }

    /** Single-chip buffers of the catalog, simplest first. */
    public static Arbitrary<ChipBufferChoice> chipBuffers(Catalog catalog) {
        return Arbitraries.of(catalog.chipBuffers());
    }

    /** Programs of the catalog, simplest first. */
    public static Arbitrary<ProgramChoice> programs(Catalog catalog) {
        return Arbitraries.of(catalog.programs());
    }

    /**
     * One legal operation of {@code kind} in {@code model}.
     *
     * @throws IllegalArgumentException if none is legal now (ask {@link OpSpace#possible} first)
     */
    public static Arbitrary<Op> op(OpKind kind, SessionModel model, Catalog catalog) {
        List<Op> legal = new OpSpace(catalog).legal(kind, model);
        Preconditions.checkArgument(!legal.isEmpty(), "no %s operation is legal in this state", kind);
        return Arbitraries.of(legal);
    }

    /** One legal operation of any kind possible in {@code model}, kinds weighted by {@code weights}. */
    public static Arbitrary<Op> anyOp(SessionModel model, Catalog catalog, Map<OpKind, Integer> weights) {
        OpSpace space = new OpSpace(catalog);
        List<Tuple.Tuple2<Integer, Arbitrary<Op>>> choices = new ArrayList<>();
        for (OpKind kind : OpKind.values()) {
            int w = weights.getOrDefault(kind, 0);
            if (w > 0 && space.possible(kind, model)) {
                choices.add(Tuple.of(w, Arbitraries.of(space.legal(kind, model))));
            }
        }
        Preconditions.checkArgument(!choices.isEmpty(), "no operation with a positive weight is legal in this state");
        return Arbitraries.frequencyOf(choices);
    }

    /** How many choices an action's index ranges over; indices wrap around the legal operations of the moment. */
    public static final int CHOICES = 64;

    /**
     * The action for {@code kind}: its transformer applies the {@code i}-th legal operation of the kind in the state it
     * meets (i modulo their number) and checks every invariant; when no operation of the kind is legal there, it does
     * nothing and no operation enters the script (an illegal operation is never run). The action declares no jqwik
     * precondition on purpose: drawing it then needs no state, so jqwik can drop any earlier step of a failing chain
     * and shrink each index toward 0, the simplest operation of its kind, without the chain being redrawn.
     */
    public static Action.Independent<CheckedSession> action(OpKind kind) {
        Preconditions.checkNotNull(kind, "kind");
        String name = kind.name().toLowerCase(java.util.Locale.ROOT);
        return () -> Arbitraries.integers().between(0, CHOICES - 1)
                .map(i -> Transformer.mutate(name + " #" + i, s -> s.applyChoice(kind, i)));
    }

    /**
     * Scripts of at most {@code maxSteps} operations against {@code rules}, every kind with a positive weight taking
     * part with that weight. Run one with {@link BalanceProperty#check}.
     */
    public static ActionChainArbitrary<CheckedSession> scripts(RuleSet rules, Catalog catalog,
                                                               Map<OpKind, Integer> weights, int maxSteps) {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkNotNull(catalog, "catalog");
        Preconditions.checkArgument(maxSteps > 0, "maxSteps %s must be positive", maxSteps);
        ActionChainArbitrary<CheckedSession> chain = ActionChain.startWith(() -> CheckedSession.start(rules, catalog));
        for (OpKind kind : OpKind.values()) {
            int w = weights.getOrDefault(kind, 0);
            if (w > 0) {
                chain = chain.withAction(w, action(kind));
            }
        }
        return chain.withMaxTransformations(maxSteps);
    }
}
