package io.github.meshalloc.examples.repro;

import com.google.common.base.Preconditions;
import io.github.meshalloc.mesh.MeshShape;
import io.github.meshalloc.tracking.RuleSet;
import io.github.meshalloc.tracking.explore.Progress;
import io.github.meshalloc.tracking.explore.Verdict;
import io.github.meshalloc.tracking.explore.Verdict.Counterexample;
import io.github.meshalloc.tracking.ops.Op;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code meshalloc check --save FILE} writes and {@code meshalloc export-repro FILE} reads: the search that found
 * a counterexample, and the counterexample's operations to check it against.
 *
 * <p>The operations have a readable form ({@link Op#toString()}) but no parser, so the file stores the search
 * (preset, seed, tries, steps, mesh shapes) and the explorer, which is deterministic, is run again to get the
 * counterexample back; the {@code broken:} and {@code op:} lines must then match what it reaches, else the file was
 * written by a meshalloc whose explorer or vocabulary differs and is refused. The format, line by line:
 * <pre>
 * # meshalloc counterexample v1
 * preset: seed-003-final
 * seed: 1
 * tries: 200
 * steps: 25
 * mesh: 1x1,1x2,2x4,4x8
 * broken: device memory returned after step 3
 * op: p0: m0 = open_mesh_device(1x1)
 * op: m0: t0 = tensor dram-1p (1, 1, 32, 32)
 * op: drop t0
 * </pre>
 * The first line is exactly the header; other lines starting with {@code #} and blank lines are ignored; every key
 * but {@code op} appears once, {@code op} at least once, in script order.
 *
 * @param run    the search
 * @param broken the broken invariant and step, as {@code <label> after step N}
 * @param ops    the counterexample's operations, one {@link Op#toString()} each
 */
public record CounterexampleFile(ExplorerRun run, String broken, List<String> ops) {

    /** The first line of every counterexample file. */
    public static final String HEADER = "# meshalloc counterexample v1";

    private static final List<String> KEYS = List.of("preset", "seed", "tries", "steps", "mesh", "broken");

    public CounterexampleFile {
        Preconditions.checkNotNull(run, "run");
        Preconditions.checkNotNull(broken, "broken");
        ops = List.copyOf(ops);
        Preconditions.checkArgument(!ops.isEmpty(), "a counterexample has at least one operation");
    }

    /** The file for {@code counterexample}, found by {@code run}. */
    public static CounterexampleFile of(ExplorerRun run, Counterexample counterexample) {
        return new CounterexampleFile(run, brokenOf(counterexample),
                counterexample.ops().stream().map(Op::toString).toList());
    }

    private static String brokenOf(Counterexample c) {
        return c.violation().invariant().label() + " after step " + c.violation().step();
    }

    /** The file's text. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(HEADER).append('\n');
        sb.append("# Written by 'meshalloc check --save'. The explorer is deterministic: 'meshalloc export-repro' runs\n");
        sb.append("# this search again and checks that it reaches the operations below.\n");
        sb.append("preset: ").append(run.rules().name()).append('\n');
        sb.append("seed: ").append(run.seed()).append('\n');
        sb.append("tries: ").append(run.tries()).append('\n');
        sb.append("steps: ").append(run.steps()).append('\n');
        sb.append("mesh: ").append(ExplorerRun.shapes(run.meshes())).append('\n');
        sb.append("broken: ").append(broken).append('\n');
        for (String op : ops) {
            sb.append("op: ").append(op).append('\n');
        }
        return sb.toString();
    }

    /**
     * Parses a file's text.
     *
     * @throws IllegalArgumentException naming the line (1-based) and what is wrong with it
     */
    public static CounterexampleFile parse(String text) {
        Preconditions.checkNotNull(text, "text");
        List<String> lines = text.lines().toList();
        Preconditions.checkArgument(!lines.isEmpty() && lines.get(0).strip().equals(HEADER),
                "line 1: expected '%s' (a file written by 'meshalloc check --save')", HEADER);
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> at = new LinkedHashMap<>();
        List<String> ops = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int number = i + 1;
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            Preconditions.checkArgument(colon > 0, "line %s: expected 'key: value', got '%s'", number, line);
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            Preconditions.checkArgument(!value.isEmpty(), "line %s: '%s' has no value", number, key);
            if (key.equals("op")) {
                ops.add(value);
                continue;
            }
            Preconditions.checkArgument(KEYS.contains(key), "line %s: unknown key '%s'; keys are %s and op", number,
                    key, KEYS);
            Preconditions.checkArgument(!values.containsKey(key), "line %s: '%s' given twice (first on line %s)",
                    number, key, at.get(key));
            values.put(key, value);
            at.put(key, number);
        }
        for (String key : KEYS) {
            Preconditions.checkArgument(values.containsKey(key), "no '%s:' line", key);
        }
        Preconditions.checkArgument(!ops.isEmpty(), "no 'op:' line: a counterexample has at least one operation");
        RuleSet rules = value(at.get("preset"), () -> RuleSet.preset(values.get("preset")));
        long seed = value(at.get("seed"), () -> number("seed", values.get("seed")));
        int tries = value(at.get("tries"), () -> positive("tries", values.get("tries")));
        int steps = value(at.get("steps"), () -> positive("steps", values.get("steps")));
        List<MeshShape> meshes = value(at.get("mesh"), () -> {
            List<MeshShape> shapes = ExplorerRun.parseShapes(values.get("mesh"));
            ExplorerRun.defaults(rules).withMeshes(shapes); // the shapes' own checks, on their line
            return shapes;
        });
        return new CounterexampleFile(new ExplorerRun(rules, seed, tries, steps, meshes), values.get("broken"), ops);
    }

    private static long number(String key, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a whole number, got '" + text + "'", e);
        }
    }

    private static int positive(String key, String text) {
        long n = number(key, text);
        Preconditions.checkArgument(n > 0, "%s must be positive, got %s", key, n);
        Preconditions.checkArgument(n <= Integer.MAX_VALUE, "%s must be at most %s, got %s", key, Integer.MAX_VALUE, n);
        return (int) n;
    }

    private interface Read<T> {
        T get();
    }

    private static <T> T value(int line, Read<T> read) {
        try {
            return read.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + line + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the search again and returns the counterexample it reaches.
     *
     * @throws IllegalArgumentException if the search is balanced now, or reaches another counterexample than the
     *                                  file's (the file was written by a meshalloc that searches differently)
     */
    public Counterexample reproduce(Progress.Listener listener) {
        Verdict verdict = run.run(listener);
        if (!(verdict instanceof Counterexample c)) {
            throw new IllegalArgumentException("the saved search (" + run.commandLine() + ") is balanced with this "
                    + "meshalloc: the file's counterexample no longer reproduces");
        }
        CounterexampleFile now = of(run, c);
        if (!now.broken.equals(broken) || !now.ops.equals(ops)) {
            throw new IllegalArgumentException("the saved search (" + run.commandLine() + ") reaches another "
                    + "counterexample with this meshalloc (" + now.broken + ": " + String.join("; ", now.ops)
                    + "); the file has " + broken + ": " + String.join("; ", ops) + ". Save it again with this "
                    + "meshalloc");
        }
        return c;
    }
}
