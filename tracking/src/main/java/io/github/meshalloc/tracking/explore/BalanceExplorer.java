package io.github.meshalloc.tracking.explore;

import com.google.common.base.Preconditions;
import io.github.meshalloc.tracking.BalanceReport;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.ops.Catalog;
import io.github.meshalloc.tracking.ops.Op;
import io.github.meshalloc.tracking.ops.OpKind;
import io.github.meshalloc.tracking.ops.OpSpace;
import io.github.meshalloc.tracking.ops.Session;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Searches a code state for a script whose allocations and frees do not balance, and shrinks what it finds.
 *
 * <p>Runs random scripts over the operation vocabulary against sessions built from a {@link RuleSet}, checking every
 * {@link Invariant} after every step ({@link InvariantChecker}); each script ends with a clean teardown (every live
 * process ends), so "zero residual after close" is always asked. On the first violation it shrinks the script: delta
 * debugging over operations (operations whose precondition no longer holds are dropped, so what remains is always a
 * legal script), then argument shrinking toward simpler meshes, tensors and programs, until neither helps; handles
 * are renamed in order of appearance. The result is a {@link Verdict}. Deterministic: the same rule set and config
 * always give the same verdict (no clock, no hash-order iteration).
 */
public final class BalanceExplorer {

    private BalanceExplorer() {
    }

    /**
     * The outcome of running one script with checks.
     *
     * @param ops       the operations that ran (illegal ones skipped), up to and including the violating one
     * @param violation the first violation, if any
     */
    public record Replay(List<Op> ops, Optional<Violation> violation) {
        public Replay {
            ops = List.copyOf(ops);
        }
    }

    /** {@link #check(RuleSet, ExplorerConfig, Progress.Listener)} without progress reports. */
    public static Verdict check(RuleSet rules, ExplorerConfig config) {
        return check(rules, config, Progress.Listener.NONE);
    }

    /**
     * Runs {@code config.tries()} random scripts against {@code rules}; on the first violation, shrinks it.
     *
     * @param listener receives a report after every try and every 25 shrink replays
     */
    public static Verdict check(RuleSet rules, ExplorerConfig config, Progress.Listener listener) {
        Preconditions.checkNotNull(rules, "rules");
        Preconditions.checkNotNull(config, "config");
        Preconditions.checkNotNull(listener, "listener");
        OpSpace space = new OpSpace(config.catalog());
        SplittableRandom master = new SplittableRandom(config.seed());
        EnumMap<OpKind, Long> counts = new EnumMap<>(OpKind.class);
        long opsRun = 0;
        for (int t = 1; t <= config.tries(); t++) {
            long trySeed = master.nextLong();
            List<Op> ran = new ArrayList<>();
            Optional<Violation> violation = runTry(rules, config, space, new SplittableRandom(trySeed), ran);
            for (Op op : ran) {
                counts.merge(op.kind(), 1L, Long::sum);
            }
            opsRun += ran.size();
            SearchStats stats = new SearchStats(t, opsRun, counts);
            if (violation.isPresent()) {
                listener.onProgress(new Progress(Progress.Phase.SHRINKING, t, config.tries(), opsRun, 0, ran.size()));
                return shrinkToVerdict(rules, config, stats, t, trySeed, ran, violation.get(), listener);
            }
            listener.onProgress(new Progress(Progress.Phase.SEARCHING, t, config.tries(), opsRun, 0, 0));
        }
        SearchStats stats = new SearchStats(config.tries(), opsRun, counts);
        listener.onProgress(new Progress(Progress.Phase.DONE, config.tries(), config.tries(), opsRun, 0, 0));
        return new Verdict.Balanced(rules, stats);
    }

    private static Optional<Violation> runTry(RuleSet rules, ExplorerConfig config, OpSpace space,
                                              SplittableRandom random, List<Op> ran) {
        Session session = Session.start(rules, config.catalog());
        InvariantChecker checker = new InvariantChecker(session);
        for (int i = 0; i < config.steps(); i++) {
            Optional<Op> op = draw(space, config.weights(), session, random);
            if (op.isEmpty()) {
                break;
            }
            ran.add(op.get());
            Optional<Violation> v = checker.afterStep(session.apply(op.get()));
            if (v.isPresent()) {
                return v;
            }
        }
        for (Op op : space.teardown(session.model())) {
            ran.add(op);
            Optional<Violation> v = checker.afterStep(session.apply(op));
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    /**
     * Draws one legal operation: a kind among those possible now, with probability proportional to its weight, then
     * one of that kind's legal operations uniformly.
     *
     * @return empty if no kind with a positive weight is possible
     */
    public static Optional<Op> draw(OpSpace space, Map<OpKind, Integer> weights, Session session,
                                    SplittableRandom random) {
        OpKind[] kinds = OpKind.values();
        int[] w = new int[kinds.length];
        int total = 0;
        for (int i = 0; i < kinds.length; i++) {
            int weight = weights.getOrDefault(kinds[i], 0);
            if (weight > 0 && space.possible(kinds[i], session.model())) {
                w[i] = weight;
                total += weight;
            }
        }
        if (total == 0) {
            return Optional.empty();
        }
        int pick = random.nextInt(total);
        for (int i = 0; i < kinds.length; i++) {
            if (pick < w[i]) {
                List<Op> legal = space.legal(kinds[i], session.model());
                return Optional.of(legal.get(random.nextInt(legal.size())));
            }
            pick -= w[i];
        }
        throw new AssertionError("weights drawn past their total");
    }

    /**
     * Runs {@code ops} with checks on a fresh session; operations whose precondition does not hold when their turn
     * comes are skipped; stops at the first violation.
     */
    public static Replay replay(RuleSet rules, Catalog catalog, List<Op> ops) {
        Session session = Session.start(rules, catalog);
        InvariantChecker checker = new InvariantChecker(session);
        List<Op> ran = new ArrayList<>();
        for (Op op : ops) {
            if (!op.precondition(session.model())) {
                continue;
            }
            ran.add(op);
            Optional<Violation> v = checker.afterStep(session.apply(op));
            if (v.isPresent()) {
                return new Replay(ran, v);
            }
        }
        return new Replay(ran, Optional.empty());
    }

    private static Verdict shrinkToVerdict(RuleSet rules, ExplorerConfig config, SearchStats stats, int tryIndex,
                                           long trySeed, List<Op> failing, Violation violation,
                                           Progress.Listener listener) {
        Shrinker shrinker = new Shrinker(rules, config, violation.invariant(), listener, tryIndex, stats.ops());
        List<Op> minimal = shrinker.shrink(failing);
        Session session = Session.startRecording(rules, config.catalog());
        InvariantChecker checker = new InvariantChecker(session);
        Violation last = null;
        for (Op op : minimal) {
            Optional<Violation> v = checker.afterStep(session.apply(op));
            if (v.isPresent()) {
                last = v.get();
                break;
            }
        }
        Preconditions.checkState(last != null && last.invariant() == violation.invariant(),
                "the shrunk script no longer breaks %s: %s", violation.invariant(), minimal);
        BalanceReport report = session.report();
        listener.onProgress(new Progress(Progress.Phase.DONE, tryIndex, config.tries(), stats.ops(),
                shrinker.replays(), minimal.size()));
        return new Verdict.Counterexample(rules, stats, tryIndex, trySeed, failing.size(), session.steps(), last,
                report, shrinker.replays());
    }

    /** Delta debugging, then argument shrinking, keeping the broken invariant. */
    private static final class Shrinker {
        private final RuleSet rules;
        private final ExplorerConfig config;
        private final Invariant invariant;
        private final Progress.Listener listener;
        private final int tryIndex;
        private final long opsRun;
        private int replays;

        Shrinker(RuleSet rules, ExplorerConfig config, Invariant invariant, Progress.Listener listener, int tryIndex,
                 long opsRun) {
            this.rules = rules;
            this.config = config;
            this.invariant = invariant;
            this.listener = listener;
            this.tryIndex = tryIndex;
            this.opsRun = opsRun;
        }

        int replays() {
            return replays;
        }

        private Optional<List<Op>> fails(List<Op> candidate) {
            if (replays >= config.maxShrinkReplays()) {
                return Optional.empty();
            }
            replays++;
            if (replays % 25 == 0) {
                listener.onProgress(new Progress(Progress.Phase.SHRINKING, tryIndex, config.tries(), opsRun, replays,
                        candidate.size()));
            }
            Replay r = replay(rules, config.catalog(), candidate);
            if (r.violation().isPresent() && r.violation().get().invariant() == invariant) {
                return Optional.of(r.ops());
            }
            return Optional.empty();
        }

        List<Op> shrink(List<Op> failing) {
            List<Op> current = fails(failing).orElse(failing);
            boolean progress = true;
            while (progress && replays < config.maxShrinkReplays()) {
                progress = false;
                List<Op> smaller = removeChunks(current);
                if (smaller.size() < current.size()) {
                    current = smaller;
                    progress = true;
                }
                Optional<List<Op>> simpler = simplifyArguments(current);
                if (simpler.isPresent()) {
                    current = simpler.get();
                    progress = true;
                }
                Optional<List<Op>> merged = mergeProcesses(current);
                if (merged.isPresent()) {
                    current = merged.get();
                    progress = true;
                }
            }
            List<Op> renamed = canonicalNames(current);
            return stillFails(renamed) ? renamed : current;
        }

        private boolean stillFails(List<Op> ops) {
            Replay r = replay(rules, config.catalog(), ops);
            return r.violation().isPresent() && r.violation().get().invariant() == invariant
                    && r.ops().size() == ops.size();
        }

        /** ddmin-style: remove chunks of halving size while the invariant still breaks. */
        private List<Op> removeChunks(List<Op> ops) {
            List<Op> current = ops;
            int chunk = Math.max(1, current.size() / 2);
            while (chunk >= 1 && replays < config.maxShrinkReplays()) {
                boolean removed = false;
                for (int start = 0; start < current.size() && replays < config.maxShrinkReplays(); ) {
                    int end = Math.min(current.size(), start + chunk);
                    List<Op> candidate = new ArrayList<>(current.subList(0, start));
                    candidate.addAll(current.subList(end, current.size()));
                    Optional<List<Op>> f = candidate.isEmpty() ? Optional.empty() : fails(candidate);
                    if (f.isPresent() && f.get().size() < current.size()) {
                        current = f.get();
                        removed = true;
                    } else {
                        start += chunk;
                    }
                }
                if (!removed) {
                    chunk /= 2;
                } else {
                    chunk = Math.min(chunk, Math.max(1, current.size() / 2));
                }
            }
            return current;
        }

        private Optional<List<Op>> simplifyArguments(List<Op> ops) {
            List<Op> current = ops;
            boolean changed = false;
            for (int i = 0; i < current.size() && replays < config.maxShrinkReplays(); i++) {
                for (Op simpler : current.get(i).simpler(config.catalog())) {
                    List<Op> candidate = new ArrayList<>(current);
                    candidate.set(i, simpler);
                    Optional<List<Op>> f = fails(candidate);
                    if (f.isPresent() && f.get().size() <= current.size()) {
                        current = f.get();
                        changed = true;
                        break;
                    }
                }
            }
            return changed ? Optional.of(current) : Optional.empty();
        }

        /**
         * Runs a later process's operations in the first process instead: its start is dropped and its name becomes
         * {@code p0} everywhere (a change no single operation's simpler arguments can make).
         */
        private Optional<List<Op>> mergeProcesses(List<Op> ops) {
            for (Op op : ops) {
                if (!(op instanceof Op.StartProcess start) || replays >= config.maxShrinkReplays()) {
                    continue;
                }
                String name = start.process();
                List<Op> candidate = new ArrayList<>();
                for (Op o : ops) {
                    if (o != op) {
                        candidate.add(o.renamed(n -> n.equals(name) ? Session.FIRST_PROCESS : n));
                    }
                }
                Optional<List<Op>> f = fails(candidate);
                if (f.isPresent() && f.get().size() < ops.size()) {
                    return f;
                }
            }
            return Optional.empty();
        }

        /** Renames handles per prefix in order of first appearance: p0, m0, t0, ... */
        private static List<Op> canonicalNames(List<Op> ops) {
            Map<String, String> names = new HashMap<>();
            Map<String, Integer> next = new HashMap<>();
            names.put("p0", "p0"); // every session starts with process p0
            next.put("p", 1);
            for (Op op : ops) {
                for (String name : op.names()) {
                    if (!names.containsKey(name)) {
                        String prefix = prefixOf(name);
                        int index = next.merge(prefix, 1, Integer::sum) - 1;
                        names.put(name, prefix + index);
                    }
                }
            }
            List<Op> out = new ArrayList<>(ops.size());
            for (Op op : ops) {
                out.add(op.renamed(n -> names.getOrDefault(n, n)));
            }
            return out;
        }

        private static String prefixOf(String name) {
            int i = 0;
            while (i < name.length() && !Character.isDigit(name.charAt(i))) {
                i++;
            }
            return name.substring(0, i);
        }
    }
}
